// Output dataset types of an ISR run (pipe_base's names) and the per-quantum records written with
// them: the log as daf_butler ButlerLogRecords JSON and the config as a run-level dataset.
import { DatasetType } from '../../datasets/index.js';
import type { Registry } from '../../registry/index.js';
import type { LogRecord } from '../task/index.js';
import { ISR_OUTPUT_DATASET_TYPE, ISR_TASK_LABEL } from '../graph/index.js';

export const ISR_METADATA_DATASET_TYPE = `${ISR_TASK_LABEL}_metadata`;
export const ISR_LOG_DATASET_TYPE = `${ISR_TASK_LABEL}_log`;
/**
 * pipetask stores `<label>_config` with storage class Config (pex_config Python source, which
 * only Python can read); we store the same field values as a YAML mapping (StructuredDataDict),
 * which Python reads as a dict.
 */
export const ISR_CONFIG_DATASET_TYPE = `${ISR_TASK_LABEL}_config`;

export interface IsrOutputTypes {
  exposure: DatasetType;
  metadata: DatasetType;
  log: DatasetType;
  config: DatasetType;
}

const QUANTUM_DIMENSIONS = ['instrument', 'exposure', 'detector'];

/** Registers postISRCCD, isr_metadata, isr_log and isr_config (no-op when registered identically). */
export function ensureIsrOutputTypes(registry: Registry): IsrOutputTypes {
  const u = registry.dimensions;
  const types: IsrOutputTypes = {
    exposure: DatasetType.fromNames(u, ISR_OUTPUT_DATASET_TYPE, QUANTUM_DIMENSIONS, 'Exposure'),
    metadata: DatasetType.fromNames(u, ISR_METADATA_DATASET_TYPE, QUANTUM_DIMENSIONS, 'TaskMetadata'),
    log: DatasetType.fromNames(u, ISR_LOG_DATASET_TYPE, QUANTUM_DIMENSIONS, 'ButlerLogRecords'),
    config: DatasetType.fromNames(u, ISR_CONFIG_DATASET_TYPE, [], 'StructuredDataDict'),
  };
  for (const t of Object.values(types)) {
    try {
      registry.registerDatasetType(t);
    } catch (e) {
      throw new Error(`cannot register output dataset type '${t.name}' (${t.storageClassName}, dimensions ${t.dimensions.required.join(', ') || 'none'}): ${(e as Error).message}`, { cause: e });
    }
  }
  return types;
}

export interface ButlerLogRecordJson {
  name: string;
  asctime: string;
  message: string;
  levelno: number;
  levelname: string;
  filename: string;
  pathname: string;
  lineno: number;
  funcName: string | null;
  process: number;
  processName: string;
  exc_info: string | null;
  MDC: Record<string, string>;
}

/** Log records in daf_butler's ButlerLogRecord JSON shape, with the quantum's data ID as MDC. */
export function toButlerLogRecords(records: readonly LogRecord[], label: string): ButlerLogRecordJson[] {
  return records.map((r) => ({
    name: r.name,
    asctime: r.asctime,
    message: r.message,
    levelno: r.levelno,
    levelname: r.level,
    filename: '',
    pathname: '',
    lineno: 0,
    funcName: null,
    process: process.pid,
    processName: 'MainProcess',
    exc_info: null,
    MDC: { LABEL: label, ...Object.fromEntries(Object.entries(r.extra ?? {}).map(([k, v]) => [k, String(v)])) },
  }));
}

/** pipe_base's TaskMetadata as JSON (its pydantic model): scalars, homogeneous arrays, nested metadata. */
export interface TaskMetadataModel {
  scalars: Record<string, string | number | boolean>;
  arrays: Record<string, Array<string | number | boolean>>;
  metadata: Record<string, TaskMetadataModel>;
}

type PlainMetadata = { [key: string]: unknown };

/**
 * The task metadata in the JSON layout Python's TaskMetadata reads (pipetask's <label>_metadata):
 * {scalars, arrays, metadata}. A null becomes the string 'None' and a mixed-type array a list of
 * strings, since the model only holds homogeneous non-null values.
 */
export function toTaskMetadataModel(plain: PlainMetadata): TaskMetadataModel {
  const out: TaskMetadataModel = { scalars: {}, arrays: {}, metadata: {} };
  for (const [key, value] of Object.entries(plain)) {
    if (value === null || value === undefined) out.scalars[key] = 'None';
    else if (Array.isArray(value)) {
      const items = value.map((v) => (v === null || v === undefined ? 'None' : v)) as Array<string | number | boolean>;
      const kinds = new Set(items.map((v) => typeof v));
      out.arrays[key] = kinds.size > 1 ? items.map((v) => String(v)) : items;
    } else if (typeof value === 'object') out.metadata[key] = toTaskMetadataModel(value as PlainMetadata);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.scalars[key] = value;
    else out.scalars[key] = String(value);
  }
  return out;
}
