// The demo repository (the app's embedded default): a couple of simulated MegaPrime nights —
// biases, darks, dome flats per filter and science exposures of two fields — ingested, visits
// defined, master calibrations built and certified per night, curated defects written, and a
// `MegaPrime/defaults` chain over raws and calibrations. Built in a sibling directory and renamed
// into place, so a crash never leaves a half-built repository under the final name.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Butler } from '../butler/index.js';
import { getDetector } from '../camera/geometry.js';
import { buildMasterCalibration } from '../calib/buildCalibs.js';
import { calibrationCollection } from '../calib/calibTypes.js';
import { writeCuratedDefects } from '../calib/curated.js';
import { Defects, formatDefectsEcsv } from '../calib/defects.js';
import { getInstrument } from '../instrument/index.js';
import { defaultRawRun, ingestRaws } from '../ingest/ingestRaws.js';
import { registerInstrumentRecords } from '../ingest/registerInstrument.js';
import { utcIsoToTaiNs } from '../time/index.js';
import { defineVisits } from '../visits/defineVisits.js';
import { simulatedDefects } from './cameraTruth.js';
import { localSiderealTime, writeSimulatedRaw, type SimExposure } from './simulator.js';

export interface DemoRepoOptions {
  seed?: number;
  /** MegaCam detector ids to simulate (default 10 and 11: two neighbouring CCDs near the centre). */
  detectors?: number[];
  /** On-chip binning of the simulated raws: 1 (full 2112×4644 frames), 2 or 4 (default 4). */
  binning?: number;
  /** Nights (default 2), starting the UTC date `firstNight`. */
  nights?: number;
  firstNight?: string;
  /** Physical filters of flats and science (default g.MP9401, r.MP9601). */
  filters?: string[];
  /** Replace an existing repository at the path. */
  overwrite?: boolean;
  onProgress?: (message: string) => void;
}

export interface DemoRepoReport {
  path: string;
  exposures: number;
  rawDatasets: number;
  visits: number;
  masters: number;
  defects: number;
  bytes: number;
  seconds: number;
}

export const DEMO_DEFAULTS = { seed: 20260310, detectors: [10, 11], binning: 4, nights: 2, firstNight: '2026-03-10', filters: ['g.MP9401', 'r.MP9601'] };

const INSTRUMENT = 'MegaPrime';

/** Where the app keeps its demo repository: the platform's per-user data directory. */
export function demoRepositoryPath(): string {
  if (process.env.BUTLER_DESKTOP_DEMO) return resolve(process.env.BUTLER_DESKTOP_DEMO);
  const home = homedir();
  let base: string;
  if (platform() === 'win32') base = process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
  else if (platform() === 'darwin') base = join(home, 'Library', 'Application Support');
  else base = process.env.XDG_DATA_HOME || join(home, '.local', 'share');
  return join(base, 'butler-desktop', 'demo-repo');
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`firstNight '${date}' is not a date (YYYY-MM-DD)`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function at(date: string, hour: number, seconds: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000 + seconds * 1000).toISOString().slice(0, 23);
}

/** The observing plan: per night 4 biases, 3 darks, 3 flats per filter, 2 fields × filters of science. */
export function demoSchedule(options: { nights: number; firstNight: string; filters: string[] }): { night: string; exposures: SimExposure[] }[] {
  const plan: { night: string; exposures: SimExposure[] }[] = [];
  let expnum = 2_900_001;
  const fieldHour = 8;
  for (let n = 0; n < options.nights; n++) {
    const night = addDays(options.firstNight, n);
    const exposures: SimExposure[] = [];
    const filter0 = options.filters[0];
    for (let i = 0; i < 4; i++) exposures.push({ expnum: expnum++, obstype: 'BIAS', filter: filter0, startUtc: at(night, 2, i * 40), exptime: 0 });
    for (let i = 0; i < 3; i++) exposures.push({ expnum: expnum++, obstype: 'DARK', filter: filter0, startUtc: at(night, 2.5, i * 330), exptime: 300 });
    options.filters.forEach((f, fi) => {
      for (let i = 0; i < 3; i++) exposures.push({ expnum: expnum++, obstype: 'FLAT', filter: f, startUtc: at(night, 3.5 + fi * 0.25, i * 30), exptime: 5 });
    });
    // Two fields near the meridian at 08h UTC; the second night dithers by a few arcminutes.
    const lst = localSiderealTime(new Date(`${night}T0${fieldHour}:00:00Z`));
    const fields = [
      { name: 'DEMO-A', ra: lst, dec: 20.5 },
      { name: 'DEMO-B', ra: (lst + 12) % 360, dec: 32.0 },
    ];
    let t = 0;
    for (const field of fields) {
      for (const f of options.filters) {
        const dither = n * 0.05;
        exposures.push({ expnum: expnum++, obstype: 'OBJECT', filter: f, startUtc: at(night, fieldHour, t), exptime: 120, pointing: { ra: field.ra + dither, dec: field.dec + dither }, object: field.name });
        t += 180;
      }
    }
    plan.push({ night, exposures });
  }
  return plan;
}

function directorySize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? directorySize(p) : statSync(p).size;
  }
  return total;
}

