// Butler.makeRepo: writes butler.yaml the way `butler create` does (only the keys that
// differ from the packaged defaults plus the registry managers, unless standalone) and
// creates the registry database.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ButlerConfig, Config, BUTLER_ROOT_TAG, expandPath, isConfigMap, type ConfigMap } from '../config/index.js';
import type { DimensionUniverse } from '../dimensions/index.js';

export interface MakeRepoOptions {
  /** Extra configuration (a Config, mapping or file path) merged over the defaults. */
  config?: Config | ConfigMap | string;
  /** Write the fully expanded configuration, not just the non-default keys. */
  standalone?: boolean;
  /** Replace an existing butler.yaml. */
  overwrite?: boolean;
  /** Keep the datastore root as `<butlerRoot>` (daf_butler's default). */
  forceConfigRoot?: boolean;
  searchPaths?: readonly string[];
  /** Dimension universe of the new registry (default: daf_butler's v7). */
  universe?: DimensionUniverse;
}

export class RepositoryExistsError extends Error {
  override name = 'FileExistsError';
}

/** The butler.yaml content for a new repository (not yet written). */
export function makeRepoConfig(opts: MakeRepoOptions = {}): { full: ButlerConfig; written: Config } {
  const user = opts.config === undefined ? new Config() : new Config(opts.config);
  const full = new ButlerConfig(user, { searchPaths: opts.searchPaths });
  if (opts.forceConfigRoot ?? true) {
    full.set(['datastore', 'root'], BUTLER_ROOT_TAG);
    full.set(['registry', 'db'], `sqlite:///${BUTLER_ROOT_TAG}/gen3.sqlite3`);
  }
  if (opts.standalone) return { full, written: new Config(full) };
  const written = new Config();
  const datastore = full.getConfig(['datastore']);
  written.set(['datastore', 'cls'], datastore?.get('cls') ?? null);
  const records = datastore?.get(['records']);
  if (isConfigMap(records)) written.set(['datastore', 'records'], records);
  written.set(['datastore', 'root'], full.get(['datastore', 'root']) ?? BUTLER_ROOT_TAG);
  written.set(['registry', 'db'], full.get(['registry', 'db']) ?? `sqlite:///${BUTLER_ROOT_TAG}/gen3.sqlite3`);
  written.set(['registry', 'managers'], full.get(['registry', 'managers']) ?? {});
  // Whatever the user asked for explicitly is kept (it is not a default).
  written.update(user.toDict());
  if (opts.forceConfigRoot ?? true) written.set(['datastore', 'root'], BUTLER_ROOT_TAG);
  return { full, written };
}

/** Path of the SQLite file a registry.db URL names, with `<butlerRoot>` replaced. */
export function sqlitePath(db: string, butlerRoot: string): string {
  const replaced = expandPath(db.split(BUTLER_ROOT_TAG).join(butlerRoot));
  const m = /^sqlite:\/\/\/(.*)$/.exec(replaced);
  if (!m) throw new Error(`Unsupported registry.db ${JSON.stringify(db)}: only SQLite (sqlite:///path) is supported`);
  return m[1].startsWith('/') ? m[1] : resolve(butlerRoot, m[1]);
}

export function prepareRepoDirectory(root: string, overwrite: boolean): string {
  const dir = resolve(root);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'butler.yaml');
  if (existsSync(file) && !overwrite) throw new RepositoryExistsError(`A repository already exists at ${dir} (butler.yaml is present); use overwrite to replace its configuration`);
  return file;
}
