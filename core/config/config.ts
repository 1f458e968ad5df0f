// Hierarchical configuration with daf_butler's Config semantics: nested mappings and
// lists addressed by delimiter-led paths (".a.b", "/a/b") or arrays, deep update/merge,
// names() over every node, YAML/JSON in and out.
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import YAML from 'yaml';
import { cloneValue, deepUpdate, isConfigMap, loadConfigFile, parseYaml, processIncludes, type ConfigMap, type ConfigValue } from './configFile.js';
import { ConfigFileExistsError, ConfigKeyError, ConfigRuntimeError, ConfigTypeError } from './errors.js';
import { joinPath, keyPath, type ConfigKey } from './keyPath.js';

export type { ConfigMap, ConfigValue, ConfigScalar } from './configFile.js';
export type { ConfigKey } from './keyPath.js';

/** The internal delimiter for names(); replaced when a key contains it. */
const NAME_DELIMITERS = ['→', '⇛', '↣', '⇝', '⟶'];

type Container = ConfigMap | ConfigValue[];

function isContainer(value: ConfigValue | undefined): value is Container {
  return Array.isArray(value) || isConfigMap(value);
}

function listIndex(list: ConfigValue[], part: string | number): number | undefined {
  const n = typeof part === 'number' ? part : /^-?\d+$/.test(part) ? Number(part) : NaN;
  if (!Number.isInteger(n)) return undefined;
  const i = n < 0 ? list.length + n : n;
  return i >= 0 && i < list.length ? i : undefined;
}

function child(container: Container, part: string | number): ConfigValue | undefined {
  if (Array.isArray(container)) {
    const i = listIndex(container, part);
    return i === undefined ? undefined : container[i];
  }
  const key = String(part);
  return Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
}

export type ConfigSource = Config | ConfigMap | string | undefined;

export class Config {
  protected data: ConfigMap;
  /** The file this config was read from, if any. */
  configFile: string | undefined;

  constructor(other?: ConfigSource) {
    this.configFile = undefined;
    if (other === undefined) this.data = {};
    else if (other instanceof Config) {
      this.data = cloneValue(other.data);
      this.configFile = other.configFile;
    } else if (typeof other === 'string') {
      const path = resolve(other);
      const loaded = loadConfigFile(path);
      if (!isConfigMap(loaded)) throw new ConfigRuntimeError(`Config file ${path} does not hold a mapping`);
      this.data = loaded;
      this.configFile = path;
    } else {
      this.data = processIncludes(cloneValue(other), process.cwd()) as ConfigMap;
    }
  }

  /** Parses YAML (default) or JSON text. */
  static fromString(text: string, format: 'yaml' | 'json' = 'yaml'): Config {
    const value = format === 'json' ? (JSON.parse(text) as ConfigValue) : parseYaml(text, process.cwd(), '<string>');
    if (value !== null && !isConfigMap(value)) throw new ConfigRuntimeError(`Config text does not hold a mapping`);
    return new Config((value ?? {}) as ConfigMap);
  }

  private path(key: ConfigKey): (string | number)[] {
    return keyPath(key, (k) => Object.prototype.hasOwnProperty.call(this.data, k));
  }

  /** The value at `key` (a copy for containers), or undefined. */
  get(key: ConfigKey): ConfigValue | undefined {
    const parts = this.path(key);
    let node: ConfigValue | undefined = this.data;
    for (const part of parts) {
      if (!isContainer(node)) return undefined;
      node = child(node, part);
      if (node === undefined) return undefined;
    }
    return node === undefined ? undefined : cloneValue(node);
  }

  /** Like get() but throws KeyError naming the key when absent. */
  require(key: ConfigKey): ConfigValue {
    const value = this.get(key);
    if (value === undefined) throw new ConfigKeyError(`'${typeof key === 'string' ? key : key.join('.')}' not found in configuration${this.configFile ? ` ${this.configFile}` : ''}`);
    return value;
  }

  getPath(...keys: (string | number)[]): ConfigValue | undefined {
    return this.get(keys);
  }

  /** Nested mapping at `key` as a Config (a copy), or undefined if absent or not a mapping. */
  getConfig(key: ConfigKey): Config | undefined {
    const value = this.get(key);
    if (!isConfigMap(value)) return undefined;
    const c = new Config();
    c.data = value;
    c.configFile = this.configFile;
    return c;
  }

  getString(key: ConfigKey): string | undefined {
    const value = this.get(key);
    return typeof value === 'string' ? value : undefined;
  }

  /** True if the key exists; for a list, a final part equal to one of its string elements also counts. */
  has(key: ConfigKey): boolean {
    const parts = this.path(key);
    let node: ConfigValue | undefined = this.data;
    for (let i = 0; i < parts.length; i++) {
      if (!isContainer(node)) return false;
      const next = child(node, parts[i]);
      if (next === undefined) {
        return i === parts.length - 1 && Array.isArray(node) && node.some((v) => v === parts[i]);
      }
      node = next;
    }
    return true;
  }

