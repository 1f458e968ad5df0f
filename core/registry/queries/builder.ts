// Builds the FROM/JOIN part of a registry query from the dimension graph: each dimension's
// value comes from one "provider" column (the dataset table, an element table, or an element
// that implies it), and element tables are joined on demand when an identifier needs them.
// Only trusted names (from the universe and the schema) ever reach the SQL text.
import type { DimensionElement, DimensionUniverse, FieldSpec } from '../../dimensions/index.js';
import { InvalidQueryError } from '../errors.js';
import { requiredColumnName } from '../schema/dimensionTables.js';
import { q } from '../schema/tableSpec.js';
import { suggest } from '../suggest.js';

export type ColumnType = 'int' | 'float' | 'string' | 'bool' | 'datetime' | 'timespan' | 'region' | 'uuid';

export interface ColumnRef {
  /** SQL expression (for timespans: unused; see begin/end). */
  sql: string;
  type: ColumnType;
  /** For timespans: begin and end column expressions (TAI ns). */
  begin?: string;
  end?: string;
  /** For datetimes: TAI ns BIGINT (default) or UTC TIMESTAMP text (datasets manager 1.x ingest_date). */
  datetimeEncoding?: 'tai_ns' | 'utc_text';
  /** The identifier as the user wrote it, for messages. */
  name: string;
}

/** Dataset fields available when the query is over one dataset type. */
export interface DatasetFields {
  datasetTypeName: string;
  /** SQL for dataset_id (CHAR(32) hex), ingest_date (TAI ns), run name, collection name, calibration timespan. */
  datasetId: string;
  ingestDate: string;
  ingestDateEncoding: 'tai_ns' | 'utc_text';
  run: () => string;
  collection: () => string;
  timespan: { begin: string; end: string } | null;
}

export function fieldType(field: FieldSpec): ColumnType {
  switch (field.type) {
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'bool':
      return 'bool';
    default:
      return 'string';
  }
}

export class QueryBuilder {
  private readonly providers = new Map<string, string>();
  private readonly joined = new Map<string, string>();
  private readonly joinClauses: string[] = [];
  /** Extra conditions (linking equalities) that must be ANDed into WHERE when there is no ON clause. */
  private readonly extraConditions: string[] = [];
  private baseFrom: string | null;

  /**
   * @param baseFrom  e.g. `dataset_tags_00000001 AS t JOIN dataset AS d ON ...`, or null to start from
   *                  the first element table joined.
   * @param baseProviders dimension name → SQL column supplying its value in the base relation.
   */
  constructor(
    readonly universe: DimensionUniverse,
    baseFrom: string | null,
    baseProviders: Record<string, string> = {},
    private readonly datasetFields: DatasetFields | null = null,
  ) {
    this.baseFrom = baseFrom;
    for (const [d, sql] of Object.entries(baseProviders)) this.providers.set(d, sql);
  }

  /** SQL expression for a dimension's value, joining what is needed to get it. */
  dimensionValue(name: string): string {
    const existing = this.providers.get(name);
    if (existing) return existing;
    const el = this.universe.getDimension(name);
    if (el.kind === 'skypix') {
      throw new InvalidQueryError(`Sky pixel dimension '${name}' cannot be used in this query (spatial joins need region overlap tables)`);
    }
    // An implied dimension comes from an element that implies it and is (or can be reached from)
    // a dimension already in the query, e.g. band ← physical_filter ← exposure.
    const implier = this.implierOf(name, new Set());
    if (implier !== null) {
      this.dimensionValue(implier);
      const alias = this.joinElement(implier);
      if (!this.providers.has(name)) this.providers.set(name, `${alias}.${q(name)}`);
      return this.providers.get(name)!;
    }
    if (el.hasTable) {
      this.joinElement(name);
      return this.providers.get(name)!;
    }
    if (el.viewOf) {
      const alias = this.joinElement(el.viewOf);
      this.providers.set(name, `${alias}.${q(name)}`);
      return this.providers.get(name)!;
    }
    throw new InvalidQueryError(`Dimension '${name}' cannot be joined into this query`);
  }

  /** A dimension with a table that implies `name` and is provided or itself reachable by implication. */
  private implierOf(name: string, visiting: Set<string>): string | null {
    if (visiting.has(name)) return null;
    visiting.add(name);
    const candidates = this.universe.dimensions.filter((d) => d.hasTable && d.implied.includes(name));
    for (const c of candidates) if (this.providers.has(c.name)) return c.name;
    for (const c of candidates) if (this.implierOf(c.name, visiting) !== null) return c.name;
    return null;
  }