/** Builds the demo repository at `path` (must not exist unless overwrite). */
export async function buildDemoRepo(path: string, options: DemoRepoOptions = {}): Promise<DemoRepoReport> {
  const t0 = performance.now();
  const o = { ...DEMO_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEMO_DEFAULTS & DemoRepoOptions;
  const say = options.onProgress ?? (() => undefined);
  const finalPath = resolve(path);
  if (existsSync(finalPath) && !options.overwrite) throw new Error(`${finalPath} already exists; choose another path or overwrite it`);
  const camera = getInstrument(INSTRUMENT).camera();
  for (const d of o.detectors) getDetector(camera, d);
  const building = join(dirname(finalPath), `.${basename(finalPath)}.building-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  try {
    Butler.makeRepo(building);
    const butler = Butler.open(building, { writeable: true });
    try {
      registerInstrumentRecords(butler.registry, getInstrument(INSTRUMENT));
      const staging = join(building, '.staging');
      mkdirSync(staging);
      const schedule = demoSchedule(o);
      const all = schedule.flatMap((s) => s.exposures);
      let written = 0;
      for (const exp of all) {
        writeSimulatedRaw(staging, exp, { seed: o.seed, detectors: o.detectors, binning: o.binning });
        say(`simulated ${++written}/${all.length} raws (${o.detectors.length} CCD${o.detectors.length === 1 ? '' : 's'} each)`);
      }
      const ingest = await ingestRaws(butler, [staging], { transfer: 'move' });
      if (ingest.failed.length > 0) throw new Error(`demo raws failed to ingest: ${ingest.failed.map((f) => f.error).join('; ')}`);
      say(`ingested ${ingest.datasets} raw datasets`);
      const visits = await defineVisits(butler, INSTRUMENT, { visitSystems: ['one-to-one', 'by-group-metadata'] });
      say(`defined ${visits.visitsDefined} visits`);

      let masters = 0;
      for (let n = 0; n < schedule.length; n++) {
        const { night, exposures } = schedule[n];
        // Each night's masters are valid from that night's start until the next night's.
        const begin = n === 0 ? null : utcIsoToTaiNs(`${night}T00:00:00`);
        const end = n + 1 < schedule.length ? utcIsoToTaiNs(`${schedule[n + 1].night}T00:00:00`) : null;
        const certify = { timespan: { begin, end } };
        const ids = (t: SimExposure['obstype'], f?: string) => exposures.filter((e) => e.obstype === t && (f === undefined || e.filter === f)).map((e) => e.expnum);
        const label = night.replace(/-/g, '');
        masters += (await buildMasterCalibration(butler, INSTRUMENT, { type: 'bias', exposures: ids('BIAS'), label, certify })).masters.length;
        masters += (await buildMasterCalibration(butler, INSTRUMENT, { type: 'dark', exposures: ids('DARK'), label, certify })).masters.length;
        for (const f of o.filters) {
          masters += (await buildMasterCalibration(butler, INSTRUMENT, { type: 'flat', exposures: ids('FLAT', f), label: `${label}-${f.split('.')[0]}`, certify })).masters.length;
        }
        say(`built and certified the masters of ${night}`);
      }

      // Curated defects of the simulated camera, in the obs data package layout, at the demo's binning.
      const defectsDir = join(staging, 'defects');
      for (const d of o.detectors) {
        const det = getDetector(camera, d);
        const b = o.binning;
        const boxes = simulatedDefects(o.seed, det).map((x) => {
          const x0 = Math.floor(x.x0 / b);
          const y0 = Math.floor(x.y0 / b);
          return { x0, y0, width: Math.ceil((x.x0 + x.width) / b) - x0, height: Math.ceil((x.y0 + x.height) / b) - y0 };
        });
        mkdirSync(join(defectsDir, det.name), { recursive: true });
        const defects = new Defects(boxes, { INSTRUME: INSTRUMENT, DETECTOR: d, DETNAME: det.name, BINNING: b, CALIBDATE: '1970-01-01T00:00:00' });
        writeFileSync(join(defectsDir, det.name, '19700101T000000.ecsv'), formatDefectsEcsv(defects));
      }
      const curated = await writeCuratedDefects(butler, INSTRUMENT, defectsDir);
      say(`wrote ${curated.written} curated defect tables`);
      butler.registry.registerCollection(`${INSTRUMENT}/defaults`, 'CHAINED', 'Demo raws and calibrations');
      butler.registry.setCollectionChain(`${INSTRUMENT}/defaults`, [defaultRawRun(INSTRUMENT), calibrationCollection(INSTRUMENT)]);
      rmSync(staging, { recursive: true, force: true });
      const report = { exposures: all.length, rawDatasets: ingest.datasets, visits: visits.visitsDefined, masters, defects: curated.written };
      butler.close();
      if (existsSync(finalPath)) rmSync(finalPath, { recursive: true, force: true });
      renameSync(building, finalPath);
      return { path: finalPath, ...report, bytes: directorySize(finalPath), seconds: (performance.now() - t0) / 1000 };
    } catch (err) {
      butler.close();
      throw err;
    }
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
}

/** The demo repository, built first if it is not there yet; returns its path. */
export async function ensureDemoRepository(onProgress?: (message: string) => void): Promise<string> {
  const path = demoRepositoryPath();
  if (existsSync(join(path, 'butler.yaml'))) return path;
  mkdirSync(dirname(path), { recursive: true });
  await buildDemoRepo(path, { overwrite: existsSync(path), onProgress });
  return path;
}
