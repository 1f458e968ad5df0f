// Dimension records in their element tables: validated inserts (one prepared statement per
// element, in one transaction), sync (insert-or-compare), lookups by data ID, and errors that
// say which record or referenced dimension value is wrong.
import type { DimensionElement, DimensionRecord, DimensionUniverse, RecordValue, TimespanNs } from '../dimensions/index.js';
import { DataIdValueError, formatDataId, isTimespanNs } from '../dimensions/index.js';
import type { Database, SqlValue } from './db/database.js';
import { ConflictingDefinitionError } from './errors.js';
import { elementTableSpec, primaryKeyColumns } from './schema/dimensionTables.js';
import { type ColumnSpec, q, type TableSpec } from './schema/tableSpec.js';
import { SkypixOverlapWriter } from './skypixOverlaps.js';
import { fromStoredBounds, toStoredBounds } from './timespans.js';

interface ElementStorage {
  el: DimensionElement;
  spec: TableSpec;
  /** Record field names in table order (timespan appears once). */
  fields: string[];
  columns: ColumnSpec[];
  selectList: string;
}

export class DimensionRecordManager {
  private storage = new Map<string, ElementStorage>();
  private readonly overlaps: SkypixOverlapWriter;

  constructor(private readonly db: Database, private readonly universe: DimensionUniverse) {
    this.overlaps = new SkypixOverlapWriter(db, universe);
  }

  storageFor(element: string): ElementStorage {
    let s = this.storage.get(element);
    if (!s) {
      const el = this.universe.getElement(element);
      if (!el.hasTable) {
        throw new DataIdValueError(`Dimension element '${element}' has no table (${el.viewOf ? `it is a view of ${el.viewOf}` : 'skypix values are computed'}); its records cannot be inserted`);
      }
      const spec = elementTableSpec(this.universe, el);
      const columns = spec.columns;
      const fields = el.recordFieldNames;
      const selectList = columns.map((c) => (c.name.startsWith('timespan_') ? `CAST(${q(c.name)} AS TEXT) AS ${q(c.name)}` : q(c.name))).join(', ');
      s = { el, spec, fields, columns, selectList };
      this.storage.set(element, s);
    }
    return s;
  }

  /** Converts and checks a record into column values in table order. */
  private toRow(s: ElementStorage, record: DimensionRecord): SqlValue[] {
    const el = s.el;
    const input: Record<string, unknown> = { ...record };
    const pk = el.primaryKey?.name;
    if (pk && input[pk] === undefined && input[el.name] !== undefined) input[pk] = input[el.name];
    const allowed = new Set([...s.fields, ...(pk ? [el.name] : [])]);
    for (const k of Object.keys(input)) {
      if (!allowed.has(k)) throw new DataIdValueError(`'${k}' is not a field of ${el.name} records; fields are ${s.fields.join(', ')}`);
    }
    const values: SqlValue[] = [];
    for (const col of s.columns) {
      if (col.name === 'timespan_begin' || col.name === 'timespan_end') {
        if (col.name === 'timespan_end') continue;
        const ts = input.timespan;
        if (ts === undefined || ts === null) {
          values.push(null, null);
        } else if (isTimespanNs(ts)) {
          const [b, e] = toStoredBounds({ begin: toBigInt(ts.begin, el.name, 'timespan.begin'), end: toBigInt(ts.end, el.name, 'timespan.end') });
          if (e < b) throw new DataIdValueError(`${el.name} record ${describe(el, input)}: timespan ends before it begins`);
          values.push(b, e);
        } else {
          throw new DataIdValueError(`${el.name} record ${describe(el, input)}: timespan must be {begin, end} in TAI nanoseconds`);
        }
        continue;
      }
      values.push(checkValue(el, col, input[col.name], input));
    }
    return values;
  }

