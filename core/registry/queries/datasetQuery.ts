// queryDatasets: datasets of one type in an ordered list of collections, filtered by a data ID
// and a `where` expression, optionally find-first (first collection in search order wins per
// data ID), ordered and paged. One SQL statement; RUN/TAGGED rows come from the tag table and
// CALIBRATION rows from the calibs table (with a validity-range overlap when a timespan is given).
import { DataCoordinate, type DimensionUniverse, type TimespanNs } from '../../dimensions/index.js';
import { DatasetRef, hexToUuid } from '../../datasets/index.js';
import type { CollectionManager, CollectionRecord } from '../collections.js';
import type { DatasetTypeRecord } from '../datasetTypes.js';
import type { Database, SqlValue } from '../db/database.js';
import { CalibrationLookupError, InvalidQueryError } from '../errors.js';
import { hasWildcard } from '../glob.js';
import { q } from '../schema/tableSpec.js';
import { toStoredBounds } from '../timespans.js';
import { QueryBuilder } from './builder.js';
import { storedRef } from './storedRef.js';
import { buildDataIdConstraint, buildOrderBy, buildWhere } from './where.js';

export interface DatasetQueryOptions {
  /** Collection names/globs, searched in order (chains are flattened). */
  collections: string | string[];
  where?: string;
  bind?: Record<string, unknown>;
  /** Equality constraints on dimensions (or element.field). */
  dataId?: Record<string, unknown>;
  findFirst?: boolean;
  orderBy?: string | string[];
  limit?: number;
  offset?: number;
  /** Only calibrations valid during this range (needed for find-first through CALIBRATION collections). */
  timespan?: TimespanNs;
  /** Also return implied dimension values (band, physical_filter, ...) in each data ID, via joins. */
  fullDataIds?: boolean;
}

export interface DatasetQueryContext {
  db: Database;
  universe: DimensionUniverse;
  collections: CollectionManager;
  /** 2 for TAI-ns ingest_date, 1 for daf_butler's older TIMESTAMP text. */
  datasetsMajor: number;
}

interface PlannedQuery {
  sql: string;
  params: SqlValue[];
  /** Set for the one-RUN plain listing, whose rows hold only the ID and the varying dimensions. */
  lean?: LeanLayout;
}

/**
 * The commonest query (every dataset of a type in one RUN, no ordering asked for) selects only
 * what varies per row: the run is the collection and a governor with a single summary value
 * (the instrument) is the same on every row (the tag table's foreign key to the summary says
 * so). Fewer columns, less to decode: 2,000 rows list 30% faster.
 */
interface LeanLayout {
  run: string;
  /** Per required dimension: its column in the row, or its constant value. */
  dims: ({ column: number } | { value: SqlValue })[];
  /** The same query, one row per dataset (the aggregate's fallback). */
  rowSql: string;
}

/** Collections to search, in order, restricted to those whose summary says they may hold this type. */
function searchPath(ctx: DatasetQueryContext, rec: DatasetTypeRecord, options: DatasetQueryOptions): CollectionRecord[] {
  const expr = Array.isArray(options.collections) ? options.collections : [options.collections];
  if (expr.length === 0) throw new InvalidQueryError('No collections to search; give --collections');
  if (options.findFirst && expr.some((c) => c === '...' || hasWildcard(c))) {
    throw new InvalidQueryError(`A find-first search needs an ordered list of collections, not patterns (${expr.filter((c) => c === '...' || hasWildcard(c)).join(', ')})`);
  }
  const names = ctx.collections.flatten(ctx.collections.resolveExpression(expr));
  // One RUN needs no summary: if it holds no dataset of this type its tag rows say so just as
  // well (a RUN is never a CALIBRATION collection, so nothing else depends on the filter). This
  // saves a statement on the commonest query (a connection's first costs ~0.15 ms).
  if (names.length === 1) {
    const only = ctx.collections.get(names[0]);
    if (only.type === 'RUN') return [only];
  }
  const holding = new Set(ctx.db.prepare('SELECT collection_id FROM collection_summary_dataset_type WHERE dataset_type_id = ?').all<{ collection_id: number }>(rec.id).map((r) => r.collection_id));
  return names.map((n) => ctx.collections.get(n)).filter((c) => holding.has(c.id));
}

/**
 * Governor values (e.g. instrument) that are the only one recorded in the searched collections'
 * summaries. The tag and calib tables have a foreign key to those summaries, so every row carries
 * that value and stating it changes no result; it lets SQLite use indexes that start with the
 * governor (exposure's (instrument, obs_id), the tag table's (instrument, exposure)) for ORDER BY.
 */
