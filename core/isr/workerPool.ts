// A pool of ISR worker threads (one CCD per job). Calibrations go to every worker once, through
// shared memory; raws are transferred to the worker that runs them and results transferred back,
// so no pixel plane is copied between threads; recycle() sends output planes back for reuse.

import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Detector } from '../camera/geometry.js';
import { type Box2I, Exposure, type MaskedImage } from '../image/index.js';
import type { Config } from '../pipe/config/index.js';
import { startWorker } from '../util/workers.js';
import type { IsrFields } from './isrConfig.js';
import { planeBuffers } from './outputBuffers.js';
import type { IsrTaskName } from './presets.js';
import { type FromWorker, type IsrJob, detectorToJson, exposureFromMsg, exposureToMsg, toShared, transferables } from './workerProtocol.js';

export interface PoolJob {
  /**
   * The raw; its image buffer is transferred (the caller must not use it afterwards). Only the
   * pixels are sent: a raw has no mask or variance (the worker starts them empty, as ip_isr's
   * convertIntToFloat does with mask 0).
   */
  raw: Exposure;
  detector: Detector;
  /** Ids of calibrations registered with addCalibration. */
  bias?: string;
  dark?: string;
  flat?: string;
  defects?: readonly Box2I[];
}

export interface PoolResult {
  exposure: Exposure;
  metadata: Record<string, unknown>;
  fused: boolean;
  seconds: number;
  /** CPU seconds of the worker thread for this CCD (Linux), when known. */
  cpuSeconds?: number;
}

export class IsrWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<() => void> = [];
  private readonly pending = new Map<number, { resolve: (r: FromWorker) => void; detector: Detector }>();
  private nextId = 1;
  private nextRecycle = 0;
  readonly threads: number;

  constructor(threads = availableParallelism()) {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`IsrWorkerPool: threads must be a positive integer, got ${threads}`);
    this.threads = threads;
    for (let i = 0; i < threads; i++) {
      const w = startWorker('core/isr/isr.worker.ts');
      w.on('message', (msg: FromWorker) => {
        const p = this.pending.get(msg.jobId);
        if (!p) return;
        this.pending.delete(msg.jobId);
        p.resolve(msg);
        this.release(w);
      });
      w.on('error', (err) => {
        for (const [id, p] of this.pending) {
          this.pending.delete(id);
          p.resolve({ type: 'error', jobId: id, message: `ISR worker failed: ${err.message}` });
        }
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** Sends a calibration to every worker (as shared memory: one copy in total). */
  addCalibration(id: string, calib: Exposure | MaskedImage): void {
    const msg = toShared(exposureToMsg(calib));
    for (const w of this.workers) w.postMessage({ type: 'calib', id, calib: msg });
  }

  private release(w: Worker): void {
    const next = this.queue.shift();
    this.idle.push(w);
    if (next) next();
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve) => this.queue.push(() => resolve(this.idle.pop()!)));
  }

  /** Runs one CCD on the next free worker. */
  async run(job: PoolJob, config: Config<IsrFields>, task: IsrTaskName = 'IsrTask'): Promise<PoolResult> {
    const rawMsg = exposureToMsg(job.raw, job.raw.info(), true);
    const jobId = this.nextId++;
    const msg: IsrJob = {
      type: 'run',
      jobId,
      raw: rawMsg,
      detector: detectorToJson(job.detector),
      ...(job.bias ? { bias: job.bias } : {}),
      ...(job.dark ? { dark: job.dark } : {}),
      ...(job.flat ? { flat: job.flat } : {}),
      ...(job.defects ? { defects: job.defects.map((b) => ({ minX: b.minX, minY: b.minY, width: b.width, height: b.height })) } : {}),
      task,
      config: config.toPlain(),
    };
    const w = await this.acquire();
    const reply = await new Promise<FromWorker>((resolve) => {
      this.pending.set(jobId, { resolve, detector: job.detector });
      w.postMessage(msg, transferables(rawMsg));
    });
    if (reply.type === 'error') throw new Error(`ISR of detector ${job.detector.name} failed: ${reply.message}`);
    return { exposure: exposureFromMsg(reply.exposure, job.detector), metadata: reply.metadata, fused: reply.fused, seconds: reply.seconds, ...(reply.cpuSeconds !== undefined ? { cpuSeconds: reply.cpuSeconds } : {}) };
  }

  /**
   * Hands the output planes of a result back to a worker, which reuses them for a later CCD
   * instead of faulting in fresh memory. The exposure must not be used afterwards (its buffers
   * are transferred away).
   */
  recycle(exposure: Exposure | MaskedImage): void {
    if (this.workers.length === 0) return;
    const buffers = planeBuffers(exposure instanceof Exposure ? exposure.maskedImage : exposure);
    if (buffers.length === 0) return;
    const w = this.workers[this.nextRecycle++ % this.workers.length];
    w.postMessage({ type: 'recycle', buffers }, buffers);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }
}
