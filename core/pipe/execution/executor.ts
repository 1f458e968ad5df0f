// The ISR quantum-graph executor (ctrl_mpexec's MPGraphExecutor for one task): quanta run in
// parallel on worker threads; this thread is the only registry writer and commits each finished
// quantum (postISRCCD + isr_metadata + isr_log + its provenance rows) in one Butler transaction,
// so a quantum's outputs exist all together or not at all. One failing quantum does not stop the
// others unless failFast; an AbortSignal stops dispatching and terminates running workers, whose
// quanta are recorded as cancelled. Events go to an EventEmitter ('event') and to onEvent.
import { EventEmitter } from 'node:events';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, totalmem } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Butler } from '../../butler/index.js';
import { DatasetRef, makeDatasetId } from '../../datasets/index.js';
import { Header } from '../../fits/header.js';
import { detectorFromJson, exposureFromMsg, transferables } from '../../isr/workerProtocol.js';
import { addProvenanceToHeader, ensureProvenanceSchema, recordQuantum, type DatasetLink } from '../../provenance/index.js';
import type { LogRecord } from '../task/index.js';
import type { IsrQuantum, IsrQuantumGraph } from '../graph/index.js';
import { CALIBRATION_CONNECTIONS, ISR_TASK_LABEL } from '../graph/index.js';
import { ensureIsrOutputTypes, toButlerLogRecords, toTaskMetadataModel, type IsrOutputTypes } from './outputs.js';
import { startWorker } from '../../util/workers.js';
import type { FromQuantumWorker, QuantumJob, QuantumJobResult, QuantumTimings, RecycleBuffers, WorkerInit } from './protocol.js';

