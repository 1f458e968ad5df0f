// The storage abstraction under FileDatastore. Posix today; an object store fits the
// same shape (stage = upload to the final key, commit = no-op, localPath = cached copy).

export type TransferMode = 'auto' | 'copy' | 'move' | 'link' | 'symlink' | 'hardlink' | 'relsymlink' | 'direct';
export const TRANSFER_MODES: readonly TransferMode[] = ['auto', 'copy', 'move', 'link', 'symlink', 'hardlink', 'relsymlink', 'direct'];

/** A written but not yet published artifact. */
export interface StagedFile {
  /** Final path, relative to the storage root. */
  path: string;
  /** Where the bytes wait (a temporary file next to the final one on posix). */
  tmp: string;
  size: number;
}

export class StorageError extends Error {
  override name = 'StorageError';
}

export interface Storage {
  readonly kind: string;
  /** Root as an absolute URI (file:///...). */
  readonly rootUri: string;
  /** Absolute URI of a relative path (absolute URIs pass through). */
  uri(path: string): string;
  exists(path: string): boolean;
  /** Size in bytes, or undefined if absent. */
  size(path: string): number | undefined;
  /** The whole artifact; `expectedSize` (the recorded size) may spare a size lookup. */
  readBytes(path: string, expectedSize?: number): Promise<Uint8Array>;
  localPath(path: string): Promise<string>;
  /** Writes bytes to a temporary artifact; publish with commit(). */
  stageBytes(path: string, bytes: Uint8Array): StagedFile;
  /** Lets `fn` write a local temporary file; publish with commit(). */
  stageWith(path: string, fn: (tmpPath: string) => Promise<void>): Promise<StagedFile>;
  /** Publishes a staged artifact atomically; refuses to replace an existing artifact. */
  commit(staged: StagedFile): void;
  /** Drops a staged artifact (never fails). */
  discard(staged: StagedFile): void;
  /** Removes an artifact if present; returns whether something was removed. */
  remove(path: string): boolean;
  /** Removes many artifacts (concurrently where the storage allows); missing ones are ignored. */
  removeMany(paths: readonly string[]): Promise<void>;
  /** Brings an external file into the store at `path` (copy, move, links). */
  transferIn(source: string, path: string, mode: Exclude<TransferMode, 'auto' | 'direct'>): void;
  /** Copies or links an artifact out to a destination file. */
  transferOut(path: string, destination: string, mode: Exclude<TransferMode, 'auto' | 'direct' | 'move'>): void;
  /** blake2b (64-byte digest, hex) as daf_butler records it. */
  checksum(path: string): string;
  /** Whether an absolute local path lies inside the root (then ingest needs no transfer). */
  contains(absolutePath: string): boolean;
  /** Path relative to the root for an absolute path inside it. */
  relative(absolutePath: string): string;
}
