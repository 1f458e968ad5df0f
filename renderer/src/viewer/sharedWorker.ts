// One image worker per page, shared by every viewer (the inspector creates a viewer per dataset, compare
// views two): starting a module worker costs tens of milliseconds, which a first frame cannot afford. Replies
// carry the load id, and each viewer subscribes to its own ids.
import type { WorkerReply, WorkerRequest } from './protocol.js';

type Listener = (reply: WorkerReply) => void;

let worker: Worker | null = null;
const listeners = new Map<number, Listener>();

function ensureWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./imageWorker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<WorkerReply>) => listeners.get(e.data.id)?.(e.data);
  w.onerror = (e) => {
    for (const [id, l] of listeners) l({ kind: 'error', id, stage: 'worker', message: `viewer worker failed: ${e.message}` });
  };
  worker = w;
  return w;
}

export function postToWorker(req: WorkerRequest, transfer: Transferable[] = []): void {
  ensureWorker().postMessage(req, transfer);
}

/** Receives the replies for load `id` until the returned function is called. */
export function listen(id: number, listener: Listener): () => void {
  ensureWorker();
  listeners.set(id, listener);
  return () => {
    listeners.delete(id);
  };
}

/** Starts the worker ahead of the first image (module workers take a while to boot). */
export function warmUpWorker(): void {
  ensureWorker();
}
