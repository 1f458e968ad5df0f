// The datastore contract shared by FileDatastore, InMemoryDatastore and ChainedDatastore.
// Writes are two-phase so the Butler can keep registry and artifacts consistent: prepare
// (serialise into staged artifacts, may be async), then commit inside the registry's
// database transaction (publish + records), with undo actions if that transaction fails.
import type { DatasetRef } from '../datasets/index.js';

export interface GetOptions {
  component?: string;
  parameters?: Record<string, unknown>;
}

export interface DatasetURIs {
  primary: string | undefined;
  components: Record<string, string>;
  predicted: boolean;
}

/** Undo actions run (newest first) when the surrounding transaction fails. */
export class UndoLog {
  private readonly actions: (() => void)[] = [];

  onRollback(fn: () => void): void {
    this.actions.push(fn);
  }

  rollback(): void {
    while (this.actions.length > 0) {
      const fn = this.actions.pop() as () => void;
      try {
        fn();
      } catch {
        // Best effort: the remaining undo actions must still run.
      }
    }
  }

  clear(): void {
    this.actions.length = 0;
  }
}

export interface PreparedPut {
  /** Publishes artifacts and writes records; call inside the database transaction. */
  commit(undo: UndoLog): void;
  /** Drops staged artifacts if commit never happened (or failed). */
  discard(): void;
}

/** The removal of datasets' artifacts in step with their registry rows (a purge outside a transaction). */
export interface PreparedDeletion {
  /** Inside the registry transaction: drops the datasets' records (files other datasets use are kept). */
  commit(): void;
  /** After the commit: deletes the files. */
  finish(): Promise<void>;
}

export class DatasetNotStoredError extends Error {
  override name = 'FileNotFoundError';
}

export interface RetrieveOptions {
  transfer?: 'copy' | 'link' | 'symlink' | 'hardlink' | 'relsymlink';
  preservePath?: boolean;
  overwrite?: boolean;
}

export interface Datastore {
  readonly name: string;
  readonly isEphemeral: boolean;
  /** Names of this datastore and its children (dataset_location rows use them). */
  readonly names: readonly string[];
  accepts(ref: DatasetRef): boolean;
  /** `defer`: artifacts may be written in the background after commit; call flushWrites() before the database commit. */
  preparePut(obj: unknown, ref: DatasetRef, opts?: { defer?: boolean }): Promise<PreparedPut>;
  /** Waits until at most `limit` background writes remain (0: all); throws the first failure. */
  flushWrites(limit?: number): Promise<void>;
  /** Background writes not yet on disk. */
  readonly pendingWrites: number;
  /** Their bytes (held in memory until written). */
  readonly pendingBytes: number;
  /** The outermost transaction ended (committed or rolled back): trims the crash journal, forgets its write errors. */
  settle(): void;
  get(ref: DatasetRef, options?: GetOptions): Promise<unknown>;
  /** The datastore has records for the dataset. */
  knows(ref: DatasetRef): boolean;
  /** Records exist and every artifact is present. */
  exists(ref: DatasetRef): boolean;
  getURIs(ref: DatasetRef, predict?: boolean): DatasetURIs;
  /** Marks datasets for removal (inside the registry transaction). */
  trash(refs: readonly DatasetRef[]): void;
  /** Deletes trashed artifacts no other dataset uses, then forgets their records. */
  emptyTrash(): Promise<void>;
  /** Drops records without touching artifacts. */
  forget(refs: readonly DatasetRef[]): void;
  /** Deletes datasets' artifacts without the trash round trip: records in the caller's transaction, files after it. */
  prepareDeletion(refs: readonly DatasetRef[]): PreparedDeletion;
  retrieveArtifacts(refs: readonly DatasetRef[], destination: string, options?: RetrieveOptions): string[];
  close(): void;
}
