// Reads configuration files as daf_butler does: YAML (with the `!include` tag, paths
// relative to the including file) or JSON; then resolves `includeConfigs` entries at
// any level (env-var expanded; absolute, else relative to the working directory, else
// relative to the including file), included values first, explicit values on top.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGED_DEFAULTS } from './defaults/index.js';
import YAML, { isMap, isScalar, isSeq, type Tags } from 'yaml';
import { ConfigFileNotFoundError, ConfigRuntimeError } from './errors.js';

export type ConfigScalar = string | number | boolean | null;
export type ConfigValue = ConfigScalar | ConfigValue[] | ConfigMap;
export interface ConfigMap {
  [key: string]: ConfigValue;
}

export function isConfigMap(value: unknown): value is ConfigMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** os.path.expandvars: `$VAR` and `${VAR}` replaced when set, left alone otherwise. */
export function expandEnvVars(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(/\$(\w+)|\$\{([^}]+)\}/g, (whole, bare: string | undefined, braced: string | undefined) => {
    const value = env[bare ?? braced ?? ''];
    return value === undefined ? whole : value;
  });
}

function includeTags(baseDir: string, seen: readonly string[]): Tags {
  const load = (value: unknown): ConfigValue => {
    if (typeof value !== 'string') throw new ConfigRuntimeError(`!include expects a file name, got ${JSON.stringify(value)}`);
    const local = uriToLocal(value);
    const target = isUri(local) || isAbsolute(local) ? local : resolve(baseDir, local);
    return readConfigFile(target, seen);
  };
  return [
    { tag: '!include', resolve: (text: string) => load(text) as unknown as string },
    {
      tag: '!include',
      collection: 'seq',
      resolve: (seq) => {
        if (!isSeq(seq)) return seq;
        return seq.items.map((item) => load(isScalar(item) ? item.value : item)) as unknown as typeof seq;
      },
    },
    {
      tag: '!include',
      collection: 'map',
      resolve: (map) => {
        if (!isMap(map)) return map;
        const out: ConfigMap = {};
        for (const pair of map.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          out[key] = load(isScalar(pair.value) ? pair.value.value : pair.value);
        }
        return out as unknown as typeof map;
      },
    },
  ];
}