  hasProvider(name: string): boolean {
    return this.providers.has(name);
  }

  /** Joins an element's table (once), linking its dimension columns to the query's; returns its alias. */
  joinElement(name: string): string {
    const found = this.joined.get(name);
    if (found) return found;
    const el = this.universe.getElement(name);
    if (!el.hasTable) throw new InvalidQueryError(`Dimension element '${name}' has no table to query`);
    // Make sure the dimensions this element requires are provided first (except itself), so
    // the join links to them instead of introducing unrelated rows.
    for (const r of el.required) if (r !== name && !this.providers.has(r)) this.dimensionValue(r);
    // Providing those dimensions may already have joined this element (visit_definition is joined
    // automatically once exposure and visit are present): join it only once.
    const joinedMeanwhile = this.joined.get(name);
    if (joinedMeanwhile) return joinedMeanwhile;
    const alias = q(`e_${name}`);
    this.joined.set(name, alias);
    const conditions: string[] = [];
    for (const r of el.required) {
      const col = `${alias}.${q(requiredColumnName(el, r))}`;
      const provider = this.providers.get(r);
      if (provider) conditions.push(`${col} = ${provider}`);
      else this.providers.set(r, col);
    }
    for (const i of el.implied) {
      const col = `${alias}.${q(i)}`;
      const provider = this.providers.get(i);
      if (provider) conditions.push(`${col} = ${provider}`);
      else this.providers.set(i, col);
    }
    this.addJoin(`${q(name)} AS ${alias}`, conditions);
    this.joinAlwaysJoinElements();
    return alias;
  }

  private addJoin(table: string, conditions: string[]): void {
    if (this.baseFrom === null) {
      this.baseFrom = table;
      this.extraConditions.push(...conditions);
      return;
    }
    this.joinClauses.push(conditions.length > 0 ? `JOIN ${table} ON ${conditions.join(' AND ')}` : `CROSS JOIN ${table}`);
  }

  /** Elements such as visit_definition relate dimensions that are otherwise unrelated; join them whenever all their dimensions are present. */
  private joinAlwaysJoinElements(): void {
    for (const el of this.universe.elements) {
      if (!el.alwaysJoin || this.joined.has(el.name) || !el.hasTable) continue;
      if (el.required.every((d) => this.providers.has(d))) this.joinElement(el.name);
    }
  }

  /** Makes sure every dimension is provided (joins tables as needed). */
  requireDimensions(names: Iterable<string>): void {
    for (const n of names) this.dimensionValue(n);
  }

  /** Resolves a dotted identifier (`visit`, `exposure.obs_id`, `visit.timespan.begin`, `raw.ingest_date`) to a column. */
  resolve(parts: readonly string[]): ColumnRef {
    const name = parts.join('.');
    const u = this.universe;
    if (parts.length === 1) {
      const [p] = parts;
      if (u.has(p) && u.getElement(p).isDimension) {
        const el = u.getElement(p);
        return { sql: this.dimensionValue(p), type: fieldType(el.primaryKey!), name };
      }
      const ds = this.datasetField(p, name);
      if (ds) return ds;
      return this.bareField(p, name);
    }
    if (parts.length === 2 || parts.length === 3) {
      const [a, b, c] = parts;
      if (this.datasetFields && a === this.datasetFields.datasetTypeName) {
        if (parts.length === 3) {
          if (b === 'timespan' && (c === 'begin' || c === 'end') && this.datasetFields.timespan) {
            return { sql: c === 'begin' ? this.datasetFields.timespan.begin : this.datasetFields.timespan.end, type: 'datetime', name };
          }
          throw new InvalidQueryError(`Unrecognized identifier '${name}'`);
        }
        const ds = this.datasetField(b, name);
        if (ds) return ds;
        throw new InvalidQueryError(`'${b}' is not a dataset field of ${a}; dataset fields are dataset_id, ingest_date, run, collection${this.datasetFields.timespan ? ', timespan' : ''}`);
      }
      if (!u.has(a)) throw new InvalidQueryError(`Unrecognized identifier '${name}': '${a}' is neither a dimension element nor the dataset type being queried`);
      const el = u.getElement(a);
      if (parts.length === 3) {
        if (b === 'timespan' && (c === 'begin' || c === 'end') && el.hasTimespan) {
          const alias = this.joinElement(a);
          return { sql: `${alias}.${q(`timespan_${c}`)}`, type: 'datetime', name };
        }
        throw new InvalidQueryError(`Unrecognized identifier '${name}'${el.hasTimespan ? '' : `: ${a} has no timespan`}`);
      }
      return this.elementField(el, b, name);
    }
    throw new InvalidQueryError(`Identifier '${name}' has too many parts (at most element.field.subfield)`);
  }

