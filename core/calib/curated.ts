// Curated calibrations (obs_base's writeCuratedCalibrations): defect tables kept as text in an
// obs data package layout, `<dir>/<detector name>/<valid start>.ecsv` with columns x0, y0, width,
// height in trimmed pixel coordinates. Each table is valid from its start to the next table's
// start (the last one to infinity); each is written to `<instrument>/calib/curated/<start>` and
// certified into `<instrument>/calib`. Running it again changes nothing.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Butler } from '../butler/index.js';
import type { DatasetRef } from '../datasets/index.js';
import { getDetector } from '../camera/geometry.js';
import { getInstrument } from '../instrument/index.js';
import { utcIsoToTaiNs } from '../time/index.js';
import { calibrationCollection, certifyCalibrations, curatedCalibrationRun, ensureCalibrationDatasetType } from './calibTypes.js';
import { readDefectsText } from './defects.js';

export interface CuratedTable {
  detector: number;
  detectorName: string;
  /** obs_base calibDate text, e.g. 19700101T000000. */
  calibDate: string;
  begin: bigint;
  path: string;
}

/** '19700101T000000' (or an ISO date/time) → TAI ns of that UTC time. */
export function parseCalibDate(text: string, source: string): bigint {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2}))?Z?$/.exec(text);
  if (!m) throw new Error(`${source}: '${text}' is not a calibration date (YYYYMMDDTHHMMSS)`);
  return utcIsoToTaiNs(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}`);
}

/** The defect tables of a curated-calibration directory, by detector, sorted by start. */
export function findCuratedDefects(dir: string, instrumentName: string): CuratedTable[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`curated defects directory ${dir} does not exist`);
  const camera = getInstrument(instrumentName).camera();
  const out: CuratedTable[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const sub = join(dir, entry);
    if (!statSync(sub).isDirectory()) continue;
    const detector = getDetector(camera, entry.toLowerCase());
    for (const file of readdirSync(sub).sort()) {
      if (!file.endsWith('.ecsv')) continue;
      const calibDate = file.slice(0, -'.ecsv'.length);
      out.push({ detector: detector.id, detectorName: detector.name, calibDate, begin: parseCalibDate(calibDate, join(sub, file)), path: join(sub, file) });
    }
  }
  if (out.length === 0) throw new Error(`no defect tables in ${dir} (expected <detector name>/<YYYYMMDDTHHMMSS>.ecsv, e.g. ccd00/19700101T000000.ecsv)`);
  return out.sort((a, b) => a.detector - b.detector || (a.begin < b.begin ? -1 : a.begin > b.begin ? 1 : 0));
}

export interface CuratedReport {
  collection: string;
  runs: string[];
  written: number;
  alreadyPresent: number;
  certified: number;
}

export async function writeCuratedDefects(butler: Butler, instrumentName: string, dir: string, options: { collection?: string } = {}): Promise<CuratedReport> {
  const instrument = getInstrument(instrumentName);
  const registry = butler.registry;
  const tables = findCuratedDefects(dir, instrument.name);
  const datasetType = ensureCalibrationDatasetType(registry, 'defects');
  const collection = options.collection ?? calibrationCollection(instrument.name);
  const report: CuratedReport = { collection, runs: [], written: 0, alreadyPresent: 0, certified: 0 };
  for (let i = 0; i < tables.length; i++) {
    const t = tables[i];
    const next = tables[i + 1];
    const end = next && next.detector === t.detector ? next.begin : null;
    const defects = readDefectsText(t.path);
    const run = curatedCalibrationRun(instrument.name, `${t.calibDate}Z`.replace(/ZZ$/, 'Z'));
    const dataId = { instrument: instrument.name, detector: t.detector };
    let ref: DatasetRef | null = registry.queryCollections(run).length > 0 ? registry.findDataset(datasetType, dataId, { collections: [run] }) : null;
    if (ref) report.alreadyPresent++;
    else {
      ref = await butler.put(defects, datasetType, dataId, { run });
      report.written++;
    }
    if (!report.runs.includes(run)) report.runs.push(run);
    report.certified += certifyCalibrations(registry, collection, [ref], { begin: t.begin, end }).certified;
  }
  return report;
}