/** Parses YAML text (with `!include` relative to `baseDir`). */
export function parseYaml(text: string, baseDir: string, source: string, seen: readonly string[] = []): ConfigValue {
  try {
    const doc = YAML.parseDocument(text, { customTags: includeTags(baseDir, seen), uniqueKeys: false });
    if (doc.errors.length > 0) throw doc.errors[0];
    return (doc.toJS({ maxAliasCount: -1 }) ?? {}) as ConfigValue;
  } catch (err) {
    if (err instanceof ConfigRuntimeError || err instanceof ConfigFileNotFoundError) throw err;
    throw new ConfigRuntimeError(`${source}: invalid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseJson(text: string, source: string): ConfigValue {
  try {
    return JSON.parse(text) as ConfigValue;
  } catch (err) {
    throw new ConfigRuntimeError(`${source}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Reads one file (no includeConfigs processing yet). */
const PACKAGE_RESOURCE = 'resource://lsst.daf.butler/configs/';

function isUri(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** file:// URIs become paths; daf_butler's packaged defaults (resource://lsst.daf.butler/configs/...) stay URIs. */
function uriToLocal(text: string): string {
  return text.startsWith('file://') ? fileURLToPath(text) : text;
}

function readConfigFile(path: string, seen: readonly string[]): ConfigValue {
  if (seen.includes(path)) throw new ConfigRuntimeError(`Include loop: ${[...seen, path].join(' -> ')}`);
  if (path.startsWith(PACKAGE_RESOURCE)) {
    const text = PACKAGED_DEFAULTS[path.slice(PACKAGE_RESOURCE.length)];
    if (text === undefined) throw new ConfigFileNotFoundError(`${path} is not one of the packaged defaults (${Object.keys(PACKAGED_DEFAULTS).join(', ')})`);
    return processIncludes(parseYaml(text, process.cwd(), path, [...seen, path]), process.cwd(), [...seen, path]);
  }
  if (isUri(path)) throw new ConfigRuntimeError(`Config ${path}: only local files, file:// URIs and resource://lsst.daf.butler/configs/ are supported`);
  if (!existsSync(path)) throw new ConfigFileNotFoundError(`Config file not found: ${path}`);
  const ext = extname(path).toLowerCase();
  const text = readFileSync(path, 'utf8');
  let value: ConfigValue;
  if (ext === '.yaml' || ext === '.yml') value = parseYaml(text, dirname(path), path, [...seen, path]);
  else if (ext === '.json') value = parseJson(text, path);
  else throw new ConfigRuntimeError(`Unhandled config file type: ${path} (expected .yaml, .yml or .json)`);
  return processIncludes(value, dirname(path), [...seen, path]);
}

function findInclude(name: string, baseDir: string, including: string): string {
  const expanded = uriToLocal(expandEnvVars(name));
  if (isUri(expanded)) return expanded;
  if (isAbsolute(expanded)) {
    if (!existsSync(expanded)) throw new ConfigFileNotFoundError(`Included config file not found: ${expanded} (from ${including})`);
    return expanded;
  }
  const fromCwd = resolve(expanded);
  if (existsSync(fromCwd)) return fromCwd;
  const fromFile = resolve(baseDir, expanded);
  if (existsSync(fromFile)) return fromFile;
  throw new ConfigRuntimeError(`Unable to find referenced include file: ${expanded} (from ${including})`);
}

/** Local paths in configs may use `~` and environment variables (as lsst.resources expands them). */
export function expandPath(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const expanded = expandEnvVars(text, env);
  if (expanded === '~' || expanded.startsWith('~/')) return (env.HOME ?? '~') + expanded.slice(1);
  return expanded;
}

/** Deep merge where `top` wins; lists and scalars are replaced. Returns a new value. */
export function deepUpdate(base: ConfigMap, top: ConfigMap): ConfigMap {
  const out: ConfigMap = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const current = out[key];
    out[key] = isConfigMap(current) && isConfigMap(value) ? deepUpdate(current, value) : cloneValue(value);
  }
  return out;
}

export function cloneValue<T extends ConfigValue>(value: T): T {
  return structuredClone(value);
}

/** Replaces every `includeConfigs` entry (at any depth) by the merged included files. */
export function processIncludes(value: ConfigValue, baseDir: string, seen: readonly string[] = []): ConfigValue {
  if (Array.isArray(value)) return value.map((v) => processIncludes(v, baseDir, seen));
  if (!isConfigMap(value)) return value;
  const processed: ConfigMap = {};
  for (const [key, child] of Object.entries(value)) {
    if (key !== 'includeConfigs') processed[key] = processIncludes(child, baseDir, seen);
  }
  const includes = value.includeConfigs;
  if (includes === undefined || includes === null) return processed;
  const names = Array.isArray(includes) ? includes : [includes];
  const including = seen[seen.length - 1] ?? baseDir;
  let merged: ConfigMap = {};
  for (const name of names) {
    if (typeof name !== 'string') throw new ConfigRuntimeError(`includeConfigs entries must be file names, got ${JSON.stringify(name)} in ${including}`);
    const included = readConfigFile(findInclude(name, baseDir, including), seen);
    if (!isConfigMap(included)) throw new ConfigRuntimeError(`Included config ${name} is not a mapping (from ${including})`);
    merged = deepUpdate(merged, included);
  }
  return deepUpdate(merged, processed);
}

/** Reads a config file with all includes resolved. */
export function loadConfigFile(path: string): ConfigValue {
  return readConfigFile(resolve(path), []);
}
