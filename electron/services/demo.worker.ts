// Builds the demo repository (simulated MegaPrime nights, core/demo) off the main thread, reporting progress.
// Waits for one message: { path: string | null, options }.
import { parentPort } from 'node:worker_threads';
import { buildDemoRepo, ensureDemoRepository, type DemoRepoOptions } from '../../core/demo/demoRepo.js';
import type { DemoWorkerReply, DemoWorkerRequest } from './demoProtocol.js';

if (!parentPort) throw new Error('demo.worker must run in a worker thread');
const port = parentPort;
const post = (m: DemoWorkerReply) => port.postMessage(m);

port.once('message', async (req: DemoWorkerRequest) => {
  const onProgress = (message: string) => post({ kind: 'progress', message });
  try {
    const options: DemoRepoOptions = { ...req.options, onProgress };
    const path = req.path ? (await buildDemoRepo(req.path, options)).path : await ensureDemoRepository(onProgress);
    post({ kind: 'done', path });
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
