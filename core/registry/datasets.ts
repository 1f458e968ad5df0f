// Dataset rows: batch inserts (prepared statements, one transaction), imports with given IDs,
// lookups, TAGGED association, CALIBRATION certification with non-overlapping validity ranges,
// and removal. Collection summaries are kept up to date as daf_butler requires (the tag tables
// have foreign keys to them).
import { DataCoordinate, type DataIdInput, formatDataId, type DimensionUniverse, type TimespanNs } from '../dimensions/index.js';
import { DatasetRef, type DatasetType, DATASET_ID_GEN_MODES, DATASET_ID_NAMESPACE, hexToUuid, hyphenate, type DatasetIdGenEnum, uuid5Hex, uuid7Hex, uuidToHex } from '../datasets/index.js';
import type { CollectionManager, CollectionRecord } from './collections.js';
import type { DatasetTypeManager, DatasetTypeRecord } from './datasetTypes.js';
import type { Database, SqlValue } from './db/database.js';
import {
  CalibrationLookupError, CollectionTypeError, ConflictingDefinitionError, DataIdValueError, DatasetTypeError, MissingCollectionError,
  MissingDatasetTypeError, OrphanedRecordError,
} from './errors.js';
import { q } from './schema/tableSpec.js';
import { formatTimespan, fromStoredBounds, nowTaiNs, toStoredBounds } from './timespans.js';
import type { Timespan } from '../time/index.js';

/** Batches at least this large are loaded with foreign keys off and their references checked once per value. */
const BULK_LOAD_MIN_ROWS = 256;
/** IDs per set-based DELETE (one JSON array parameter each). */
const REMOVE_CHUNK = 50_000;

export interface DatasetAssociation {
  ref: DatasetRef;
  collection: string;
  /** Validity range in CALIBRATION collections, null elsewhere. */
  timespan: Timespan | null;
}

function buildTagInsertSql(rec: DatasetTypeRecord, onConflict: string): string {
  const dims = rec.datasetType.dimensions.required;
  const cols = ['dataset_type_id', 'dataset_id', 'collection_id', ...dims].map(q).join(', ');
  return `INSERT INTO ${q(rec.tagTable)} (${cols}) VALUES (${['?', '?', '?', ...dims.map(() => '?')].join(', ')})${onConflict}`;
}

export class DatasetStorage {
  constructor(
    private readonly db: Database,
    private readonly universe: DimensionUniverse,
    private readonly collections: CollectionManager,
    private readonly datasetTypes: DatasetTypeManager,
  ) {}

  /** The registered record for a dataset type, checking that a given definition matches it. */
  record(datasetType: DatasetType | string): DatasetTypeRecord {
    const name = typeof datasetType === 'string' ? datasetType : datasetType.name;
    const rec = this.datasetTypes.get(name);
    if (typeof datasetType !== 'string' && datasetType !== rec.datasetType && !rec.datasetType.equals(datasetType)) {
      throw new ConflictingDefinitionError(`Dataset type '${name}' given differs from the registered one: ${rec.datasetType.differences(datasetType).join('; ')}`);
    }
    return rec;
  }

  standardize(rec: DatasetTypeRecord, dataId: DataIdInput | DataCoordinate): DataCoordinate {
    const group = rec.datasetType.dimensions;
    if (dataId instanceof DataCoordinate && dataId.dimensions === group) return dataId;
    return this.fastStandardize(rec, dataId) ?? DataCoordinate.standardize(this.universe, dataId, { dimensions: group, allowExtra: true });
  }

  /**
   * Batch fast path: a plain object holding exactly the required dimensions with values of the
   * right primitive type. Anything else goes through the full (checking, coercing) standardize.
   */
  private fastStandardize(rec: DatasetTypeRecord, dataId: DataIdInput | DataCoordinate): DataCoordinate | null {
    if (dataId instanceof DataCoordinate) return null;
    const required = rec.datasetType.dimensions.required;
    const kinds = this.keyKinds(rec);
    let n = 0;
    for (const k in dataId) {
      const i = required.indexOf(k);
      if (i < 0) return null;
      const v = dataId[k];
      if (kinds[i] === 'int' ? !(typeof v === 'number' && Number.isSafeInteger(v)) : !(typeof v === 'string' && v.length > 0 && v.length <= kinds[i].length)) return null;
      n++;
    }
    if (n !== required.length) return null;
    // Copy: the caller's object must not alias the data ID we hand back in refs.
    const values: Record<string, string | number> = {};
    for (const d of required) values[d] = dataId[d] as string | number;
    return new DataCoordinate(rec.datasetType.dimensions, values);
  }

