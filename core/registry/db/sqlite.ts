// SQLite implementation of the registry database on better-sqlite3: WAL journal, a busy
// timeout as daf_butler's (5 min), foreign keys on, cached prepared statements.
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { Database, PreparedStatement, RunResult, SqlRow, SqlValue } from './database.js';

type Native = BetterSqlite3.Database;
type NativeStatement = BetterSqlite3.Statement<unknown[]>;

export interface SqliteOptions {
  readOnly?: boolean;
  /** Create the file if missing (only for new repositories). */
  create?: boolean;
  busyTimeoutMs?: number;
}

function bind(params: SqlValue[]): unknown[] {
  // SQLite has no boolean type; daf_butler stores booleans as 0/1. Copy only when needed (hot path).
  for (let i = 0; i < params.length; i++) {
    if (typeof params[i] === 'boolean') return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  }
  return params;
}

class SqliteStatement implements PreparedStatement {
  /** The statement in object mode (rows as objects), prepared on first use unless given. */
  private objectStmt: NativeStatement | null;
  /** The statement in raw mode (rows as arrays): raw() switches a statement's mode, so each mode keeps its own. */
  private rawStmt: NativeStatement | null = null;
  constructor(private readonly native: Native, private readonly source: string, first: NativeStatement) {
    this.objectStmt = first;
  }
  private object(): NativeStatement {
    return (this.objectStmt ??= this.native.prepare(this.source) as NativeStatement);
  }
  run(...params: SqlValue[]): RunResult {
    const r = this.object().run(...bind(params));
    return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
  }
  get<T = SqlRow>(...params: SqlValue[]): T | undefined {
    return this.object().get(...bind(params)) as T | undefined;
  }
  all<T = SqlRow>(...params: SqlValue[]): T[] {
    return this.object().all(...bind(params)) as T[];
  }
  iterate<T = SqlRow>(...params: SqlValue[]): IterableIterator<T> {
    return this.object().iterate(...bind(params)) as IterableIterator<T>;
  }
  rows(...params: SqlValue[]): unknown[][] {
    if (this.rawStmt === null) {
      // A statement used only for rows (a listing's one-row aggregate) is prepared once, not
      // twice: the first statement changes mode unless it is iterating; object mode, if ever
      // used again, prepares its own.
      const first = this.objectStmt;
      if (first !== null && !first.busy) {
        this.rawStmt = first.raw(true);
        this.objectStmt = null;
      } else this.rawStmt = (this.native.prepare(this.source) as NativeStatement).raw(true);
    }
    return this.rawStmt.all(...bind(params)) as unknown[][];
  }
}

/** SQL that begins or rolls back a transaction (see Database.writeEpoch). */
const TRANSACTION_CONTROL = /^\s*(BEGIN|ROLLBACK)\b/i;
const COMMIT = /^\s*(COMMIT|END)\b/i;
/**
 * With background checkpoints: after a completed checkpoint the next commit restarts the WAL and
 * truncates it to WAL_KEPT_BYTES; once it grows past WAL_CHECKPOINT_BYTES (about SQLite's own
 * 1,000-page trigger) a background checkpoint is asked for, and past WAL_FORCE_BYTES (the WAL
 * could not be restarted, commits kept coming, or no worker runs) the committing thread
 * checkpoints itself.
 */
export const WAL_KEPT_BYTES = 4 << 20;
const WAL_CHECKPOINT_BYTES = 5 << 20;
const WAL_FORCE_BYTES = 16 << 20;

