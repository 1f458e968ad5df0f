// Messages between the executor (parent thread, the single registry writer) and
// isrQuantum.worker.ts. A worker opens the repository read-only, reads the raw and calibrations
// itself (so decoding runs in parallel too), runs ISR and transfers the result planes back.
import type { DetectorJson, ExposureMsg } from '../../isr/workerProtocol.js';
import type { IsrTaskName } from '../../isr/presets.js';
import type { LogRecord } from '../task/index.js';
import type { CalibrationConnection } from '../graph/index.js';

export interface WorkerInit {
  type: 'init';
  /** Repository root or butler.yaml path. */
  repo: string;
  task: IsrTaskName;
  /** config.toPlain() of the frozen config. */
  config: Record<string, unknown>;
}

export interface QuantumJob {
  type: 'run';
  jobId: number;
  quantumId: string;
  /** Data ID for log records. */
  label: string;
  rawId: string;
  calibrations: Partial<Record<CalibrationConnection, string>>;
}

export interface QuantumTimings {
  /** Seconds reading the raw and any calibrations not cached in this worker. */
  read: number;
  /** Seconds in runIsr. */
  isr: number;
}

export interface QuantumJobResult {
  type: 'result';
  jobId: number;
  exposure: ExposureMsg;
  /** The raw's detector (the output keeps it). */
  detector: DetectorJson;
  metadata: Record<string, unknown>;
  logs: LogRecord[];
  fused: boolean;
  timings: QuantumTimings;
}

export interface QuantumJobError {
  type: 'error';
  jobId: number;
  message: string;
  logs: LogRecord[];
}

/**
 * The planes of a committed result, transferred back so the worker's next ISR output reuses their
 * memory instead of faulting in ~113 MB of fresh pages per MegaCam CCD (the parent holds no other
 * reference to them once the file is written).
 */
export interface RecycleBuffers {
  type: 'recycle';
  buffers: ArrayBuffer[];
}

export type ToQuantumWorker = WorkerInit | QuantumJob | RecycleBuffers;
export interface WorkerReady {
  type: 'ready';
}

export interface WorkerInitError {
  type: 'init-error';
  message: string;
}

export type FromQuantumWorker = QuantumJobResult | QuantumJobError | WorkerReady | WorkerInitError;
