// The main side of runsQuery.worker.ts: one worker, started on first use, calls answered in any
// order by id. A crashed worker fails its pending calls with a clear error and is replaced on the
// next call.
import type { Worker } from 'node:worker_threads';
import { ApiError } from '../../core/api/errors.js';
import { startWorker } from '../../core/util/workers.js';
import type { RunsQueryRequest, RunsQueryResponse } from './runsQueryProtocol.js';

export class RunsQueryClient {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private closed = false;

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker('electron/services/runsQuery.worker.ts');
    const fail = (message: string) => {
      for (const p of this.pending.values()) p.reject(new ApiError('INTERNAL', message));
      this.pending.clear();
      if (this.worker === w) this.worker = null;
    };
    w.on('message', (m: RunsQueryResponse) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (!p) return;
      if (m.envelope.ok) p.resolve(m.envelope.value);
      else p.reject(ApiError.fromPayload(m.envelope.error));
    });
    w.on('error', (e) => fail(`the run query worker crashed: ${e.message}`));
    w.on('exit', (code) => {
      if (!this.closed) fail(`the run query worker exited with code ${code}`);
    });
    w.unref();
    this.worker = w;
    return w;
  }

  call<T>(repository: string, method: string, params: unknown): Promise<T> {
    if (this.closed) return Promise.reject(new ApiError('INTERNAL', 'the run query worker is shut down'));
    const w = this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) w.ref();
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      w.postMessage({ id, repository, method, params } satisfies RunsQueryRequest);
    });
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new ApiError('INTERNAL', 'the run query worker is shut down'));
    this.pending.clear();
    if (w) await w.terminate();
  }
}