  /** Sets a value, creating intermediate mappings. */
  set(key: ConfigKey, value: ConfigValue | Config): void {
    const parts = this.path(key);
    if (parts.length === 0) throw new ConfigKeyError('Cannot set the root of a config');
    const stored = value instanceof Config ? value.toDict() : cloneValue(value);
    let node: Container = this.data;
    for (const part of parts.slice(0, -1)) {
      let next = child(node, part);
      if (!isContainer(next)) {
        next = {};
        if (Array.isArray(node)) {
          const i = listIndex(node, part);
          if (i === undefined) throw new ConfigKeyError(`List index ${String(part)} out of range in key ${JSON.stringify(key)}`);
          node[i] = next;
        } else node[String(part)] = next;
      }
      node = next;
    }
    const last = parts[parts.length - 1];
    if (Array.isArray(node)) {
      const i = listIndex(node, last);
      if (i === undefined) throw new ConfigKeyError(`List index ${String(last)} out of range in key ${JSON.stringify(key)}`);
      node[i] = stored;
    } else node[String(last)] = stored;
  }

  /** Removes a key; parents left empty are kept (as daf_butler). */
  delete(key: ConfigKey): void {
    const parts = this.path(key);
    let node: ConfigValue | undefined = this.data;
    for (const part of parts.slice(0, -1)) {
      if (!isContainer(node)) throw new ConfigKeyError(`'${String(key)}' not found`);
      node = child(node, part);
    }
    const last = parts[parts.length - 1];
    if (!isContainer(node) || child(node, last) === undefined) throw new ConfigKeyError(`'${String(key)}' not found`);
    if (Array.isArray(node)) node.splice(listIndex(node, last) ?? 0, 1);
    else delete node[String(last)];
  }

  keys(): string[] {
    return Object.keys(this.data);
  }

  /** Deep merge: values from `other` win, nested mappings are merged rather than replaced. */
  update(other: Config | ConfigMap): this {
    const top = other instanceof Config ? other.data : other;
    if (!isConfigMap(top)) throw new ConfigTypeError(`Can only update a Config from a mapping, got ${typeof top}`);
    this.data = deepUpdate(this.data, top);
    return this;
  }

  /** Adds only the keys missing here (recursively); existing values win. */
  merge(other: Config | ConfigMap): this {
    const base = other instanceof Config ? other.data : other;
    if (!isConfigMap(base)) throw new ConfigTypeError(`Can only merge a Mapping into a Config, got ${Array.isArray(base) ? 'array' : typeof base}`);
    this.data = deepUpdate(base, this.data);
    return this;
  }

  toDict(): ConfigMap {
    return cloneValue(this.data);
  }

  /** Every node's path (intermediate ones too) as arrays of keys. */
  nameTuples(topLevelOnly = false): (string | number)[][] {
    const out: (string | number)[][] = [];
    const walk = (node: ConfigValue, prefix: (string | number)[]) => {
      const entries: [string | number, ConfigValue][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : isConfigMap(node) ? Object.entries(node) : [];
      for (const [k, v] of entries) {
        const path = [...prefix, k];
        out.push(path);
        if (!topLevelOnly) walk(v, path);
      }
    };
    walk(this.data, []);
    return out;
  }

  /** Every node's path as a delimited string; the delimiter leads each name. */
  names(delimiter?: string, topLevelOnly = false): string[] {
    const tuples = this.nameTuples(topLevelOnly);
    let d = delimiter;
    if (d === undefined) {
      const allKeys = tuples.flat().map(String);
      d = NAME_DELIMITERS.find((cand) => !allKeys.some((k) => k.includes(cand))) ?? '\u241f';
    }
    return tuples.map((t) => joinPath(t, d));
  }

  /** The value as a list: lists unchanged, scalars wrapped, absent → []. */
  asArray(key: ConfigKey): ConfigValue[] {
    const value = this.get(key);
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
  }

  dump(format: 'yaml' | 'json' = 'yaml'): string {
    return format === 'json' ? JSON.stringify(this.data, null, 2) + '\n' : YAML.stringify(this.data, { lineWidth: 0 });
  }

  /**
   * Writes to a file, atomically. A directory target gets `defaultFileName`.
   * With `updateFile`, the written path becomes this config's configFile.
   */
  dumpToFile(target: string, opts: { overwrite?: boolean; defaultFileName?: string; updateFile?: boolean } = {}): string {
    const { overwrite = true, defaultFileName = 'butler.yaml', updateFile = true } = opts;
    let path = resolve(target);
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, defaultFileName);
    if (!overwrite && existsSync(path)) throw new ConfigFileExistsError(`Config file ${path} already exists and overwrite is false`);
    const format = path.endsWith('.json') ? 'json' : 'yaml';
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, this.dump(format));
    renameSync(tmp, path);
    if (updateFile) this.configFile = path;
    return path;
  }

  toString(): string {
    return this.dump('yaml');
  }
}
