// Runs the demo-repository builder in a worker thread and turns its messages into job.progress events.
import { ApiError } from '../../core/api/errors.js';
import type { EventPayload } from '../../core/api/contract.js';
import { startWorker } from '../../core/util/workers.js';
import type { DemoWorkerReply, DemoWorkerRequest } from './demoProtocol.js';

export const DEMO_JOB_ID = 'demo-repository';

/** "simulated 12/34 …" → 12 of 34; other stages carry no count. */
export function demoProgress(message: string): EventPayload<'job.progress'> {
  const m = /^simulated (\d+)\/(\d+)/.exec(message);
  return { jobId: DEMO_JOB_ID, done: m ? Number(m[1]) : 0, total: m ? Number(m[2]) : 0, stage: message };
}

export function buildDemoInWorker(request: DemoWorkerRequest, onProgress: (p: EventPayload<'job.progress'>) => void): Promise<string> {
  const worker = startWorker('electron/services/demo.worker.ts');
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: DemoWorkerReply) => {
      if (m.kind === 'progress') onProgress(demoProgress(m.message));
      else if (m.kind === 'done') finish(() => resolve(m.path));
      else finish(() => reject(new ApiError('IO_ERROR', `could not build the demo repository: ${m.message}`)));
    });
    worker.on('error', (err) => finish(() => reject(new ApiError('INTERNAL', `demo builder crashed: ${err.message}`))));
    worker.on('exit', (code) => finish(() => reject(new ApiError('INTERNAL', `demo builder exited with code ${code}`))));
    worker.postMessage(request);
  });
}
