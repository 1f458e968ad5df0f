// ConfigSubset: one component of a butler configuration (datastore, registry, ...),
// with defaults merged from every search path in reverse priority (packaged defaults,
// then $DAF_BUTLER_CONFIG_PATH, then explicit searchPaths), then the defaults of the
// class named by `cls`, then the user's values; required keys checked last.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Config, type ConfigSource } from './config.js';
import { isConfigMap, loadConfigFile, parseYaml, type ConfigMap, type ConfigValue } from './configFile.js';
import { ConfigKeyError } from './errors.js';
import { PACKAGED_DEFAULTS, PACKAGED_DEFAULTS_URI } from './defaults/index.js';

export interface ConfigSubsetSpec {
  /** Top-level key of this subset in a full config, e.g. "datastore". */
  component?: string;
  /** Keys that must be present after merging. */
  requiredKeys?: readonly string[];
  /** File name looked up in every search path, e.g. "datastore.yaml". */
  defaultConfigFile?: string;
}

export interface ConfigSubsetOptions {
  validate?: boolean;
  mergeDefaults?: boolean;
  searchPaths?: readonly string[];
}

/** What a `cls` value contributes: its own defaults file and an optional list of child configs. */
export interface ConfigClassInfo {
  defaultConfigFile?: string;
  /** Key holding a list of child configs that are expanded with their own class defaults. */
  containerKey?: string;
}

const configClasses = new Map<string, ConfigClassInfo>();

/** Lets a class named in `cls:` contribute defaults (like a Python class's defaultConfigFile). */
export function registerConfigClass(clsName: string, info: ConfigClassInfo): void {
  configClasses.set(clsName, info);
}

export function configClassInfo(clsName: string): ConfigClassInfo | undefined {
  return configClasses.get(clsName);
}

/** Search paths from lowest to highest priority. */
export function defaultSearchPaths(explicit: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.DAF_BUTLER_CONFIG_PATH ?? '').split(':').filter((p) => p !== '');
  return [PACKAGED_DEFAULTS_URI, ...[...fromEnv].reverse(), ...[...explicit].reverse()];
}

function readDefaultFile(searchPath: string, fileName: string): ConfigValue | undefined {
  if (searchPath === PACKAGED_DEFAULTS_URI) {
    const text = PACKAGED_DEFAULTS[fileName];
    return text === undefined ? undefined : parseYaml(text, process.cwd(), `${PACKAGED_DEFAULTS_URI}/${fileName}`);
  }
  const path = join(resolve(searchPath), fileName);
  return existsSync(path) ? loadConfigFile(path) : undefined;
}

/** The component's subtree of `value` (also when an !include doubled the component key). */
export function extractComponent(value: ConfigMap, component: string | undefined): ConfigMap {
  if (component === undefined) return value;
  let sub = value;
  if (isConfigMap(sub[component])) {
    sub = sub[component] as ConfigMap;
    if (isConfigMap(sub[component])) sub = sub[component] as ConfigMap;
  }
  return sub;
}

export class ConfigSubset extends Config {
  static spec: ConfigSubsetSpec = {};

  constructor(other?: ConfigSource, options: ConfigSubsetOptions = {}) {
    super();
    const spec = (new.target as typeof ConfigSubset).spec;
    const { validate = true, mergeDefaults = true, searchPaths = [] } = options;
    const source = other === undefined ? new Config() : new Config(other);
    this.configFile = source.configFile;
    const user = extractComponent(source.toDict(), spec.component);
    let merged = new Config();
    if (mergeDefaults) {
      const paths = defaultSearchPaths(searchPaths);
      if (spec.defaultConfigFile) merged = mergeDefaultFile(merged, paths, spec.defaultConfigFile, spec.component);
      // A `cls` given by the user wins over one from the defaults.
      const cls = typeof user.cls === 'string' ? user.cls : merged.getString('cls');
      const info = cls === undefined ? undefined : configClasses.get(cls);
      if (info?.defaultConfigFile) merged = mergeDefaultFile(merged, paths, info.defaultConfigFile, spec.component);
    }
    merged.update(user);
    this.data = merged.toDict();
    if (mergeDefaults) this.expandChildren(searchPaths);
    if (validate) this.validate();
  }

  /** Children listed under the class's containerKey get their own class defaults. */
  private expandChildren(searchPaths: readonly string[]): void {
    const cls = this.getString('cls');
    const info = cls === undefined ? undefined : configClasses.get(cls);
    if (!info?.containerKey) return;
    const children = this.get([info.containerKey]);
    if (!Array.isArray(children)) return;
    const Ctor = this.constructor as new (o: ConfigSource, opts: ConfigSubsetOptions) => ConfigSubset;
    this.set([info.containerKey], children.map((c) => (isConfigMap(c) ? new Ctor(c, { validate: false, searchPaths }).toDict() : c)));
  }

  validate(): void {
    const spec = (this.constructor as typeof ConfigSubset).spec;
    const missing = (spec.requiredKeys ?? []).filter((k) => !this.has([k]));
    if (missing.length > 0) {
      throw new ConfigKeyError(
        `Mandatory keys (${JSON.stringify(missing)}) missing from supplied configuration for ${this.constructor.name}` +
          (this.configFile ? ` (${this.configFile})` : ''),
      );
    }
  }
}

function mergeDefaultFile(base: Config, paths: readonly string[], fileName: string, component: string | undefined): Config {
  for (const p of paths) {
    const value = readDefaultFile(p, fileName);
    if (isConfigMap(value)) base.update(extractComponent(value, component));
  }
  return base;
}
