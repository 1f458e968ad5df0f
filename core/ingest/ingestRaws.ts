// Raw ingest (obs_base's RawIngestTask): headers read in parallel, exposure/day_obs/group
// records from the instrument's translator, one `raw` dataset per detector of each file with
// deterministic ids (DATAID_TYPE_RUN, as obs_base), into `<instrument>/raw/all` by default.
// Each file lands in its own transaction: a bad file is reported (file + reason) and the good
// ones still land, unless failFast. Re-ingesting a file that is already there changes nothing.
import type { Butler } from '../butler/index.js';
import { DatasetType } from '../datasets/index.js';
// The FITS formatters must be registered before a raw is read back: they map obs_cfht's raw
// formatter class to the MegaPrime reader (the lazily loaded default would read it as an Exposure).
import '../formatters/fits/index.js';
import type { TransferMode } from '../datastore/index.js';
import { exposureRecord, getInstrument, type Instrument, type ObservationInfo } from '../instrument/index.js';
import type { Registry } from '../registry/index.js';
import { utcIsoToTaiNs } from '../time/index.js';
import { requireRegisteredInstrument } from './registerInstrument.js';
import { expandRawLocations, fromPortable, type RawFileInfo } from './rawScan.js';
import { scanRawFiles } from './scanPool.js';

export const RAW_DATASET_TYPE = 'raw';

export interface IngestProgress {
  phase: 'scan' | 'ingest';
  done: number;
  total: number;
  path: string;
}

