// Dataset types as daf_butler's ByDimensions manager stores them: dataset_type rows pointing at
// one shared dataset_tags_NNNNNNNN (and dataset_calibs_NNNNNNNN) table per dimension group,
// whose key is a dimension_graph_key row listing the group's required dimensions.
import { DatasetType } from '../datasets/index.js';
import type { DimensionGroup, DimensionUniverse } from '../dimensions/index.js';
import type { Database } from './db/database.js';
import { ConflictingDefinitionError, MissingDatasetTypeError } from './errors.js';
import { globToRegExp, hasWildcard } from './glob.js';
import { suggest } from './suggest.js';
import { calibTableName, calibTableSpec, tagTableName, tagTableSpec } from './schema/datasetTables.js';
import { tableDdl } from './schema/tableSpec.js';

export interface DatasetTypeRecord {
  id: number;
  datasetType: DatasetType;
  dimensionsKey: number;
  tagTable: string;
  calibTable: string | null;
}

export class DatasetTypeManager {
  private byName = new Map<string, DatasetTypeRecord>();
  private byId = new Map<number, DatasetTypeRecord>();
  private groupKeys = new Map<string, number>();

  constructor(private readonly db: Database, private readonly universe: DimensionUniverse) {
    this.refresh();
  }

  refresh(): void {
    this.byName.clear();
    this.byId.clear();
    this.groupKeys.clear();
    const groups = new Map<number, string[]>();
    for (const r of this.db.prepare('SELECT dimension_graph_id AS id, dimension_name AS name FROM dimension_graph_definition').all<{ id: number; name: string }>()) {
      const list = groups.get(r.id) ?? [];
      list.push(r.name);
      groups.set(r.id, list);
    }
    for (const id of this.db.prepare('SELECT id FROM dimension_graph_key').all<{ id: number }>().map((r) => r.id)) {
      if (!groups.has(id)) groups.set(id, []);
    }
    for (const [id, names] of groups) this.groupKeys.set(this.groupKey(this.universe.group(names)), id);
    const rows = this.db.prepare('SELECT id, name, storage_class, dimensions_key, tag_association_table, calibration_association_table FROM dataset_type').all<{
      id: number; name: string; storage_class: string; dimensions_key: number; tag_association_table: string; calibration_association_table: string | null;
    }>();
    for (const r of rows) {
      const names = groups.get(r.dimensions_key);
      if (names === undefined) throw new Error(`Dataset type '${r.name}' refers to dimensions key ${r.dimensions_key}, which dimension_graph_key does not have`);
      const datasetType = new DatasetType(r.name, this.universe.group(names), r.storage_class, { isCalibration: r.calibration_association_table !== null });
      this.cache({ id: r.id, datasetType, dimensionsKey: r.dimensions_key, tagTable: r.tag_association_table, calibTable: r.calibration_association_table });
    }
  }

  private cache(rec: DatasetTypeRecord): void {
    this.byName.set(rec.datasetType.name, rec);
    this.byId.set(rec.id, rec);
  }

  private groupKey(group: DimensionGroup): string {
    return group.required.join(',');
  }

  /** The dimension_graph_key id for a group, inserting it if needed. */
  private dimensionsKey(group: DimensionGroup): number {
    const key = this.groupKey(group);
    let id = this.groupKeys.get(key);
    if (id === undefined) {
      id = Number(this.db.prepare('INSERT INTO dimension_graph_key DEFAULT VALUES').run().lastInsertRowid);
      const ins = this.db.prepare('INSERT INTO dimension_graph_definition (dimension_graph_id, dimension_name) VALUES (?, ?)');
      for (const d of group.required) ins.run(id, d);
      this.groupKeys.set(key, id);
    }
    return id;
  }

