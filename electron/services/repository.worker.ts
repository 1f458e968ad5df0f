// A repository worker: owns one read-only registry connection and serves the repository section of the
// contract through the dispatcher (params and results validated here, off the main thread).
import { parentPort } from 'node:worker_threads';
import { createDispatcher, type Dispatch } from '../../core/api/dispatch.js';
import { ApiError } from '../../core/api/errors.js';
import { errorToPayload } from '../../core/api/dispatch.js';
import { classifyCoreError } from './errors.js';
import { RepositorySession } from './repository/session.js';
import type { WorkerRequest, WorkerResponse } from './workerProtocol.js';

if (!parentPort) throw new Error('repository.worker must run in a worker thread');
const port = parentPort;

let session: RepositorySession | null = null;
let dispatch: Dispatch | null = null;

function reply(msg: WorkerResponse): void {
  port.postMessage(msg);
}

port.on('message', async (req: WorkerRequest) => {
  try {
    if (req.kind === 'open') {
      session?.close();
      session = null;
      dispatch = null;
      const opened = RepositorySession.open(req.path);
      session = opened;
      dispatch = createDispatcher(opened.handlers(), { classify: classifyCoreError });
      reply({ id: req.id, envelope: { ok: true, value: opened.info() } });
    } else if (req.kind === 'close') {
      session?.close();
      session = null;
      dispatch = null;
      reply({ id: req.id, envelope: { ok: true, value: null } });
    } else {
      if (!dispatch) throw new ApiError('NO_REPOSITORY', 'no repository is open: open one first (File › Open repository…)');
      reply({ id: req.id, envelope: await dispatch(req.method, req.params) });
    }
  } catch (err) {
    reply({ id: req.id, envelope: { ok: false, error: errorToPayload(err, classifyCoreError) } });
  }
});
