// The run manager (main process): previews ISR quantum graphs, starts runs, keeps their state and
// per-quantum logs, pushes throttled `run.changed` events and cancels on request. Runs belong to the
// main process, not to a window: closing the window (or the browser tab) leaves them running, and a
// reopened window reattaches with runs.list / runs.get. Quanta run in the executor's worker threads;
// this process only dispatches them and commits each quantum's outputs (one transaction each).
import { availableParallelism, userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Butler } from '../../core/butler/index.js';
import '../../core/formatters/fits/index.js';
import '../../core/instrument/index.js';
import { ApiError } from '../../core/api/errors.js';
import type { EventName, EventPayload } from '../../core/api/contract.js';
import type {
  ConfigOverrides,
  PreviewQuantum,
  RunCounts,
  RunDetail,
  RunLogRecord,
  RunPreview,
  RunQuantum,
  RunSummary,
  RunState,
  IsrTaskNameValue,
} from '../../core/api/sections/runs.js';
import { activeCalibrations, buildIsrGraph, MissingPrerequisitesError, EmptyGraphError, type IsrQuantumGraph } from '../../core/pipe/graph/index.js';
import { IsrExecutor, type ExecutionEvent } from '../../core/pipe/execution/executor.js';
import { collectionTimestamp } from '../../core/pipe/execution/outputCollections.js';
import { checkIsrConfig } from './runsConfig.js';
import { classifyCoreError } from './errors.js';

export interface RunSelectionInput {
  task: IsrTaskNameValue;
  overrides: ConfigOverrides;
  inputCollections: string[];
  outputRun: string;
  where: string;
  exposures: number[];
  detectors: number[];
  instrument: string | null;
}

type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Events per run are coalesced to at most this often (the UI needs no more than ~10 Hz). */
const EVENT_INTERVAL_MS = 100;
/** Log records kept per quantum (the full log is also in the isr_log dataset of a successful quantum). */
const MAX_LOG_RECORDS = 2000;

/** The selection as one where expression: explicit exposures/detectors/instrument AND the user's where. */
export function selectionWhere(s: Pick<RunSelectionInput, 'where' | 'exposures' | 'detectors' | 'instrument'>): string {
  const terms: string[] = [];
  if (s.instrument) terms.push(`instrument = '${s.instrument.replace(/'/g, "''")}'`);
  if (s.exposures.length > 0) terms.push(`exposure IN (${[...new Set(s.exposures)].join(', ')})`);
  if (s.detectors.length > 0) terms.push(`detector IN (${[...new Set(s.detectors)].join(', ')})`);
  if (s.where.trim()) terms.push(terms.length > 0 ? `(${s.where.trim()})` : s.where.trim());
  return terms.join(' AND ');
}

function frozenConfig(task: IsrTaskNameValue, overrides: ConfigOverrides) {
  const check = checkIsrConfig(task, overrides);
  if (!check.valid) {
    throw new ApiError('BAD_PARAMS', `the ISR config has problems: ${check.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`, { issues: check.issues });
  }
  return check.config;
}

/** Core errors that are the user's to fix (bad where, unknown collection, missing calibrations) keep their message. */
function graphError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof MissingPrerequisitesError) return new ApiError('NOT_FOUND', message, { missing: e.missing.map((m) => m.message) });
  if (e instanceof EmptyGraphError) return new ApiError('NOT_FOUND', message);
  const classified = classifyCoreError(e);
  if (classified) return ApiError.fromPayload(classified);
  const name = e instanceof Error ? e.name : '';
  if (/Syntax/i.test(name)) return new ApiError('QUERY_SYNTAX', message);
  if (/Query|Missing|NotFound|Collection/i.test(name) || /does not exist|not found|unknown/i.test(message)) return new ApiError('QUERY_ERROR', message);
  return new ApiError('INTERNAL', message);
}

