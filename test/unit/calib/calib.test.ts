// Calibrations: combining, overscan/trim, master bias/dark/flat built from simulated raws and
// compared with the simulator's truth, certification with validity ranges, lookup by exposure
// time, curated defects (ECSV and FITS round trips, certification), and clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Butler } from '../../../core/butler/index.js';
import { loadCamera } from '../../../core/camera/cameraData.js';
import { getDetector } from '../../../core/camera/geometry.js';
import { buildMasterCalibration } from '../../../core/calib/buildCalibs.js';
import { calibrationsForExposure, certifyCalibrations } from '../../../core/calib/calibTypes.js';
import { combineFrames } from '../../../core/calib/combine.js';
import { writeCuratedDefects } from '../../../core/calib/curated.js';
import { Defects, formatDefectsEcsv, parseDefectsText } from '../../../core/calib/defects.js';
import { prepareCalibrationFrame } from '../../../core/calib/prepareFrame.js';
import { detectorTruth } from '../../../core/demo/cameraTruth.js';
import { readMegaPrimeRaw } from '../../../core/formatters/fits/megaPrimeRaw.js';
import type { Exposure } from '../../../core/image/exposure.js';
import { Mask } from '../../../core/image/mask.js';
import { ingestRaws } from '../../../core/ingest/ingestRaws.js';
import { utcIsoToTaiNs } from '../../../core/time/index.js';
import { calib, newMegaPrimeRepo, science, SIM, tempDir, writeRaws } from '../ingest/helpers.js';

const DET = 10;
const NIGHT2 = utcIsoToTaiNs('2026-03-11T00:00:00');
let butler: Butler;
let biasRaw: string;

beforeAll(async () => {
  let dir: string;
  ({ butler, dir } = newMegaPrimeRepo('calib-'));
  const paths = writeRaws(dir, [
    calib(5000001, 'BIAS', '2026-03-10T02:00:00'),
    calib(5000002, 'BIAS', '2026-03-10T02:01:00'),
    calib(5000003, 'BIAS', '2026-03-10T02:02:00'),
    calib(5000004, 'DARK', '2026-03-10T02:10:00'),
    calib(5000005, 'DARK', '2026-03-10T02:16:00'),
    calib(5000006, 'FLAT', '2026-03-10T03:00:00'),
    calib(5000007, 'FLAT', '2026-03-10T03:01:00'),
    calib(5000008, 'FLAT', '2026-03-10T03:02:00'),
    science(5000009, 120, 10, '2026-03-10T08:00:00'),
    calib(5000011, 'BIAS', '2026-03-11T02:00:00'),
    calib(5000012, 'BIAS', '2026-03-11T02:01:00'),
    calib(5000013, 'BIAS', '2026-03-11T02:02:00'),
    science(5000014, 121, 10, '2026-03-11T08:00:00'),
  ], { detectors: [DET] });
  biasRaw = paths[0];
  await ingestRaws(butler, [join(dir, 'raws')], { workers: 0 });
});

afterAll(() => butler.close());

describe('combining and overscan', () => {
  it('combines by median, mean or sigma clipping, with scales', () => {
    const frames = [10, 11, 9, 10, 1000].map((v) => Float32Array.of(v, 2 * v));
    expect(Array.from(combineFrames(frames, { method: 'median' }).image)).toEqual([10, 20]);
    expect(combineFrames(frames, { method: 'mean' }).image[0]).toBeCloseTo(208, 5);
    const clipped = combineFrames(frames, { method: 'sigmaclip', nSigma: 1.5 });
    expect(clipped.image[0]).toBeCloseTo(10, 5);
    expect(clipped.rejected).toBe(2);
    expect(combineFrames([Float32Array.of(4), Float32Array.of(8)], { method: 'mean', scales: [2, 4] }).image[0]).toBe(2);
    expect(() => combineFrames([Float32Array.of(1), Float32Array.of(1, 2)])).toThrow(/frame 1 has 2 pixels, frame 0 has 1/);
    expect(() => combineFrames([Float32Array.of(1)], { scales: [0] })).toThrow(/scale of frame 0 is 0/);
  });

  it('removes the per-row overscan level (with its ramp) and trims to the imaging area', () => {
    const raw = readMegaPrimeRaw(biasRaw, { detector: DET });
    const frame = prepareCalibrationFrame(raw, biasRaw);
    expect([frame.width, frame.height, frame.geometry.source, frame.geometry.binning]).toEqual([512, 1153, 'header', 4]);
    const truth = detectorTruth(SIM.seed ?? 1, loadCamera('megaprime'), getDetector(loadCamera('megaprime'), DET), 4);
    const rowMean = (a: Float32Array, y0: number, y1: number) => {
      let s = 0;
      for (let y = y0; y < y1; y++) for (let x = 0; x < frame.width; x++) s += a[y * frame.width + x];
      return s / ((y1 - y0) * frame.width);
    };
    // Raw levels are ~1000 ADU with a 25 ADU ramp; what is left is the bias structure.
    expect(rowMean(frame.data, 0, 20)).toBeCloseTo(rowMean(truth.biasStructure, 0, 20), 0);
    expect(rowMean(frame.data, 600, 700)).toBeCloseTo(rowMean(truth.biasStructure, 600, 700), 0);
  });
});