function singleGovernorValues(ctx: DatasetQueryContext, governors: readonly string[], path: CollectionRecord[]): [string, SqlValue][] {
  const out: [string, SqlValue][] = [];
  if (path.length === 0) return out;
  for (const gov of governors) {
    const table = `collection_summary_${gov}`;
    let rows: { v: SqlValue }[];
    try {
      rows = ctx.db.prepare(`SELECT DISTINCT ${q(gov)} AS v FROM ${q(table)} WHERE collection_id IN (${path.map(() => '?').join(', ')}) LIMIT 2`).all<{ v: SqlValue }>(...path.map((c) => c.id));
    } catch (err) {
      if (ctx.db.tableExists(table)) throw err;
      continue;
    }
    if (rows.length === 1) out.push([gov, rows[0].v]);
  }
  return out;
}

function plan(ctx: DatasetQueryContext, rec: DatasetTypeRecord, options: DatasetQueryOptions, count: boolean): PlannedQuery | null {
  const path = searchPath(ctx, rec, options);
  const tagColls = path.filter((c) => c.type !== 'CALIBRATION');
  const calibColls = rec.calibTable ? path.filter((c) => c.type === 'CALIBRATION') : [];
  if (calibColls.length > 0 && options.findFirst && !options.timespan) {
    throw new CalibrationLookupError(`A find-first search through CALIBRATION collection${calibColls.length > 1 ? 's' : ''} ${calibColls.map((c) => `'${c.name}'`).join(', ')} needs a timespan`);
  }
  if (tagColls.length === 0 && calibColls.length === 0) return null;

  const dt = rec.datasetType;
  const dims = dt.dimensions.required;
  // Only for explicit orderings: for plain filters the extra equality can steer SQLite towards a
  // wider index range (measured: band + day_obs + detector range 12 -> 21 ms CPU at 1M).
  const governorValues = !count && options.orderBy !== undefined ? singleGovernorValues(ctx, dt.dimensions.governors, path) : [];
  const providers = Object.fromEntries(dims.map((d) => [d, `t.${q(d)}`]));
  const hasCalib = calibColls.length > 0;
  const onlyRuns = !hasCalib && tagColls.every((c) => c.type === 'RUN');
  const builder = new QueryBuilder(ctx.universe, 't', providers, {
    datasetTypeName: dt.name,
    datasetId: 't.dataset_id',
    ingestDate: 'd.ingest_date',
    ingestDateEncoding: ctx.datasetsMajor >= 2 ? 'tai_ns' : 'utc_text',
    // In RUN collections the tag row's collection is the run (no join to dataset needed).
    run: () => `(SELECT rc.name FROM collection AS rc WHERE rc.collection_id = ${onlyRuns ? 't.collection_id' : 'd.run_id'})`,
    collection: () => '(SELECT cc.name FROM collection AS cc WHERE cc.collection_id = t.collection_id)',
    timespan: hasCalib && tagColls.length === 0 ? { begin: 't.timespan_begin', end: 't.timespan_end' } : null,
  });
  const conditions: string[] = [];
  const condParams: unknown[] = [];
  for (const clause of [buildDataIdConstraint(builder, ctx.universe, options.dataId), buildWhere(builder, options.where, options.bind)]) {
    if (clause) {
      conditions.push(`(${clause.sql})`);
      condParams.push(...clause.params);
    }
  }
  const orderTerms = count ? [] : buildOrderBy(builder, options.orderBy);
  const impliedCols = !count && options.fullDataIds ? dt.dimensions.implied.map((d) => builder.dimensionValue(d)) : [];
  // The builder's joins hang off alias t, so the same text serves both the tag and calib branches.
  const joins = builder.fromClause().slice(1);
  const dimCols = dims.map((d) => `t.${q(d)}`);
  const rankCase = (colls: CollectionRecord[]) => (colls.length > 1 ? `CASE t.collection_id ${colls.map(() => 'WHEN ? THEN ?').join(' ')} END` : '?');
  const rankParams = (colls: CollectionRecord[]) => (colls.length > 1 ? colls.flatMap((c) => [c.id, path.indexOf(c)]) : [path.indexOf(colls[0])]);
  // The dataset table is joined only when something reads it: a condition or order term on run or
  // ingest_date (the generated SQL names them exactly d.run_id / d.ingest_date), or the run of rows
  // from TAGGED/CALIBRATION collections. A RUN collection's tag rows have collection_id = run_id
  // (daf_butler stores RUN membership that way), so their run comes from t without the join: one
  // primary-key probe of a 32-character text index per row saved.
  const readsDataset = [...conditions, ...orderTerms].some((c) => /\bd\.(run_id|ingest_date)\b/.test(c));
  if (!count && path.length === 1 && calibColls.length === 0 && path[0].type === 'RUN' && orderTerms.length === 0 && impliedCols.length === 0 && !readsDataset) {
    return leanPlan(ctx, rec, path[0], builder.fromClause().slice(1), conditions, condParams as SqlValue[], options);
  }
  const select = (table: string, colls: CollectionRecord[], calib: boolean): PlannedQuery => {
    const runFromTag = !calib && colls.every((c) => c.type === 'RUN');
    const runId = count ? 'NULL' : runFromTag ? 't.collection_id' : 'd.run_id';
    const needsDatasetTable = readsDataset || runId === 'd.run_id';
    // For RUN collections d.run_id = t.collection_id always holds; saying so lets SQLite drive the
    // join from dataset's run_id index in dataset order (sequential probes of t's primary key)
    // when sorting by ingest_date, instead of a random dataset-ID probe per tag row.
    const params: SqlValue[] = [...(rankParams(colls) as SqlValue[])];
    let where = `t.dataset_type_id = ? AND t.collection_id ${colls.length === 1 ? '= ?' : `IN (${colls.map(() => '?').join(', ')})`}`;
    params.push(rec.id, ...colls.map((c) => c.id));
    for (const [gov, value] of governorValues) {
      where += ` AND t.${q(gov)} = ?`;
      params.push(value);
    }
    if (calib && options.timespan) {
      const [b, e] = toStoredBounds(options.timespan);
      where += ' AND t.timespan_begin < ? AND ? < t.timespan_end';
      params.push(e, b);
    }
    if (conditions.length > 0) {
      where += ` AND ${conditions.join(' AND ')}`;
      params.push(...(condParams as SqlValue[]));
    }
    const cols = ['t.dataset_id AS dataset_id', `${runId} AS run_id`, `${rankCase(colls)} AS rnk`, ...dimCols.map((c, i) => `${c} AS ${q(`dim${i}`)}`), ...impliedCols.map((c, i) => `${c} AS ${q(`imp${i}`)}`), ...orderTerms.map((o, i) => `${o.replace(/ DESC$/, '')} AS ${q(`ord${i}`)}`)];
    return {
      sql: `SELECT ${cols.join(', ')} FROM ${q(table)} AS t${needsDatasetTable ? ` JOIN dataset AS d ON d.id = t.dataset_id${runFromTag ? ' AND d.run_id = t.collection_id' : ''}` : ''}${joins} WHERE ${where}`,
      params,
    };
  };
  const branches: PlannedQuery[] = [];
  if (tagColls.length > 0) branches.push(select(rec.tagTable, tagColls, false));
  if (calibColls.length > 0) branches.push(select(rec.calibTable!, calibColls, true));
  let sql = branches.map((b) => b.sql).join(' UNION ALL ');
  const params = branches.flatMap((b) => b.params);
  const dimAliases = dims.map((_, i) => q(`dim${i}`));
  if (options.findFirst && (path.length > 1 || calibColls.length > 0)) {
    const partition = dimAliases.length > 0 ? `PARTITION BY ${dimAliases.join(', ')} ` : '';
    sql = `SELECT * FROM (SELECT u.*, ROW_NUMBER() OVER (${partition}ORDER BY u.rnk) AS rn FROM (${sql}) AS u) WHERE rn = 1`;
  } else if (branches.length > 1) {
    sql = `SELECT * FROM (${sql})`;
  }
  if (count) return { sql: `SELECT COUNT(*) AS n FROM (${sql})`, params };
  const order = orderTerms.length > 0 ? orderTerms.map((o, i) => `${q(`ord${i}`)}${o.endsWith(' DESC') ? ' DESC' : ''}`) : [...dimAliases, 'rnk'];
  if (order.length > 0) sql += ` ORDER BY ${order.join(', ')}`;
  appendLimit(options, (clause, values) => {
    sql += clause;
    params.push(...values);
  });
  return { sql, params };
}

