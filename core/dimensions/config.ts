// The shape of a dimension universe configuration: daf_butler's dimensions.yaml, which
// repositories store as JSON in butler_attributes['config:dimensions.json'].
import { z } from 'zod';

export const fieldSpecSchema = z.object({
  name: z.string().min(1),
  type: z.enum(['string', 'int', 'float', 'bool', 'hash', 'timespan', 'region', 'datetime']),
  length: z.number().int().positive().optional(),
  nbytes: z.number().int().positive().optional(),
  doc: z.string().optional(),
});
export type FieldSpec = z.infer<typeof fieldSpecSchema>;

const storageSchema = z.object({
  cls: z.string().optional(),
  view_of: z.string().optional(),
  nested: z.object({ cls: z.string().optional(), view_of: z.string().optional() }).passthrough().optional(),
}).passthrough();

export const elementConfigSchema = z.object({
  doc: z.string().optional(),
  keys: z.array(fieldSpecSchema).optional(),
  requires: z.array(z.string()).optional(),
  implies: z.array(z.string()).optional(),
  metadata: z.array(fieldSpecSchema).optional(),
  governor: z.boolean().optional(),
  populated_by: z.string().optional(),
  always_join: z.boolean().optional(),
  storage: storageSchema.optional(),
}).passthrough();
export type ElementConfig = z.infer<typeof elementConfigSchema>;

const skypixSystemSchema = z.object({ class: z.string(), max_level: z.number().int().nonnegative() }).passthrough();

export const universeConfigSchema = z.object({
  version: z.number().int().nonnegative(),
  namespace: z.string().default('daf_butler'),
  skypix: z.object({ common: z.string() }).catchall(z.union([skypixSystemSchema, z.string()])),
  elements: z.record(z.string(), elementConfigSchema),
  topology: z.object({
    spatial: z.record(z.string(), z.array(z.string())).default({}),
    temporal: z.record(z.string(), z.array(z.string())).default({}),
  }).default({ spatial: {}, temporal: {} }),
  packers: z.record(z.string(), z.unknown()).default({}),
});
export type UniverseConfig = z.infer<typeof universeConfigSchema>;

/** Validates a parsed universe configuration, naming the source in the error. */
export function parseUniverseConfig(value: unknown, source: string): UniverseConfig {
  const result = universeConfigSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Invalid dimension universe configuration in ${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}