  private datasetField(field: string, name: string): ColumnRef | null {
    const f = this.datasetFields;
    if (!f) return null;
    switch (field) {
      case 'dataset_id':
        return { sql: f.datasetId, type: 'uuid', name };
      case 'ingest_date':
        return { sql: f.ingestDate, type: 'datetime', datetimeEncoding: f.ingestDateEncoding, name };
      case 'run':
        return { sql: f.run(), type: 'string', name };
      case 'collection':
        return { sql: f.collection(), type: 'string', name };
      case 'timespan':
        return f.timespan ? { sql: f.timespan.begin, type: 'timespan', begin: f.timespan.begin, end: f.timespan.end, name } : null;
      default:
        return null;
    }
  }

  private elementField(el: DimensionElement, field: string, name: string): ColumnRef {
    if (el.isDimension && field === el.primaryKey?.name) {
      return { sql: this.dimensionValue(el.name), type: fieldType(el.primaryKey), name };
    }
    if (el.required.includes(field) && field !== el.name) return this.resolve([field]);
    if (el.implied.includes(field)) {
      const alias = this.joinElement(el.name);
      return { sql: `${alias}.${q(field)}`, type: fieldType(this.universe.getDimension(field).primaryKey!), name };
    }
    if (!el.hasTable && el.viewOf) {
      throw new InvalidQueryError(`'${name}' is not a field of ${el.name} (its only field is ${el.primaryKey?.name})`);
    }
    const spec = [...el.alternateKeys, ...el.metadata].find((f) => f.name === field);
    if (spec) {
      const alias = this.joinElement(el.name);
      return { sql: `${alias}.${q(field)}`, type: fieldType(spec), name };
    }
    if (field === 'timespan' && el.hasTimespan) {
      const alias = this.joinElement(el.name);
      const begin = `${alias}.${q('timespan_begin')}`;
      const end = `${alias}.${q('timespan_end')}`;
      return { sql: begin, type: 'timespan', begin, end, name };
    }
    if (field === 'region' && el.hasRegion) {
      const alias = this.joinElement(el.name);
      return { sql: `${alias}.${q('region')}`, type: 'region', name };
    }
    const fields = [el.primaryKey?.name, ...el.required.filter((d) => d !== el.name), ...el.implied, ...el.alternateKeys.map((k) => k.name), ...el.metadata.map((m) => m.name), ...(el.hasTimespan ? ['timespan'] : []), ...(el.hasRegion ? ['region'] : [])].filter(Boolean);
    throw new InvalidQueryError(`'${field}' is not a field of ${el.name}${suggest(field, fields as string[])}; its fields are ${fields.join(', ')}`);
  }

  /** A bare field name (e.g. `obs_id`) that belongs to exactly one element already in the query. */
  private bareField(field: string, name: string): ColumnRef {
    const candidates = this.universe.elements.filter((el) => this.providers.has(el.name) && el.hasTable
      && [...el.alternateKeys, ...el.metadata].some((f) => f.name === field));
    if (candidates.length === 1) return this.elementField(candidates[0], field, name);
    if (candidates.length > 1) {
      throw new InvalidQueryError(`Identifier '${name}' is ambiguous: it is a field of ${candidates.map((c) => c.name).join(' and ')}; write element.${field}`);
    }
    const known = [
      ...this.universe.dimensions.filter((d) => d.kind !== 'skypix').map((d) => d.name),
      ...(this.datasetFields ? ['dataset_id', 'ingest_date', 'run', 'collection'] : []),
      ...this.universe.elements.filter((el) => this.providers.has(el.name)).flatMap((el) => [...el.alternateKeys, ...el.metadata].map((f) => f.name)),
    ];
    throw new InvalidQueryError(`Unrecognized identifier '${name}': not a dimension, a dataset field or a field of a dimension in this query${suggest(name, known)}`);
  }

  /** The FROM clause text (without the FROM keyword). */
  fromClause(): string {
    if (this.baseFrom === null) throw new InvalidQueryError('Query has no tables (no dimensions or datasets to query)');
    return [this.baseFrom, ...this.joinClauses].join(' ');
  }

  /** Conditions that link tables but had no JOIN ... ON to live in (first table of a dimension-only query). */
  linkConditions(): string[] {
    return [...this.extraConditions];
  }
}
