// Application-level methods: what is running, which repository is open, the recent list.
import { z } from 'zod';
import { method } from '../method.js';

export const repositoryInfoSchema = z.object({
  path: z.string(),
  name: z.string(),
  readOnly: z.boolean(),
  /** The dimension universe's namespace and version, e.g. daf_butler 7. */
  universe: z.object({ namespace: z.string(), version: z.number() }),
  /** Registry manager classes and versions recorded in butler_attributes (what wrote this repository). */
  managers: z.record(z.string(), z.string()),
  collectionCount: z.number().int(),
  datasetTypeCount: z.number().int(),
});
export type RepositoryInfo = z.infer<typeof repositoryInfoSchema>;

export const appMethods = {
  'app.info': method(
    z.object({}).strict(),
    z.object({
      version: z.string(),
      transport: z.enum(['electron', 'browser']),
      platform: z.string(),
      repository: repositoryInfoSchema.nullable(),
      /** Whether `repo.createDemo` can build a demo repository in this build. */
      canCreateDemo: z.boolean(),
    }),
    'What is running and which repository is open.',
  ),
  'repo.open': method(
    z.object({ path: z.string().min(1, 'a repository path is required') }).strict(),
    repositoryInfoSchema,
    'Opens a butler repository (a directory with butler.yaml, or its gen3.sqlite3) read-only and makes it current.',
  ),
  'repo.close': method(z.object({}).strict(), z.null(), 'Closes the current repository.'),
  'repo.recent': method(z.object({}).strict(), z.array(z.string()), 'Recently opened repositories, newest first.'),
  'repo.createDemo': method(
    z.object({ path: z.string().min(1).optional() }).strict(),
    repositoryInfoSchema,
    'Builds a demo repository (in the given directory, or a fresh one under the user data folder) and opens it.',
  ),
  'repo.chooseDirectory': method(
    z.object({}).strict(),
    z.string().nullable(),
    'Shows the native folder dialog (Electron only) and returns the chosen path, or null if cancelled.',
  ),
} as const;