export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  readonly readOnly: boolean;
  readonly location: string;
  private readonly native: Native;
  private readonly cache = new Map<string, SqliteStatement>();
  private epoch = 0;
  private backgroundCheckpoint: ((dbPath: string) => Promise<void> | null) | undefined;
  private checkpointRunning = false;
  /** Transaction statements, prepared once (better-sqlite3's transaction() builds four wrappers per call). */
  private txStatements: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', NativeStatement> | undefined;

  constructor(path: string, options: SqliteOptions = {}) {
    this.location = path;
    this.readOnly = options.readOnly ?? false;
    if (!options.create && path !== ':memory:' && !existsSync(path)) {
      throw new Error(`No registry database at ${path}`);
    }
    this.native = new BetterSqlite3(path, { readonly: this.readOnly, fileMustExist: !options.create });
    this.native.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 300_000}`);
    this.native.pragma('foreign_keys = ON');
    // A larger page cache keeps the dataset/tag indexes in memory during batch inserts and queries.
    this.native.pragma('cache_size = -131072');
    // Sorts and temporary B-trees (ORDER BY over a large result, deep OFFSET pages) stay in memory
    // instead of temporary files; this holds no repository data, so durability is unchanged.
    this.native.pragma('temp_store = MEMORY');
    if (!this.readOnly) {
      // WAL lets readers (the app, a Python butler) read while we write.
      this.native.pragma('journal_mode = WAL');
      this.native.pragma('synchronous = NORMAL');
    }
  }

  exec(sql: string): void {
    if (TRANSACTION_CONTROL.test(sql)) this.epoch++;
    this.native.exec(sql);
    if (this.backgroundCheckpoint && COMMIT.test(sql)) this.afterCommit();
  }

  setBackgroundCheckpoint(run: (dbPath: string) => Promise<void> | null): void {
    if (this.readOnly || this.location === ':memory:') return;
    this.backgroundCheckpoint = run;
    this.native.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`);
    this.native.pragma('wal_autocheckpoint = 0');
  }

  /** Asks for a checkpoint once the WAL has grown (see WAL_CHECKPOINT_BYTES); one at a time. */
  private afterCommit(): void {
    const run = this.backgroundCheckpoint;
    if (run === undefined) return;
    let size: number;
    try {
      size = statSync(`${this.location}-wal`).size;
    } catch {
      return;
    }
    if (size < WAL_CHECKPOINT_BYTES) return;
    if (size >= WAL_FORCE_BYTES) {
      // Under a stream of commits a background checkpoint never finds the WAL idle, so it is never
      // reset: past the limit this thread finishes the job (mostly done by then) and resets it.
      this.native.pragma('wal_checkpoint(PASSIVE)');
      return;
    }
    if (this.checkpointRunning) return;
    this.checkpointRunning = true;
    // Asked for once this thread yields, so work the caller hands the worker right after its
    // commit (a purge's file removals) goes first. Without a worker, the limit above applies.
    const timer = setTimeout(() => {
      const background = run(this.location);
      if (background === null) {
        this.checkpointRunning = false;
        return;
      }
      // A failed background checkpoint is retried after a later commit (or by SQLite at close).
      void background.catch(() => undefined).finally(() => (this.checkpointRunning = false));
    }, 0);
    timer.unref();
  }

  get writeEpoch(): number {
    return this.epoch;
  }

  prepare(sql: string): PreparedStatement {
    let s = this.cache.get(sql);
    if (!s) {
      s = new SqliteStatement(this.native, sql, this.native.prepare(sql) as NativeStatement);
      this.cache.set(sql, s);
    }
    return s;
  }

  transaction<T>(fn: () => T): T {
    const s = (this.txStatements ??= {
      begin: this.native.prepare('BEGIN') as NativeStatement,
      commit: this.native.prepare('COMMIT') as NativeStatement,
      rollback: this.native.prepare('ROLLBACK') as NativeStatement,
      savepoint: this.native.prepare('SAVEPOINT registry_tx') as NativeStatement,
      release: this.native.prepare('RELEASE registry_tx') as NativeStatement,
      rollbackTo: this.native.prepare('ROLLBACK TO registry_tx') as NativeStatement,
    });
    // Nested calls become savepoints (same name: RELEASE and ROLLBACK TO act on the innermost).
    const nested = this.native.inTransaction;
    if (!nested) this.epoch++;
    (nested ? s.savepoint : s.begin).run();
    try {
      const result = fn();
      if (result instanceof Promise) throw new TypeError('A database transaction function must be synchronous (it returned a promise)');
      (nested ? s.release : s.commit).run();
      if (!nested && this.backgroundCheckpoint) this.afterCommit();
      return result;
    } catch (err) {
      if (this.native.inTransaction) {
        this.epoch++;
        if (nested) {
          s.rollbackTo.run();
          s.release.run();
        } else s.rollback.run();
      }
      throw err;
    }
  }

  transactionWithoutForeignKeys<T>(fn: () => T): { result: T } | null {
    // PRAGMA foreign_keys is a no-op inside a transaction, so only a top-level call can switch it.
    if (this.readOnly || this.native.inTransaction) return null;
    this.native.pragma('foreign_keys = OFF');
    try {
      return { result: this.transaction(fn) };
    } finally {
      this.native.pragma('foreign_keys = ON');
    }
  }

  get inTransaction(): boolean {
    return this.native.inTransaction;
  }

  function(name: string, options: { deterministic: boolean }, fn: (a: unknown, b: unknown) => number | null): unknown {
    return this.native.function(name, { deterministic: options.deterministic }, (a: unknown, b: unknown) => fn(a, b));
  }

  tableExists(name: string): boolean {
    // From SQLite's in-memory schema (a name lookup), not a scan of sqlite_master's pages
    // (~200 rows of DDL in daf_butler's schema: 0.15 ms on a connection's first call).
    // name = ? keeps sqlite_master's exact, case-sensitive match.
    return this.prepare("SELECT 1 FROM pragma_table_list(?) WHERE schema = 'main' AND type = 'table' AND name = ?").get(name, name) !== undefined;
  }

  tableColumns(name: string): string[] {
    return (this.native.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(name) as { name: string }[]).map((r) => r.name);
  }

  tableNames(): string[] {
    return (this.native.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  }

  close(): void {
    this.cache.clear();
    if (this.native.open) this.native.close();
  }
}