interface RunRecord {
  summary: RunSummary;
  inputCollections: string[];
  where: string;
  overrides: ConfigOverrides;
  quanta: Map<string, RunQuantum>;
  logs: Map<string, RunLogRecord[]>;
  abort: AbortController;
  dirty: Set<string>;
  timer: NodeJS.Timeout | null;
  landedTimer: NodeJS.Timeout | null;
  done: Promise<void>;
}

export interface RunManagerOptions {
  emit: Emit;
  /** Worker threads per run (default: cores − 1, at least 1, so the app stays responsive). */
  jobs?: number;
  /** Called (at most every OUTPUTS_INTERVAL_MS, and when a run ends) after outputs were committed. */
  outputsLanded?: (repository: string) => void;
}

const OUTPUTS_INTERVAL_MS = 2000;

export interface RunDefaults {
  user: string;
  inputCollections: string[];
  outputRun: string;
  instruments: string[];
}

/** Suggested inputs (the <instrument>/defaults chain) and a fresh output run name, pipetask style. */
export function runDefaults(butler: Butler): RunDefaults {
  const registry = butler.registry;
  let user = 'user';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry (containers): keep the generic name.
  }
  const chains = registry.queryCollections('*', { types: ['CHAINED'] });
  const defaults = chains.filter((c) => /\/defaults$/.test(c));
  const instruments = registry.queryDimensionRecords('instrument').map((r) => String(r.name));
  return { user, inputCollections: defaults.length > 0 ? defaults.slice(0, 1) : chains.slice(0, 1), outputRun: `u/${user}/isr/${collectionTimestamp()}`, instruments };
}

export function buildRunGraph(butler: Butler, s: RunSelectionInput, skipMissing: boolean): IsrQuantumGraph {
  const config = frozenConfig(s.task, s.overrides);
  const where = selectionWhere(s);
  try {
    return buildIsrGraph(butler.registry, {
      inputCollections: s.inputCollections,
      ...(where ? { where } : {}),
      config,
      taskName: s.task,
      outputRun: s.outputRun,
      skipMissing,
      skipExisting: true,
    });
  } catch (e) {
    throw graphError(e);
  }
}

/** The quantum graph a launch would run, with the calibrations chosen per quantum and what is missing. */
export function previewRun(butler: Butler, s: RunSelectionInput): RunPreview {
  const graph = buildRunGraph(butler, s, true);
  const connections = activeCalibrations(graph.config);
  const calibs = (q: IsrQuantumGraph['quanta'][number]): PreviewQuantum['calibrations'] =>
    Object.fromEntries(connections.map((c) => {
      const ref = q.calibrations[c.connection];
      return [c.connection, ref ? { id: ref.id, run: ref.run, datasetType: ref.datasetType.name } : null];
    }));
  const rows: PreviewQuantum[] = [];
  for (const q of graph.quanta) rows.push({ instrument: q.instrument, exposure: q.exposure, detector: q.detector, physicalFilter: q.physicalFilter, rawId: q.raw.id, calibrations: calibs(q), problems: [], alreadyDone: false });
  for (const { quantum: q } of graph.alreadyDone) rows.push({ instrument: q.instrument, exposure: q.exposure, detector: q.detector, physicalFilter: q.physicalFilter, rawId: q.raw.id, calibrations: calibs(q), problems: [], alreadyDone: true });
  // Quanta left out for missing calibrations: one row each, with every missing connection named.
  const missingRows = new Map<string, PreviewQuantum>();
  for (const m of graph.missing) {
    const key = `${m.instrument}/${m.exposure}/${m.detector}`;
    let row = missingRows.get(key);
    if (!row) {
      row = { instrument: m.instrument, exposure: m.exposure, detector: m.detector, physicalFilter: '', rawId: '', calibrations: {}, problems: [], alreadyDone: false };
      missingRows.set(key, row);
    }
    row.calibrations[m.connection] = null;
    row.problems.push(m.message);
  }
  rows.push(...missingRows.values());
  rows.sort((a, b) => a.exposure - b.exposure || a.detector - b.detector);
  return { outputRun: s.outputRun, connections, quanta: rows, runnable: graph.quanta.length, where: selectionWhere(s) };
}
export class RunManager {
  private readonly runs = new Map<string, RunRecord>();

