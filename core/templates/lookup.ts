// daf_butler's configuration lookup (processLookupConfigs + _lookupNames): config keys
// are dataset type names, storage class names, dimension sets `a+b`, `default`, and
// `instrument<NAME>` sub-mappings; an entity is matched against its lookup names in
// priority order (instrument overrides first), first match wins.
import type { ConfigMap, ConfigValue } from '../config/index.js';
import { isConfigMap } from '../config/index.js';
import { isLookupDatasetType, isLookupRef, nameAndComponent, type LookupEntity } from './entities.js';

/** Expands dimension names with all their required and implied dependencies; undefined if any is unknown. */
export type DimensionConformer = (names: readonly string[]) => string[] | undefined;

export class LookupKey {
  readonly name: string | undefined;
  readonly dimensions: readonly string[] | undefined;
  readonly dataId: Readonly<Record<string, string>> | undefined;

  constructor(opts: { name?: string; dimensions?: readonly string[]; dataId?: Record<string, string> }) {
    this.name = opts.name;
    this.dimensions = opts.dimensions ? [...new Set(opts.dimensions)].sort() : undefined;
    this.dataId = opts.dataId && Object.keys(opts.dataId).length > 0 ? { ...opts.dataId } : undefined;
  }

  /** Parses a config key; `a+b` becomes a dimension key when the universe knows every name. */
  static fromConfigKey(key: string, universe: DimensionConformer | undefined, dataId?: Record<string, string>): LookupKey {
    if (key.includes('+')) {
      const names = key.split('+').filter((n) => n !== '');
      const conformed = universe ? universe(names) : names;
      if (conformed) return new LookupKey({ dimensions: conformed, dataId });
    }
    return new LookupKey({ name: key, dataId });
  }

  /** Same text as daf_butler's str(LookupKey): `name` or `a+b+c`, then ` ({'instrument': 'HSC'})`. */
  toString(): string {
    const base = this.name ?? (this.dimensions ?? []).join('+');
    if (!this.dataId) return base;
    return `${base} ({${Object.entries(this.dataId).map(([k, v]) => `'${k}': '${v}'`).join(', ')}})`;
  }

  equals(other: LookupKey): boolean {
    return this.toString() === other.toString();
  }
}

export interface LookupEntry<T> {
  key: LookupKey;
  value: T;
}

const HIERARCHY_RE = /^([a-z_]+)<(.*)>$/;

/**
 * Turns a lookup config into entries. `isLeaf` says whether a mapping value is a value
 * (e.g. a formatter with parameters) rather than an `instrument<X>` hierarchy.
 */
export function processLookupConfigs<T>(
  config: ConfigMap,
  opts: { universe?: DimensionConformer; isLeaf?: (value: ConfigValue) => boolean; convert: (value: ConfigValue, key: string) => T },
): LookupEntry<T>[] {
  const out: LookupEntry<T>[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (isConfigMap(value) && !(opts.isLeaf?.(value) ?? false)) {
      const m = HIERARCHY_RE.exec(key);
      if (!m) throw new Error(`Hierarchical key '${key}' not in form 'key<value>'`);
      for (const [subKey, subValue] of Object.entries(value)) {
        out.push({ key: LookupKey.fromConfigKey(subKey, opts.universe, { [m[1]]: m[2] }), value: opts.convert(subValue, `${key}.${subKey}`) });
      }
      continue;
    }
    out.push({ key: LookupKey.fromConfigKey(key, opts.universe), value: opts.convert(value, key) });
  }
  return out;
}

/** A key identifying everything lookups depend on (dataset type, storage classes, dimensions, instrument). */
export function lookupCacheKey(entity: LookupEntity): string {
  if (isLookupRef(entity) || isLookupDatasetType(entity)) {
    const dt = isLookupRef(entity) ? entity.datasetType : entity;
    const instrument = isLookupRef(entity) && entity.dataId.instrument !== undefined ? String(entity.dataId.instrument) : '';
    return `d\u0000${dt.name}\u0000${dt.storageClassName ?? ''}\u0000${dt.parentStorageClassName ?? ''}\u0000${dt.dimensions.join('+')}\u0000${instrument}`;
  }
  return `s\u0000${entity.storageClassName}`;
}

// Lookup names depend only on the dataset type and instrument, and are needed on every put/get.
const namesCache = new Map<string, string[]>();

/** The lookup names of an entity, highest priority first (daf_butler's _lookupNames). */
export function lookupNames(entity: LookupEntity): LookupKey[] {
  const base: LookupKey[] = [];
  let instrument: string | undefined;
  if (isLookupRef(entity) || isLookupDatasetType(entity)) {
    const dt = isLookupRef(entity) ? entity.datasetType : entity;
    const [root, component] = nameAndComponent(dt.name);
    base.push(new LookupKey({ name: dt.name }));
    if (component !== undefined) base.push(new LookupKey({ name: root }));
    if (dt.dimensions.length > 0) base.push(new LookupKey({ dimensions: dt.dimensions }));
    if (dt.storageClassName) base.push(new LookupKey({ name: dt.storageClassName }));
    if (component !== undefined && dt.parentStorageClassName) base.push(new LookupKey({ name: dt.parentStorageClassName }));
    if (isLookupRef(entity) && entity.dataId.instrument !== undefined) instrument = String(entity.dataId.instrument);
  } else {
    base.push(new LookupKey({ name: entity.storageClassName }));
  }
  if (instrument === undefined) return base;
  const withInstrument = base.map((k) => new LookupKey({ name: k.name, dimensions: k.dimensions, dataId: { instrument: instrument as string } }));
  return [...withInstrument, ...base];
}

/** lookupNames as strings, cached per dataset type and instrument. */
export function lookupNameStrings(entity: LookupEntity): string[] {
  const key = lookupCacheKey(entity);
  let names = namesCache.get(key);
  if (!names) {
    names = lookupNames(entity).map(String);
    if (namesCache.size > 10_000) namesCache.clear();
    namesCache.set(key, names);
  }
  return names;
}

/** Entries indexed by key text, for repeated matching. */
export class LookupTable<T> {
  private readonly byKey: Map<string, LookupEntry<T>>;

  constructor(readonly entries: readonly LookupEntry<T>[]) {
    this.byKey = new Map(entries.map((e) => [e.key.toString(), e]));
  }

  /** First entry matching the entity's lookup names, in priority order. */
  match(entity: LookupEntity): LookupEntry<T> | undefined {
    for (const name of lookupNameStrings(entity)) {
      const hit = this.byKey.get(name);
      if (hit) return hit;
    }
    return undefined;
  }
}

/** First entry matching the entity's lookup names, in priority order. */
export function findLookupMatch<T>(entries: readonly LookupEntry<T>[], entity: LookupEntity): LookupEntry<T> | undefined {
  return new LookupTable(entries).match(entity);
}