  private kindCache = new Map<DatasetTypeRecord, ({ length: number } | 'int')[]>();

  private keyKinds(rec: DatasetTypeRecord): ({ length: number } | 'int')[] {
    let kinds = this.kindCache.get(rec);
    if (!kinds) {
      kinds = rec.datasetType.dimensions.required.map((d) => {
        const pk = this.universe.getDimension(d).primaryKey!;
        return pk.type === 'int' ? 'int' : { length: pk.length ?? Number.MAX_SAFE_INTEGER };
      });
      this.kindCache.set(rec, kinds);
    }
    return kinds;
  }

  /**
   * Summary rows known to exist, valid while the database's write epoch is unchanged (inside
   * one transaction with nothing rolled back): thousands of puts into one RUN insert them once.
   */
  private knownSummaries = new Set<string>();
  private knownSummariesEpoch = -1;

  /** Forgets the summary rows known to exist (after something may have deleted some). */
  forgetSummaries(): void {
    this.knownSummaries.clear();
  }

  private summaryKnown(key: string): boolean {
    if (this.knownSummariesEpoch !== this.db.writeEpoch || !this.db.inTransaction) {
      this.knownSummaries.clear();
      this.knownSummariesEpoch = this.db.writeEpoch;
    }
    return this.knownSummaries.has(key);
  }

  /** Records that a collection may hold datasets of this type and these governor values. */
  private updateSummaries(collectionId: number, rec: DatasetTypeRecord, dataIds: DataCoordinate[], checkReferences = false): void {
    const typeKey = `${collectionId}\u0000${rec.id}`;
    if (!this.summaryKnown(typeKey)) {
      this.db.prepare('INSERT OR IGNORE INTO collection_summary_dataset_type (collection_id, dataset_type_id) VALUES (?, ?)').run(collectionId, rec.id);
      this.knownSummaries.add(typeKey);
    }
    for (const gov of this.governorsOf(rec)) {
      const values = new Set<string | number>();
      for (const d of dataIds) {
        const v = d.values[gov];
        if (!this.knownSummaries.has(`${collectionId}\u0000${gov}\u0000${typeof v}:${v}`)) values.add(v);
      }
      if (values.size === 0) continue;
      const stmt = this.db.prepare(`INSERT OR IGNORE INTO ${q(`collection_summary_${gov}`)} (collection_id, ${q(gov)}) VALUES (?, ?)`);
      // With foreign keys off (bulk load) the governor record is checked here, as the key would.
      const exists = checkReferences ? this.db.prepare(`SELECT 1 FROM ${q(gov)} WHERE ${q(this.universe.getDimension(gov).primaryKey!.name)} = ?`) : null;
      for (const v of values) {
        if (exists && exists.get(v) === undefined) throw new DataIdValueError(`${gov} '${String(v)}' is not in the registry; insert its ${gov} record first`);
        try {
          stmt.run(collectionId, v);
        } catch (err) {
          throw new DataIdValueError(`${gov} '${String(v)}' is not in the registry; insert its ${gov} record first`, { cause: err });
        }
        this.knownSummaries.add(`${collectionId}\u0000${gov}\u0000${typeof v}:${v}`);
      }
    }
  }

  private readonly governorCache = new Map<DatasetTypeRecord, readonly string[]>();

  private governorsOf(rec: DatasetTypeRecord): readonly string[] {
    let govs = this.governorCache.get(rec);
    if (!govs) {
      govs = rec.datasetType.dimensions.governors;
      this.governorCache.set(rec, govs);
    }
    return govs;
  }

  private readonly tagInsertCache = new Map<DatasetTypeRecord, string>();