  /** Inserts records; `update` overwrites existing rows with the same key, `skipExisting` ignores them. */
  insert(element: string, records: DimensionRecord[], options: { update?: boolean; skipExisting?: boolean } = {}): void {
    const s = this.storageFor(element);
    const cols = s.columns.map((c) => q(c.name)).join(', ');
    const marks = s.columns.map(() => '?').join(', ');
    const pk = s.spec.primaryKey.map(q).join(', ');
    const nonKey = s.columns.filter((c) => !s.spec.primaryKey.includes(c.name));
    let conflict = '';
    if (options.update) conflict = nonKey.length > 0 ? ` ON CONFLICT (${pk}) DO UPDATE SET ${nonKey.map((c) => `${q(c.name)} = excluded.${q(c.name)}`).join(', ')}` : ` ON CONFLICT (${pk}) DO NOTHING`;
    else if (options.skipExisting) conflict = ` ON CONFLICT (${pk}) DO NOTHING`;
    const stmt = this.db.prepare(`INSERT INTO ${q(s.el.name)} (${cols}) VALUES (${marks})${conflict}`);
    const regionIndex = s.columns.findIndex((c) => c.name === 'region');
    const keyIndexes = s.spec.primaryKey.map((k) => s.columns.findIndex((c) => c.name === k));
    this.db.transaction(() => {
      for (const record of records) {
        const row = this.toRow(s, record);
        let changes: number;
        try {
          changes = stmt.run(...row).changes;
        } catch (err) {
          throw this.explainInsertFailure(s, record, row, err);
        }
        if (regionIndex >= 0 && changes > 0) this.overlaps.update(s.el, keyIndexes.map((i) => row[i]), row[regionIndex] as string | null);
      }
    });
  }

  /**
   * Inserts a record if absent. Returns true if inserted, false if an identical record exists;
   * a different existing record raises ConflictingDefinitionError listing the differences,
   * unless `update` is set (then it is overwritten and true is returned).
   */
  sync(element: string, record: DimensionRecord, update = false): boolean {
    const s = this.storageFor(element);
    const row = this.toRow(s, record);
    return this.db.transaction(() => {
      const keyValues = s.spec.primaryKey.map((k) => row[s.columns.findIndex((c) => c.name === k)]);
      const existing = this.fetchByKey(element, keyValues);
      if (!existing) {
        this.insert(element, [record]);
        return true;
      }
      const newRecord = this.fromRow(s, Object.fromEntries(s.columns.map((c, i) => [c.name, row[i]])));
      const diffs = s.fields.filter((f) => !sameValue(existing[f], newRecord[f]));
      if (diffs.length === 0) return false;
      if (!update) {
        throw new ConflictingDefinitionError(`${element} record ${describe(s.el, existing)} already exists with different values: ${diffs.map((f) => `${f}: ${show(existing[f])} (registry) vs ${show(newRecord[f])} (given)`).join('; ')}`);
      }
      this.insert(element, [record], { update: true });
      return true;
    });
  }

  private fetchByKey(element: string, keyValues: SqlValue[]): DimensionRecord | null {
    const s = this.storageFor(element);
    const where = s.spec.primaryKey.map((k) => `${q(k)} = ?`).join(' AND ');
    const row = this.db.prepare(`SELECT ${s.selectList} FROM ${q(element)} WHERE ${where}`).get<Record<string, unknown>>(...keyValues);
    return row ? this.fromRow(s, row) : null;
  }

  /** The record for an element given its required dimension values (by dimension name). */
  fetch(element: string, values: Record<string, string | number>): DimensionRecord | null {
    const s = this.storageFor(element);
    return this.fetchByKey(element, s.el.required.map((d) => values[d]));
  }

  /** Every record of an element (for small elements and tests), in primary-key order. */
  fetchAll(element: string): DimensionRecord[] {
    const s = this.storageFor(element);
    return this.db.prepare(`SELECT ${s.selectList} FROM ${q(element)} ORDER BY ${s.spec.primaryKey.map(q).join(', ')}`).all<Record<string, unknown>>().map((r) => this.fromRow(s, r));
  }

  /** Converts a row (timespans selected as text) to a record. */
  fromRow(s: ElementStorage, row: Record<string, unknown>): DimensionRecord {
    const out: DimensionRecord = {};
    for (const c of s.columns) {
      if (c.name === 'timespan_begin') {
        const b = row.timespan_begin;
        const e = row.timespan_end;
        out.timespan = b === null || b === undefined || e === null || e === undefined ? null : fromStoredBounds(BigInt(b as string | bigint), BigInt(e as string | bigint));
        continue;
      }
      if (c.name === 'timespan_end') continue;
      const v = row[c.name];
      out[c.name] = c.type === 'bool' && v !== null && v !== undefined ? Boolean(v) : (v as RecordValue);
    }
    return out;
  }