  constructor(private readonly options: RunManagerOptions) {}

  start(repository: string, s: RunSelectionInput & { skipMissing?: boolean }): RunSummary {
    for (const r of this.runs.values()) {
      if (r.summary.outputRun === s.outputRun && (r.summary.state === 'running' || r.summary.state === 'starting')) {
        throw new ApiError('BAD_PARAMS', `run ${s.outputRun} is already being written by run ${r.summary.runId}; wait for it or choose another output run`);
      }
    }
    let butler: Butler;
    try {
      butler = Butler.open(repository, { writeable: true });
    } catch (e) {
      throw new ApiError('IO_ERROR', `cannot open ${repository} for writing (ISR writes its outputs there): ${e instanceof Error ? e.message : String(e)}`);
    }
    let graph: IsrQuantumGraph;
    try {
      graph = buildRunGraph(butler, s, s.skipMissing ?? false);
    } catch (e) {
      butler.close();
      throw e;
    }
    if (graph.quanta.length === 0) {
      butler.close();
      throw new ApiError('BAD_PARAMS', `nothing to run: all ${graph.alreadyDone.length} quanta already have their postISRCCD in ${s.outputRun}; choose a new output run to process them again`);
    }
    const runId = randomUUID();
    const quanta = new Map<string, RunQuantum>();
    for (const q of graph.quanta) {
      quanta.set(q.id, { id: q.id, exposure: q.exposure, detector: q.detector, label: `exposure ${q.exposure}, detector ${q.detector}`, state: 'queued', error: null, rawId: q.raw.id, outputs: null, seconds: null });
    }
    const record: RunRecord = {
      summary: {
        runId,
        repository,
        outputRun: s.outputRun,
        task: s.task,
        state: 'starting',
        counts: { queued: quanta.size, running: 0, succeeded: 0, failed: 0, cancelled: 0, notRun: 0, alreadyDone: graph.alreadyDone.length, total: quanta.size },
        startedAt: new Date().toISOString(),
        endedAt: null,
        message: null,
      },
      inputCollections: [...s.inputCollections],
      where: selectionWhere(s),
      overrides: s.overrides,
      quanta,
      logs: new Map(),
      abort: new AbortController(),
      dirty: new Set(quanta.keys()),
      timer: null,
      landedTimer: null,
      done: Promise.resolve(),
    };
    this.runs.set(runId, record);
    const jobs = this.options.jobs ?? Math.max(1, availableParallelism() - 1);
    const executor = new IsrExecutor(butler, graph, { jobs, signal: record.abort.signal, onEvent: (e) => this.onExecution(record, e) });
    record.done = executor
      .run()
      .then((report) => {
        this.finish(record, report.status, report.stopReason ?? (report.counts.failed > 0 ? `${report.counts.failed} of ${report.counts.total} quanta failed` : null));
      })
      .catch((e: unknown) => this.finish(record, 'failed', e instanceof Error ? e.message : String(e)))
      .finally(() => butler.close());
    this.flush(record);
    return { ...record.summary };
  }

  private onExecution(record: RunRecord, e: ExecutionEvent): void {
    switch (e.type) {
      case 'start':
        record.summary.state = 'running';
        break;
      case 'quantum-start': {
        const q = record.quanta.get(e.quantum.id);
        if (q) q.state = 'running';
        record.dirty.add(e.quantum.id);
        break;
      }
      case 'quantum-done': {
        const q = record.quanta.get(e.result.id);
        if (q) {
          q.state = e.result.status;
          q.error = e.result.error ?? null;
          q.outputs = e.result.outputs ?? null;
          q.seconds = e.result.timings?.total ?? null;
        }
        if (e.result.status === 'succeeded') this.landed(record);
        record.dirty.add(e.result.id);
        break;
      }
      case 'log': {
        let list = record.logs.get(e.quantum.id);
        if (!list) record.logs.set(e.quantum.id, (list = []));
        if (list.length < MAX_LOG_RECORDS) list.push({ time: e.record.asctime, level: e.record.level, name: e.record.name, message: e.record.message });
        return;
      }
      case 'progress':
      case 'finish':
        break;
    }
    this.recount(record);
    this.schedule(record);
  }

