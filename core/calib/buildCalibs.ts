// Master bias, dark and flat from raw calibration exposures in the repository (cp_pipe's
// CpBiasTask / CpDarkTask / CpFlatTask in one place): each input is overscan-corrected and
// trimmed, darks and flats have the certified master bias (and dark) removed, darks are
// scaled to one second, flats are normalised to their median before combining and the
// master flat to 1. Masters are written as ExposureF datasets (`bias`, `dark`, `flat`) into a
// RUN and, if asked, certified into the CALIBRATION collection with a validity range.
import type { Butler } from '../butler/index.js';
import type { DatasetRef } from '../datasets/index.js';
import type { DimensionRecord, TimespanNs } from '../dimensions/index.js';
import { Header } from '../fits/header.js';
import { Exposure } from '../image/exposure.js';
import { Image } from '../image/image.js';
import { MaskedImage } from '../image/maskedImage.js';
import { getInstrument } from '../instrument/index.js';
import { defaultRawRun, RAW_DATASET_TYPE } from '../ingest/ingestRaws.js';
import { formatTime } from '../time/index.js';
import { calibrationCollection, certifyCalibrations, ensureCalibrationDatasetType, findCalibration } from './calibTypes.js';
import { combineFrames, robustLevel, type CombineMethod } from './combine.js';
import { prepareCalibrationFrame } from './prepareFrame.js';

export type MasterType = 'bias' | 'dark' | 'flat';

export interface BuildMasterOptions {
  type: MasterType;
  /** Raw exposure ids to combine (all of the right observation type). */
  exposures: readonly number[];
  /** Detectors (default: those with raws of the first exposure). */
  detectors?: readonly number[];
  rawCollections?: string[];
  /** Where the bias (and dark) for darks and flats are looked up; default ['<instrument>/calib']. */
  calibCollections?: string[];
  /** Output RUN; default '<instrument>/calib/<type>/<label>'. */
  run?: string;
  /** Run label (default: day_obs of the first input). */
  label?: string;
  method?: CombineMethod;
  /** Certify into this CALIBRATION collection (default '<instrument>/calib') with this validity. */
  certify?: { collection?: string; timespan: TimespanNs };
  onProgress?: (detector: number, done: number, total: number) => void;
}

export interface MasterSummary {
  detector: number;
  ref: DatasetRef;
  /** Median of the master (ADU; ADU/s for darks; 1 for flats). */
  level: number;
  /** Median per-pixel standard deviation of the master (from the combined variance). */
  noise: number;
  rejected: number;
}

export interface BuildMasterResult {
  type: MasterType;
  run: string;
  inputs: number[];
  physicalFilter?: string;
  masters: MasterSummary[];
  certified?: { collection: string; certified: number; alreadyCertified: number };
}

const EXPECTED_TYPE: Record<MasterType, string> = { bias: 'bias', dark: 'dark', flat: 'flat' };

function inputRecords(butler: Butler, instrument: string, type: MasterType, exposures: readonly number[]): DimensionRecord[] {
  if (exposures.length === 0) throw new Error(`building a master ${type} needs at least one ${type} exposure`);
  return exposures.map((id) => {
    const rec = butler.registry.fetchDimensionRecord('exposure', { instrument, exposure: id });
    if (!rec) throw new Error(`exposure ${id} of ${instrument} is not in the registry (ingest its raw first)`);
    const obsType = String(rec.observation_type).toLowerCase();
    const ok = obsType === EXPECTED_TYPE[type] || (type === 'flat' && obsType === 'domeflat');
    if (!ok) throw new Error(`exposure ${id} is a '${obsType}' exposure, not a ${type}; a master ${type} is built from ${type} exposures only`);
    return rec;
  });
}

function spanOf(rec: DimensionRecord): TimespanNs {
  const t = rec.timespan as TimespanNs | null;
  if (!t) throw new Error(`exposure ${String(rec.id)} has no timespan`);
  return t;
}

