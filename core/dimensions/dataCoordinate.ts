// DataCoordinate: a data ID standardised against a dimension group, with clear errors for
// unknown keys or wrongly typed values; optionally carrying implied values and records.
import { DataIdValueError, DimensionNameError, InconsistentDataIdError } from './errors.js';
import type { DimensionGroup } from './group.js';
import type { DataIdValue, DimensionRecord } from './records.js';
import type { DimensionUniverse } from './universe.js';

export type DataIdInput = Record<string, unknown>;

export class DataCoordinate {
  readonly dimensions: DimensionGroup;
  /** Values keyed by dimension name: always the required ones, plus the implied ones when hasFull. */
  readonly values: Readonly<Record<string, DataIdValue>>;
  /** Records keyed by element name, when expanded (null where the element has no record). */
  readonly records: Readonly<Record<string, DimensionRecord | null>> | null;

  constructor(dimensions: DimensionGroup, values: Record<string, DataIdValue>, records: Record<string, DimensionRecord | null> | null = null) {
    this.dimensions = dimensions;
    this.values = values;
    this.records = records;
  }

  static makeEmpty(universe: DimensionUniverse): DataCoordinate {
    return new DataCoordinate(universe.empty, {});
  }

  /**
   * Standardises a mapping into a data ID for `dimensions` (or for the dimensions its keys name).
   * Unknown keys raise DimensionNameError; missing required keys or badly typed values raise DataIdValueError.
   * Keys outside the target group that are still dimensions are ignored only when `dimensions` is given
   * and `allowExtra` is set (e.g. a full data ID passed for a smaller dataset type).
   */
  static standardize(
    universe: DimensionUniverse,
    input: DataIdInput | DataCoordinate,
    options: { dimensions?: DimensionGroup | Iterable<string>; allowExtra?: boolean } = {},
  ): DataCoordinate {
    const raw: Record<string, unknown> = input instanceof DataCoordinate ? { ...input.values } : { ...input };
    for (const key of Object.keys(raw)) {
      if (!universe.has(key) || !universe.getElement(key).isDimension) {
        throw new DimensionNameError(`Unrecognized data ID key '${key}'; known dimensions are ${universe.dimensions.filter((d) => d.kind !== 'skypix').map((d) => d.name).join(', ')}`);
      }
    }
    const group = options.dimensions === undefined
      ? universe.group(Object.keys(raw))
      : isGroup(options.dimensions) ? options.dimensions : universe.group(options.dimensions);
    const values: Record<string, DataIdValue> = {};
    for (const key of Object.keys(raw)) {
      if (!group.has(key)) {
        if (options.allowExtra) continue;
        throw new DimensionNameError(`Data ID key '${key}' is not one of the dimensions ${group.toString()}`);
      }
    }
    const missing = group.required.filter((d) => raw[d] === undefined || raw[d] === null);
    if (missing.length > 0) {
      throw new DataIdValueError(`Data ID ${formatDataId(raw)} is missing required dimension${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for ${group.toString()}`);
    }
    // Implied values given by the caller are kept (even if only some are), so that expansion
    // can check them against the registry instead of silently dropping them.
    for (const d of group.dataCoordinateKeys) {
      const v = raw[d];
      if (v !== undefined && v !== null) values[d] = coerceValue(universe, d, v);
    }
    return new DataCoordinate(group, values);
  }

  get universe(): DimensionUniverse {
    return this.dimensions.universe;
  }

  /** True when the implied dimension values are present too. */
  hasFull(): boolean {
    return this.dimensions.implied.every((d) => d in this.values);
  }

  hasRecords(): boolean {
    return this.records !== null;
  }

  get(name: string): DataIdValue | undefined {
    return this.values[name];
  }

  /** Required values in the group's required order (the key used for uniqueness and UUID5 ids). */
  requiredValues(): DataIdValue[] {
    return this.dimensions.required.map((d) => this.values[d]);
  }

  /** The required key=value mapping only. */
  get required(): Record<string, DataIdValue> {
    return Object.fromEntries(this.dimensions.required.map((d) => [d, this.values[d]]));
  }

  /** A subset data ID for a smaller group (values must be present). */
  subset(dimensions: DimensionGroup): DataCoordinate {
    if (!dimensions.issubset(this.dimensions)) {
      throw new DimensionNameError(`${dimensions.toString()} is not a subset of ${this.dimensions.toString()}`);
    }
    const values: Record<string, DataIdValue> = {};
    for (const d of dimensions.dataCoordinateKeys) {
      if (d in this.values) values[d] = this.values[d];
      else if (dimensions.required.includes(d)) {
        throw new DataIdValueError(`Data ID ${this.toString()} has no value for '${d}' (expand it first)`);
      }
    }
    const records = this.records ? Object.fromEntries(dimensions.elements.filter((e) => e in this.records!).map((e) => [e, this.records![e]])) : null;
    return new DataCoordinate(dimensions, values, records);
  }

  /** Returns a copy with implied values and records attached. */
  expanded(values: Record<string, DataIdValue>, records: Record<string, DimensionRecord | null>): DataCoordinate {
    for (const [k, v] of Object.entries(this.values)) {
      if (values[k] !== undefined && values[k] !== v) {
        throw new InconsistentDataIdError(`Data ID value ${k}=${JSON.stringify(v)} contradicts the registry's ${k}=${JSON.stringify(values[k])}`);
      }
    }
    return new DataCoordinate(this.dimensions, { ...this.values, ...values }, records);
  }

  /** A stable string key for maps: required values only. */
  key(): string {
    return this.dimensions.required.map((d) => String(this.values[d])).join('\u0000');
  }

  equals(other: DataCoordinate): boolean {
    return this.dimensions.equals(other.dimensions) && this.dimensions.required.every((d) => this.values[d] === other.values[d]);
  }

  toJSON(): Record<string, DataIdValue> {
    const out: Record<string, DataIdValue> = {};
    for (const d of this.dimensions.dataCoordinateKeys) if (d in this.values) out[d] = this.values[d];
    return out;
  }

  /** daf_butler's look: `{instrument: 'LSSTCam', detector: 94, exposure: 2025041500054}`. */
  toString(): string {
    return formatDataId(this.toJSON());
  }
}

function isGroup(v: DimensionGroup | Iterable<string>): v is DimensionGroup {
  return typeof (v as DimensionGroup).dataCoordinateKeys !== 'undefined';
}

/** Coerces a raw value to the dimension's primary-key type (int or string), with a clear error. */
export function coerceValue(universe: DimensionUniverse, dimension: string, v: unknown): DataIdValue {
  const key = universe.getDimension(dimension).primaryKey;
  const type = key?.type ?? 'int';
  if (type === 'int') {
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) && Number.isSafeInteger(Number(v))) return Number(v);
    throw new DataIdValueError(`Data ID value ${JSON.stringify(typeof v === 'bigint' ? String(v) : v)} for dimension '${dimension}' is not an integer`);
  }
  if (typeof v === 'string') {
    if (v.length === 0) throw new DataIdValueError(`Data ID value for dimension '${dimension}' is an empty string`);
    if (key?.length !== undefined && v.length > key.length) {
      throw new DataIdValueError(`Data ID value '${v}' for dimension '${dimension}' is longer than ${key.length} characters`);
    }
    return v;
  }
  throw new DataIdValueError(`Data ID value ${JSON.stringify(v)} for dimension '${dimension}' must be a string`);
}

export function formatDataId(values: Record<string, unknown>): string {
  return '{' + Object.entries(values).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : String(v)}`).join(', ') + '}';
}
