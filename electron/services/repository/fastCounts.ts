// Per-collection dataset totals straight from daf_butler's association tables (dataset_tags_NNNNNNNN for
// RUN/TAGGED, dataset_calibs_NNNNNNNN for CALIBRATION), which the tree and the dataset-type view show for many
// collections at once. A plain COUNT on the (collection_id, dataset_type_id) index is ~25× faster than a full
// dataset query at a million datasets. Table names come from dataset_type rows and are checked, never from
// user input. Callers fall back to the registry's query when this returns null.
import type { Database } from '../../../core/registry/index.js';

const TABLE_NAME = /^dataset_(tags|calibs)_[0-9]{8}$/;

interface TypeTables {
  id: number;
  name: string;
  tags: string;
  calibs: string | null;
}

export class FastCounts {
  private readonly types: TypeTables[];
  constructor(private readonly db: Database) {
    this.types = db
      .prepare('SELECT id, name, tag_association_table AS tags, calibration_association_table AS calibs FROM dataset_type')
      .all<TypeTables>()
      .filter((t) => TABLE_NAME.test(t.tags) && (t.calibs === null || TABLE_NAME.test(t.calibs)) && db.tableExists(t.tags));
  }

  private collection(name: string): { id: number; type: number } | null {
    return this.db.prepare('SELECT collection_id AS id, type FROM collection WHERE name = ?').get<{ id: number; type: number }>(name) ?? null;
  }

  private countIn(t: TypeTables, collection: { id: number; type: number }): number {
    // daf_butler collection type codes: 1 RUN, 2 TAGGED, 3 CHAINED, 4 CALIBRATION.
    const table = collection.type === 4 ? t.calibs : t.tags;
    if (!table || !this.db.tableExists(table)) return 0;
    const column = collection.type === 4 ? 'COUNT(DISTINCT dataset_id)' : 'COUNT(*)';
    const row = this.db.prepare(`SELECT ${column} AS n FROM "${table}" WHERE collection_id = ? AND dataset_type_id = ?`).get<{ n: number | bigint }>(collection.id, t.id);
    return Number(row?.n ?? 0);
  }

  /** Datasets directly in a RUN, TAGGED or CALIBRATION collection; null for chains or unknown names. */
  total(name: string): number | null {
    const c = this.collection(name);
    if (!c || c.type === 3) return null;
    return this.types.reduce((n, t) => n + this.countIn(t, c), 0);
  }

  /**
   * Datasets of one type directly in a non-chained collection; null when that cannot be answered here.
   * Find-first changes nothing in one RUN or TAGGED collection (one dataset per data ID there), but in a
   * CALIBRATION collection it depends on validity ranges, so that case is left to the registry.
   */
  ofType(datasetType: string, name: string, findFirst = false): number | null {
    const c = this.collection(name);
    const t = this.types.find((x) => x.name === datasetType);
    if (!c || c.type === 3 || !t || (findFirst && c.type === 4)) return null;
    return this.countIn(t, c);
  }
}