function leanPlan(ctx: DatasetQueryContext, rec: DatasetTypeRecord, run: CollectionRecord, joins: string, conditions: string[], condParams: SqlValue[], options: DatasetQueryOptions): PlannedQuery {
  const dims = rec.datasetType.dimensions.required;
  const constants = new Map(singleGovernorValues(ctx, rec.datasetType.dimensions.governors, [run]));
  const cols = ['t.dataset_id AS i'];
  const layout: LeanLayout = { run: run.name, dims: [], rowSql: '' };
  for (const d of dims) {
    if (constants.has(d)) layout.dims.push({ value: constants.get(d) as SqlValue });
    else {
      layout.dims.push({ column: cols.length });
      cols.push(`t.${q(d)} AS ${q(`c${cols.length}`)}`);
    }
  }
  let sql = `SELECT ${cols.join(', ')} FROM ${q(rec.tagTable)} AS t${joins} WHERE t.dataset_type_id = ? AND t.collection_id = ?`;
  const params: SqlValue[] = [rec.id, run.id];
  if (conditions.length > 0) {
    sql += ` AND ${conditions.join(' AND ')}`;
    params.push(...condParams);
  }
  // Same order as the general plan (required dimensions); a constant column orders nothing.
  if (dims.length > 0) sql += ` ORDER BY ${dims.map((d) => `t.${q(d)}`).join(', ')}`;
  appendLimit(options, (clause, values) => {
    sql += clause;
    params.push(...values);
  });
  layout.rowSql = sql;
  // One row for the whole result: better-sqlite3 spends ~0.25 us building each row array, more
  // than SQLite spends finding it, so the IDs come back as one string of 32-digit blocks (as a
  // blob: unhex() is NULL if any digit is not hexadecimal, and max(length) = 32 with the total
  // length proves every ID is 32 digits) and each dimension column as one JSON array. The
  // aggregates read the subquery's rows in its ORDER BY order (an index scan), all in step.
  const perColumn = cols.slice(1).map((_, k) => `json_group_array(${q(`c${k + 1}`)})`);
  const aggregate = `SELECT count(*), unhex(group_concat(i, '')), max(length(i))${perColumn.map((c) => `, ${c}`).join('')} FROM (${sql})`;
  return { sql: aggregate, params, lean: layout };
}

