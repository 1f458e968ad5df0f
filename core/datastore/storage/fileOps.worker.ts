// Worker-thread entry for file batches (see fileOps.ts): writes the artifacts of a Butler
// transaction and removes trashed ones on the second core while the main thread does the
// registry work. Started by FileOpsWorker through core/util/workers.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { type FileBatchMessage, type FileOpFailure, type FileWorkerData, type FromFileWorker, workOnBatch } from './fileOps.js';

const port = parentPort;
if (port) {
  port.on('message', (msg: FileBatchMessage) => {
    const failures: FileOpFailure[] = [];
    workOnBatch(msg.batch, new Int32Array(msg.claim), failures);
    port.postMessage({ id: msg.id, failures } satisfies FromFileWorker);
  });
  // A flag in shared memory: the main thread may be busy for seconds without reading messages.
  Atomics.store(new Int32Array((workerData as FileWorkerData).ready), 0, 1);
  port.postMessage({ ready: true } satisfies FromFileWorker);
}
