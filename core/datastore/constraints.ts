// Datastore constraints: `constraints: {accept: [...], reject: [...]}` with lookup keys
// (dataset type names, storage classes, `a+b` dimensions, `instrument<X>` mappings, `all`).
// Explicit accept beats explicit reject beats a wildcard reject; a wildcard or empty
// accept list accepts the rest.
import { isConfigMap, type ConfigValue } from '../config/index.js';
import { LookupKey, lookupNameStrings, type DimensionConformer, type LookupEntity } from '../templates/index.js';

function keysOf(list: ConfigValue | undefined, universe: DimensionConformer | undefined, what: string): LookupKey[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error(`Datastore constraints '${what}' must be a list, got ${JSON.stringify(list)}`);
  const out: LookupKey[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(LookupKey.fromConfigKey(item, universe));
    else if (isConfigMap(item)) {
      for (const [k, v] of Object.entries(item)) {
        const m = /^([a-z_]+)<(.*)>$/.exec(k);
        if (!m || !Array.isArray(v)) throw new Error(`Datastore constraints '${what}': entry ${JSON.stringify(item)} must be {key<value>: [names]}`);
        for (const name of v) out.push(LookupKey.fromConfigKey(String(name), universe, { [m[1]]: m[2] }));
      }
    } else throw new Error(`Datastore constraints '${what}': invalid entry ${JSON.stringify(item)}`);
  }
  return out;
}

export class Constraints {
  private readonly accept: Set<string>;
  private readonly reject: Set<string>;
  private readonly acceptAll: boolean;
  private readonly rejectAll: boolean;
  readonly isEmpty: boolean;

  constructor(config: ConfigValue | undefined, universe?: DimensionConformer) {
    const map = isConfigMap(config) ? config : {};
    const accept = keysOf(map.accept, universe, 'accept').map(String);
    const reject = keysOf(map.reject, universe, 'reject').map(String);
    this.acceptAll = accept.includes('all') || accept.length === 0;
    this.rejectAll = reject.includes('all');
    this.accept = new Set(accept.filter((k) => k !== 'all'));
    this.reject = new Set(reject.filter((k) => k !== 'all'));
    this.isEmpty = accept.length === 0 && reject.length === 0;
  }

  isAcceptable(entity: LookupEntity): boolean {
    if (this.isEmpty) return true;
    const names = lookupNameStrings(entity);
    if (names.some((n) => this.accept.has(n))) return true;
    if (names.some((n) => this.reject.has(n))) return false;
    if (this.rejectAll) return false;
    return this.acceptAll;
  }
}
