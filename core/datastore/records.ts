// The datastore's rows in the registry database, in daf_butler's tables:
// file_datastore_records (one row per artifact, component "__NULL_STRING__" for none),
// dataset_location and dataset_location_trash (which datastore holds which dataset).
import type { Database, PreparedStatement } from '../registry/db/database.js';
import { hexToUuid, uuidToHex } from '../datasets/ids.js';

export const NULL_COMPONENT = '__NULL_STRING__';

export interface StoredFileInfo {
  datasetId: string;
  /** Relative to the datastore root, or an absolute URI (direct ingest). */
  path: string;
  formatter: string;
  storageClass: string;
  component: string | null;
  checksum: string | null;
  fileSize: number | null;
}

const DDL = [
  `CREATE TABLE IF NOT EXISTS file_datastore_records (
    dataset_id CHAR(32) NOT NULL, path TEXT NOT NULL, formatter TEXT NOT NULL, storage_class TEXT NOT NULL,
    component VARCHAR(32) NOT NULL, checksum TEXT, file_size BIGINT, PRIMARY KEY (dataset_id, component),
    CONSTRAINT file_datastore_records_len_component CHECK (length("component")<=32 AND length("component")>=1))`,
  'CREATE INDEX IF NOT EXISTS file_datastore_records_idx_path ON file_datastore_records (path)',
  `CREATE TABLE IF NOT EXISTS dataset_location (datastore_name TEXT NOT NULL, dataset_id CHAR(32) NOT NULL, PRIMARY KEY (datastore_name, dataset_id))`,
  `CREATE TABLE IF NOT EXISTS dataset_location_trash (datastore_name TEXT NOT NULL, dataset_id CHAR(32) NOT NULL, PRIMARY KEY (datastore_name, dataset_id))`,
];

/** IDs per set-based statement (one JSON array parameter each). */
const ID_CHUNK = 50_000;

/** Dataset IDs as JSON arrays of their stored (hex) form, ID_CHUNK at a time: made once, used by several statements. */
export interface StoredIdChunks {
  readonly chunks: readonly string[];
}

export function storedIdChunks(datasetIds: readonly string[]): StoredIdChunks {
  const chunks: string[] = [];
  for (let i = 0; i < datasetIds.length; i += ID_CHUNK) chunks.push(JSON.stringify(datasetIds.slice(i, i + ID_CHUNK).map(uuidToHex)));
  return { chunks };
}

export class FileRecordsTable {
  /** Statements of the hot paths (put, get), prepared once. */
  private insertStmt: PreparedStatement | undefined;
  private getStmt: PreparedStatement | undefined;

