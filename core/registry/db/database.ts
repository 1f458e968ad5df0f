// The registry's view of a SQL database: prepared statements, nested transactions and a
// little schema introspection. SQLite implements it today; PostgreSQL can implement the same
// interface later without touching the registry.

export type SqlValue = string | number | bigint | boolean | null | Uint8Array;
export type SqlRow = Record<string, unknown>;

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface PreparedStatement {
  run(...params: SqlValue[]): RunResult;
  get<T = SqlRow>(...params: SqlValue[]): T | undefined;
  all<T = SqlRow>(...params: SqlValue[]): T[];
  iterate<T = SqlRow>(...params: SqlValue[]): IterableIterator<T>;
  /** Rows as arrays in column order (no per-row object allocation). */
  rows(...params: SqlValue[]): unknown[][];
}

export interface Database {
  readonly dialect: 'sqlite';
  readonly readOnly: boolean;
  /** Where the database lives (a file path for SQLite). */
  readonly location: string;
  /** Runs SQL with no parameters (DDL, pragmas). */
  exec(sql: string): void;
  /** A prepared statement; identical SQL text returns the cached statement. */
  prepare(sql: string): PreparedStatement;
  /**
   * Runs fn in a transaction; nested calls use savepoints, so an inner failure rolls back only
   * the inner work and the error propagates. fn must be synchronous.
   */
  transaction<T>(fn: () => T): T;
  readonly inTransaction: boolean;
  /**
   * Changes whenever an outermost transaction begins and whenever anything rolls back, through
   * transaction() or exec(). What a caller learnt about the database inside a transaction stays
   * true while the epoch is unchanged (e.g. which summary rows already exist).
   */
  readonly writeEpoch: number;
  /**
   * Runs fn in a transaction with foreign-key enforcement off, for bulk loads whose caller checks
   * the same references itself (once per distinct value rather than once per row). Returns null
   * without running fn when that is impossible (inside an open transaction the setting cannot change).
   */
  transactionWithoutForeignKeys<T>(fn: () => T): { result: T } | null;
  /**
   * Hands WAL checkpoints to `run` (e.g. a worker thread) instead of doing them inside commits;
   * `run` returns null when it cannot, and then the committing thread does it.
   */
  setBackgroundCheckpoint(run: (dbPath: string) => Promise<void> | null): void;
  /** Registers a deterministic scalar SQL function (e.g. core/sphgeom's region overlap test). */
  function(name: string, options: { deterministic: boolean }, fn: (a: unknown, b: unknown) => number | null): unknown;
  tableExists(name: string): boolean;
  tableColumns(name: string): string[];
  tableNames(): string[];
  close(): void;
}