function appendLimit(options: DatasetQueryOptions, append: (clause: string, values: SqlValue[]) => void): void {
  if (options.limit === undefined && options.offset === undefined) return;
  const limit = options.limit ?? -1;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || !Number.isInteger(offset) || offset < 0) throw new InvalidQueryError(`limit and offset must be integers (offset ≥ 0), got limit=${limit}, offset=${offset}`);
  append(' LIMIT ? OFFSET ?', [limit < 0 ? -1 : limit, offset]);
}

/** A stored 32-digit ID in the hyphenated form (DatasetRef checks and normalises anything else). */
function hyphenateStored(hex: string): string {
  return hex.length === 32 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : hexToUuid(hex);
}

/** Two lowercase hex digits (ASCII) per byte value. */
const HEX_DIGITS = (() => {
  const digits = new Uint8Array(512);
  for (let b = 0; b < 256; b++) {
    const h = b.toString(16).padStart(2, '0');
    digits[2 * b] = h.charCodeAt(0);
    digits[2 * b + 1] = h.charCodeAt(1);
  }
  return digits;
})();

/**
 * Canonical hyphenated IDs of N consecutive 16-byte IDs: written as one Latin-1 text, each ID a
 * 36-character slice of it (one string object per ID, not nine pieces joined: less for the
 * garbage collector, which otherwise struck in the middle of listings after many puts).
 */
function hyphenatedIds(bytes: Uint8Array, n: number): string[] {
  const text = Buffer.allocUnsafe(n * 36);
  let o = 0;
  for (let s = 0; s < n * 16; s++) {
    const k = s & 15;
    if (k === 4 || k === 6 || k === 8 || k === 10) text[o++] = 0x2d;
    const b = bytes[s] << 1;
    text[o++] = HEX_DIGITS[b];
    text[o++] = HEX_DIGITS[b + 1];
  }
  const all = text.toString('latin1', 0, o);
  const ids: string[] = new Array(n);
  for (let i = 0; i < n; i++) ids[i] = all.slice(36 * i, 36 * i + 36);
  return ids;
}

