// The ISR quantum graph (pipe_base's QuantumGraph for a one-task pipeline): one quantum per raw
// (exposure, detector) found by a data-ID query over the input collections, with its prerequisite
// calibrations (bias, dark, flat, defects) looked up in those collections at the exposure's time,
// as pipe_base does for CALIBRATION collections. Calibrations the config turns off (doDark=false,
// ...) are not looked up. Quanta whose postISRCCD already exists in the output run are set aside
// (resume), and missing calibrations are reported per quantum.
import { randomUUID } from 'node:crypto';
import type { DatasetRef, DatasetType } from '../../datasets/index.js';
import type { DimensionRecord, TimespanNs } from '../../dimensions/index.js';
import type { IsrFields } from '../../isr/isrConfig.js';
import type { IsrTaskName } from '../../isr/presets.js';
import type { Registry } from '../../registry/index.js';
import type { Config } from '../config/index.js';

export const ISR_OUTPUT_DATASET_TYPE = 'postISRCCD';
export const ISR_TASK_LABEL = 'isr';

export type CalibrationConnection = 'bias' | 'dark' | 'flat' | 'defects';
export const CALIBRATION_CONNECTIONS: readonly CalibrationConnection[] = ['bias', 'dark', 'flat', 'defects'];

export interface IsrQuantum {
  /** Quantum id (UUID), assigned when the graph is built. */
  id: string;
  instrument: string;
  exposure: number;
  detector: number;
  physicalFilter: string;
  /** The input raw. */
  raw: DatasetRef;
  /** Prerequisite calibrations found (only those the config uses). */
  calibrations: Partial<Record<CalibrationConnection, DatasetRef>>;
}

export interface MissingPrerequisite {
  instrument: string;
  exposure: number;
  detector: number;
  connection: CalibrationConnection;
  datasetType: string;
  collections: string[];
  /** What to do about it, for people. */
  message: string;
}

export interface IsrQuantumGraph {
  taskName: IsrTaskName;
  config: Config<IsrFields>;
  inputCollections: string[];
  outputRun: string;
  /** Quanta to run, sorted by detector then exposure (neighbours share calibrations). */
  quanta: IsrQuantum[];
  /** Quanta whose postISRCCD already exists in the output run (not run again). */
  alreadyDone: Array<{ quantum: IsrQuantum; output: DatasetRef }>;
  /** Quanta left out because a calibration they need was not found (only with skipMissing). */
  missing: MissingPrerequisite[];
}

export interface BuildIsrGraphOptions {
  /** Collections searched in order for raws and calibrations (CALIBRATION collections by time). */
  inputCollections: string[];
  where?: string;
  bind?: Record<string, unknown>;
  dataId?: Record<string, unknown>;
  config: Config<IsrFields>;
  taskName: IsrTaskName;
  outputRun: string;
  /** Leave out quanta with missing calibrations (reported in `missing`) instead of failing. */
  skipMissing?: boolean;
  /** Set aside quanta whose output exists in the output run (default true: resume). */
  skipExisting?: boolean;
}

export class MissingPrerequisitesError extends Error {
  override name = 'MissingPrerequisitesError';
  readonly missing: MissingPrerequisite[];
  constructor(missing: MissingPrerequisite[]) {
    const lines = missing.slice(0, 20).map((m) => `  ${m.message}`);
    if (missing.length > 20) lines.push(`  ... and ${missing.length - 20} more`);
    const quanta = new Set(missing.map((m) => `${m.exposure}/${m.detector}`)).size;
    super(`${quanta} quant${quanta === 1 ? 'um lacks' : 'a lack'} prerequisite calibrations:\n${lines.join('\n')}\n(certify the calibrations, add their collection to --input, turn the step off with -c isr.do<Step>=false, or pass --skip-missing)`);
    this.missing = missing;
  }
}

export class EmptyGraphError extends Error {
  override name = 'EmptyGraphError';
}

/** Dataset type names and switches of the prerequisite calibrations, from the config. */
export function activeCalibrations(config: Config<IsrFields>): Array<{ connection: CalibrationConnection; datasetType: string }> {
  const out: Array<{ connection: CalibrationConnection; datasetType: string }> = [];
  if (config.doBias) out.push({ connection: 'bias', datasetType: config.biasDataProductName });
  if (config.doDark) out.push({ connection: 'dark', datasetType: config.darkDataProductName });
  if (config.doFlat) out.push({ connection: 'flat', datasetType: config.flatDataProductName });
  if (config.doDefect) out.push({ connection: 'defects', datasetType: 'defects' });
  return out;
}

function registeredType(registry: Registry, name: string): DatasetType | null {
  return registry.queryDatasetTypes(name).find((t) => t.name === name) ?? null;
}

