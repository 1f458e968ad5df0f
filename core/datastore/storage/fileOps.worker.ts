// Worker-thread entry for file batches (see fileOps.ts): writes the artifacts of a Butler
// transaction and removes trashed ones on the second core while the main thread does the
// registry work, and checkpoints the registry's WAL in the background. Started by
// FileOpsWorker through core/util/workers.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { WAL_KEPT_BYTES } from '../../registry/db/sqlite.js';
import { type FileBatchMessage, type FileOpFailure, type FileWorkerData, type FromFileWorker, workOnBatch } from './fileOps.js';

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Copies committed WAL pages into the database file without blocking anyone (PASSIVE), on a
 * connection of its own, closed again so the main connection stays the one that cleans up.
 * When that copied everything and the WAL file is larger than the size commits keep it at,
 * the file is emptied here too (TRUNCATE; it gives up at once if any connection is writing or
 * still reading the WAL): otherwise the next commit shrinks it inside its own time (~4 ms for
 * 10 MB, e.g. in a purge after many single puts).
 */
function checkpoint(dbPath: string): void {
  const db = new BetterSqlite3(dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    const [done] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
    if (done !== undefined && done.busy === 0 && done.log > 0 && done.log === done.checkpointed && walBytes(dbPath) > WAL_KEPT_BYTES) {
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
  } finally {
    db.close();
  }
}

function walBytes(dbPath: string): number {
  try {
    return statSync(`${dbPath}-wal`).size;
  } catch {
    return 0;
  }
}

const port = parentPort;
if (port) {
  port.on('message', (msg: FileBatchMessage) => {
    const failures: FileOpFailure[] = [];
    if ('checkpoint' in msg) {
      try {
        checkpoint(msg.checkpoint);
      } catch (err) {
        failures.push({ index: -1, code: (err as NodeJS.ErrnoException).code, message: `WAL checkpoint of ${msg.checkpoint}: ${err instanceof Error ? err.message : String(err)}`, existed: false });
      }
    } else workOnBatch(msg.batch, new Int32Array(msg.claim), failures, true);
    port.postMessage({ id: msg.id, failures } satisfies FromFileWorker);
  });
  // A flag in shared memory: the main thread may be busy for seconds without reading messages.
  Atomics.store(new Int32Array((workerData as FileWorkerData).ready), 0, 1);
  port.postMessage({ ready: true } satisfies FromFileWorker);
}
