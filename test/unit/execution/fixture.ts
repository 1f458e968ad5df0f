// A small simulated repository made through the Butler API: an instrument with a few tiny
// two-amplifier detectors (test/unit/isr/synthetic.ts), raws for some exposures, and master
// bias/dark/flat certified into a CALIBRATION collection for all time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Butler } from '../../../core/butler/index.js';
import type { Detector } from '../../../core/camera/geometry.js';
import { DatasetType } from '../../../core/datasets/index.js';
import '../../../core/formatters/fits/index.js';
import { Defects } from '../../../core/calib/index.js';
import { Exposure, Image, MaskedImage } from '../../../core/image/index.js';
import { makeIsrConfig } from '../../../core/isr/presets.js';
import type { IsrFields } from '../../../core/isr/isrConfig.js';
import type { Config } from '../../../core/pipe/config/index.js';
import { utcIsoToTaiNs } from '../../../core/time/convenience.js';
import { makeCalib, makeDetector, makeRaw } from '../isr/synthetic.js';

export const INSTRUMENT = 'SimCam';
export const FILTER = 'r.MP9601';
export const RAW_RUN = `${INSTRUMENT}/raw/all`;
export const CALIB = `${INSTRUMENT}/calib`;
export const CALIB_RUN = `${INSTRUMENT}/calib/run1`;
export const DEFECT_BOX = { x0: 40, y0: 10, width: 3, height: 5 };

export interface SimRepo {
  root: string;
  butler: Butler;
  detectors: number[];
  exposures: number[];
}

export function simDetector(id: number): Detector {
  return { ...makeDetector(), id, name: `ccd${String(id).padStart(2, '0')}`, serial: `S${id}` };
}

export interface SimRepoOptions {
  detectors?: number[];
  exposures?: number[];
  /** Certify these calibrations (default all three). */
  calibs?: Array<'bias' | 'dark' | 'flat'>;
  /** Also certify a defects table per detector (a 3×5 box at x=40, y=10). */
  defects?: boolean;
  /** Raws (exposure/detector) written with a frame of the wrong size, so ISR fails on them. */
  broken?: Array<{ exposure: number; detector: number }>;
}

export async function makeSimRepo(options: SimRepoOptions = {}): Promise<SimRepo> {
  const detectors = options.detectors ?? [0, 1, 2];
  const exposures = options.exposures ?? [1001, 1002];
  const root = join(mkdtempSync(join(tmpdir(), 'exec-')), 'repo');
  Butler.makeRepo(root);
  const butler = Butler.open(root, { writeable: true });
  const r = butler.registry;
  r.insertDimensionData('instrument', [{ name: INSTRUMENT, detector_max: 100, visit_max: 100000, exposure_max: 100000, visit_system: 0, class_name: 'test.SimCam' }]);
  r.insertDimensionData('detector', detectors.map((id) => ({ instrument: INSTRUMENT, id, full_name: simDetector(id).name, name_in_raft: simDetector(id).name, raft: null, purpose: 'SCIENCE' })));
  r.insertDimensionData('physical_filter', [{ instrument: INSTRUMENT, name: FILTER, band: 'r' }]);
  r.insertDimensionData('day_obs', [{ instrument: INSTRUMENT, id: 20240101, timespan: { begin: utcIsoToTaiNs('2024-01-01T00:00:00'), end: utcIsoToTaiNs('2024-01-02T00:00:00') } }]);
  r.insertDimensionData('group', exposures.map((e) => ({ instrument: INSTRUMENT, name: `g${e}` })));
  r.insertDimensionData(
    'exposure',
    exposures.map((e, i) => {
      const begin = utcIsoToTaiNs(`2024-01-01T0${i % 10}:00:00`);
      return {
        instrument: INSTRUMENT, id: e, obs_id: `sim${e}`, physical_filter: FILTER, group: `g${e}`, day_obs: 20240101, exposure_time: 100, dark_time: 100,
        observation_type: 'science', observation_reason: 'science', seq_num: i, seq_start: i, seq_end: i, target_name: null, science_program: null,
        tracking_ra: null, tracking_dec: null, sky_angle: null, azimuth: null, zenith_angle: null, has_simulated: true, can_see_sky: true,
        timespan: { begin, end: begin + 100_000_000_000n },
      };
    }),
  );
  const u = r.dimensions;
  const rawType = DatasetType.fromNames(u, 'raw', ['instrument', 'detector', 'exposure'], 'Exposure');
  r.registerDatasetType(rawType);
  const broken = new Set((options.broken ?? []).map((b) => `${b.exposure}/${b.detector}`));
  for (const e of exposures) {
    for (const d of detectors) {
      let raw: Exposure = makeRaw(simDetector(d), { sky: 400 + 10 * d });
      if (broken.has(`${e}/${d}`)) raw = new Exposure(new MaskedImage(Image.create(20, 10).fill(1000)), raw.info());
      await butler.put(raw, rawType, { instrument: INSTRUMENT, detector: d, exposure: e }, { run: RAW_RUN });
    }
  }
  const calibTypes = {
    bias: DatasetType.fromNames(u, 'bias', ['instrument', 'detector'], 'ExposureF', { isCalibration: true }),
    dark: DatasetType.fromNames(u, 'dark', ['instrument', 'detector'], 'ExposureF', { isCalibration: true }),
    flat: DatasetType.fromNames(u, 'flat', ['instrument', 'detector', 'physical_filter'], 'ExposureF', { isCalibration: true }),
  };
  const wanted = options.calibs ?? ['bias', 'dark', 'flat'];
  r.registerCollection(CALIB, 'CALIBRATION');
  for (const t of Object.values(calibTypes)) r.registerDatasetType(t);
  for (const type of wanted) {
    const refs = [];
    for (const d of detectors) {
      const det = simDetector(d);
      const calib =
        type === 'bias' ? makeCalib(det, (x) => 0.3 * Math.sin(x / 7)) : type === 'dark' ? makeCalib(det, () => 0.01, 1000) : makeCalib(det, (x, y) => 0.97 + 0.0004 * x - 0.0002 * y);
      const dataId: Record<string, string | number> = { instrument: INSTRUMENT, detector: d };
      if (type === 'flat') dataId.physical_filter = FILTER;
      refs.push(await butler.put(calib, calibTypes[type], dataId, { run: CALIB_RUN }));
    }
    r.certify(CALIB, refs, { begin: null, end: null });
  }
  if (options.defects) {
    const dt = DatasetType.fromNames(u, 'defects', ['instrument', 'detector'], 'Defects', { isCalibration: true });
    r.registerDatasetType(dt);
    const refs = [];
    for (const d of detectors) refs.push(await butler.put(new Defects([DEFECT_BOX]), dt, { instrument: INSTRUMENT, detector: d }, { run: CALIB_RUN }));
    r.certify(CALIB, refs, { begin: null, end: null });
  }
  return { root, butler, detectors, exposures };
}

/** An ISR config for the simulated detectors: no defects (none certified), fast (no QA stats). */
export function simConfig(overrides: Record<string, unknown> = {}): Config<IsrFields> {
  const c = makeIsrConfig('IsrTask');
  c.apply({ doDefect: false, doStandardStatistics: false, doFringe: false, ...overrides }, 'test');
  c.freeze();
  return c;
}