  private recount(record: RunRecord): void {
    const c: RunCounts = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, notRun: 0, alreadyDone: record.summary.counts.alreadyDone, total: record.quanta.size };
    for (const q of record.quanta.values()) {
      if (q.state === 'not-run') c.notRun++;
      else c[q.state]++;
    }
    record.summary.counts = c;
  }

  private finish(record: RunRecord, state: RunState, message: string | null): void {
    for (const q of record.quanta.values()) {
      // The executor reports every quantum; anything still open here never ran.
      if (q.state === 'queued' || q.state === 'running') {
        q.state = 'not-run';
        record.dirty.add(q.id);
      }
    }
    record.summary.state = state;
    record.summary.message = message;
    record.summary.endedAt = new Date().toISOString();
    this.recount(record);
    this.flush(record);
    if (record.landedTimer) clearTimeout(record.landedTimer);
    record.landedTimer = null;
    // The run collection (and its config dataset) exists even when nothing succeeded.
    this.options.outputsLanded?.(record.summary.repository);
  }

  private landed(record: RunRecord): void {
    if (record.landedTimer || !this.options.outputsLanded) return;
    record.landedTimer = setTimeout(() => {
      record.landedTimer = null;
      this.options.outputsLanded?.(record.summary.repository);
    }, OUTPUTS_INTERVAL_MS);
  }

  private schedule(record: RunRecord): void {
    if (record.timer) return;
    record.timer = setTimeout(() => this.flush(record), EVENT_INTERVAL_MS);
  }

  private flush(record: RunRecord): void {
    if (record.timer) clearTimeout(record.timer);
    record.timer = null;
    const quanta = [...record.dirty].map((id) => record.quanta.get(id)).filter((q): q is RunQuantum => q !== undefined).map((q) => ({ ...q }));
    record.dirty.clear();
    this.options.emit('run.changed', { run: { ...record.summary, counts: { ...record.summary.counts } }, quanta });
  }

  private get(runId: string): RunRecord {
    const r = this.runs.get(runId);
    if (!r) throw new ApiError('NOT_FOUND', `no run ${runId} in this session (runs are kept while the app runs; finished runs stay browsable as collections)`);
    return r;
  }

  list(): RunSummary[] {
    return [...this.runs.values()].map((r) => ({ ...r.summary, counts: { ...r.summary.counts } })).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  detail(runId: string): RunDetail {
    const r = this.get(runId);
    return { ...r.summary, counts: { ...r.summary.counts }, inputCollections: r.inputCollections, where: r.where, overrides: r.overrides, quanta: [...r.quanta.values()].map((q) => ({ ...q })) };
  }

  cancel(runId: string): RunSummary {
    const r = this.get(runId);
    if (r.summary.state === 'running' || r.summary.state === 'starting') r.abort.abort();
    return { ...r.summary, counts: { ...r.summary.counts } };
  }

  logs(runId: string, quantumId: string): RunLogRecord[] {
    const r = this.get(runId);
    if (!r.quanta.has(quantumId)) throw new ApiError('NOT_FOUND', `run ${runId} has no quantum ${quantumId}`);
    return [...(r.logs.get(quantumId) ?? [])];
  }

  /** Whether any run is still working (the Electron shell keeps the process alive for it). */
  get active(): boolean {
    return [...this.runs.values()].some((r) => r.summary.state === 'running' || r.summary.state === 'starting');
  }

  /** Resolves when every run has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  /** App quit: cancel what runs (quanta recorded as cancelled), wait for the commits, close readers. */
  async shutdown(): Promise<void> {
    for (const r of this.runs.values()) if (r.summary.state === 'running' || r.summary.state === 'starting') r.abort.abort();
    await this.idle();
  }
}
