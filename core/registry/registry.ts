// The Registry: daf_butler's SQL registry (schema, managers, semantics) on a Database. It owns
// collections, dataset types, dimension records and dataset rows, and answers queries.
// Butler-level concerns (butler.yaml, the datastore) live elsewhere and wrap this class.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataCoordinate, type DataIdInput, type DimensionRecord, DimensionUniverse, type TimespanNs } from '../dimensions/index.js';
import { DatasetRef, DatasetType, type DatasetIdGenEnum, StorageClassFactory } from '../datasets/index.js';
import { registerRegionFunctions } from '../sphgeom/index.js';
import { type CollectionInfo, CollectionManager } from './collections.js';
import type { CollectionType } from './collectionType.js';
import type { Database } from './db/database.js';
import { SqliteDatabase } from './db/sqlite.js';
import { DatasetStorage, type DatasetAssociation } from './datasets.js';
import { DatasetTypeManager } from './datasetTypes.js';
import { DimensionRecordManager } from './dimensionRecords.js';
import { DataIdValueError, InvalidQueryError, MissingDatasetTypeError, ReadOnlyRegistryError, UnsupportedRepositoryError } from './errors.js';
import { globToRegExp, hasWildcard } from './glob.js';
import { checkManagers, managerAttributes } from './managers.js';
import { countDatasets, type DatasetQueryOptions, explainDatasetQuery, queryDatasets } from './queries/datasetQuery.js';
import { type DimensionQueryOptions, queryDataIds, queryDimensionRecords } from './queries/dimensionQuery.js';
import { dimensionTableSpecs } from './schema/dimensionTables.js';
import { OPAQUE_TABLES, staticTableSpecs } from './schema/staticTables.js';
import { tableDdl } from './schema/tableSpec.js';

export const REGISTRY_FILENAME = 'gen3.sqlite3';

export interface RegistryCreateOptions {
  universe?: DimensionUniverse;
}

export interface RegistryOpenOptions {
  readOnly?: boolean;
}

export interface QueryCollectionsOptions {
  types?: CollectionType[];
  /** Replace chains by their (recursive) children. */
  flattenChains?: boolean;
  /** Include the chains themselves (default: true unless flattening). */
  includeChains?: boolean;
}

export interface CollectionSummary {
  datasetTypes: string[];
  governors: Record<string, string[]>;
}

/** Accepts a registry database path or a repository directory holding gen3.sqlite3. */
export function resolveRegistryPath(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) return join(path, REGISTRY_FILENAME);
  return path;
}

export class Registry {
  readonly db: Database;
  readonly dimensions: DimensionUniverse;
  readonly storageClasses: StorageClassFactory;
  /** Why the registry is read-only although writing was asked for (manager versions), if so. */
  readonly readOnlyReasons: string[];
  private readonly collections: CollectionManager;
  private readonly datasetTypes: DatasetTypeManager;
  private readonly records: DimensionRecordManager;
  private readonly datasets: DatasetStorage;
  private readonly datasetsMajor: number;

  private constructor(db: Database, universe: DimensionUniverse, datasetsMajor: number, readOnlyReasons: string[]) {
    this.db = db;
    this.dimensions = universe;
    this.datasetsMajor = datasetsMajor;
    this.readOnlyReasons = readOnlyReasons;
    this.storageClasses = StorageClassFactory.default();
    registerRegionFunctions(db);
    this.collections = new CollectionManager(db);
    this.datasetTypes = new DatasetTypeManager(db, universe);
    this.records = new DimensionRecordManager(db, universe);
    this.datasets = new DatasetStorage(db, universe, this.collections, this.datasetTypes);
  }

  /** Creates a new registry database with daf_butler's schema for `universe` (default: daf_butler v7). */
  static create(dbPath: string, options: RegistryCreateOptions = {}): Registry {
    const path = resolveRegistryPath(dbPath);
    if (path !== ':memory:' && existsSync(path) && statSync(path).size > 0) {
      throw new UnsupportedRepositoryError(`${path} already exists; refusing to create a registry over it`);
    }
    const universe = options.universe ?? DimensionUniverse.default();
    const db = new SqliteDatabase(path, { create: true });
    try {
      db.transaction(() => {
        for (const spec of [...dimensionTableSpecs(universe), ...staticTableSpecs(universe)]) for (const sql of tableDdl(spec)) db.exec(sql);
        const ins = db.prepare('INSERT INTO butler_attributes (name, value) VALUES (?, ?)');
        for (const [k, v] of managerAttributes()) ins.run(k, v);
        ins.run('config:dimensions.json', universe.toJson());
        for (const t of OPAQUE_TABLES) db.prepare('INSERT INTO opaque_meta (table_name) VALUES (?)').run(t);
      });
    } catch (err) {
      db.close();
      throw err;
    }
    return new Registry(db, universe, 2, []);
  }

