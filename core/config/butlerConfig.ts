// The configuration of a whole repository (butler.yaml): each section gets its
// packaged defaults, the file overlays them, and `<butlerRoot>` is replaced by the
// directory holding butler.yaml (or a top-level `root:`).
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Config, type ConfigSource } from './config.js';
import { isConfigMap, type ConfigMap, type ConfigValue } from './configFile.js';
import { ConfigFileNotFoundError } from './errors.js';
import { ConfigSubset, registerConfigClass, type ConfigSubsetOptions } from './configSubset.js';
import { CHAINED_DATASTORE_CLS, FILE_DATASTORE_CLS, IN_MEMORY_DATASTORE_CLS } from './defaults/datastores.js';

export class RegistryConfig extends ConfigSubset {
  static override spec = { component: 'registry', requiredKeys: ['db'], defaultConfigFile: 'registry.yaml' };
}

export class DatastoreConfig extends ConfigSubset {
  static override spec = { component: 'datastore', requiredKeys: ['cls'], defaultConfigFile: 'datastore.yaml' };
}

export class StorageClassConfig extends ConfigSubset {
  static override spec = { component: 'storageClasses', defaultConfigFile: 'storageClasses.yaml' };
}

export class RepoTransferFormatConfig extends ConfigSubset {
  static override spec = { component: 'repo_transfer_formats', defaultConfigFile: 'repo_transfer_formats.yaml' };
}

registerConfigClass(FILE_DATASTORE_CLS, { defaultConfigFile: 'datastores/fileDatastore.yaml' });
registerConfigClass(IN_MEMORY_DATASTORE_CLS, { defaultConfigFile: 'datastores/inMemoryDatastore.yaml' });
registerConfigClass(CHAINED_DATASTORE_CLS, { defaultConfigFile: 'datastores/chainedDatastore.yaml', containerKey: 'datastores' });

export const BUTLER_ROOT_TAG = '<butlerRoot>';

const SECTIONS: { component: string; make: (c: Config, o: ConfigSubsetOptions) => ConfigSubset }[] = [
  { component: 'registry', make: (c, o) => new RegistryConfig(c, o) },
  { component: 'storageClasses', make: (c, o) => new StorageClassConfig(c, o) },
  { component: 'datastore', make: (c, o) => new DatastoreConfig(c, o) },
  { component: 'repo_transfer_formats', make: (c, o) => new RepoTransferFormatConfig(c, o) },
];

export interface ButlerConfigOptions {
  searchPaths?: readonly string[];
  withoutDatastore?: boolean;
}

/** Resolves a repository path (directory or file) to its config file. */
export function butlerConfigFile(pathOrDir: string): string {
  const p = resolve(pathOrDir);
  if (existsSync(p) && statSync(p).isDirectory()) {
    for (const name of ['butler.yaml', 'butler.json']) if (existsSync(join(p, name))) return join(p, name);
    throw new ConfigFileNotFoundError(`${p} is not a butler repository: no butler.yaml in it`);
  }
  if (!existsSync(p)) throw new ConfigFileNotFoundError(`Butler config not found: ${p}`);
  return p;
}

export class ButlerConfig extends Config {
  /** Directory of the butler.yaml, or undefined for an in-memory config. */
  configDir: string | undefined;

  constructor(other?: ConfigSource, options: ButlerConfigOptions = {}) {
    const source = typeof other === 'string' ? new Config(butlerConfigFile(other)) : new Config(other);
    super();
    const opts: ConfigSubsetOptions = { searchPaths: options.searchPaths ?? [], validate: false };
    const full = new Config();
    for (const section of SECTIONS) {
      if (options.withoutDatastore && section.component === 'datastore') continue;
      full.set([section.component], section.make(source, opts).toDict());
    }
    for (const key of source.keys()) {
      if (full.has([key]) || (options.withoutDatastore && key === 'datastore')) continue;
      full.set([key], source.require([key]));
    }
    this.data = full.toDict();
    this.configFile = source.configFile;
    this.configDir = source.configFile ? dirname(source.configFile) : undefined;
    if (!options.withoutDatastore) new DatastoreConfig(this.getConfig(['datastore']) ?? {}).validate();
  }

  /** The directory `<butlerRoot>` stands for: a top-level `root:` key, else the config's directory. */
  butlerRoot(): string | undefined {
    const root = this.getString(['root']);
    return root ?? this.configDir;
  }
}

function replaceIn(value: ConfigValue, root: string): ConfigValue {
  if (typeof value === 'string') return value.split(BUTLER_ROOT_TAG).join(root);
  if (Array.isArray(value)) return value.map((v) => replaceIn(v, root));
  if (isConfigMap(value)) {
    const out: ConfigMap = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === 'root' || k === 'datastores' || isConfigMap(v) ? replaceIn(v, root) : v;
    return out;
  }
  return value;
}

/**
 * Replaces `<butlerRoot>` in `registry.db` and in datastore roots (chained children too).
 * Returns a new Config; the original keeps its tags (they are what gets written back).
 */
export function replaceRoot(config: Config, root: string): Config {
  const out = new Config(config);
  const db = out.getString(['registry', 'db']);
  if (db !== undefined) out.set(['registry', 'db'], db.split(BUTLER_ROOT_TAG).join(root));
  const datastore = out.get(['datastore']);
  if (isConfigMap(datastore)) {
    const replaced: ConfigMap = { ...datastore };
    if (typeof datastore.root === 'string') replaced.root = replaceIn(datastore.root, root);
    if (Array.isArray(datastore.datastores)) replaced.datastores = datastore.datastores.map((d) => (isConfigMap(d) ? (replaceIn(d, root) as ConfigMap) : d));
    out.set(['datastore'], replaced);
  }
  return out;
}