export interface IngestRawsOptions {
  /** Output RUN; default `<instrument>/raw/all`. */
  run?: string;
  transfer?: TransferMode;
  /** Stop at the first bad file (files already ingested stay). */
  failFast?: boolean;
  /** Header-reading worker threads (0: in this thread). */
  workers?: number;
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestedFile {
  path: string;
  instrument: string;
  exposure: number;
  detectors: number[];
  /** Datasets new in this ingest (0 when the file was already ingested). */
  newDatasets: number;
  run: string;
}

export interface FailedFile {
  path: string;
  error: string;
}

export interface IngestReport {
  files: number;
  ingested: IngestedFile[];
  /** Files whose datasets were all present already. */
  alreadyPresent: IngestedFile[];
  failed: FailedFile[];
  datasets: number;
}

export class IngestFailFastError extends Error {
  override name = 'IngestFailFastError';
  constructor(
    readonly failure: FailedFile,
    readonly report: IngestReport,
  ) {
    super(`${failure.error} (stopped at the first failure: --fail-fast)`);
  }
}

/** obs_base's formatter class for an instrument's raws, e.g. lsst.obs.cfht.rawFormatter.MegaPrimeRawFormatter. */
export function rawFormatterClass(instrument: Instrument): string {
  return `${instrument.className.replace(/\.[^.]+$/, '')}.rawFormatter.${instrument.rawFormatter.name}`;
}

export function defaultRawRun(instrument: string): string {
  return `${instrument}/raw/all`;
}

export function rawDatasetType(registry: Registry): DatasetType {
  return DatasetType.fromNames(registry.dimensions, RAW_DATASET_TYPE, ['instrument', 'detector', 'exposure'], 'Exposure');
}

/** Registers `raw` (instrument, detector, exposure; Exposure) if the repository lacks it. */
export function ensureRawDatasetType(registry: Registry): DatasetType {
  const dt = rawDatasetType(registry);
  registry.registerDatasetType(dt);
  return dt;
}

/** The day_obs, group and exposure records of one observation, synced (identical records are no-ops). */
export function syncExposureRecords(registry: Registry, obs: ObservationInfo, source: string): void {
  if (registry.fetchDimensionRecord('physical_filter', { instrument: obs.instrument, physical_filter: obs.physicalFilter }) === null) {
    const known = registry.queryDimensionRecords('physical_filter', { where: `instrument = '${obs.instrument}'` }).map((r) => String(r.name));
    throw new Error(`${source}: physical filter '${obs.physicalFilter}' is not registered for ${obs.instrument} (registered: ${known.join(', ') || 'none'}); run "butler register-instrument" with an instrument that defines it`);
  }
  const day = String(obs.dayObs);
  const dayRecord: Record<string, string | number | { begin: bigint; end: bigint }> = { instrument: obs.instrument, id: obs.dayObs };
  if (registry.dimensions.getElement('day_obs').hasTimespan) {
    // MegaPrime's day rolls over at 0h UTC: the day is that UTC date.
    const begin = utcIsoToTaiNs(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00`);
    dayRecord.timespan = { begin, end: begin + 86_400_000_000_000n };
  }
  registry.syncDimensionData('day_obs', dayRecord);
  registry.syncDimensionData('group', { instrument: obs.instrument, name: obs.group });
  const exposure = exposureRecord(obs);
  registry.syncDimensionData('exposure', { ...exposure, timespan: { begin: exposure.timespan.begin, end: exposure.timespan.end } });
}

async function ingestOne(butler: Butler, info: RawFileInfo, options: IngestRawsOptions): Promise<IngestedFile> {
  const instrument = getInstrument(info.instrument);
  const registry = butler.registry;
  const run = options.run ?? defaultRawRun(instrument.name);
  const obs = fromPortable(info.observation);
  const camera = instrument.camera();
  for (const d of info.detectors) {
    if (!camera.detectors.some((c) => c.id === d)) throw new Error(`${info.path}: detector ${d} is not in the ${instrument.name} camera`);
  }
  const refs = await butler.transaction(async () => {
    syncExposureRecords(registry, obs, info.path);
    return butler.ingest(
      [{ path: info.path, datasetType: RAW_DATASET_TYPE, run, formatter: rawFormatterClass(instrument), dataIds: info.detectors.map((detector) => ({ instrument: instrument.name, detector, exposure: obs.exposureId })) }],
      { transfer: options.transfer ?? 'auto', idGenerationMode: 'DATAID_TYPE_RUN', skipExisting: true },
    );
  });
  return { path: info.path, instrument: instrument.name, exposure: obs.exposureId, detectors: info.detectors, newDatasets: refs.length, run };
}

/** Ingests raw files and directories of raws into a writeable Butler. */
export async function ingestRaws(butler: Butler, locations: readonly string[], options: IngestRawsOptions = {}): Promise<IngestReport> {
  const { files, missing } = expandRawLocations(locations);
  const report: IngestReport = { files: files.length, ingested: [], alreadyPresent: [], failed: missing.map((m) => ({ path: m, error: `${m}: no such file or directory` })), datasets: 0 };
  if (options.failFast && report.failed.length > 0) throw new IngestFailFastError(report.failed[0], report);
  if (files.length === 0 && report.failed.length === 0) throw new Error(`no raw files found in ${locations.join(', ')} (looked for ${['.fits', '.fits.fz', '.fz'].join(', ')})`);
  const scans = await scanRawFiles(files, { workers: options.workers, onResult: (r, done, total) => options.onProgress?.({ phase: 'scan', done, total, path: r.ok ? r.info.path : r.path }) });
  const registry = butler.registry;
  ensureRawDatasetType(registry);
  const checkedInstruments = new Set<string>();
  let done = 0;
  for (const scan of scans) {
    const path = scan.ok ? scan.info.path : scan.path;
    try {
      if (!scan.ok) throw new Error(scan.error);
      if (!checkedInstruments.has(scan.info.instrument)) {
        requireRegisteredInstrument(registry, scan.info.instrument);
        checkedInstruments.add(scan.info.instrument);
      }
      const result = await ingestOne(butler, scan.info, options);
      report.datasets += result.newDatasets;
      (result.newDatasets > 0 ? report.ingested : report.alreadyPresent).push(result);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const failure = { path, error: message.includes(path) ? message : `${path}: ${message}` };
      report.failed.push(failure);
      if (options.failFast) throw new IngestFailFastError(failure, report);
    } finally {
      options.onProgress?.({ phase: 'ingest', done: ++done, total: scans.length, path });
    }
  }
  return report;
}