function decodeLean(ctx: DatasetQueryContext, rec: DatasetTypeRecord, params: SqlValue[], aggregate: unknown[], layout: LeanLayout): DatasetRef[] {
  const n = aggregate[0] as number;
  if (n === 0) return [];
  const blob = aggregate[1];
  const maxLength = aggregate[2];
  // Anything but N IDs of 32 hex digits (a foreign or damaged registry) takes the per-row path,
  // where DatasetRef normalises or rejects each ID and names it.
  if (!(blob instanceof Uint8Array) || blob.length !== 16 * n || maxLength !== 32) return decodeLeanRows(rec, ctx.db.prepare(layout.rowSql).rows(...params), layout);
  const ids = hyphenatedIds(blob, n);
  const dt = rec.datasetType;
  const dims = dt.dimensions.required;
  const columns: unknown[][] = layout.dims.map((source) => ('column' in source ? (JSON.parse(aggregate[2 + source.column] as string) as unknown[]) : []));
  const constants = layout.dims.map((source) => ('value' in source ? source.value : null));
  const out: DatasetRef[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const values: Record<string, string | number> = {};
    for (let k = 0; k < dims.length; k++) values[dims[k]] = (constants[k] ?? columns[k][i]) as string | number;
    out[i] = storedRef(dt, new DataCoordinate(dt.dimensions, values), layout.run, ids[i]);
  }
  return out;
}

function decodeLeanRows(rec: DatasetTypeRecord, rows: unknown[][], layout: LeanLayout): DatasetRef[] {
  const dt = rec.datasetType;
  const dims = dt.dimensions.required;
  const columns = layout.dims.map((source) => ('column' in source ? source.column : -1));
  const constants = layout.dims.map((source) => ('value' in source ? source.value : null));
  const out: DatasetRef[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const values: Record<string, string | number> = {};
    for (let k = 0; k < dims.length; k++) values[dims[k]] = (columns[k] >= 0 ? row[columns[k]] : constants[k]) as string | number;
    out[i] = new DatasetRef(dt, new DataCoordinate(dt.dimensions, values), layout.run, hyphenateStored(row[0] as string));
  }
  return out;
}

/** SQLite's "string or blob too big" (SQLITE_TOOBIG) or V8's "Invalid string length". */
function isTooBig(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : '';
  return code === 'SQLITE_TOOBIG' || /too big|Invalid string length/i.test(message);
}

export function queryDatasets(ctx: DatasetQueryContext, rec: DatasetTypeRecord, options: DatasetQueryOptions): DatasetRef[] {
  const planned = plan(ctx, rec, options, false);
  if (!planned) return [];
  if (planned.lean) {
    const layout = planned.lean;
    let aggregate: unknown[];
    try {
      aggregate = ctx.db.prepare(planned.sql).rows(...planned.params)[0];
    } catch (err) {
      // The one-row aggregate grows with the RUN: past SQLite's string limit (~31 M IDs in one
      // group_concat) or V8's, the rows come one by one instead.
      if (!isTooBig(err)) throw err;
      return decodeLeanRows(rec, ctx.db.prepare(layout.rowSql).rows(...planned.params), layout);
    }
    return decodeLean(ctx, rec, planned.params, aggregate, layout);
  }
  const dt = rec.datasetType;
  const dims = dt.dimensions.required;
  const implied = options.fullDataIds ? dt.dimensions.implied : [];
  const rows = ctx.db.prepare(planned.sql).rows(...planned.params);
  const out: DatasetRef[] = new Array(rows.length);
  const runNames = new Map<number, string>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const values: Record<string, string | number> = {};
    for (let k = 0; k < dims.length; k++) values[dims[k]] = row[3 + k] as string | number;
    for (let k = 0; k < implied.length; k++) values[implied[k]] = row[3 + dims.length + k] as string | number;
    const runId = row[1] as number;
    let run = runNames.get(runId);
    if (run === undefined) {
      run = ctx.collections.getById(runId).name;
      runNames.set(runId, run);
    }
    out[i] = new DatasetRef(dt, new DataCoordinate(dt.dimensions, values), run, hyphenateStored(row[0] as string));
  }
  return out;
}

export function countDatasets(ctx: DatasetQueryContext, rec: DatasetTypeRecord, options: DatasetQueryOptions): number {
  const planned = plan(ctx, rec, options, true);
  if (!planned) return 0;
  return ctx.db.prepare(planned.sql).get<{ n: number }>(...planned.params)!.n;
}

/**
 * The SQL a query would run (for --explain and debugging). For the one-RUN listing this is the
 * per-row query; it runs wrapped in a one-row aggregate (leanPlan) that changes how the rows
 * reach JavaScript, not which rows or how SQLite finds them.
 */
export function explainDatasetQuery(ctx: DatasetQueryContext, rec: DatasetTypeRecord, options: DatasetQueryOptions): { sql: string; params: SqlValue[] } | null {
  const planned = plan(ctx, rec, options, false);
  return planned && { sql: planned.lean?.rowSql ?? planned.sql, params: planned.params };
}
