// Adapts the registry's QueryBuilder to the `where` compiler (core/registry/queries/expression):
// identifiers become joined columns, values become parameters, and dataset-ID and bind values
// are checked before they reach SQL.
import type { DimensionUniverse } from '../../dimensions/index.js';
import { coerceValue } from '../../dimensions/index.js';
import { compileWhere, parseWhere, type ResolvedColumn, type SqlFragment } from './expression/index.js';
import type { QueryBuilder } from './builder.js';
import { InvalidQueryError } from '../errors.js';
import { q } from '../schema/tableSpec.js';

export interface WhereClause {
  sql: string;
  params: unknown[];
}

/** Compiles `where` (with `bind`) against the builder, joining whatever its identifiers need. */
export function buildWhere(builder: QueryBuilder, where: string | undefined, bind: Record<string, unknown> | undefined): WhereClause | null {
  if (where === undefined || where.trim() === '') return null;
  const tree = parseWhere(where);
  const compiled = compileWhere(tree, {
    bind,
    expression: where,
    resolve: (parts) => toResolved(builder, parts),
  });
  return { sql: compiled.sql, params: [...compiled.params] };
}

function toResolved(builder: QueryBuilder, parts: readonly string[]): ResolvedColumn {
  const col = builder.resolve(parts);
  switch (col.type) {
    case 'timespan':
      return { type: 'timespan', beginSql: col.begin!, endSql: col.end! };
    case 'region': {
      const element = parts[0];
      return { type: 'region', sql: col.sql, overlapPrefilter: (envelope) => skypixPrefilter(builder, element, envelope) };
    }
    case 'datetime':
      return { type: 'datetime', sql: col.sql, datetimeEncoding: col.datetimeEncoding ?? 'tai_ns' };
    default:
      return { type: col.type, sql: col.sql };
  }
}

/** Candidate rows from the element's common-skypix overlap table (htm7) for a literal region's envelope. */
function skypixPrefilter(builder: QueryBuilder, element: string, envelope: Array<[number, number]>): SqlFragment | null {
  const u = builder.universe;
  if (!u.has(element) || envelope.length === 0) return null;
  const el = u.getElement(element);
  const common = u.getDimension(u.commonSkyPix).skypix!;
  const links = el.required.map((d) => `o.${q(d)} = ${builder.dimensionValue(d)}`);
  const ranges = envelope.map(() => '(o.skypix_index >= ? AND o.skypix_index < ?)').join(' OR ');
  const params: unknown[] = [common.system, common.level];
  for (const [b, e] of envelope) params.push(b, e);
  return {
    sql: `EXISTS (SELECT 1 FROM ${q(`${element}_skypix_overlap`)} AS o WHERE o.skypix_system = ? AND o.skypix_level = ? AND ${links.join(' AND ')} AND (${ranges}))`,
    params,
  };
}

/** Equality constraints from a data ID mapping (daf_butler's dataId=/kwargs), checked and coerced. */
export function buildDataIdConstraint(builder: QueryBuilder, universe: DimensionUniverse, dataId: Record<string, unknown> | undefined): WhereClause | null {
  if (!dataId) return null;
  const conds: string[] = [];
  const params: unknown[] = [];
  for (const [k, v] of Object.entries(dataId)) {
    if (v === undefined) continue;
    if (k.includes('.')) {
      const col = builder.resolve(k.split('.'));
      conds.push(`${col.sql} = ?`);
      params.push(v);
      continue;
    }
    if (!universe.has(k) || !universe.getElement(k).isDimension) throw new InvalidQueryError(`Unrecognized data ID key '${k}'`);
    conds.push(`${builder.dimensionValue(k)} = ?`);
    params.push(coerceValue(universe, k, v));
  }
  return conds.length > 0 ? { sql: conds.join(' AND '), params } : null;
}

/** ORDER BY terms: `visit`, `-exposure.day_obs`, `visit.timespan.begin`, `ingest_date`. */
export function buildOrderBy(builder: QueryBuilder, orderBy: string | string[] | undefined): string[] {
  if (orderBy === undefined) return [];
  const terms = (Array.isArray(orderBy) ? orderBy : orderBy.split(',')).map((t) => t.trim()).filter((t) => t.length > 0);
  return terms.map((term) => {
    const desc = term.startsWith('-');
    const name = desc ? term.slice(1) : term;
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$/.test(name)) throw new InvalidQueryError(`Invalid order_by term '${term}'`);
    const col = builder.resolve(name.split('.'));
    if (col.type === 'region') throw new InvalidQueryError(`Cannot order by region '${name}'`);
    const sql = col.type === 'timespan' ? col.begin! : col.sql;
    return `${sql}${desc ? ' DESC' : ''}`;
  });
}