  /** Opens an existing registry (a gen3.sqlite3 file or the repository directory holding it). */
  static open(dbPath: string, options: RegistryOpenOptions = {}): Registry {
    const path = resolveRegistryPath(dbPath);
    if (!existsSync(path)) {
      throw new UnsupportedRepositoryError(`${dbPath} is not a Butler repository: ${path} does not exist`);
    }
    let db: SqliteDatabase;
    try {
      db = new SqliteDatabase(path, { readOnly: options.readOnly ?? false });
    } catch (err) {
      throw new UnsupportedRepositoryError(`${path} is not a readable SQLite registry: ${(err as Error).message}`, { cause: err });
    }
    try {
      if (!db.tableExists('butler_attributes')) {
        throw new UnsupportedRepositoryError(`${path} is not a daf_butler registry (it has no butler_attributes table)`);
      }
      const attrs = new Map(db.prepare('SELECT name, value FROM butler_attributes').all<{ name: string; value: string }>().map((r) => [r.name, r.value]));
      const compat = checkManagers(attrs, path);
      const universeJson = attrs.get('config:dimensions.json');
      if (universeJson === undefined) throw new UnsupportedRepositoryError(`${path}: butler_attributes has no config:dimensions.json (dimension universe)`);
      const universe = DimensionUniverse.fromJson(universeJson, `${path} config:dimensions.json`);
      if (universe.namespace !== 'daf_butler') {
        throw new UnsupportedRepositoryError(`${path}: dimension universe namespace '${universe.namespace}' is not supported (only daf_butler)`);
      }
      if (!compat.writeable && !(options.readOnly ?? false)) {
        db.close();
        db = new SqliteDatabase(path, { readOnly: true });
        if (!db.tableExists('butler_attributes')) throw new UnsupportedRepositoryError(`${path} changed while opening`);
      }
      return new Registry(db, universe, compat.datasetsMajor, compat.writeable ? [] : compat.reasons);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  get isWriteable(): boolean {
    return !this.db.readOnly;
  }

  close(): void {
    this.db.close();
  }

  /** Re-reads cached collections and dataset types (after another process wrote). */
  refresh(): void {
    this.collections.refresh();
    this.datasetTypes.refresh();
  }

  /** Runs fn atomically; nested calls use savepoints. fn must be synchronous. */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn);
    } catch (err) {
      // Rolled-back rows must not linger in the collection/dataset-type caches.
      this.refresh();
      throw err;
    }
  }

  private checkWriteable(action: string): void {
    if (this.db.readOnly) {
      throw new ReadOnlyRegistryError(`Cannot ${action}: the registry ${this.db.location} is open read-only${this.readOnlyReasons.length ? ` (${this.readOnlyReasons.join('; ')})` : ''}`);
    }
  }

  getAttribute(name: string): string | null {
    return this.db.prepare('SELECT value FROM butler_attributes WHERE name = ?').get<{ value: string }>(name)?.value ?? null;
  }

  // ---- collections

  registerRun(name: string, doc?: string): boolean {
    this.checkWriteable(`register RUN '${name}'`);
    return this.collections.register(name, 'RUN', doc ?? null);
  }

  registerCollection(name: string, type: CollectionType, doc?: string): boolean {
    this.checkWriteable(`register collection '${name}'`);
    return this.collections.register(name, type, doc ?? null);
  }

  getCollectionType(name: string): CollectionType {
    return this.collections.get(name).type;
  }

  getCollectionInfo(name: string): CollectionInfo {
    return this.collections.info(name);
  }

  /** Collection names matching a glob (or all), filtered by type, optionally flattening chains. */
  queryCollections(pattern?: string | string[], options: QueryCollectionsOptions = {}): string[] {
    const patterns = pattern === undefined ? ['*'] : Array.isArray(pattern) ? pattern : [pattern];
    const matched: string[] = [];
    for (const p of patterns) {
      if (p === '...' || hasWildcard(p)) {
        const re = p === '...' ? /^/ : globToRegExp(p);
        matched.push(...this.collections.all().filter((c) => re.test(c.name)).map((c) => c.name));
      } else if (this.collections.find(p)) matched.push(p);
    }
    let names = [...new Set(matched)];
    if (options.flattenChains) {
      const out: string[] = [];
      for (const n of names) {
        if (this.collections.get(n).type === 'CHAINED') {
          if (options.includeChains) out.push(n);
          out.push(...this.collections.flatten([n]));
        } else out.push(n);
      }
      names = [...new Set(out)];
    } else if (options.includeChains === false) {
      names = names.filter((n) => this.collections.get(n).type !== 'CHAINED');
    }
    if (options.types && options.types.length > 0) names = names.filter((n) => options.types!.includes(this.collections.get(n).type));
    return names;
  }

  getCollectionChain(name: string): string[] {
    return this.collections.getChain(name);
  }

  setCollectionChain(name: string, children: string[], options: { flatten?: boolean } = {}): void {
    this.checkWriteable(`change chain '${name}'`);
    this.collections.setChain(name, children, options.flatten ?? false);
  }

  /** CHAINED collections whose children include `name`. */
  getCollectionParentChains(name: string): string[] {
    return this.collections.parentsOf(name);
  }

  removeCollection(name: string): void {
    this.checkWriteable(`remove collection '${name}'`);
    // Its summary rows go with it (cascade).
    this.datasets.forgetSummaries();
    this.collections.remove(name);
  }

  getCollectionSummary(name: string): CollectionSummary {
    const names = this.collections.flatten([name]);
    const ids = names.map((n) => this.collections.get(n).id);
    const summary: CollectionSummary = { datasetTypes: [], governors: {} };
    if (ids.length === 0) return summary;
    const marks = ids.map(() => '?').join(', ');
    summary.datasetTypes = this.db.prepare(`SELECT DISTINCT t.name FROM collection_summary_dataset_type s JOIN dataset_type t ON t.id = s.dataset_type_id WHERE s.collection_id IN (${marks}) ORDER BY t.name`).all<{ name: string }>(...ids).map((r) => r.name);
    for (const gov of this.dimensions.governors) {
      summary.governors[gov.name] = this.db.prepare(`SELECT DISTINCT "${gov.name}" AS v FROM "collection_summary_${gov.name}" WHERE collection_id IN (${marks}) ORDER BY 1`).all<{ v: string }>(...ids).map((r) => r.v);
    }
    return summary;
  }

  // ---- dataset types

  registerDatasetType(datasetType: DatasetType): boolean {
    this.checkWriteable(`register dataset type '${datasetType.name}'`);
    if (datasetType.dimensions.universe !== this.dimensions && datasetType.dimensions.universe.toJson() !== this.dimensions.toJson()) {
      throw new DataIdValueError(`Dataset type '${datasetType.name}' was made with a different dimension universe than this registry's (v${this.dimensions.version})`);
    }
    return this.datasetTypes.register(datasetType);
  }

  /** A registered dataset type; `parent.component` gives the component dataset type. */
  getDatasetType(name: string): DatasetType {
    const [parent, component] = DatasetType.splitName(name);
    const rec = this.datasetTypes.get(parent);
    return component === null ? rec.datasetType : rec.datasetType.makeComponentDatasetType(component, this.storageClasses);
  }

  queryDatasetTypes(pattern?: string | string[], options: { components?: boolean } = {}): DatasetType[] {
    const out: DatasetType[] = [];
    for (const rec of this.datasetTypes.query(pattern)) {
      out.push(rec.datasetType);
      if (options.components && this.storageClasses.has(rec.datasetType.storageClassName)) out.push(...rec.datasetType.makeAllComponentDatasetTypes(this.storageClasses));
    }
    return out;
  }

  removeDatasetType(name: string): void {
    this.checkWriteable(`remove dataset type '${name}'`);
    this.datasets.forgetSummaries();
    this.datasetTypes.remove(name);
  }

  // ---- dimension records

  insertDimensionData(element: string, records: DimensionRecord[], options: { update?: boolean; skipExisting?: boolean } = {}): void {
    this.checkWriteable(`insert ${element} records`);
    this.records.insert(element, records, options);
  }

  syncDimensionData(element: string, record: DimensionRecord, update = false): boolean {
    this.checkWriteable(`sync ${element} records`);
    return this.records.sync(element, record, update);
  }

  /** The record of an element for a data ID's values, or null. */
  fetchDimensionRecord(element: string, values: Record<string, string | number>): DimensionRecord | null {
    return this.records.fetch(element, values);
  }

  /**
   * Completes a data ID: implied values and every element's record (records are checked to exist
   * for dimensions; combination elements without a record get null).
   */
  expandDataId(dataId: DataIdInput | DataCoordinate, options: { dimensions?: Iterable<string> } = {}): DataCoordinate {
    const coord = dataId instanceof DataCoordinate && options.dimensions === undefined
      ? dataId
      : DataCoordinate.standardize(this.dimensions, dataId, options.dimensions ? { dimensions: options.dimensions, allowExtra: true } : {});
    const group = coord.dimensions;
    const values: Record<string, string | number> = { ...coord.values };
    const records: Record<string, DimensionRecord | null> = {};
    const pending = group.elements.map((e) => this.dimensions.getElement(e));
    let progress = true;
    while (pending.length > 0 && progress) {
      progress = false;
      for (let i = 0; i < pending.length; i++) {
        const el = pending[i];
        if (!el.required.every((d) => values[d] !== undefined)) continue;
        pending.splice(i--, 1);
        progress = true;
        let record: DimensionRecord | null;
        if (el.kind === 'skypix' || !el.hasTable) record = { [el.primaryKey?.name ?? 'id']: values[el.name] };
        else record = this.records.fetch(el.name, values);
        if (record === null) {
          if (el.isDimension) {
            throw new DataIdValueError(`No ${el.name} record for ${coord.toString()}: ${el.name} ${JSON.stringify(Object.fromEntries(el.required.map((d) => [d, values[d]])))} is not in the registry`);
          }
          records[el.name] = null;
          continue;
        }
        records[el.name] = record;
        for (const implied of el.implied) {
          const v = record[implied] as string | number | null;
          if (v === null || v === undefined) continue;
          if (values[implied] !== undefined && values[implied] !== v) {
            throw new DataIdValueError(`Data ID ${coord.toString()} says ${implied}=${JSON.stringify(values[implied])}, but the ${el.name} record says ${implied}=${JSON.stringify(v)}`);
          }
          values[implied] = v;
        }
      }
    }
    return coord.expanded(values, records);
  }

  // ---- datasets

  insertDatasets(datasetType: DatasetType | string, dataIds: (DataIdInput | DataCoordinate)[], run: string, idMode: DatasetIdGenEnum = 'UNIQUE'): DatasetRef[] {
    this.checkWriteable(`insert datasets into '${run}'`);
    return this.datasets.insert(datasetType, dataIds, run, idMode);
  }

  importDatasets(refs: DatasetRef[]): DatasetRef[] {
    this.checkWriteable('import datasets');
    return this.datasets.import(refs);
  }

  getDataset(id: string): DatasetRef | null {
    return this.datasets.get(id);
  }

  /** The first dataset of a type and data ID in the collections (search order; chains flattened), or null. */
  findDataset(datasetType: DatasetType | string, dataId: DataIdInput | DataCoordinate, options: { collections: string | string[]; timespan?: TimespanNs }): DatasetRef | null {
    const name = typeof datasetType === 'string' ? datasetType : datasetType.name;
    const [parent, component] = DatasetType.splitName(name);
    const rec = this.datasets.record(component === null ? datasetType : parent);
    const coord = this.datasets.standardize(rec, dataId);
    const collections = Array.isArray(options.collections) ? options.collections : [options.collections];
    for (const c of collections) if (hasWildcard(c)) throw new InvalidQueryError(`findDataset needs collection names in search order, not the pattern '${c}'`);
    const ref = this.datasets.find(rec, coord, collections, options.timespan ?? null);
    return ref && component !== null ? ref.makeComponentRef(component, this.storageClasses) : ref;
  }

  private datasetQueryContext() {
    return { db: this.db, universe: this.dimensions, collections: this.collections, datasetsMajor: this.datasetsMajor };
  }

  /** Datasets of a type (name, DatasetType, or glob over names) in collections; see DatasetQueryOptions. */
  queryDatasets(datasetType: DatasetType | string, options: DatasetQueryOptions): DatasetRef[] {
    const recs = this.resolveDatasetTypes(datasetType);
    const out: DatasetRef[] = [];
    for (const { rec, component } of recs) {
      const refs = queryDatasets(this.datasetQueryContext(), rec, options);
      const mapped = component === null ? refs : refs.map((r) => r.makeComponentRef(component, this.storageClasses));
      if (recs.length === 1) return mapped;
      for (const r of mapped) out.push(r);
    }
    return out;
  }

  countDatasets(datasetType: DatasetType | string, options: DatasetQueryOptions): number {
    let n = 0;
    for (const { rec } of this.resolveDatasetTypes(datasetType)) n += countDatasets(this.datasetQueryContext(), rec, options);
    return n;
  }

  /** The SQL and parameters queryDatasets would run for one dataset type. */
  explainQueryDatasets(datasetType: string, options: DatasetQueryOptions): { sql: string; params: unknown[] } | null {
    const [{ rec }] = this.resolveDatasetTypes(datasetType);
    return explainDatasetQuery(this.datasetQueryContext(), rec, options);
  }

  private resolveDatasetTypes(datasetType: DatasetType | string) {
    if (typeof datasetType !== 'string') return [{ rec: this.datasets.record(datasetType), component: null as string | null }];
    if (datasetType === '...' || hasWildcard(datasetType)) {
      return this.datasetTypes.query(datasetType).map((rec) => ({ rec, component: null as string | null }));
    }
    const [parent, component] = DatasetType.splitName(datasetType);
    const rec = this.datasetTypes.find(parent);
    if (!rec) throw new MissingDatasetTypeError(`Dataset type '${datasetType}' is not registered`);
    if (component !== null) rec.datasetType.makeComponentDatasetType(component, this.storageClasses);
    return [{ rec, component }];
  }

  private dimensionQueryContext() {
    return { db: this.db, universe: this.dimensions, collections: this.collections, datasetTypes: this.datasetTypes, records: this.records };
  }

  queryDataIds(dimensions: Iterable<string>, options: DimensionQueryOptions = {}): DataCoordinate[] {
    return queryDataIds(this.dimensionQueryContext(), dimensions, options);
  }

  queryDimensionRecords(element: string, options: DimensionQueryOptions = {}): DimensionRecord[] {
    return queryDimensionRecords(this.dimensionQueryContext(), element, options);
  }

  associate(collection: string, refs: DatasetRef[]): void {
    this.checkWriteable(`associate datasets with '${collection}'`);
    this.datasets.associate(collection, refs);
  }

  disassociate(collection: string, refs: DatasetRef[]): void {
    this.checkWriteable(`disassociate datasets from '${collection}'`);
    this.datasets.disassociate(collection, refs);
  }

  certify(collection: string, refs: DatasetRef[], timespan: TimespanNs): void {
    this.checkWriteable(`certify into '${collection}'`);
    this.datasets.certify(collection, refs, timespan);
  }

  /** Removes validity in `timespan`; returns how many validity ranges were cut or removed. */
  decertify(collection: string, datasetType: string | DatasetType, timespan: TimespanNs, options: { dataIds?: (DataIdInput | DataCoordinate)[] } = {}): number {
    this.checkWriteable(`decertify from '${collection}'`);
    const name = typeof datasetType === 'string' ? datasetType : datasetType.name;
    const rec = this.datasets.record(name);
    const dataIds = options.dataIds ? options.dataIds.map((d) => this.datasets.standardize(rec, d)) : null;
    return this.datasets.decertify(collection, name, timespan, dataIds);
  }

  removeDatasets(refs: DatasetRef[]): void {
    this.checkWriteable('remove datasets');
    this.datasets.remove(refs);
  }

  queryDatasetAssociations(datasetType: string | DatasetType, options: { collections: string | string[] }): DatasetAssociation[] {
    const rec = this.datasets.record(datasetType);
    const names = this.collections.resolveExpression(options.collections);
    return this.datasets.associations(rec, names);
  }
}
