// The main-thread side of the file-operations worker (fileOps.worker.ts). A batch goes to the
// worker once it is running; the calling thread may help with the items nobody has claimed yet
// (it does when it would otherwise wait). Until the worker has loaded (it starts on first
// demand) and if it ever fails, batches run on the calling thread: nothing waits for it.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../util/workers.js';
import { CLAIM_SLOTS, type FileBatch, type FileBatchMessage, type FileOpFailure, type FileWorkerData, type FromFileWorker, workOnBatch } from './fileOps.js';

export interface FileJob {
  readonly batch: FileBatch;
  /** Every failure, once every item is done (by either thread). */
  readonly done: Promise<FileOpFailure[]>;
  /** Does the items not yet claimed, on the calling thread, synchronously. */
  help(): void;
}

const WORKER_SOURCE = 'core/datastore/storage/fileOps.worker.ts';

export class FileOpsWorker {
  private worker: Worker | undefined;
  /** Set by the worker itself (shared memory), readable while this thread never yields. */
  private readyFlag = new Int32Array(new SharedArrayBuffer(4));
  private broken = false;
  private nextId = 1;
  private readonly waiting = new Map<number, (failures: FileOpFailure[]) => void>();

  /** Starts the worker in the background if it is not running (batches run inline meanwhile). */
  start(): void {
    if (this.worker || this.broken) return;
    let worker: Worker;
    try {
      this.readyFlag = new Int32Array(new SharedArrayBuffer(4));
      worker = startWorker(WORKER_SOURCE, { workerData: { ready: this.readyFlag.buffer as SharedArrayBuffer } satisfies FileWorkerData });
    } catch {
      // E.g. a bundle without its worker file: everything runs on the calling thread.
      this.broken = true;
      return;
    }
    this.worker = worker;
    worker.unref();
    worker.on('message', (msg: FromFileWorker) => {
      if ('ready' in msg) {
        // An unref() during the worker's boot does not always hold: say it again now.
        if (this.waiting.size === 0) worker.unref();
        return;
      }
      const resolve = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (this.waiting.size === 0) worker.unref();
      resolve?.(msg.failures);
    });
    const fail = (reason: string) => {
      this.broken = true;
      this.worker = undefined;
      // Which items the worker finished is unknown: report them failed and existing (so nobody deletes them).
      for (const [, resolve] of this.waiting) resolve([{ index: -1, code: undefined, message: `file worker stopped: ${reason}`, existed: true }]);
      this.waiting.clear();
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => {
      if (this.worker === worker) fail(`exit code ${code}`);
    });
  }

  get running(): boolean {
    return this.worker !== undefined && Atomics.load(this.readyFlag, 0) === 1;
  }

  submit(batch: FileBatch): FileJob {
    const claim = new Int32Array(new SharedArrayBuffer(4 * CLAIM_SLOTS));
    const local: FileOpFailure[] = [];
    const help = () => {
      workOnBatch(batch, claim, local);
    };
    const worker = this.worker;
    if (worker === undefined || !this.running) {
      help();
      return { batch, done: Promise.resolve(local), help };
    }
    const id = this.nextId++;
    const done = new Promise<FileOpFailure[]>((resolve) => {
      this.waiting.set(id, (failures) => resolve(local.concat(failures)));
    });
    // Held while a batch is out, so the process does not exit under an awaited batch.
    worker.ref();
    worker.postMessage({ id, batch, claim: claim.buffer as SharedArrayBuffer } satisfies FileBatchMessage);
    return { batch, done, help };
  }

  /** Checkpoints an SQLite database's WAL on the worker; null when the worker is not running. */
  checkpoint(dbPath: string): Promise<void> | null {
    const worker = this.worker;
    if (worker === undefined || !this.running) return null;
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => {
      this.waiting.set(id, (failures) => (failures.length === 0 ? resolve() : reject(new Error(failures[0].message))));
    });
    worker.ref();
    worker.postMessage({ id, checkpoint: dbPath } satisfies FileBatchMessage);
    return done;
  }

  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
  }
}
