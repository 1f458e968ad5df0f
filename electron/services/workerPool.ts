// A small pool of repository workers. better-sqlite3 is synchronous, so every registry query runs in a
// worker thread: the main process (Electron's UI process, or the host's event loop) only forwards messages.
// Each worker holds its own read-only connection; a call goes to the worker with the fewest calls pending,
// so a slow count does not hold up the next page.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../core/util/workers.js';
import type { Envelope } from '../../core/api/envelope.js';
import type { WorkerRequest, WorkerResponse } from './workerProtocol.js';

type Pending = Map<number, (e: Envelope) => void>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

interface Slot {
  worker: Worker;
  pending: Pending;
  /** Why the worker is gone (crash or exit), or null while it runs. */
  dead: string | null;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly workerSource = 'electron/services/repository.worker.ts',
  ) {}

  /** Workers start on the first repository open, so an app showing the welcome screen runs none. */
  private ensureStarted(): void {
    if (this.slots.length > 0) return;
    const { workerSource } = this;
    for (let i = 0; i < Math.max(1, this.size); i++) {
      const worker = startWorker(workerSource);
      const slot: Slot = { worker, pending: new Map(), dead: null };
      worker.on('message', (msg: WorkerResponse) => {
        const done = slot.pending.get(msg.id);
        slot.pending.delete(msg.id);
        if (slot.pending.size === 0) worker.unref();
        done?.(msg.envelope);
      });
      worker.on('error', (err) => this.failSlot(slot, `repository worker crashed: ${err.message}; reopen the repository`));
      worker.on('exit', (code) => {
        if (!this.closed) this.failSlot(slot, `repository worker exited with code ${code}; reopen the repository`);
      });
      // Idle workers must not keep a CLI or test process alive; busy ones must (see send()).
      worker.unref();
      this.slots.push(slot);
    }
  }

  private failSlot(slot: Slot, message: string): void {
    slot.dead ??= message;
    for (const done of slot.pending.values()) done({ ok: false, error: { code: 'INTERNAL', message } });
    slot.pending.clear();
  }

  private send(slot: Slot, req: DistributiveOmit<WorkerRequest, 'id'>): Promise<Envelope> {
    if (this.closed) return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'the repository workers are shut down' } });
    if (slot.dead) return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: slot.dead } });
    const id = this.nextId++;
    return new Promise<Envelope>((resolve) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, resolve);
      slot.worker.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  /** Opens the repository in every worker; answers with the first worker's envelope (all must agree). */
  async open(path: string): Promise<Envelope> {
    // A crashed worker is replaced on the next open (the repository is opened afresh in every worker).
    if (this.slots.some((s) => s.dead)) {
      const old = this.slots.splice(0, this.slots.length);
      for (const s of old) {
        s.dead ??= 'replaced';
        void s.worker.terminate();
      }
    }
    this.ensureStarted();
    const results = await Promise.all(this.slots.map((s) => this.send(s, { kind: 'open', path })));
    return results.find((r) => !r.ok) ?? results[0];
  }

  async closeRepository(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.send(s, { kind: 'close' })));
  }

  call(method: string, params: unknown): Promise<Envelope> {
    this.ensureStarted();
    const alive = this.slots.filter((s) => !s.dead);
    let best = alive[0] ?? this.slots[0];
    for (const s of alive) if (s.pending.size < best.pending.size) best = s;
    return this.send(best, { kind: 'call', method, params });
  }

  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.slots) this.failSlot(s, 'the repository workers are shut down');
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