  /** Builds a clear error for a failed insert (duplicate key, missing referenced dimension value, constraint). */
  private explainInsertFailure(s: ElementStorage, record: DimensionRecord, row: SqlValue[], err: unknown): Error {
    const message = err instanceof Error ? err.message : String(err);
    if (/UNIQUE constraint failed|PRIMARY KEY/i.test(message)) {
      const existing = this.fetchByKey(s.el.name, s.spec.primaryKey.map((k) => row[s.columns.findIndex((c) => c.name === k)]));
      if (existing) return new ConflictingDefinitionError(`${s.el.name} record ${describe(s.el, record)} already exists; use sync (or --update) to change it`, { cause: err });
      return new ConflictingDefinitionError(`${s.el.name} record ${describe(s.el, record)} duplicates a unique value (${s.el.alternateKeys.map((k) => k.name).join(', ')}) of another record`, { cause: err });
    }
    if (/FOREIGN KEY/i.test(message)) {
      for (const fk of s.spec.foreignKeys ?? []) {
        const vals = fk.source.map((c) => row[s.columns.findIndex((col) => col.name === c)]);
        const found = this.db.prepare(`SELECT 1 FROM ${q(fk.table)} WHERE ${fk.target.map((t) => `${q(t)} = ?`).join(' AND ')}`).get(...vals);
        if (!found) {
          return new DataIdValueError(`${s.el.name} record ${describe(s.el, record)} refers to ${fk.table} ${formatDataId(Object.fromEntries(fk.source.map((c, i) => [c, vals[i]])))}, which is not in the registry; insert that ${fk.table} record first`, { cause: err });
        }
      }
    }
    if (/CHECK constraint failed/i.test(message)) {
      return new DataIdValueError(`${s.el.name} record ${describe(s.el, record)} has a value outside its column limits (${message})`, { cause: err });
    }
    return err instanceof Error ? err : new Error(message);
  }
}

function describe(el: DimensionElement, record: Record<string, unknown>): string {
  const keys = primaryKeyColumns(el);
  return formatDataId(Object.fromEntries(keys.map((k) => [k, record[k] ?? (k === el.primaryKey?.name ? record[el.name] : undefined)])));
}

function toBigInt(v: unknown, element: string, field: string): bigint | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  throw new DataIdValueError(`${element} ${field} must be an integer number of TAI nanoseconds, not ${JSON.stringify(v)}`);
}

function checkValue(el: DimensionElement, col: ColumnSpec, v: unknown, record: Record<string, unknown>): SqlValue {
  const where = `${el.name} record ${describe(el, record)}, field '${col.name}'`;
  if (v === undefined || v === null) {
    if (!col.nullable) throw new DataIdValueError(`${where}: a value is required`);
    return null;
  }
  switch (col.type) {
    case 'int':
      if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
      if (typeof v === 'bigint') return v;
      throw new DataIdValueError(`${where}: ${JSON.stringify(typeof v === 'bigint' ? String(v) : v)} is not an integer`);
    case 'float':
      if (typeof v === 'number') return v;
      throw new DataIdValueError(`${where}: ${JSON.stringify(v)} is not a number`);
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 0 || v === 1) return v === 1;
      throw new DataIdValueError(`${where}: ${JSON.stringify(v)} is not a boolean`);
    case 'string':
    case 'text':
    case 'hash':
      if (typeof v !== 'string') throw new DataIdValueError(`${where}: ${JSON.stringify(v)} is not a string`);
      if (col.length !== undefined && col.length <= 32 && (v.length > col.length || v.length === 0)) {
        throw new DataIdValueError(`${where}: '${v}' must be 1-${col.length} characters long`);
      }
      return v;
    default:
      return v as SqlValue;
  }
}

function sameValue(a: RecordValue | undefined, b: RecordValue | undefined): boolean {
  if (isTimespanNs(a) || isTimespanNs(b)) {
    const ta = a as TimespanNs | null;
    const tb = b as TimespanNs | null;
    return (ta?.begin ?? null) === (tb?.begin ?? null) && (ta?.end ?? null) === (tb?.end ?? null);
  }
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  return (a ?? null) === (b ?? null);
}

function show(v: RecordValue | undefined): string {
  if (isTimespanNs(v)) return `[${v.begin ?? '-∞'}, ${v.end ?? '∞'})`;
  return typeof v === 'string' ? `'${v}'` : String(v);
}