  /**
   * Registers a dataset type; returns false if an identical one exists. A different definition
   * under the same name raises ConflictingDefinitionError. Components cannot be registered.
   */
  register(datasetType: DatasetType): boolean {
    if (datasetType.isComponent()) {
      throw new ConflictingDefinitionError(`Component dataset type '${datasetType.name}' cannot be registered; register its parent '${datasetType.parentName}'`);
    }
    const existing = this.find(datasetType.name);
    if (existing) {
      if (existing.datasetType.equals(datasetType)) return false;
      throw new ConflictingDefinitionError(`Dataset type '${datasetType.name}' is already registered with a different definition: ${existing.datasetType.differences(datasetType).join('; ')}`);
    }
    this.db.transaction(() => {
      const key = this.dimensionsKey(datasetType.dimensions);
      const tagTable = tagTableName(key);
      if (!this.db.tableExists(tagTable)) for (const sql of tableDdl(tagTableSpec(key, datasetType.dimensions))) this.db.exec(sql);
      let calibTable: string | null = null;
      if (datasetType.isCalibration) {
        calibTable = calibTableName(key);
        if (!this.db.tableExists(calibTable)) for (const sql of tableDdl(calibTableSpec(key, datasetType.dimensions))) this.db.exec(sql);
      }
      const r = this.db.prepare('INSERT INTO dataset_type (name, storage_class, dimensions_key, tag_association_table, calibration_association_table) VALUES (?, ?, ?, ?, ?)')
        .run(datasetType.name, datasetType.storageClassName, key, tagTable, calibTable);
      this.cache({ id: Number(r.lastInsertRowid), datasetType, dimensionsKey: key, tagTable, calibTable });
    });
    return true;
  }

  find(name: string): DatasetTypeRecord | undefined {
    const rec = this.byName.get(name);
    if (rec) return rec;
    // A cache miss may be another process's new dataset type: reload once and look again.
    if (this.db.prepare('SELECT 1 FROM dataset_type WHERE name = ?').get(name) === undefined) return undefined;
    this.refresh();
    return this.byName.get(name);
  }

  /** The record of a (parent) dataset type; throws MissingDatasetTypeError naming it. */
  get(name: string): DatasetTypeRecord {
    const rec = this.find(name);
    if (!rec) {
      const parent = DatasetType.splitName(name)[0];
      const hint = parent !== name && this.byName.has(parent) ? ` (its parent '${parent}' is; ask for the parent and the component separately)` : suggest(name, [...this.byName.keys()]);
      throw new MissingDatasetTypeError(`Dataset type '${name}' is not registered${hint}`);
    }
    return rec;
  }

  getById(id: number): DatasetTypeRecord {
    let rec = this.byId.get(id);
    if (!rec) {
      this.refresh();
      rec = this.byId.get(id);
    }
    if (!rec) throw new MissingDatasetTypeError(`No dataset type with id ${id}`);
    return rec;
  }

  all(): DatasetTypeRecord[] {
    return [...this.byName.values()].sort((a, b) => a.datasetType.name.localeCompare(b.datasetType.name));
  }

  /** Dataset types matching names or glob patterns ('...' or '*' for all). */
  query(expression?: string | string[]): DatasetTypeRecord[] {
    if (expression === undefined) return this.all();
    const items = Array.isArray(expression) ? expression : [expression];
    const out = new Map<string, DatasetTypeRecord>();
    for (const item of items) {
      if (item === '...' || hasWildcard(item)) {
        const re = item === '...' ? /^/ : globToRegExp(item);
        for (const r of this.all()) if (re.test(r.datasetType.name)) out.set(r.datasetType.name, r);
      } else {
        const r = this.byName.get(item);
        if (r) out.set(item, r);
      }
    }
    return [...out.values()].sort((a, b) => a.datasetType.name.localeCompare(b.datasetType.name));
  }

  /** Removes a dataset type that has no datasets. */
  remove(name: string): void {
    const rec = this.get(name);
    const n = this.db.prepare('SELECT COUNT(*) AS n FROM dataset WHERE dataset_type_id = ?').get<{ n: number }>(rec.id)!.n;
    if (n > 0) throw new ConflictingDefinitionError(`Dataset type '${name}' still has ${n} dataset${n > 1 ? 's' : ''}; remove them first`);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM collection_summary_dataset_type WHERE dataset_type_id = ?').run(rec.id);
      this.db.prepare('DELETE FROM dataset_type WHERE id = ?').run(rec.id);
    });
    this.byName.delete(name);
    this.byId.delete(rec.id);
  }
}