export async function buildMasterCalibration(butler: Butler, instrumentName: string, options: BuildMasterOptions): Promise<BuildMasterResult> {
  const instrument = getInstrument(instrumentName);
  const registry = butler.registry;
  const { type } = options;
  const records = inputRecords(butler, instrument.name, type, options.exposures);
  const inputs = records.map((r) => Number(r.id));
  const filters = [...new Set(records.map((r) => String(r.physical_filter)))];
  if (type === 'flat' && filters.length > 1) throw new Error(`flat exposures ${inputs.join(', ')} mix physical filters ${filters.join(', ')}; build one master flat per filter`);
  const physicalFilter = type === 'flat' ? filters[0] : undefined;
  const rawCollections = options.rawCollections ?? [defaultRawRun(instrument.name)];
  const calibCollections = options.calibCollections ?? [calibrationCollection(instrument.name)];
  const label = options.label ?? String(records[0].day_obs);
  const run = options.run ?? `${instrument.name}/calib/${type}/${label}`;
  const datasetType = ensureCalibrationDatasetType(registry, type);

  const rawRefs = new Map<number, Map<number, DatasetRef>>();
  for (const id of inputs) {
    const refs = registry.queryDatasets(RAW_DATASET_TYPE, { collections: rawCollections, where: `instrument = '${instrument.name}' AND exposure = ${id}`, findFirst: true });
    if (refs.length === 0) throw new Error(`no raw for exposure ${id} in ${rawCollections.join(', ')}`);
    rawRefs.set(id, new Map(refs.map((r) => [Number(r.dataId.values.detector), r])));
  }
  const detectors = options.detectors ?? [...rawRefs.get(inputs[0])!.keys()].sort((a, b) => a - b);
  const masters: MasterSummary[] = [];
  let done = 0;
  for (const detector of detectors) {
    const frames: Float32Array[] = [];
    const scales: number[] = [];
    let width = 0;
    let height = 0;
    let template: Exposure | undefined;
    let bias: Float32Array | undefined;
    let dark: Float32Array | undefined;
    for (const rec of records) {
      const id = Number(rec.id);
      const ref = rawRefs.get(id)!.get(detector);
      if (!ref) throw new Error(`exposure ${id} has no raw for detector ${detector} in ${rawCollections.join(', ')}`);
      if (type !== 'bias' && !bias) {
        const dataId = { instrument: instrument.name, detector, physical_filter: String(rec.physical_filter) };
        const when = spanOf(rec);
        const biasRef = findCalibration(registry, 'bias', dataId, when, calibCollections);
        if (!biasRef) throw new Error(`no master bias certified in ${calibCollections.join(', ')} for detector ${detector} at ${formatTime(when.begin ?? 0n, { scale: 'utc', precision: 0 })} UTC; build and certify a bias first`);
        bias = ((await butler.get(biasRef)) as Exposure).image.pixels();
        if (type === 'flat') {
          const darkRef = findCalibration(registry, 'dark', dataId, when, calibCollections);
          if (darkRef) dark = ((await butler.get(darkRef)) as Exposure).image.pixels();
        }
      }
      const raw = (await butler.get(ref)) as Exposure;
      template ??= raw;
      const darkTime = Number(rec.dark_time ?? 0);
      const frame = prepareCalibrationFrame(raw, `${RAW_DATASET_TYPE} ${ref.dataId.toString()}`, { bias, dark, darkTime });
      width = frame.width;
      height = frame.height;
      frames.push(frame.data);
      if (type === 'dark') {
        if (!(darkTime > 0)) throw new Error(`dark exposure ${id} has dark time ${darkTime}; darks need a positive dark time`);
        scales.push(darkTime);
      } else if (type === 'flat') {
        const level = robustLevel(frame.data);
        if (!(level > 0)) throw new Error(`flat exposure ${id} detector ${detector} has median ${level} ADU after bias subtraction; not a usable flat`);
        scales.push(level);
      } else scales.push(1);
    }
    const combined = combineFrames(frames, { method: options.method ?? 'sigmaclip', scales });
    if (type === 'flat') {
      const norm = robustLevel(combined.image);
      for (let i = 0; i < combined.image.length; i++) {
        combined.image[i] /= norm;
        combined.variance[i] /= norm * norm;
      }
    }
    const image = new Image(combined.image, width, height);
    const mi = new MaskedImage(image, undefined, new Image(combined.variance, width, height));
    if (type === 'flat') {
      // Pixels that barely respond are unusable for flat-fielding: mark them BAD.
      const bad = mi.mask.getPlaneBitMask('BAD');
      const m = mi.mask.pixels();
      for (let i = 0; i < combined.image.length; i++) if (combined.image[i] < 0.5) m[i] |= bad;
    }
    const metadata = new Header();
    metadata.set('OBSTYPE', type, 'Calibration type');
    metadata.set('INSTRUME', instrument.name);
    metadata.set('DETECTOR', detector, 'Detector id');
    if (physicalFilter) metadata.set('FILTER', physicalFilter, 'Physical filter');
    metadata.set('CALIBDATE', formatTime(spanOf(records[0]).begin ?? 0n, { scale: 'utc', precision: 0 }), 'Date of the first input (UTC)');
    metadata.set('NCOMBINE', records.length, 'Number of inputs combined');
    metadata.set('COMBMETH', options.method ?? 'sigmaclip', 'Combination method');
    if (type === 'dark') metadata.set('BUNIT', 'adu/s', 'Master dark per second of dark time');
    else metadata.set('BUNIT', type === 'flat' ? '' : 'adu');
    inputs.forEach((id, i) => metadata.set(`INPUT${String(i).padStart(3, '0')}`, id, 'Input exposure'));
    const master = new Exposure(mi, {
      metadata,
      detector: template?.detector,
      ...(physicalFilter ? { filter: { physicalLabel: physicalFilter, band: instrument.filters.find((f) => f.physicalFilter === physicalFilter)?.band } } : {}),
      visitInfo: { exposureTime: type === 'dark' ? 1 : 0, darkTime: type === 'dark' ? 1 : 0, instrumentLabel: instrument.name, observationType: type },
    });
    const dataId: Record<string, string | number> = { instrument: instrument.name, detector };
    if (physicalFilter) dataId.physical_filter = physicalFilter;
    const existing = registry.queryCollections(run).length > 0 ? registry.findDataset(datasetType, dataId, { collections: [run] }) : null;
    const ref = existing ?? (await butler.put(master, datasetType, dataId, { run }));
    const noise = robustLevel(Float32Array.from(combined.variance, (v) => Math.sqrt(Math.max(v, 0))));
    masters.push({ detector, ref, level: robustLevel(combined.image), noise, rejected: combined.rejected });
    options.onProgress?.(detector, ++done, detectors.length);
  }
  const result: BuildMasterResult = { type, run, inputs, ...(physicalFilter ? { physicalFilter } : {}), masters };
  if (options.certify) {
    const collection = options.certify.collection ?? calibrationCollection(instrument.name);
    result.certified = { collection, ...certifyCalibrations(registry, collection, masters.map((m) => m.ref), options.certify.timespan) };
  }
  return result;
}