describe('master calibrations', () => {
  it('builds and certifies bias, dark and flat, and looks them up for an exposure by time', async () => {
    const night1 = { timespan: { begin: null, end: NIGHT2 } };
    const bias = await buildMasterCalibration(butler, 'MegaPrime', { type: 'bias', exposures: [5000001, 5000002, 5000003], certify: night1 });
    expect(bias.run).toBe('MegaPrime/calib/bias/20260310');
    expect(bias.certified).toEqual({ collection: 'MegaPrime/calib', certified: 1, alreadyCertified: 0 });
    const dark = await buildMasterCalibration(butler, 'MegaPrime', { type: 'dark', exposures: [5000004, 5000005], certify: night1 });
    const flat = await buildMasterCalibration(butler, 'MegaPrime', { type: 'flat', exposures: [5000006, 5000007, 5000008], certify: night1 });
    expect(flat.physicalFilter).toBe('r.MP9601');
    const bias2 = await buildMasterCalibration(butler, 'MegaPrime', { type: 'bias', exposures: [5000011, 5000012, 5000013], certify: { timespan: { begin: NIGHT2, end: null } } });

    const c1 = calibrationsForExposure(butler.registry, 'MegaPrime', 5000009, DET);
    expect(c1.bias?.id).toBe(bias.masters[0].ref.id);
    expect(c1.dark?.id).toBe(dark.masters[0].ref.id);
    expect(c1.flat?.id).toBe(flat.masters[0].ref.id);
    const c2 = calibrationsForExposure(butler.registry, 'MegaPrime', 5000014, DET);
    expect(c2.bias?.id).toBe(bias2.masters[0].ref.id);
    expect(c2.dark).toBeNull();

    const camera = loadCamera('megaprime');
    const truth = detectorTruth(SIM.seed ?? 1, camera, getDetector(camera, DET), 4);
    const masterBias = (await butler.get(c1.bias!)) as Exposure;
    expect([masterBias.width, masterBias.height]).toEqual([512, 1153]);
    const b = masterBias.image.pixels();
    let diff = 0;
    for (let i = 0; i < b.length; i++) diff += Math.abs(b[i] - truth.biasStructure[i]);
    expect(diff / b.length).toBeLessThan(2.5);
    expect(masterBias.metadata?.get('NCOMBINE')).toBe(3);
    expect(masterBias.visitInfo?.observationType).toBe('bias');

    // A hot pixel shows its dark current (e-/s → ADU/s) in the master dark.
    const masterDark = ((await butler.get(c1.dark!)) as Exposure).image.pixels();
    const [hotIndex, rate] = [...truth.hotPixels].sort((x, y) => y[1] - x[1])[0];
    const gain = getDetector(camera, DET).amplifiers[hotIndex % 512 < 256 ? 0 : 1].gain;
    expect(masterDark[hotIndex]).toBeGreaterThan(0.6 * (rate / gain));
    expect(masterDark[hotIndex]).toBeLessThan(1.4 * (rate / gain) + 0.5);

    // The master flat is normalised to 1 and follows the response; dead columns are BAD.
    const masterFlat = (await butler.get(c1.flat!)) as Exposure;
    expect(flat.masters[0].level).toBeCloseTo(1, 3);
    const f = masterFlat.image.pixels();
    let corr = 0;
    for (let i = 0; i < f.length; i += 97) corr += Math.abs(f[i] / truth.response[i] - 1) < 0.05 ? 1 : 0;
    expect(corr / Math.ceil(f.length / 97)).toBeGreaterThan(0.9);
    const dead = truth.defects[0];
    const deadIndex = Math.floor((dead.y0 + 40) / 4) * 512 + Math.floor(dead.x0 / 4);
    expect(f[deadIndex]).toBeLessThan(0.2);
    expect(masterFlat.mask.pixels()[deadIndex] & masterFlat.mask.getPlaneBitMask('BAD')).not.toBe(0);
  });

  it('certifying again is harmless; an overlapping range for another dataset is refused', async () => {
    const ref = butler.registry.queryDatasets('bias', { collections: 'MegaPrime/calib/bias/20260310' })[0];
    expect(certifyCalibrations(butler.registry, 'MegaPrime/calib', [ref], { begin: null, end: NIGHT2 })).toEqual({ certified: 0, alreadyCertified: 1 });
    const other = butler.registry.queryDatasets('bias', { collections: 'MegaPrime/calib/bias/20260311' })[0];
    expect(() => certifyCalibrations(butler.registry, 'MegaPrime/calib', [other], { begin: null, end: null })).toThrow(/overlaps the existing range/);
  });

  it('explains wrong inputs', async () => {
    await expect(buildMasterCalibration(butler, 'MegaPrime', { type: 'flat', exposures: [5000001] })).rejects.toThrow(/exposure 5000001 is a 'bias' exposure, not a flat/);
    await expect(buildMasterCalibration(butler, 'MegaPrime', { type: 'bias', exposures: [123] })).rejects.toThrow(/exposure 123 of MegaPrime is not in the registry/);
    butler.registry.registerCollection('MegaPrime/calib/empty', 'CALIBRATION');
    await expect(buildMasterCalibration(butler, 'MegaPrime', { type: 'dark', exposures: [5000004], calibCollections: ['MegaPrime/calib/empty'] }))
      .rejects.toThrow(/no master bias certified in MegaPrime\/calib\/empty for detector 10 at 2026-03-10T02:10:00 UTC; build and certify a bias first/);
  });
});

