// Batches of file writes and removals that two threads can share: the main thread and the
// file-operations worker take the next item of a batch from a shared counter (Atomics), so
// whoever is free does the work and nothing is done twice. Used by PosixStorage for the
// artifacts of a Butler transaction and for emptying the trash.
import { closeSync, fsyncSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** One item of a batch that failed. `existed`: a write found the file already there (not ours). */
export interface FileOpFailure {
  index: number;
  code: string | undefined;
  message: string;
  existed: boolean;
}

export interface WriteBatch {
  kind: 'write';
  /** Absolute paths of new files. */
  paths: string[];
  /** Their contents back to back in one shared buffer (one message, no copy per file): file i is [ends[i-1], ends[i]). */
  packed: SharedArrayBuffer;
  ends: number[];
  fsync: boolean;
}

/** Packs file contents into one shared buffer for a WriteBatch. */
export function packContents(data: readonly Uint8Array[]): { packed: SharedArrayBuffer; ends: number[] } {
  let total = 0;
  const ends: number[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) ends[i] = total += data[i].length;
  const packed = new SharedArrayBuffer(total);
  const view = new Uint8Array(packed);
  for (let i = 0; i < data.length; i++) view.set(data[i], ends[i] - data[i].length);
  return { packed, ends };
}

export interface RemoveBatch {
  kind: 'remove';
  paths: string[];
}

export type FileBatch = WriteBatch | RemoveBatch;

/** Messages to the worker: a batch and the shared counter its items are claimed from, or a WAL checkpoint of an SQLite database. */
export type FileBatchMessage = { id: number; batch: FileBatch; claim: SharedArrayBuffer } | { id: number; checkpoint: string };

/** What the worker starts with: a flag it sets once it listens. */
export interface FileWorkerData {
  ready: SharedArrayBuffer;
}

export type FromFileWorker = { ready: true } | { id: number; failures: FileOpFailure[] };

/** Opens a new file for writing (never an existing one), making its directory when missing. */
function createExclusive(abs: string): number {
  try {
    return openSync(abs, 'wx');
  } catch (err) {
    // Optimistic: most files go to existing directories, so mkdir only when the open says so.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(abs), { recursive: true });
    return openSync(abs, 'wx');
  }
}

/** Creates a new file with `bytes` (never replacing one); a file left half-written is removed. */
export function writeNewFile(abs: string, bytes: Uint8Array, fsync: boolean): void {
  const fd = createExclusive(abs);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    if (fsync) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(abs);
    throw err;
  }
  closeSync(fd);
}

/** Removes a file; a missing one is not an error. */
export function removeFile(abs: string): void {
  try {
    unlinkSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Int32 slots of a batch's shared claim counters: items claimed, then removals taken from the front and from the back. */
export const CLAIM_SLOTS = 3;

/**
 * Does the items of `batch` not yet claimed by the other thread, appending failures. Returns how
 * many items this call did. Every item is claimed through the shared counter (slot 0: whoever
 * claims the k-th item does one); writes go in order, while removals are taken from the front by
 * the calling thread and from the back by the worker (`fromEnd`; slots 1 and 2): consecutive paths
 * mostly share a directory, and two threads unlinking in one directory queue on its lock. Front
 * and back never meet, as the two together claim at most n items.
 */
export function workOnBatch(batch: FileBatch, claim: Int32Array, failures: FileOpFailure[], fromEnd = false): number {
  const n = batch.paths.length;
  const split = batch.kind === 'remove' && claim.length >= CLAIM_SLOTS;
  let done = 0;
  const touchedDirs = batch.kind === 'write' && batch.fsync ? new Set<string>() : null;
  for (;;) {
    const claimed = Atomics.add(claim, 0, 1);
    if (claimed >= n) break;
    const i = !split ? claimed : fromEnd ? n - 1 - Atomics.add(claim, 2, 1) : Atomics.add(claim, 1, 1);
    const abs = batch.paths[i];
    try {
      if (batch.kind === 'write') {
        const start = i === 0 ? 0 : batch.ends[i - 1];
        writeNewFile(abs, new Uint8Array(batch.packed, start, batch.ends[i] - start), batch.fsync);
        touchedDirs?.add(dirname(abs));
      } else removeFile(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      failures.push({ index: i, code, message: err instanceof Error ? err.message : String(err), existed: batch.kind === 'write' && code === 'EEXIST' });
    }
    done++;
  }
  // Durable publication: the new directory entries too, not only the file contents.
  if (touchedDirs) {
    for (const dir of touchedDirs) {
      try {
        fsyncDirectory(dir);
      } catch (err) {
        failures.push({ index: -1, code: (err as NodeJS.ErrnoException).code, message: `fsync of directory ${dir}: ${err instanceof Error ? err.message : String(err)}`, existed: false });
      }
    }
  }
  return done;
}
