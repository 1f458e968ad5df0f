// queryDataIds and queryDimensionRecords: rows of the dimension tables joined through the
// dimension graph, optionally constrained to data IDs that have datasets in collections.
import { DataCoordinate, type DimensionGroup, type DimensionRecord, type DimensionUniverse } from '../../dimensions/index.js';
import type { CollectionManager } from '../collections.js';
import type { DatasetTypeManager } from '../datasetTypes.js';
import type { Database, SqlValue } from '../db/database.js';
import type { DimensionRecordManager } from '../dimensionRecords.js';
import { InvalidQueryError } from '../errors.js';
import { q } from '../schema/tableSpec.js';
import { QueryBuilder } from './builder.js';
import { buildDataIdConstraint, buildOrderBy, buildWhere } from './where.js';

export interface DimensionQueryOptions {
  where?: string;
  bind?: Record<string, unknown>;
  dataId?: Record<string, unknown>;
  /** Only data IDs for which datasets of these types exist in `collections`. */
  datasets?: string | string[];
  collections?: string | string[];
  orderBy?: string | string[];
  limit?: number;
  offset?: number;
}

export interface DimensionQueryContext {
  db: Database;
  universe: DimensionUniverse;
  collections: CollectionManager;
  datasetTypes: DatasetTypeManager;
  records: DimensionRecordManager;
}

interface Prepared {
  builder: QueryBuilder;
  conditions: string[];
  params: SqlValue[];
}

function prepare(ctx: DimensionQueryContext, group: DimensionGroup, options: DimensionQueryOptions, first?: string): Prepared {
  const builder = new QueryBuilder(ctx.universe, null);
  if (first) builder.joinElement(first);
  for (const d of group.required) builder.dimensionValue(d);
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const datasetNames = options.datasets === undefined ? [] : Array.isArray(options.datasets) ? options.datasets : [options.datasets];
  if (datasetNames.length > 0) {
    if (options.collections === undefined) throw new InvalidQueryError('Constraining by datasets needs collections to search');
    const names = ctx.collections.flatten(ctx.collections.resolveExpression(options.collections));
    const colls = names.map((n) => ctx.collections.get(n));
    for (const name of datasetNames) {
      for (const rec of ctx.datasetTypes.query(name)) {
        const dims = rec.datasetType.dimensions.required;
        for (const d of dims) builder.dimensionValue(d);
        const tagColls = colls.filter((c) => c.type !== 'CALIBRATION');
        const calibColls = rec.calibTable ? colls.filter((c) => c.type === 'CALIBRATION') : [];
        const exists: string[] = [];
        for (const [table, cs] of [[rec.tagTable, tagColls], [rec.calibTable, calibColls]] as const) {
          if (!table || cs.length === 0) continue;
          const link = dims.map((d) => ` AND x.${q(d)} = ${builder.dimensionValue(d)}`).join('');
          exists.push(`EXISTS (SELECT 1 FROM ${q(table)} AS x WHERE x.dataset_type_id = ? AND x.collection_id IN (${cs.map(() => '?').join(', ')})${link})`);
          params.push(rec.id, ...cs.map((c) => c.id));
        }
        conditions.push(exists.length > 0 ? `(${exists.join(' OR ')})` : '0');
      }
      if (ctx.datasetTypes.query(name).length === 0) conditions.push('0');
    }
  }
  for (const clause of [buildDataIdConstraint(builder, ctx.universe, options.dataId), buildWhere(builder, options.where, options.bind)]) {
    if (clause) {
      conditions.push(`(${clause.sql})`);
      params.push(...(clause.params as SqlValue[]));
    }
  }
  return { builder, conditions, params };
}

function pageClause(options: DimensionQueryOptions, params: SqlValue[]): string {
  if (options.limit === undefined && options.offset === undefined) return '';
  const limit = options.limit ?? -1;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || !Number.isInteger(offset) || offset < 0) throw new InvalidQueryError(`limit and offset must be integers (offset ≥ 0), got limit=${limit}, offset=${offset}`);
  params.push(limit < 0 ? -1 : limit, offset);
  return ' LIMIT ? OFFSET ?';
}

/** Distinct data IDs (with implied values) for the given dimensions. */
export function queryDataIds(ctx: DimensionQueryContext, dimensions: Iterable<string>, options: DimensionQueryOptions = {}): DataCoordinate[] {
  const group = ctx.universe.group(dimensions);
  if (group.isEmpty) return [DataCoordinate.makeEmpty(ctx.universe)];
  const { builder, conditions, params } = prepare(ctx, group, options);
  const keys = group.dataCoordinateKeys;
  const cols = keys.map((k) => builder.dimensionValue(k));
  const orderTerms = buildOrderBy(builder, options.orderBy);
  const where = [...builder.linkConditions(), ...conditions];
  let sql = `SELECT DISTINCT ${cols.map((c, i) => `${c} AS ${q(`k${i}`)}`).join(', ')}${orderTerms.map((o, i) => `, ${o.replace(/ DESC$/, '')} AS ${q(`o${i}`)}`).join('')} FROM ${builder.fromClause()}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const order = orderTerms.length > 0 ? orderTerms.map((o, i) => `${q(`o${i}`)}${o.endsWith(' DESC') ? ' DESC' : ''}`) : group.required.map((d) => q(`k${keys.indexOf(d)}`));
  sql += ` ORDER BY ${order.join(', ')}`;
  sql += pageClause(options, params);
  return ctx.db.prepare(sql).rows(...params).map((row) => {
    const values: Record<string, string | number> = {};
    keys.forEach((k, i) => {
      if (row[i] !== null) values[k] = row[i] as string | number;
    });
    return new DataCoordinate(group, values);
  });
}

/** Records of one element, constrained like queryDataIds. */
export function queryDimensionRecords(ctx: DimensionQueryContext, element: string, options: DimensionQueryOptions = {}): DimensionRecord[] {
  const el = ctx.universe.getElement(element);
  if (!el.hasTable) {
    if (el.viewOf) {
      return queryDataIds(ctx, [element], options).map((d) => ({ [el.primaryKey!.name]: d.values[element] }));
    }
    throw new InvalidQueryError(`Dimension element '${element}' has no records to query`);
  }
  const group = ctx.universe.group([...el.required, ...el.implied]);
  const { builder, conditions, params } = prepare(ctx, group, options, element);
  const alias = builder.joinElement(element);
  const storage = ctx.records.storageFor(element);
  const select = storage.columns.map((c) => (c.name.startsWith('timespan_') ? `CAST(${alias}.${q(c.name)} AS TEXT) AS ${q(c.name)}` : `${alias}.${q(c.name)} AS ${q(c.name)}`)).join(', ');
  const orderTerms = buildOrderBy(builder, options.orderBy);
  const where = [...builder.linkConditions(), ...conditions];
  let sql = `SELECT DISTINCT ${select}${orderTerms.map((o, i) => `, ${o.replace(/ DESC$/, '')} AS ${q(`o${i}`)}`).join('')} FROM ${builder.fromClause()}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const order = orderTerms.length > 0 ? orderTerms.map((o, i) => `${q(`o${i}`)}${o.endsWith(' DESC') ? ' DESC' : ''}`) : storage.spec.primaryKey.map((k) => q(k));
  sql += ` ORDER BY ${order.join(', ')}`;
  sql += pageClause(options, params);
  return ctx.db.prepare(sql).all<Record<string, unknown>>(...params).map((row) => ctx.records.fromRow(storage, row));
}