export function buildIsrGraph(registry: Registry, options: BuildIsrGraphOptions): IsrQuantumGraph {
  const { config, inputCollections } = options;
  if (inputCollections.length === 0) throw new Error('no input collections: give the collections holding the raws and calibrations (--input)');
  for (const c of inputCollections) registry.getCollectionType(c);
  const rawTypeName = config.datasetType;
  const rawType = registeredType(registry, rawTypeName);
  if (!rawType) throw new Error(`dataset type '${rawTypeName}' (the config's datasetType) is not registered in this repository; ingest raws first`);
  for (const d of ['instrument', 'exposure', 'detector']) {
    if (!rawType.dimensions.required.includes(d)) throw new Error(`dataset type '${rawTypeName}' has dimensions ${rawType.dimensions.required.join(', ')}; ISR needs raws with instrument, exposure and detector`);
  }
  const raws = registry.queryDatasets(rawType, {
    collections: inputCollections,
    findFirst: true,
    ...(options.where ? { where: options.where } : {}),
    ...(options.bind ? { bind: options.bind } : {}),
    ...(options.dataId ? { dataId: options.dataId } : {}),
  });
  if (raws.length === 0) {
    throw new EmptyGraphError(`no '${rawTypeName}' datasets in ${inputCollections.join(', ')}${options.where ? ` matching "${options.where}"` : ''}: nothing to process`);
  }

  const calibs = activeCalibrations(config).map((c) => ({ ...c, type: registeredType(registry, c.datasetType) }));
  const exposures = new Map<string, DimensionRecord>();
  const exposureRecord = (instrument: string, exposure: number): DimensionRecord => {
    const key = `${instrument}/${exposure}`;
    let rec = exposures.get(key);
    if (!rec) {
      const got = registry.fetchDimensionRecord('exposure', { instrument, exposure });
      if (!got) throw new Error(`exposure ${exposure} of ${instrument} has a raw but no exposure record`);
      rec = got;
      exposures.set(key, rec);
    }
    return rec;
  };

  let existing = new Map<string, DatasetRef>();
  const outputType = registeredType(registry, ISR_OUTPUT_DATASET_TYPE);
  if ((options.skipExisting ?? true) && outputType && registry.queryCollections(options.outputRun).length > 0) {
    existing = new Map(registry.queryDatasets(outputType, { collections: [options.outputRun] }).map((r) => [r.dataId.key(), r]));
  }

  const quanta: IsrQuantum[] = [];
  const alreadyDone: IsrQuantumGraph['alreadyDone'] = [];
  const missing: MissingPrerequisite[] = [];
  for (const raw of raws) {
    const instrument = String(raw.dataId.values.instrument);
    const exposure = Number(raw.dataId.values.exposure);
    const detector = Number(raw.dataId.values.detector);
    const rec = exposureRecord(instrument, exposure);
    const physicalFilter = String(rec.physical_filter);
    const quantum: IsrQuantum = { id: randomUUID(), instrument, exposure, detector, physicalFilter, raw, calibrations: {} };
    const done = existing.get(raw.dataId.key());
    if (done) {
      alreadyDone.push({ quantum, output: done });
      continue;
    }
    const timespan = rec.timespan as TimespanNs | null;
    const lacking: MissingPrerequisite[] = [];
    for (const c of calibs) {
      const where = `exposure ${exposure}, detector ${detector}`;
      const base = { instrument, exposure, detector, connection: c.connection, datasetType: c.datasetType, collections: inputCollections };
      if (!c.type) {
        lacking.push({ ...base, message: `${where}: no '${c.datasetType}' in ${inputCollections.join(', ')} (the dataset type is not registered in this repository; do${cap(c.connection)}=true needs it)` });
        continue;
      }
      if (!timespan && c.type.isCalibration) throw new Error(`exposure ${exposure} of ${instrument} has no timespan: calibrations are looked up by the exposure's time`);
      const dataId: Record<string, string | number> = {};
      for (const d of c.type.dimensions.required) {
        if (d === 'instrument') dataId[d] = instrument;
        else if (d === 'detector') dataId[d] = detector;
        else if (d === 'physical_filter') dataId[d] = physicalFilter;
        else if (d === 'exposure') dataId[d] = exposure;
        else if (rec[d] !== undefined && rec[d] !== null) dataId[d] = rec[d] as string | number;
        else throw new Error(`dataset type '${c.datasetType}' has dimension '${d}', which an ISR quantum (instrument, exposure, detector) cannot supply`);
      }
      const ref = registry.findDataset(c.type, dataId, { collections: inputCollections, ...(timespan ? { timespan } : {}) });
      if (ref) quantum.calibrations[c.connection] = ref;
      else {
        const filter = 'physical_filter' in dataId ? `, physical_filter ${physicalFilter}` : '';
        lacking.push({ ...base, message: `${where}${filter}: no '${c.datasetType}' valid at the exposure's time in ${inputCollections.join(', ')}` });
      }
    }
    if (lacking.length > 0) missing.push(...lacking);
    else quanta.push(quantum);
  }
  if (missing.length > 0 && !options.skipMissing) throw new MissingPrerequisitesError(missing);
  quanta.sort((a, b) => a.detector - b.detector || a.exposure - b.exposure || a.instrument.localeCompare(b.instrument));
  return { taskName: options.taskName, config, inputCollections: [...inputCollections], outputRun: options.outputRun, quanta, alreadyDone, missing };
}

function cap(s: string): string {
  return s === 'defects' ? 'Defect' : s[0].toUpperCase() + s.slice(1);
}