describe('defects', () => {
  it('round-trips ECSV text, FITS through the Butler, and masks pixels', async () => {
    const d = new Defects([{ x0: 3, y0: 0, width: 1, height: 100 }, { x0: 10, y0: 20, width: 4, height: 5 }], { INSTRUME: 'MegaPrime', DETECTOR: 10 });
    const text = formatDefectsEcsv(d);
    expect(text).toMatch(/^# %ECSV 1\.0/);
    const back = parseDefectsText(text, 'mem.ecsv');
    expect(back.boxes).toEqual(d.boxes);
    expect(back.metadata).toMatchObject({ INSTRUME: 'MegaPrime', DETECTOR: 10, OBSTYPE: 'defects' });
    expect(d.pixelCount(64, 64)).toBe(64 + 20);
    const mask = Mask.createMask(32, 32);
    d.maskPixels(mask);
    expect(mask.countSet(mask.getPlaneBitMask('BAD'))).toBe(32 + 20);
    expect(() => parseDefectsText('x0 y0 width\n1 2 3\n', 'bad.ecsv')).toThrow(/bad\.ecsv: no 'height' column/);
    expect(() => parseDefectsText('x0 y0 width height\n1 2 three 4\n', 'bad.ecsv')).toThrow(/bad\.ecsv: row 1, column width = 'three' is not an integer/);
    expect(() => new Defects([{ x0: 1, y0: 1, width: 0, height: 3 }])).toThrow(/width and height must be at least 1/);
  });

  it('writes curated defects, certifies them from their start date, and is idempotent', async () => {
    const dir = tempDir('defects-');
    mkdirSync(join(dir, 'ccd10'));
    writeFileSync(join(dir, 'ccd10', '19700101T000000.ecsv'), formatDefectsEcsv(new Defects([{ x0: 5, y0: 0, width: 1, height: 1153 }])));
    writeFileSync(join(dir, 'ccd10', '20260311T000000.ecsv'), formatDefectsEcsv(new Defects([{ x0: 5, y0: 0, width: 2, height: 1153 }])));
    const report = await writeCuratedDefects(butler, 'MegaPrime', dir);
    expect(report).toMatchObject({ collection: 'MegaPrime/calib', written: 2, certified: 2, runs: ['MegaPrime/calib/curated/19700101T000000Z', 'MegaPrime/calib/curated/20260311T000000Z'] });
    const again = await writeCuratedDefects(butler, 'MegaPrime', dir);
    expect(again).toMatchObject({ written: 0, alreadyPresent: 2, certified: 0 });
    const night1 = calibrationsForExposure(butler.registry, 'MegaPrime', 5000009, DET).defects;
    const night2 = calibrationsForExposure(butler.registry, 'MegaPrime', 5000014, DET).defects;
    expect(((await butler.get(night1!)) as Defects).boxes).toEqual([{ x0: 5, y0: 0, width: 1, height: 1153 }]);
    expect(((await butler.get(night2!)) as Defects).boxes).toEqual([{ x0: 5, y0: 0, width: 2, height: 1153 }]);
    mkdirSync(join(dir, 'ccd99'));
    await expect(writeCuratedDefects(butler, 'MegaPrime', dir)).rejects.toThrow(/no detector "ccd99"/);
  });
});