  constructor(
    private readonly db: Database,
    readonly table = 'file_datastore_records',
  ) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`Invalid records table name '${table}' in datastore config records.table`);
  }

  /** Creates the tables when missing (the registry normally has). */
  ensureTables(): void {
    if (this.db.readOnly) return;
    for (const sql of DDL) this.db.exec(this.table === 'file_datastore_records' ? sql : sql.replace(/file_datastore_records/g, this.table));
  }

  insert(infos: readonly StoredFileInfo[]): void {
    const stmt = (this.insertStmt ??= this.db.prepare(
      `INSERT INTO ${this.table} (dataset_id, path, formatter, storage_class, component, checksum, file_size) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ));
    for (const i of infos) stmt.run(uuidToHex(i.datasetId), i.path, i.formatter, i.storageClass, i.component ?? NULL_COMPONENT, i.checksum, i.fileSize);
  }

  get(datasetId: string): StoredFileInfo[] {
    // Rows as arrays (no per-row object of seven keys): a get reads one record.
    const stmt = (this.getStmt ??= this.db.prepare(`SELECT path, formatter, storage_class, component, checksum, file_size, dataset_id FROM ${this.table} WHERE dataset_id = ? ORDER BY component`));
    const rows = stmt.rows(uuidToHex(datasetId));
    const id = datasetId.length === 36 && datasetId === datasetId.toLowerCase() ? datasetId : undefined;
    const out: StoredFileInfo[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const component = r[3] as string;
      const size = r[5] as number | null;
      out[i] = {
        datasetId: id ?? hexToUuid(r[6] as string),
        path: r[0] as string,
        formatter: r[1] as string,
        storageClass: r[2] as string,
        component: component === NULL_COMPONENT ? null : component,
        checksum: r[4] as string | null,
        fileSize: size === null || size < 0 ? null : Number(size),
      };
    }
    return out;
  }

  has(datasetId: string): boolean {
    return this.db.prepare(`SELECT 1 FROM ${this.table} WHERE dataset_id = ? LIMIT 1`).get(uuidToHex(datasetId)) !== undefined;
  }

  /** Deletes the records of datasets (set-based; `ids` from storedIdChunks). */
  delete(ids: StoredIdChunks): void {
    for (const chunk of ids.chunks) this.db.prepare(`DELETE FROM ${this.table} WHERE dataset_id IN (SELECT value FROM json_each(?))`).run(chunk);
  }

  /**
   * Deletes the records of datasets and returns the distinct relative paths (not absolute URIs)
   * they had: one pass over the rows (DELETE ... RETURNING) instead of a SELECT and a DELETE.
   */
  deleteReturningRelativePaths(ids: StoredIdChunks): string[] {
    const out = new Set<string>();
    for (const chunk of ids.chunks) {
      for (const row of this.db.prepare(`DELETE FROM ${this.table} WHERE dataset_id IN (SELECT value FROM json_each(?)) RETURNING path`).rows(chunk)) {
        const path = row[0] as string;
        if (!path.includes('://')) out.add(path);
      }
    }
    return [...out];
  }

  /** Of the given paths, those some record still uses. */
  pathsInUse(paths: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (let i = 0; i < paths.length; i += ID_CHUNK) {
      const chunk = JSON.stringify(paths.slice(i, i + ID_CHUNK));
      for (const row of this.db.prepare(`SELECT DISTINCT path FROM ${this.table} WHERE path IN (SELECT value FROM json_each(?))`).rows(chunk)) out.add(row[0] as string);
    }
    return out;
  }

  isPathReferenced(path: string): boolean {
    return this.db.prepare(`SELECT 1 FROM ${this.table} WHERE path = ? LIMIT 1`).get(path) !== undefined;
  }

  /**
   * Paths of the trashed datasets' artifacts that may be deleted: relative paths (direct
   * ingests, absolute URIs, are not ours) no dataset outside the trash still uses. One
   * statement: the trash drives the records' primary key, the path index answers the rest.
   */
  deletablePaths(datastoreName: string): string[] {
    return this.db
      .prepare(
        `SELECT DISTINCT r.path AS path FROM dataset_location_trash t JOIN ${this.table} r ON r.dataset_id = t.dataset_id
         WHERE t.datastore_name = ? AND instr(r.path, '://') = 0
         AND NOT EXISTS (SELECT 1 FROM ${this.table} o WHERE o.path = r.path
           AND NOT EXISTS (SELECT 1 FROM dataset_location_trash ot WHERE ot.datastore_name = ? AND ot.dataset_id = o.dataset_id))`,
      )
      .rows(datastoreName, datastoreName)
      .map((row) => row[0] as string);
  }

  /** Deletes the records of every trashed dataset of a datastore. */
  deleteTrashed(datastoreName: string): void {
    this.db.prepare(`DELETE FROM ${this.table} WHERE dataset_id IN (SELECT dataset_id FROM dataset_location_trash WHERE datastore_name = ?)`).run(datastoreName);
  }
}

export class DatasetLocationTable {
  constructor(
    private readonly db: Database,
    readonly datastoreName: string,
  ) {}

  private insertStmt: PreparedStatement | undefined;

  insert(datasetIds: readonly string[]): void {
    const stmt = (this.insertStmt ??= this.db.prepare('INSERT OR IGNORE INTO dataset_location (datastore_name, dataset_id) VALUES (?, ?)'));
    for (const id of datasetIds) stmt.run(this.datastoreName, uuidToHex(id));
  }

  has(datasetId: string): boolean {
    return this.db.prepare('SELECT 1 FROM dataset_location WHERE datastore_name = ? AND dataset_id = ?').get(this.datastoreName, uuidToHex(datasetId)) !== undefined;
  }

  /** Moves datasets from dataset_location to dataset_location_trash (set-based: one statement each). */
  moveToTrash(datasetIds: readonly string[]): void {
    for (let i = 0; i < datasetIds.length; i += 50_000) {
      const hexes = JSON.stringify(datasetIds.slice(i, i + 50_000).map(uuidToHex));
      this.db
        .prepare('INSERT OR IGNORE INTO dataset_location_trash (datastore_name, dataset_id) SELECT datastore_name, dataset_id FROM dataset_location WHERE datastore_name = ? AND dataset_id IN (SELECT value FROM json_each(?))')
        .run(this.datastoreName, hexes);
      this.db.prepare('DELETE FROM dataset_location WHERE datastore_name = ? AND dataset_id IN (SELECT value FROM json_each(?))').run(this.datastoreName, hexes);
    }
  }

  clearTrash(): void {
    this.db.prepare('DELETE FROM dataset_location_trash WHERE datastore_name = ?').run(this.datastoreName);
  }

  trashed(): string[] {
    return this.db.prepare('SELECT dataset_id FROM dataset_location_trash WHERE datastore_name = ?').all<{ dataset_id: string }>(this.datastoreName).map((r) => hexToUuid(r.dataset_id));
  }

  /** Forgets that this datastore holds the datasets (set-based; `ids` from storedIdChunks). */
  remove(ids: StoredIdChunks): void {
    for (const chunk of ids.chunks) this.db.prepare('DELETE FROM dataset_location WHERE datastore_name = ? AND dataset_id IN (SELECT value FROM json_each(?))').run(this.datastoreName, chunk);
  }

  /** Whether anything of this datastore waits in the trash. */
  hasTrash(): boolean {
    return this.db.prepare('SELECT 1 FROM dataset_location_trash WHERE datastore_name = ? LIMIT 1').get(this.datastoreName) !== undefined;
  }
}