  /** The tag-table INSERT of a dataset type (the plain one is built once per type). */
  private tagInsertSql(rec: DatasetTypeRecord, onConflict = ''): string {
    if (onConflict !== '') return buildTagInsertSql(rec, onConflict);
    let sql = this.tagInsertCache.get(rec);
    if (sql === undefined) {
      sql = buildTagInsertSql(rec, '');
      this.tagInsertCache.set(rec, sql);
    }
    return sql;
  }

  /** Inserts new datasets into a RUN; IDs are made by `idMode` (UUIDv7 or daf_butler's UUID5). */
  insert(datasetType: DatasetType | string, dataIds: (DataIdInput | DataCoordinate)[], runName: string, idMode: DatasetIdGenEnum = 'UNIQUE'): DatasetRef[] {
    const rec = this.record(datasetType);
    const dt = rec.datasetType;
    if (dt.isComponent()) throw new DatasetTypeError(`Cannot insert datasets of component type '${dt.name}'`);
    if (!DATASET_ID_GEN_MODES.includes(idMode)) throw new Error(`Unknown dataset ID generation mode '${String(idMode)}'; expected one of ${DATASET_ID_GEN_MODES.join(', ')}`);
    const run = this.collections.getOfType(runName, 'RUN', `inserting ${dt.name} datasets`);
    const coords = dataIds.map((d) => this.standardize(rec, d));
    const dims = dt.dimensions.required;
    const ingest = nowTaiNs();
    const insDataset = this.db.prepare('INSERT INTO dataset (id, dataset_type_id, ingest_date, run_id) VALUES (?, ?, ?, ?)');
    const insTag = this.db.prepare(this.tagInsertSql(rec));
    const refs: DatasetRef[] = new Array(coords.length);
    // daf_butler's UUID5 name: dataset_type=..,[run=..,]k=v over the sorted required keys.
    const sortedDims = [...dims].sort();
    const namePrefix = idMode === 'DATAID_TYPE_RUN' ? `dataset_type=${dt.name},run=${run.name}` : `dataset_type=${dt.name}`;
    // UUID5 IDs are random: inserting them in ID order walks the three dataset_id B-trees once, in
    // order, instead of touching a random page per row. UUIDv7 IDs are made in increasing order.
    let hexes: string[] | null = null;
    let order: Uint32Array | null = null;
    if (idMode !== 'UNIQUE') {
      const ids: string[] = new Array(coords.length);
      for (let i = 0; i < coords.length; i++) {
        let name = namePrefix;
        for (const d of sortedDims) name += `,${d}=${coords[i].values[d]}`;
        ids[i] = uuid5Hex(DATASET_ID_NAMESPACE, name);
      }
      order = Uint32Array.from(coords.keys());
      order.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b));
      hexes = ids;
    }
    const load = (checkReferences: boolean) => () => {
      this.updateSummaries(run.id, rec, coords, checkReferences);
      const references = checkReferences ? this.referenceChecker(rec, run) : null;
      const params: SqlValue[] = new Array(3 + dims.length);
      params[0] = rec.id;
      params[2] = run.id;
      for (let j = 0; j < coords.length; j++) {
        const i = order === null ? j : order[j];
        const dataId = coords[i];
        const hex = hexes === null ? uuid7Hex() : hexes[i];
        params[1] = hex;
        for (let k = 0; k < dims.length; k++) params[3 + k] = dataId.values[dims[k]];
        if (references !== null) references(dataId);
        try {
          insDataset.run(hex, rec.id, ingest, run.id);
          insTag.run(...params);
        } catch (err) {
          throw this.explainInsertFailure(rec, run, dataId, hex, err);
        }
        refs[i] = new DatasetRef(dt, dataId, run.name, hyphenate(hex));
      }
    };
    // Large batches run with SQLite's foreign-key enforcement off and check the same references
    // themselves, once per distinct dimension value instead of ten parent-key probes per dataset;
    // inside a caller's transaction the enforcement cannot be switched, so it stays on.
    if (coords.length < BULK_LOAD_MIN_ROWS || this.db.transactionWithoutForeignKeys(load(true)) === null) this.db.transaction(load(false));
    return refs;
  }

  /**
   * For a bulk load with foreign keys off: checks what the dataset and tag-table keys would (the
   * RUN and dataset type rows, and each non-governor dimension record; governors are checked by
   * updateSummaries; the dataset, collection and summary rows are written by the load itself),
   * remembering every key already seen. Throws the errors the checked insert path throws.
   */
  private referenceChecker(rec: DatasetTypeRecord, run: CollectionRecord): (dataId: DataCoordinate) => void {
    if (this.db.prepare('SELECT 1 FROM run WHERE collection_id = ?').get(run.id) === undefined) {
      throw new MissingCollectionError(`RUN collection '${run.name}' no longer exists in the registry (removed by another process?)`);
    }
    if (this.db.prepare('SELECT 1 FROM dataset_type WHERE id = ?').get(rec.id) === undefined) {
      throw new MissingDatasetTypeError(`Dataset type '${rec.datasetType.name}' no longer exists in the registry (removed by another process?)`);
    }
    const checks = rec.datasetType.dimensions.required.flatMap((d) => {
      const el = this.universe.getDimension(d);
      if (!el.hasTable || el.isGovernor) return [];
      const where = el.required.map((r) => `${q(r === d ? el.primaryKey!.name : r)} = ?`).join(' AND ');
      return [{ dimension: d, keys: el.required, exists: this.db.prepare(`SELECT 1 FROM ${q(d)} WHERE ${where}`), seen: new Set<string>() }];
    });
    return (dataId) => {
      for (const c of checks) {
        const values = c.keys.map((k) => dataId.values[k]);
        const key = values.join('\u0000');
        if (c.seen.has(key)) continue;
        if (c.exists.get(...values) === undefined) throw this.missingDimensionError(rec, dataId, c.dimension);
        c.seen.add(key);
      }
    };
  }

  private missingDimensionError(rec: DatasetTypeRecord, dataId: DataCoordinate, d: string, cause?: unknown): DataIdValueError {
    const el = this.universe.getDimension(d);
    return new DataIdValueError(`Data ID ${dataId.toString()} of ${rec.datasetType.name}: ${d} ${formatDataId(Object.fromEntries(el.required.map((r) => [r, dataId.values[r]])))} is not in the registry; insert its dimension record first`, cause === undefined ? undefined : { cause });
  }

  private explainInsertFailure(rec: DatasetTypeRecord, run: CollectionRecord, dataId: DataCoordinate, hex: string, err: unknown): Error {
    const message = err instanceof Error ? err.message : String(err);
    const what = `${rec.datasetType.name} ${dataId.toString()}`;
    if (/UNIQUE constraint failed: dataset\.id|PRIMARY KEY.*dataset\b/.test(message) || /UNIQUE constraint failed: dataset.id/.test(message)) {
      return new ConflictingDefinitionError(`Dataset ${hexToUuid(hex)} (${what}) already exists in the registry; with deterministic IDs the same dataset cannot be inserted twice`, { cause: err });
    }
    if (/UNIQUE constraint failed/.test(message)) {
      return new ConflictingDefinitionError(`A dataset ${what} already exists in RUN '${run.name}'`, { cause: err });
    }
    if (/FOREIGN KEY/.test(message)) {
      for (const d of rec.datasetType.dimensions.required) {
        const el = this.universe.getDimension(d);
        if (!el.hasTable) continue;
        const where = el.required.map((r) => `${q(r === d ? el.primaryKey!.name : r)} = ?`).join(' AND ');
        const found = this.db.prepare(`SELECT 1 FROM ${q(d)} WHERE ${where}`).get(...el.required.map((r) => dataId.values[r]));
        if (!found) return this.missingDimensionError(rec, dataId, d, err);
      }
    }
    return err instanceof Error ? err : new Error(message);
  }

  /**
   * Imports datasets with their given IDs (e.g. from another repository). Datasets already present
   * with the same type, run and data ID are skipped; a different dataset with the same ID is a conflict.
   */
  import(refs: DatasetRef[]): DatasetRef[] {
    const ingest = nowTaiNs();
    this.db.transaction(() => {
      const groups = new Map<string, DatasetRef[]>();
      for (const ref of refs) {
        const key = `${ref.datasetType.name}\u0000${ref.run}`;
        const list = groups.get(key);
        if (list) list.push(ref);
        else groups.set(key, [ref]);
      }
      for (const list of groups.values()) {
        const rec = this.record(list[0].datasetType);
        const run = this.collections.getOfType(list[0].run, 'RUN', `importing ${rec.datasetType.name} datasets`);
        const coords = list.map((r) => this.standardize(rec, r.dataId));
        this.updateSummaries(run.id, rec, coords);
        const insDataset = this.db.prepare('INSERT INTO dataset (id, dataset_type_id, ingest_date, run_id) VALUES (?, ?, ?, ?)');
        const insTag = this.db.prepare(this.tagInsertSql(rec));
        const dims = rec.datasetType.dimensions.required;
        const params: SqlValue[] = new Array(3 + dims.length);
        params[0] = rec.id;
        params[2] = run.id;
        list.forEach((ref, i) => {
          const hex = uuidToHex(ref.id);
          // The usual case is a new ID: insert first and look at what exists only when that fails.
          try {
            insDataset.run(hex, rec.id, ingest, run.id);
          } catch (err) {
            if (!/UNIQUE constraint failed: dataset\.id|PRIMARY KEY/.test(err instanceof Error ? err.message : String(err))) throw this.explainInsertFailure(rec, run, coords[i], hex, err);
            const existing = this.get(ref.id);
            if (existing && existing.datasetType.name === ref.datasetType.name && existing.run === ref.run && existing.dataId.equals(coords[i])) return;
            throw new ConflictingDefinitionError(`Dataset ${ref.id} already exists as ${existing ? existing.toString() : 'another dataset'}, which differs from the imported ${ref.toString()}`, { cause: err });
          }
          params[1] = hex;
          for (let k = 0; k < dims.length; k++) params[3 + k] = coords[i].values[dims[k]];
          try {
            insTag.run(...params);
          } catch (err) {
            throw this.explainInsertFailure(rec, run, coords[i], hex, err);
          }
        });
      }
    });
    return refs;
  }

  /** The dataset with this ID (hyphenated or not), or null. */
  get(id: string): DatasetRef | null {
    const hex = uuidToHex(id);
    const row = this.db.prepare('SELECT dataset_type_id, run_id FROM dataset WHERE id = ?').get<{ dataset_type_id: number; run_id: number }>(hex);
    if (!row) return null;
    const rec = this.datasetTypes.getById(row.dataset_type_id);
    const dims = rec.datasetType.dimensions.required;
    const tag = this.db.prepare(`SELECT ${dims.length > 0 ? dims.map(q).join(', ') : '1 AS one'} FROM ${q(rec.tagTable)} WHERE dataset_id = ? AND collection_id = ?`).get<Record<string, string | number>>(hex, row.run_id);
    if (!tag) throw new Error(`Dataset ${hexToUuid(hex)} has no row in ${rec.tagTable} for its RUN (the registry is inconsistent)`);
    const values: Record<string, string | number> = {};
    for (const d of dims) values[d] = tag[d];
    return new DatasetRef(rec.datasetType, new DataCoordinate(rec.datasetType.dimensions, values), this.collections.getById(row.run_id).name, hexToUuid(hex));
  }

  /** Finds the first dataset matching in the ordered collections (chains flattened). */
  find(rec: DatasetTypeRecord, dataId: DataCoordinate, collectionNames: string[], timespan: TimespanNs | null): DatasetRef | null {
    const dims = rec.datasetType.dimensions.required;
    const dimWhere = dims.map((d) => ` AND t.${q(d)} = ?`).join('');
    const dimValues = dims.map((d) => dataId.values[d]);
    for (const name of this.collections.flatten(collectionNames)) {
      const coll = this.collections.get(name);
      let rows: { dataset_id: string; run_id: number }[];
      if (coll.type === 'CALIBRATION') {
        if (!rec.calibTable) continue;
        if (timespan === null) {
          throw new CalibrationLookupError(`Finding ${rec.datasetType.name} ${dataId.toString()} in CALIBRATION collection '${name}' needs a timespan (e.g. the exposure's)`);
        }
        const [b, e] = toStoredBounds(timespan);
        rows = this.db.prepare(`SELECT DISTINCT t.dataset_id, d.run_id FROM ${q(rec.calibTable)} AS t JOIN dataset AS d ON d.id = t.dataset_id WHERE t.dataset_type_id = ? AND t.collection_id = ?${dimWhere} AND t.timespan_begin < ? AND ? < t.timespan_end`)
          .all(rec.id, coll.id, ...dimValues, e, b);
        if (rows.length > 1) {
          throw new CalibrationLookupError(`${rows.length} ${rec.datasetType.name} datasets for ${dataId.toString()} in '${name}' are valid during ${formatTimespan(timespan)}; give a narrower timespan`);
        }
      } else {
        rows = this.db.prepare(`SELECT t.dataset_id, d.run_id FROM ${q(rec.tagTable)} AS t JOIN dataset AS d ON d.id = t.dataset_id WHERE t.dataset_type_id = ? AND t.collection_id = ?${dimWhere}`)
          .all(rec.id, coll.id, ...dimValues);
      }
      if (rows.length > 0) {
        return new DatasetRef(rec.datasetType, dataId, this.collections.getById(rows[0].run_id).name, hexToUuid(rows[0].dataset_id));
      }
    }
    return null;
  }

  /** Adds datasets to a TAGGED collection (already-present datasets are ignored). */
  associate(collectionName: string, refs: DatasetRef[]): void {
    const coll = this.collections.getOfType(collectionName, 'TAGGED', 'associate');
    this.db.transaction(() => {
      for (const [rec, list] of this.groupByType(refs)) {
        this.updateSummaries(coll.id, rec, list.map((r) => r.dataId));
        const ins = this.db.prepare(this.tagInsertSql(rec, ' ON CONFLICT (dataset_id, collection_id) DO NOTHING'));
        for (const ref of list) {
          try {
            ins.run(rec.id, uuidToHex(ref.id), coll.id, ...rec.datasetType.dimensions.required.map((d) => ref.dataId.values[d]));
          } catch (err) {
            if (/UNIQUE/.test((err as Error).message)) {
              throw new ConflictingDefinitionError(`TAGGED collection '${collectionName}' already has a different ${rec.datasetType.name} dataset with data ID ${ref.dataId.toString()}`, { cause: err });
            }
            throw err;
          }
        }
      }
    });
  }

  disassociate(collectionName: string, refs: DatasetRef[]): void {
    const coll = this.collections.getOfType(collectionName, 'TAGGED', 'disassociate');
    this.db.transaction(() => {
      for (const [rec, list] of this.groupByType(refs)) {
        const del = this.db.prepare(`DELETE FROM ${q(rec.tagTable)} WHERE dataset_id = ? AND collection_id = ?`);
        for (const ref of list) del.run(uuidToHex(ref.id), coll.id);
      }
    });
  }

  private groupByType(refs: DatasetRef[]): Map<DatasetTypeRecord, DatasetRef[]> {
    const out = new Map<DatasetTypeRecord, DatasetRef[]>();
    for (const ref of refs) {
      const rec = this.record(ref.datasetType.isComponent() ? ref.datasetType.parentName : ref.datasetType.name);
      const list = out.get(rec) ?? [];
      list.push(ref);
      out.set(rec, list);
    }
    return out;
  }

  private calibRecord(rec: DatasetTypeRecord, action: string): string {
    if (!rec.calibTable || !rec.datasetType.isCalibration) {
      throw new CollectionTypeError(`Dataset type '${rec.datasetType.name}' is not a calibration dataset type, so it cannot be ${action}`);
    }
    return rec.calibTable;
  }

  /** Certifies datasets into a CALIBRATION collection for a validity range; overlapping ranges for the same data ID are refused. */
  certify(collectionName: string, refs: DatasetRef[], timespan: TimespanNs): void {
    const coll = this.collections.getOfType(collectionName, 'CALIBRATION', 'certify');
    const [b, e] = toStoredBounds(timespan);
    if (e <= b) throw new ConflictingDefinitionError(`Cannot certify with an empty validity range ${formatTimespan(timespan)}`);
    this.db.transaction(() => {
      for (const [rec, list] of this.groupByType(refs)) {
        const table = this.calibRecord(rec, 'certified');
        const dims = rec.datasetType.dimensions.required;
        this.updateSummaries(coll.id, rec, list.map((r) => r.dataId));
        const seen = new Map<string, DatasetRef>();
        for (const ref of list) {
          const prior = seen.get(ref.dataId.key());
          if (prior) throw new ConflictingDefinitionError(`Two ${rec.datasetType.name} datasets (${prior.id} and ${ref.id}) for ${ref.dataId.toString()} cannot both be certified for ${formatTimespan(timespan)}`);
          seen.set(ref.dataId.key(), ref);
        }
        const overlap = this.db.prepare(`SELECT dataset_id, CAST(timespan_begin AS TEXT) AS b, CAST(timespan_end AS TEXT) AS e FROM ${q(table)} WHERE dataset_type_id = ? AND collection_id = ?${dims.map((d) => ` AND ${q(d)} = ?`).join('')} AND timespan_begin < ? AND ? < timespan_end LIMIT 1`);
        const ins = this.db.prepare(`INSERT INTO ${q(table)} (dataset_type_id, dataset_id, collection_id, ${dims.map(q).join(', ')}${dims.length ? ', ' : ''}timespan_begin, timespan_end) VALUES (${['?', '?', '?', ...dims.map(() => '?'), '?', '?'].join(', ')})`);
        for (const ref of list) {
          const dimValues = dims.map((d) => ref.dataId.values[d]);
          const clash = overlap.get<{ dataset_id: string; b: string; e: string }>(rec.id, coll.id, ...dimValues, e, b);
          if (clash) {
            throw new ConflictingDefinitionError(`${rec.datasetType.name} ${ref.dataId.toString()} in '${collectionName}': validity range ${formatTimespan(timespan)} overlaps the existing range ${formatTimespan(fromStoredBounds(BigInt(clash.b), BigInt(clash.e)))} of dataset ${hexToUuid(clash.dataset_id)}`);
          }
          ins.run(rec.id, uuidToHex(ref.id), coll.id, ...dimValues, b, e);
        }
      }
    });
  }

  /** Removes validity over `timespan` (splitting ranges that extend beyond it), optionally only for some data IDs. */
  decertify(collectionName: string, datasetType: string, timespan: TimespanNs, dataIds: DataCoordinate[] | null): number {
    const coll = this.collections.getOfType(collectionName, 'CALIBRATION', 'decertify');
    const rec = this.record(datasetType);
    const table = this.calibRecord(rec, 'decertified');
    const dims = rec.datasetType.dimensions.required;
    const [b, e] = toStoredBounds(timespan);
    let affected = 0;
    this.db.transaction(() => {
      const select = this.db.prepare(`SELECT id, dataset_id, ${dims.map(q).join(', ')}${dims.length ? ', ' : ''}CAST(timespan_begin AS TEXT) AS tb, CAST(timespan_end AS TEXT) AS te FROM ${q(table)} WHERE dataset_type_id = ? AND collection_id = ? AND timespan_begin < ? AND ? < timespan_end`);
      const keys = dataIds ? new Set(dataIds.map((d) => d.key())) : null;
      const rows = select.all<Record<string, string | number>>(rec.id, coll.id, e, b).filter((r) => keys === null || keys.has(dims.map((d) => String(r[d])).join('\u0000')));
      const del = this.db.prepare(`DELETE FROM ${q(table)} WHERE id = ?`);
      const ins = this.db.prepare(`INSERT INTO ${q(table)} (dataset_type_id, dataset_id, collection_id, ${dims.map(q).join(', ')}${dims.length ? ', ' : ''}timespan_begin, timespan_end) VALUES (${['?', '?', '?', ...dims.map(() => '?'), '?', '?'].join(', ')})`);
      for (const r of rows) {
        del.run(r.id as number);
        const tb = BigInt(r.tb as string);
        const te = BigInt(r.te as string);
        const dimValues = dims.map((d) => r[d] as string | number);
        if (tb < b) ins.run(rec.id, r.dataset_id as string, coll.id, ...dimValues, tb, b);
        if (e < te) ins.run(rec.id, r.dataset_id as string, coll.id, ...dimValues, e, te);
        affected++;
      }
    });
    return affected;
  }

  /**
   * Deletes datasets from the registry (and every collection); refuses datasets still stored in a
   * datastore. Set-based: a few statements per chunk of IDs instead of one per dataset (a per-row
   * DELETE re-runs the foreign-key cascade program each time: 5x slower at 2,000).
   */
  remove(refs: DatasetRef[]): void {
    if (refs.length === 0) return;
    this.db.transaction(() => {
      for (let start = 0; start < refs.length; start += REMOVE_CHUNK) {
        const chunk = refs.slice(start, start + REMOVE_CHUNK);
        const hexes = chunk.map((r) => uuidToHex(r.id));
        const ids = JSON.stringify(hexes);
        const stored = this.db
          .prepare('SELECT datastore_name, dataset_id FROM dataset_location WHERE dataset_id IN (SELECT value FROM json_each(?)) LIMIT 1')
          .get<{ datastore_name: string; dataset_id: string }>(ids);
        if (stored) {
          const ref = chunk[hexes.indexOf(stored.dataset_id)];
          throw new OrphanedRecordError(`Dataset ${ref.toString()} is still stored in datastore '${stored.datastore_name}'; remove it from the datastore first`);
        }
        // The association rows would go by ON DELETE CASCADE; deleting them first, per table, is cheaper.
        const tables = new Set<string>();
        for (const ref of chunk) {
          const rec = this.datasetTypes.find(ref.datasetType.isComponent() ? ref.datasetType.parentName : ref.datasetType.name);
          if (!rec) continue;
          tables.add(rec.tagTable);
          if (rec.calibTable) tables.add(rec.calibTable);
        }
        for (const table of tables) this.db.prepare(`DELETE FROM ${q(table)} WHERE dataset_id IN (SELECT value FROM json_each(?))`).run(ids);
        this.db.prepare('DELETE FROM dataset WHERE id IN (SELECT value FROM json_each(?))').run(ids);
      }
    });
  }

  /** Every (dataset, collection[, validity]) membership of a dataset type in the given collections. */
  associations(rec: DatasetTypeRecord, collectionNames: string[]): DatasetAssociation[] {
    const out: DatasetAssociation[] = [];
    const dims = rec.datasetType.dimensions.required;
    const dimCols = dims.map((d) => `t.${q(d)}`).join(', ');
    for (const name of this.collections.flatten(collectionNames)) {
      const coll = this.collections.get(name);
      const isCalib = coll.type === 'CALIBRATION';
      if (isCalib && !rec.calibTable) continue;
      const table = isCalib ? rec.calibTable! : rec.tagTable;
      const extra = isCalib ? ', CAST(t.timespan_begin AS TEXT) AS tb, CAST(t.timespan_end AS TEXT) AS te' : '';
      const rows = this.db.prepare(`SELECT t.dataset_id, d.run_id${dims.length ? ', ' + dimCols : ''}${extra} FROM ${q(table)} AS t JOIN dataset AS d ON d.id = t.dataset_id WHERE t.dataset_type_id = ? AND t.collection_id = ?`).all<Record<string, string | number>>(rec.id, coll.id);
      for (const r of rows) {
        const values: Record<string, string | number> = {};
        for (const d of dims) values[d] = r[d];
        const ref = new DatasetRef(rec.datasetType, new DataCoordinate(rec.datasetType.dimensions, values), this.collections.getById(r.run_id as number).name, hexToUuid(r.dataset_id as string));
        out.push({ ref, collection: name, timespan: isCalib ? fromStoredBounds(BigInt(r.tb as string), BigInt(r.te as string)) : null });
      }
    }
    return out;
  }
}
