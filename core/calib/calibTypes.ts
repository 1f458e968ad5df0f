// Calibration dataset types with cp_pipe/obs_cfht names and dimensions, the CALIBRATION
// collection and run names obs_base uses, certification (idempotent) and the lookup of the
// calibration valid for an exposure.
import type { DatasetRef } from '../datasets/index.js';
import { DatasetType } from '../datasets/index.js';
import type { TimespanNs } from '../dimensions/index.js';
import type { Registry } from '../registry/index.js';
import { formatTime, Timespan } from '../time/index.js';

export type CalibrationType = 'bias' | 'dark' | 'flat' | 'defects';

export const CALIBRATION_DIMENSIONS: Record<CalibrationType, string[]> = {
  bias: ['instrument', 'detector'],
  dark: ['instrument', 'detector'],
  flat: ['instrument', 'detector', 'physical_filter'],
  defects: ['instrument', 'detector'],
};

const STORAGE_CLASS: Record<CalibrationType, string> = { bias: 'ExposureF', dark: 'ExposureF', flat: 'ExposureF', defects: 'Defects' };

export function calibrationDatasetType(registry: Registry, type: CalibrationType): DatasetType {
  return DatasetType.fromNames(registry.dimensions, type, CALIBRATION_DIMENSIONS[type], STORAGE_CLASS[type], { isCalibration: true });
}

/** Registers a calibration dataset type (no-op when registered identically). */
export function ensureCalibrationDatasetType(registry: Registry, type: CalibrationType): DatasetType {
  const dt = calibrationDatasetType(registry, type);
  registry.registerDatasetType(dt);
  return dt;
}

/** obs_base's Instrument.makeCalibrationCollectionName(): '<instrument>/calib'. */
export function calibrationCollection(instrument: string): string {
  return `${instrument}/calib`;
}

/** obs_base's curated-calibration run: '<instrument>/calib/curated/<calibDate>'. */
export function curatedCalibrationRun(instrument: string, calibDate = '19700101T000000Z'): string {
  return `${instrument}/calib/curated/${calibDate}`;
}

function sameTimespan(a: TimespanNs, b: TimespanNs): boolean {
  // Unbounded ends are null here and the stored limits in a Timespan: compare normalised.
  const x = Timespan.of(a.begin, a.end);
  const y = Timespan.of(b.begin, b.end);
  return x.begin === y.begin && x.end === y.end;
}

export function describeTimespan(t: TimespanNs): string {
  const show = (v: bigint | null, open: string) => (v === null ? open : formatTime(v, { scale: 'tai', precision: 0 }));
  return `[${show(t.begin, '-∞')}, ${show(t.end, '∞')})`;
}

/**
 * Certifies refs into a CALIBRATION collection (created if needed). Refs already certified there
 * with exactly this range are skipped, so certifying again is harmless; an overlapping different
 * range is the registry's error (it names both ranges).
 */
export function certifyCalibrations(registry: Registry, collection: string, refs: readonly DatasetRef[], timespan: TimespanNs): { certified: number; alreadyCertified: number } {
  if (refs.length === 0) return { certified: 0, alreadyCertified: 0 };
  registry.registerCollection(collection, 'CALIBRATION');
  const todo: DatasetRef[] = [];
  let already = 0;
  const byType = new Map<string, DatasetRef[]>();
  for (const r of refs) byType.set(r.datasetType.name, [...(byType.get(r.datasetType.name) ?? []), r]);
  for (const [type, list] of byType) {
    const existing = registry.queryDatasetAssociations(type, { collections: collection });
    for (const r of list) {
      const hit = existing.find((a) => a.ref.id === r.id && a.timespan !== null && a.timespan !== undefined && sameTimespan(a.timespan, timespan));
      if (hit) already++;
      else todo.push(r);
    }
  }
  if (todo.length > 0) registry.certify(collection, todo, timespan);
  return { certified: todo.length, alreadyCertified: already };
}

/** The calibration of a type valid at `timespan` for a data ID, searching `collections` in order; null if none. */
export function findCalibration(registry: Registry, type: CalibrationType, dataId: Record<string, string | number>, timespan: TimespanNs, collections: string[]): DatasetRef | null {
  const dims = CALIBRATION_DIMENSIONS[type];
  const given = Object.fromEntries(dims.map((d) => [d, dataId[d]]));
  const missing = dims.filter((d) => given[d] === undefined);
  if (missing.length > 0) throw new Error(`looking up ${type} needs ${missing.join(', ')} in the data ID`);
  if (registry.queryDatasetTypes(type).length === 0) return null;
  return registry.findDataset(type, given, { collections, timespan });
}

export interface ExposureCalibrations {
  bias: DatasetRef | null;
  dark: DatasetRef | null;
  flat: DatasetRef | null;
  defects: DatasetRef | null;
}

/** The bias, dark, flat and defects valid for one exposure and detector (by the exposure's time and filter). */
export function calibrationsForExposure(registry: Registry, instrument: string, exposure: number, detector: number, collections = [calibrationCollection(instrument)]): ExposureCalibrations {
  const rec = registry.fetchDimensionRecord('exposure', { instrument, exposure });
  if (!rec) throw new Error(`exposure ${exposure} of ${instrument} is not in the registry`);
  const ts = rec.timespan as TimespanNs | null;
  if (!ts) throw new Error(`exposure ${exposure} has no timespan; calibrations are looked up by time`);
  const dataId = { instrument, detector, physical_filter: String(rec.physical_filter) };
  return {
    bias: findCalibration(registry, 'bias', dataId, ts, collections),
    dark: findCalibration(registry, 'dark', dataId, ts, collections),
    flat: findCalibration(registry, 'flat', dataId, ts, collections),
    defects: findCalibration(registry, 'defects', dataId, ts, collections),
  };
}