/** fsync of a published local file and of its directory (no-op for non-file URIs). */
async function flushToDisk(uri: string): Promise<void> {
  if (!uri.startsWith('file:')) return;
  const path = fileURLToPath(uri);
  for (const p of [path, dirname(path)]) {
    const handle = await open(p, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

export type QuantumOutcome = 'succeeded' | 'failed' | 'cancelled' | 'not-run';

export interface QuantumSummary {
  id: string;
  instrument: string;
  exposure: number;
  detector: number;
  label: string;
}

export interface QuantumResult extends QuantumSummary {
  status: QuantumOutcome;
  error?: string;
  /** Output dataset ids (postISRCCD, isr_metadata, isr_log) when succeeded. */
  outputs?: { exposure: string; metadata: string; log: string };
  timings?: QuantumTimings & { commit: number; total: number };
}

export type ExecutionEvent =
  | { type: 'start'; total: number; alreadyDone: number; jobs: number; run: string }
  | { type: 'quantum-start'; quantum: QuantumSummary }
  | { type: 'quantum-done'; result: QuantumResult }
  | { type: 'log'; quantum: QuantumSummary; record: LogRecord }
  | { type: 'progress'; done: number; failed: number; cancelled: number; running: number; total: number }
  | { type: 'finish'; report: ExecutionReport };

export type ExecutionStatus = 'succeeded' | 'failed' | 'cancelled';

export interface ExecutionReport {
  run: string;
  /** succeeded: every quantum succeeded; failed: some failed; cancelled: stopped by the signal (or fail-fast). */
  status: ExecutionStatus;
  counts: { succeeded: number; failed: number; cancelled: number; notRun: number; alreadyDone: number; total: number };
  quanta: QuantumResult[];
  seconds: number;
  /** Why execution stopped early, if it did. */
  stopReason?: string;
}

/** Memory one ISR worker may hold for a full MegaCam CCD: raw, output and one detector's cached masters. */
const WORKER_MEMORY_BYTES = 700 * 1024 * 1024;

/** All cores, but no more workers than half the machine's memory holds (each keeps full-size images). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor((totalmem() * 0.5) / WORKER_MEMORY_BYTES)));
}

export interface ExecutorOptions {
  /** Worker threads (default: defaultJobs(), all cores within a memory budget). */
  jobs?: number;
  /** Stop at the first failed quantum (running ones are cancelled). */
  failFast?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: ExecutionEvent) => void;
}

interface Slot {
  worker: Worker;
  job: { quantum: IsrQuantum; jobId: number; start: Date } | null;
  lastDetector: number | null;
}

function summary(q: IsrQuantum): QuantumSummary {
  return { id: q.id, instrument: q.instrument, exposure: q.exposure, detector: q.detector, label: `{instrument: '${q.instrument}', exposure: ${q.exposure}, detector: ${q.detector}}` };
}

function taskClassName(task: IsrQuantumGraph['taskName']): string {
  return task === 'CfhtIsrTask' ? 'lsst.obs.cfht.cfhtIsrTask.CfhtIsrTask' : 'lsst.ip.isr.isrTask.IsrTask';
}

export class IsrExecutor extends EventEmitter {
  private readonly butler: Butler;
  private readonly graph: IsrQuantumGraph;
  private readonly options: ExecutorOptions;
  private readonly results = new Map<string, QuantumResult>();
  private readonly slots: Slot[] = [];
  private queue: IsrQuantum[] = [];
  private commits: Promise<void> = Promise.resolve();
  private pendingCommits = 0;
  private nextJobId = 1;
  private stopping: string | undefined;
  private finished = false;
  private wake: () => void = () => undefined;
  private types!: IsrOutputTypes;
  private configDatasetId: string | undefined;

  constructor(butler: Butler, graph: IsrQuantumGraph, options: ExecutorOptions = {}) {
    super();
    this.butler = butler;
    this.graph = graph;
    this.options = options;
  }

  private emitEvent(event: ExecutionEvent): void {
    this.emit('event', event);
    this.options.onEvent?.(event);
  }

  private counts() {
    let done = 0;
    let failed = 0;
    let cancelled = 0;
    for (const r of this.results.values()) {
      if (r.status === 'succeeded') done++;
      else if (r.status === 'failed') failed++;
      else if (r.status === 'cancelled') cancelled++;
    }
    return { done, failed, cancelled };
  }

  private progress(): void {
    const c = this.counts();
    this.emitEvent({ type: 'progress', ...c, running: this.slots.filter((s) => s.job).length, total: this.graph.quanta.length });
  }

  /** Runs every quantum of the graph; resolves with an honest report (never rejects for a quantum's failure). */
  async run(): Promise<ExecutionReport> {
    const t0 = performance.now();
    const { butler, graph } = this;
    if (!butler.writeable) throw new Error('the executor needs a writeable Butler (it writes the outputs)');
    if (butler.fileDatastores().length === 0) throw new Error('the executor needs a file datastore: worker threads read the inputs from disk');
    const jobs = this.options.jobs ?? defaultJobs();
    if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`jobs must be a positive integer, got ${jobs}`);
    const registry = butler.registry;
    registry.registerRun(graph.outputRun);
    this.types = ensureIsrOutputTypes(registry);
    ensureProvenanceSchema(registry.db);
    this.configDatasetId = await this.storeConfig();
    this.queue = [...graph.quanta];
    const nWorkers = Math.min(jobs, this.queue.length);
    this.emitEvent({ type: 'start', total: graph.quanta.length, alreadyDone: graph.alreadyDone.length, jobs: nWorkers, run: graph.outputRun });
    const signal = this.options.signal;
    const onAbort = () => this.stop('cancelled by the user');
    if (signal?.aborted) this.stop('cancelled before start');
    signal?.addEventListener('abort', onAbort);
    try {
      if (!this.stopping && nWorkers > 0) {
        await Promise.all(Array.from({ length: nWorkers }, () => this.addSlot()));
        while (!this.allSettled()) {
          this.dispatch();
          if (this.allSettled()) break;
          await new Promise<void>((resolve) => (this.wake = resolve));
        }
      }
      await this.commits;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.finished = true;
      await Promise.all(this.slots.map((s) => s.worker.terminate()));
    }
    for (const q of graph.quanta) if (!this.results.has(q.id)) this.results.set(q.id, { ...summary(q), status: 'not-run' });
    const quanta = graph.quanta.map((q) => this.results.get(q.id)!);
    const n = (s: QuantumOutcome) => quanta.filter((r) => r.status === s).length;
    const counts = { succeeded: n('succeeded'), failed: n('failed'), cancelled: n('cancelled'), notRun: n('not-run'), alreadyDone: graph.alreadyDone.length, total: graph.quanta.length };
    const status: ExecutionStatus = this.stopping && (counts.cancelled > 0 || counts.notRun > 0) ? 'cancelled' : counts.failed > 0 ? 'failed' : 'succeeded';
    const report: ExecutionReport = { run: graph.outputRun, status, counts, quanta, seconds: (performance.now() - t0) / 1000, ...(this.stopping ? { stopReason: this.stopping } : {}) };
    this.emitEvent({ type: 'finish', report });
    return report;
  }

  /** Stops dispatching and terminates running workers (their quanta become cancelled). */
  stop(reason: string): void {
    if (this.stopping) return;
    this.stopping = reason;
    for (const slot of this.slots) {
      const job = slot.job;
      if (!job) continue;
      slot.job = null;
      void slot.worker.terminate();
      this.finishCancelled(job.quantum, job.start, reason);
    }
    this.wake();
  }

  private allSettled(): boolean {
    const idleOrStopped = this.stopping !== undefined || this.queue.length === 0;
    return idleOrStopped && this.slots.every((s) => !s.job);
  }

  private async storeConfig(): Promise<string> {
    const { butler, graph } = this;
    const plain = { _task: graph.taskName, ...graph.config.toPlain() };
    const existing = butler.registry.findDataset(this.types.config, {}, { collections: [graph.outputRun] });
    if (existing) {
      const stored = JSON.stringify(await butler.get(existing));
      if (stored !== JSON.stringify(JSON.parse(JSON.stringify(plain)))) {
        throw new Error(`run ${graph.outputRun} already holds an ${this.types.config.name} that differs from this config; resume with the same configuration or write to a new run`);
      }
      return existing.id;
    }
    const ref = await butler.put(plain, this.types.config, {}, { run: graph.outputRun });
    return ref.id;
  }

  private async addSlot(): Promise<Slot> {
    const worker = startWorker('core/pipe/execution/isrQuantum.worker.ts');
    const init: WorkerInit = { type: 'init', repo: this.butler.root, task: this.graph.taskName, config: this.graph.config.toPlain() };
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromQuantumWorker) => {
        if (m.type === 'ready') {
          cleanup();
          resolve();
        } else if (m.type === 'init-error') {
          cleanup();
          reject(new Error(`ISR worker could not start: ${m.message}`));
        }
      };
      const onError = (e: Error) => {
        cleanup();
        reject(new Error(`ISR worker could not start: ${e.message}`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(init);
    }).catch(async (e: unknown) => {
      await worker.terminate();
      throw e;
    });
    const slot: Slot = { worker, job: null, lastDetector: null };
    worker.on('message', (m: FromQuantumWorker) => this.onMessage(slot, m));
    worker.on('error', (e) => this.onWorkerDeath(slot, `ISR worker crashed: ${e.message}`));
    worker.on('exit', (code) => {
      if (!this.finished && slot.job) this.onWorkerDeath(slot, `ISR worker exited with code ${code}`);
    });
    this.slots.push(slot);
    return slot;
  }

  private onWorkerDeath(slot: Slot, message: string): void {
    const job = slot.job;
    slot.job = null;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    if (job) this.finishFailed(job.quantum, job.start, message, []);
    // Replace the worker while work remains.
    if (!this.stopping && !this.finished && this.queue.length > 0) {
      this.addSlot().then(
        () => this.wake(),
        (e: unknown) => {
          this.stop(e instanceof Error ? e.message : String(e));
        },
      );
    }
    this.wake();
  }

  private dispatch(): void {
    if (this.stopping) return;
    for (const slot of this.slots) {
      // An event listener may stop the run while this loop dispatches.
      if (this.stopping) return;
      if (slot.job || this.queue.length === 0) continue;
      // Back-pressure: results waiting to be written hold full images; do not pile them up.
      if (this.pendingCommits > this.slots.length) return;
      // Prefer a quantum of the detector this worker just did: its calibrations are cached there.
      let idx = slot.lastDetector === null ? -1 : this.queue.findIndex((q) => q.detector === slot.lastDetector);
      if (idx < 0) idx = 0;
      const [quantum] = this.queue.splice(idx, 1);
      const job: QuantumJob = {
        type: 'run',
        jobId: this.nextJobId++,
        quantumId: quantum.id,
        label: summary(quantum).label,
        rawId: quantum.raw.id,
        calibrations: Object.fromEntries(CALIBRATION_CONNECTIONS.filter((c) => quantum.calibrations[c]).map((c) => [c, quantum.calibrations[c]!.id])),
      };
      slot.job = { quantum, jobId: job.jobId, start: new Date() };
      slot.lastDetector = quantum.detector;
      this.emitEvent({ type: 'quantum-start', quantum: summary(quantum) });
      slot.worker.postMessage(job);
    }
  }

  private onMessage(slot: Slot, m: FromQuantumWorker): void {
    if (m.type !== 'result' && m.type !== 'error') return;
    const job = slot.job;
    if (!job || job.jobId !== m.jobId) return;
    slot.job = null;
    const end = new Date();
    const q = job.quantum;
    for (const record of m.logs) this.emitEvent({ type: 'log', quantum: summary(q), record });
    if (m.type === 'error') {
      this.finishFailed(q, job.start, m.message, m.logs, end);
    } else {
      this.pendingCommits++;
      this.commits = this.commits.then(() => this.commitSuccess(q, m, job.start, end)).finally(() => {
        this.pendingCommits--;
        this.recycle(slot, m);
        this.wake();
      });
    }
    this.wake();
  }

  /** Hands a written result's planes back to the worker that made them (see RecycleBuffers). */
  private recycle(slot: Slot, m: QuantumJobResult): void {
    if (!this.slots.includes(slot)) return;
    const buffers = transferables(m.exposure).filter((b) => b.byteLength > 0);
    if (buffers.length === 0) return;
    const msg: RecycleBuffers = { type: 'recycle', buffers };
    try {
      slot.worker.postMessage(msg, buffers);
    } catch {
      // A worker that is exiting cannot take them: they are garbage-collected instead.
    }
  }

  private inputs(q: IsrQuantum): { inputs: DatasetLink[]; prerequisites: DatasetLink[] } {
    return {
      inputs: [{ connection: 'ccdExposure', ref: q.raw }],
      prerequisites: CALIBRATION_CONNECTIONS.filter((c) => q.calibrations[c]).map((c) => ({ connection: c, ref: q.calibrations[c]! })),
    };
  }

  private async commitSuccess(q: IsrQuantum, m: QuantumJobResult, start: Date, end: Date): Promise<void> {
    const t0 = performance.now();
    const { butler, graph, types } = this;
    const run = graph.outputRun;
    const label = summary(q).label;
    try {
      const exposure = exposureFromMsg(m.exposure, detectorFromJson(m.detector));
      const outRef = new DatasetRef(types.exposure, q.raw.dataId, run, makeDatasetId(types.exposure.name, q.raw.dataId.required as Record<string, string | number>, run, 'UNIQUE'));
      const { inputs, prerequisites } = this.inputs(q);
      exposure.metadata ??= new Header();
      addProvenanceToHeader(
        exposure.metadata,
        outRef,
        q.id,
        [...inputs, ...prerequisites].map((l) => ({ id: l.ref.id, run: l.ref.run, datasetType: l.ref.datasetType.name })),
      );
      const dataId = q.raw.dataId.required;
      const outputs = await butler.transaction(async () => {
        const exposureRef = await butler.put(exposure, outRef);
        // Registry row ⇒ file on disk: the postISRCCD (published by link/rename inside this
        // transaction) and its directory entry are flushed before the registry commits, on the
        // thread pool so this thread keeps dispatching and receiving quanta meanwhile.
        await flushToDisk(butler.getURI(exposureRef));
        const metadataRef = await butler.put(toTaskMetadataModel(m.metadata), types.metadata, dataId, { run });
        const logRef = await butler.put(toButlerLogRecords(m.logs, label), types.log, dataId, { run });
        recordQuantum(butler.registry.db, {
          id: q.id,
          taskLabel: ISR_TASK_LABEL,
          taskClass: taskClassName(graph.taskName),
          run,
          dataId: { instrument: q.instrument, exposure: q.exposure, detector: q.detector },
          status: 'succeeded',
          startTime: start,
          endTime: end,
          inputs,
          prerequisites,
          outputs: [
            { connection: 'outputExposure', ref: exposureRef },
            { connection: 'metadata', ref: metadataRef },
            { connection: 'log', ref: logRef },
          ],
          ...(this.configDatasetId ? { configDatasetId: this.configDatasetId } : {}),
        });
        return { exposure: exposureRef.id, metadata: metadataRef.id, log: logRef.id };
      });
      const commit = (performance.now() - t0) / 1000;
      const total = (end.getTime() - start.getTime()) / 1000 + commit;
      this.setResult({ ...summary(q), status: 'succeeded', outputs, timings: { ...m.timings, commit, total } });
    } catch (e) {
      // Nothing of this quantum was committed (the transaction rolled back): record the failure.
      this.finishFailed(q, start, `writing the outputs failed: ${e instanceof Error ? e.message : String(e)}`, m.logs, end);
    }
  }

  private setResult(r: QuantumResult): void {
    this.results.set(r.id, r);
    this.emitEvent({ type: 'quantum-done', result: r });
    this.progress();
  }

  private finishFailed(q: IsrQuantum, start: Date, error: string, logs: LogRecord[], end = new Date()): void {
    const { inputs, prerequisites } = this.inputs(q);
    try {
      recordQuantum(this.butler.registry.db, {
        id: q.id,
        taskLabel: ISR_TASK_LABEL,
        taskClass: taskClassName(this.graph.taskName),
        run: this.graph.outputRun,
        dataId: { instrument: q.instrument, exposure: q.exposure, detector: q.detector },
        status: 'failed',
        startTime: start,
        endTime: end,
        inputs,
        prerequisites,
        outputs: [],
        error,
        logRecords: logs,
        ...(this.configDatasetId ? { configDatasetId: this.configDatasetId } : {}),
      });
    } catch (e) {
      error += ` (and its provenance could not be recorded: ${(e as Error).message})`;
    }
    this.setResult({ ...summary(q), status: 'failed', error });
    if (this.options.failFast) this.stop(`fail-fast: quantum ${summary(q).label} failed`);
  }

  private finishCancelled(q: IsrQuantum, start: Date, reason: string): void {
    const { inputs, prerequisites } = this.inputs(q);
    try {
      recordQuantum(this.butler.registry.db, {
        id: q.id,
        taskLabel: ISR_TASK_LABEL,
        taskClass: taskClassName(this.graph.taskName),
        run: this.graph.outputRun,
        dataId: { instrument: q.instrument, exposure: q.exposure, detector: q.detector },
        status: 'cancelled',
        startTime: start,
        endTime: new Date(),
        inputs,
        prerequisites,
        outputs: [],
        error: reason,
        ...(this.configDatasetId ? { configDatasetId: this.configDatasetId } : {}),
      });
    } catch {
      // Cancelling must not fail; the report still says cancelled.
    }
    this.setResult({ ...summary(q), status: 'cancelled', error: reason });
  }
}

/** Runs a graph with an IsrExecutor; see ExecutorOptions. */
export function executeIsrGraph(butler: Butler, graph: IsrQuantumGraph, options: ExecutorOptions = {}): Promise<ExecutionReport> {
  return new IsrExecutor(butler, graph, options).run();
}
