import { describe, expect, it } from 'vitest';
import { Box2I, Exposure, Image, Mask, MaskedImage } from '../../../core/image/index.js';
import { clippedStats, integerMedian, medianInPlace, numpyFloat32Mean, quartilesInPlace } from '../../../core/isr/stats.js';
import { OverscanConfig, OverscanCorrectionTask, fillMaskedPixels, growManhattan } from '../../../core/isr/overscan.js';
import { trailGrowth, widenSaturationTrails, maskNans, maskEdges, growMasks } from '../../../core/isr/masking.js';
import { classifyRuns, interpolateOverMask, interpolateRow } from '../../../core/isr/interp/legacyInterp.js';
import { updateVariance, flatCorrection, darkCorrection } from '../../../core/isr/corrections.js';
import { Linearizer } from '../../../core/isr/linearize.js';
import { subtractCrosstalk } from '../../../core/isr/crosstalk.js';
import { estimateSaturation } from '../../../core/isr/cfhtIsrTask.js';
import { rng } from './synthetic.js';
import { MT19937 } from '../../../core/isr/math/random.js';
import { polyfit, polyval } from '../../../core/isr/math/polyfit.js';
import { naturalSpline, akimaGsl } from '../../../core/isr/math/interpolate.js';
import { assembleMaskedImage } from '../../../core/isr/assemble.js';
import { FringeConfig, FringeTask } from '../../../core/isr/fringe.js';
import { DATA_H, DATA_W, OS_W, makeDetector, makeRaw } from './synthetic.js';

const f32 = Math.fround;

describe('afw statistics', () => {
  it('median interpolates like numpy; the integer median is tie-aware (isr.md §0.2)', () => {
    expect(medianInPlace(Float64Array.from([3, 1, 2, 4]))).toBe(2.5);
    expect(integerMedian(Float64Array.from([1000, 1000, 1001]))).toBe(1000.25);
    expect(integerMedian(Float64Array.from([...Array(16).fill(1000), ...Array(16).fill(1001)]))).toBe(1000.5);
    expect(quartilesInPlace(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toEqual({ q1: 3, median: 5, q3: 7 });
  });

  it('MEANCLIP re-scans all pixels around the previous centre', () => {
    // 99 values 0..98 plus one far outlier: pass 0 keeps |x − 49| ≤ 3·0.7413·IQR(≈49.5·…) → all but the outlier.
    const a = Float64Array.from([...Array.from({ length: 99 }, (_, i) => i), 1e6]);
    const s = clippedStats(a, 3, 3);
    expect(s.mean).toBeCloseTo(49, 10);
    expect(s.n).toBe(99);
    expect(s.variance).toBeCloseTo((99 * 100) / 12, 6);
  });

  it('numpyFloat32Mean reproduces numpy pairwise float32 summation over 8192-element buffers', () => {
    // A case where naive float32 accumulation drifts: 100000 × 0.1.
    const a = new Float32Array(100000).fill(0.1);
    const m = numpyFloat32Mean(a);
    expect(m).toBe(f32(m));
    expect(Math.abs(m - f32(0.1))).toBeLessThan(1e-7);
    let naive = 0;
    for (const v of a) naive = f32(naive + v);
    expect(Math.abs(f32(naive / a.length) - f32(0.1))).toBeGreaterThan(Math.abs(m - f32(0.1)));
  });
});

describe('overscan', () => {
  const detector = makeDetector();
  const A = detector.amplifiers[0];

  function run(overrides: Record<string, unknown>, edit?: (img: Image<Float32Array>) => void) {
    const raw = makeRaw(detector, { edit });
    const config = OverscanConfig.make(overrides);
    const task = new OverscanCorrectionTask({ config });
    const r = task.run(raw, A);
    return { raw, r };
  }

  it('MEDIAN subtracts one float32-rounded value and records residual statistics', () => {
    const { raw, r } = run({ fitType: 'MEDIAN' });
    expect(typeof r.serial.value).toBe('number');
    expect(r.serial.value as number).toBeGreaterThan(995);
    expect(r.serial.value as number).toBeLessThan(1005);
    expect(Math.abs(r.serial.residualMedian)).toBeLessThan(1);
    expect(r.serial.residualSigma).toBeGreaterThan(1);
    expect(r.serial.residualSigma).toBeLessThan(4);
    // The data lost the bias level.
    expect(raw.image.get(OS_W + 3, 5)).toBeLessThan(700);
  });

  it('MEDIAN_PER_ROW uses the integer median and fits only the data rows (MegaCam: one extra overscan row)', () => {
    const raw = makeRaw(detector);
    const before = raw.image.clone();
    const task = new OverscanCorrectionTask({ config: OverscanConfig.make({ fitType: 'MEDIAN_PER_ROW', doOutlierRejection: false }) });
    const r = task.run(raw, A);
    const v = r.serial.value as Float64Array;
    expect(v.length).toBe(DATA_H);
    for (const y of [0, 17, DATA_H - 1]) {
      const row = Float64Array.from({ length: OS_W }, (_, x) => Math.trunc(before.get(x, y)));
      expect(v[y]).toBe(integerMedian(row));
      expect(raw.image.get(OS_W + 10, y)).toBe(f32(before.get(OS_W + 10, y) - v[y]));
    }
  });

  it('POLY of order 1 recovers a linear ramp along the rows', () => {
    const { r } = run({ fitType: 'POLY', order: 1, doOutlierRejection: false }, (img) => {
      // Replace the overscan with an exact integer ramp 1000 + 2·y.
      for (let y = 0; y <= DATA_H; y++) for (let x = 0; x < OS_W; x++) img.set(x, y, 1000 + 2 * y);
    });
    const v = r.serial.value as Float64Array;
    for (let y = 0; y < DATA_H; y++) expect(v[y]).toBeCloseTo(1000 + 2 * y, 9);
  });

  it('maxDeviation flags far pixels BAD and keeps them out of the estimate', () => {
    const { raw, r } = run({ fitType: 'MEAN' }, (img) => img.set(2, 3, 40000));
    expect(raw.mask.get(2, 3) & raw.mask.getPlaneBitMask('BAD')).not.toBe(0);
    expect(r.serial.nMaxDeviation).toBe(1);
    expect(r.serial.value as number).toBeLessThan(1005);
  });

  it('per-row outlier rejection drops a hot overscan pixel from the row mean', () => {
    const { r } = run({ fitType: 'MEAN_PER_ROW', overscanIsInt: false }, (img) => img.set(4, 10, 1300));
    const v = r.serial.value as Float64Array;
    expect(Math.abs(v[10] - v[9])).toBeLessThan(6);
  });

  it('spline fits need order ≥ 5 knots; with fewer they fall back to a constant', () => {
    const { r } = run({ fitType: 'AKIMA_SPLINE', order: 8 });
    expect((r.serial.value as Float64Array).length).toBe(DATA_H);
    const { r: r1 } = run({ fitType: 'NATURAL_SPLINE', order: 1 });
    const v = r1.serial.value as Float64Array;
    expect(v.every((x) => x === v[0])).toBe(true);
  });

  it('fillMaskedPixels uses up to 5 neighbours each side, else the global median', () => {
    const v = Float64Array.from([1, 2, 3, 4, 5, 6, NaN, NaN, 9, 10, 11, 12, 13, 14]);
    fillMaskedPixels(v);
    expect(v[6]).toBe(medianInPlace(Float64Array.from([2, 3, 4, 5, 6, 9, 10, 11, 12, 13])));
    const w = Float64Array.from([NaN, 2, 3]);
    fillMaskedPixels(w);
    expect(w[0]).toBe(2.5);
  });
});

describe('masking', () => {
  it('widens saturated runs by the ip_isr table (rows only)', () => {
    expect([1, 5, 6, 7, 8, 9, 10, 50].map(trailGrowth)).toEqual([0, 0, 1, 1, 3, 3, 4, 4]);
    const m = Mask.createMask(40, 3);
    const sat = m.getPlaneBitMask('SAT');
    for (let x = 10; x < 18; x++) m.set(x, 1, sat); // width 8 → grows by 3
    widenSaturationTrails(m);
    const row = Array.from(m.row(1), (v) => (v & sat ? 1 : 0));
    expect(row.indexOf(1)).toBe(7);
    expect(row.lastIndexOf(1)).toBe(20);
    expect(m.countSet(sat)).toBe(14);
  });

  it('finds every saturated run wherever it starts (the skip over clear pixels misses none)', () => {
    const r = rng(21);
    const m = Mask.createMask(203, 40);
    const sat = m.getPlaneBitMask('SAT');
    const other = m.getPlaneBitMask('BAD');
    for (let y = 0; y < 40; y++) {
      for (let k = 0; k < 4; k++) {
        const x0 = Math.floor(r() * 203);
        const len = 1 + Math.floor(r() * 14);
        for (let x = x0; x < Math.min(203, x0 + len); x++) m.set(x, y, m.get(x, y) | sat);
      }
      m.set(Math.floor(r() * 203), y, other); // bits of other planes are not SAT
    }
    // The plain definition: runs found first, each widened by trailGrowth(length) on both sides.
    const expected = m.pixels().slice();
    for (let y = 0; y < 40; y++) {
      const runs: Array<[number, number]> = [];
      for (let x = 0; x < 203; x++) {
        if ((m.get(x, y) & sat) === 0) continue;
        const s = x;
        while (x + 1 < 203 && (m.get(x + 1, y) & sat) !== 0) x++;
        runs.push([s, x]);
      }
      for (const [a, b] of runs) {
        const g = trailGrowth(b - a + 1);
        for (let x = Math.max(0, a - g); x <= Math.min(202, b + g); x++) expected[y * 203 + x] |= sat;
      }
    }
    widenSaturationTrails(m);
    expect(m.pixels()).toEqual(expected);
  });

  it.each([1, 2, 5])('grows sparse sources by painting diamonds exactly as the distance transform does (radius %i)', (radius) => {
    const r = rng(30 + radius);
    const sparse = Mask.createMask(97, 61);
    const sat = sparse.getPlaneBitMask('SAT');
    const bad = sparse.getPlaneBitMask('BAD');
    for (let k = 0; k < 40; k++) sparse.set(Math.floor(97 * r()), Math.floor(61 * r()), r() < 0.5 ? sat : bad);
    for (const x of [0, 96]) sparse.set(x, 30, sat); // at the edges
    // The reference: growManhattan over the whole plane.
    const hits = Uint8Array.from(sparse.pixels(), (v) => ((v & (sat | bad)) !== 0 ? 1 : 0));
    const grown = growManhattan(hits, 97, 61, radius);
    const expected = Int32Array.from(sparse.pixels(), (v, i) => (grown[i] ? v | sat : v));
    growMasks(sparse, radius, ['SAT', 'BAD'], 'SAT');
    expect(sparse.pixels()).toEqual(expected);
    // Dense sources take the transform itself: the same answer.
    const dense = Mask.createMask(40, 30);
    for (let i = 0; i < dense.pixels().length; i++) if (r() < 0.6) dense.pixels()[i] = sat;
    const denseHits = Uint8Array.from(dense.pixels(), (v) => (v !== 0 ? 1 : 0));
    expect(denseHits.filter((h) => h === 1).length).toBeGreaterThan(500);
    const denseGrown = growManhattan(denseHits, 40, 30, radius);
    growMasks(dense, radius, ['SAT'], 'SAT');
    expect(Array.from(dense.pixels(), (v) => (v !== 0 ? 1 : 0))).toEqual(Array.from(denseGrown));
  });

  it('UNMASKEDNAN marks non-finite image or variance pixels; edges get SUSPECT; SAT grows in a diamond', () => {
    const mi = MaskedImage.create(5, 5);
    mi.image.set(1, 1, NaN);
    mi.variance.set(3, 3, Infinity);
    expect(maskNans(mi)).toBe(2);
    maskEdges(mi.mask, [mi.bbox], 1, 'SUSPECT');
    expect(mi.mask.countSet(mi.mask.getPlaneBitMask('SUSPECT'))).toBe(16);
    const m = Mask.createMask(7, 7);
    m.set(3, 3, m.getPlaneBitMask('SAT'));
    growMasks(m, 1, ['SAT'], 'SAT');
    expect(m.countSet(m.getPlaneBitMask('SAT'))).toBe(5);
  });
});

describe('legacy interpolation (meas_algorithms Interp.cc)', () => {
  it('classifies runs by position and neighbours', () => {
    expect(classifyRuns([[5, 5]], 20)).toEqual([{ x0: 5, x1: 5, pos: 'MIDDLE', type: 0o33 }]);
    expect(classifyRuns([[0, 2]], 20)[0].pos).toBe('LEFT');
    expect(classifyRuns([[5, 20]], 30)[0].pos).toBe('WIDE');
    // Runs two apart lose the shared outer neighbour: #.#.# pattern.
    const two = classifyRuns([[5, 5], [7, 7]], 20);
    expect(two[0].type).toBe(0o32);
    expect(two[1].type).toBe(0o13);
  });

  it('##.## uses −0.2737, 0.7737, 0.7737, −0.2737', () => {
    const row = Float32Array.from([0, 0, 10, 20, 999, 40, 50, 0, 0, 0]);
    interpolateRow(row, classifyRuns([[4, 4]], row.length), 0);
    expect(row[4]).toBe(f32(-0.2737 * 10 + 0.7737 * 20 + 0.7737 * 40 - 0.2737 * 50));
  });

  it('##.#. drops the shared outer neighbour; #..#. clips negatives to 0', () => {
    const row = Float32Array.from([0, 0, 5, 10, 999, 30, 999, 50, 60, 0, 0]);
    interpolateRow(row, classifyRuns([[4, 4], [6, 6]], row.length), 0);
    expect(row[4]).toBe(f32(-0.3834 * 5 + 0.8959 * 10 + 0.4875 * 30));
    // Runs [3], [5,6], [8]: the middle one sees only one good pixel on each side (#..#.).
    const r2 = Float32Array.from([0, 0, 7, 999, 300, 999, 999, -100, 999, 5, 6, 0]);
    const runs = classifyRuns([[3, 3], [5, 6], [8, 8]], r2.length);
    expect(runs[1].type).toBe(0o22);
    interpolateRow(r2, runs, 0);
    expect(r2[5]).toBe(f32(0.7297 * 300 + 0.2703 * -100));
    expect(r2[6]).toBe(f32(0.2703 * 300 + 0.7297 * -100));
    const r3 = Float32Array.from([0, 0, 7, 999, 100, 999, 999, -300, 999, 5, 6, 0]);
    interpolateRow(r3, classifyRuns([[3, 3], [5, 6], [8, 8]], r3.length), 0);
    expect([r3[5], r3[6]]).toEqual([0, 0]);
  });

  it('runs at the edge longer than 6 px take the fallback except near the good side; variance is treated alike', () => {
    const mi = MaskedImage.create(30, 1);
    mi.image.transform((_v, x) => 100 + x);
    mi.variance.fill(4);
    const bad = mi.mask.getPlaneBitMask('BAD');
    for (let x = 0; x < 10; x++) mi.mask.set(x, 0, bad);
    expect(interpolateOverMask(mi, bad, -1)).toBe(10);
    expect(mi.image.get(0, 0)).toBe(-1);
    expect(mi.image.get(3, 0)).toBe(-1);
    // The 6 pixels next to the good side are interpolated (from the fallback-filled and good neighbours).
    expect(mi.image.get(9, 0)).not.toBe(-1);
    expect(mi.image.get(9, 0)).toBeGreaterThan(-1);
    expect(mi.image.get(9, 0)).toBeLessThan(111);
    expect(mi.variance.get(0, 0)).toBe(-1);
    expect(mi.mask.countSet(mi.mask.getPlaneBitMask('INTRP'))).toBe(10);
  });
});

describe('calibration arithmetic', () => {
  it('variance = f32(img·f32(1/g)) + f32((rn/g)²)', () => {
    const mi = MaskedImage.create(2, 1);
    mi.image.set(0, 0, 1000);
    mi.image.set(1, 0, -50);
    updateVariance(mi, mi.bbox, 1.5, 3);
    expect(mi.variance.get(0, 0)).toBe(f32(f32(1000 * f32(1 / f32(1.5))) + f32((3 / 1.5) ** 2)));
    expect(mi.variance.get(1, 0)).toBeLessThan(0);
  });

  it('dark scales by dark time in float32; flat divides with quotient-rule variance', () => {
    const mi = MaskedImage.create(1, 1);
    mi.image.set(0, 0, 1000);
    mi.variance.set(0, 0, 10);
    const dark = MaskedImage.create(1, 1);
    dark.image.set(0, 0, 30);
    dark.variance.set(0, 0, 2);
    darkCorrection(mi, dark, 615, 1800);
    expect(mi.image.get(0, 0)).toBe(f32(1000 - f32(f32(615 / 1800) * 30)));
    const flat = MaskedImage.create(1, 1);
    flat.image.set(0, 0, 0.9);
    flat.variance.set(0, 0, 0.0001);
    const img = mi.image.get(0, 0);
    const v = mi.variance.get(0, 0);
    flatCorrection(mi, flat, 1);
    const fl = f32(0.9);
    expect(mi.image.get(0, 0)).toBe(f32(img / fl));
    expect(mi.variance.get(0, 0)).toBe(f32((img * img * f32(0.0001) + fl * fl * v) / fl ** 4));
    expect(() => darkCorrection(mi, dark, NaN, 1)).toThrow(/dark time is NaN/);
  });
});

describe('linearity and crosstalk', () => {
  const detector = makeDetector();
  it('applies Polynomial, Squared, LookupTable and Spline per amplifier', () => {
    const mi = MaskedImage.fromBox(detector.bbox);
    mi.image.fill(1000);
    new Linearizer({ A: { type: 'Squared', coeffs: [1e-6] }, B: { type: 'Polynomial', coeffs: [1e-6, 1e-9] } }).applyLinearity(mi, detector);
    expect(mi.image.get(0, 0)).toBe(f32(1000 + 1e-6 * 1e6));
    expect(mi.image.get(100, 0)).toBe(f32(1000 + 1e-6 * 1e6 + 1e-9 * 1e9));
    const table = [Float32Array.from({ length: 2000 }, (_, i) => i * 0.001)];
    mi.image.fill(500.7);
    const r = new Linearizer({ A: { type: 'LookupTable', coeffs: [0, 10] }, B: { type: 'None', coeffs: [] } }, table).applyLinearity(mi, detector);
    expect(mi.image.get(0, 0)).toBe(f32(f32(500.7) + f32(510 * 0.001)));
    expect(r.nOutOfRange).toBe(0);
    mi.image.fill(1000);
    new Linearizer({ A: { type: 'Spline', coeffs: [0, 1000, 2000, 0, 10, 30] }, B: { type: 'None', coeffs: [] } }).applyLinearity(mi, detector);
    expect(mi.image.get(0, 0)).toBe(f32(990));
    expect(() => new Linearizer({ A: { type: 'Cubic' as 'None', coeffs: [] } })).toThrow(/unknown linearity type 'Cubic'/);
  });

  it('subtracts flipped source amplifiers and flags bright sources', () => {
    const mi = MaskedImage.fromBox(detector.bbox);
    const A = detector.amplifiers[0];
    mi.image.subImage(A.bbox).set(0, 0, 50000); // far left of A → seen by B (LR readout) at its far right
    const n = subtractCrosstalk(mi, detector, { coeffs: [[0, 1e-3], [0, 0]] }, { minPixelToMask: 45000, maskPlane: 'CROSSTALK', backgroundMethod: 'None', doQuadratic: false });
    expect(n).toBe(1);
    expect(mi.image.get(2 * DATA_W - 1, 0)).toBe(f32(-50));
    expect(mi.mask.get(2 * DATA_W - 1, 0)).toBe(mi.mask.getPlaneBitMask('CROSSTALK'));
  });
});

describe('assembly, CFHT saturation, fits, random numbers, fringes', () => {
  it('assembles with flips', () => {
    const det = makeDetector({ B: { rawFlipX: true } });
    const raw = makeRaw(det);
    const out = assembleMaskedImage(raw.maskedImage, det);
    const B = det.amplifiers[1];
    expect(out.image.get(B.bbox.minX, 3)).toBe(raw.image.get(B.rawDataBBox.maxX, 3));
    expect(out.image.get(0, 3)).toBe(raw.image.get(OS_W, 3));
  });

  it("estimates saturation like obs_cfht: 0.95 × the fullest bin's left edge (isr.md worked example: 62206)", () => {
    const px = new Float32Array(10000).fill(1200);
    for (let i = 0; i < 500; i++) px[i] = 65535;
    expect(estimateSaturation(px, 0.95, 65535)).toBe(62206);
    expect(estimateSaturation(new Float32Array(10).fill(100), 0.95, 65535)).toBe(65535);
  });

  it('polynomial and spline fits', () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => (2 * i) / 50 - 1);
    const y = x.map((t) => 3 - 2 * t + 0.5 * t * t);
    for (const basis of ['POLY', 'CHEB', 'LEG'] as const) {
      const c = polyfit(basis, x, y, 2);
      expect(polyval(basis, 0.3, c)).toBeCloseTo(3 - 0.6 + 0.045, 10);
    }
    const s = naturalSpline([0, 1, 2, 3], [0, 1, 0, 1]);
    expect(s.eval(1)).toBeCloseTo(1, 12);
    expect(s.deriv2(0)).toBeCloseTo(0, 12);
    const ak = akimaGsl([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]);
    expect(ak.eval(2.5)).toBeCloseTo(2.5, 12);
    expect(ak.evalAfw(6)).toBeCloseTo(6, 12);
  });

  it('MT19937 randint matches numpy RandomState', () => {
    // numpy: RandomState(12345).randint(30, 2018, size=5) → [512, 1539, 1339, 159, 1474]
    expect([...new MT19937(12345).randint(30, 2018, 5)]).toEqual([512, 1539, 1339, 159, 1474]);
    expect([...new MT19937(0).randint(0, 7, 6)]).toEqual([4, 5, 0, 3, 3, 3]);
  });

  it('fits and subtracts a fringe pattern', () => {
    const w = 200;
    const h = 160;
    const fringe = MaskedImage.create(w, h);
    fringe.image.transform((_v, x, y) => 20 * Math.sin(x / 7) * Math.cos(y / 9));
    const sci = new Exposure(MaskedImage.create(w, h), { filter: { physicalLabel: 'i.MP9702' } });
    sci.image.transform((_v, x, y) => 1000 + 0.7 * fringe.image.get(x, y));
    const task = new FringeTask({ config: FringeConfig.make({ filters: ['i.MP9702'], num: 2000, small: 2, large: 12 }) });
    const r = task.run(sci, [fringe], 3);
    expect(r.applied).toBe(true);
    expect(r.solution[0]).toBeCloseTo(0.7, 3);
    expect(Math.abs(sci.image.get(50, 50) - 1000)).toBeLessThan(0.05);
    const other = new Exposure(MaskedImage.create(w, h), { filter: { physicalLabel: 'g.MP9401' } });
    expect(task.run(other, [fringe]).applied).toBe(false);
  });
});

describe('images with origins', () => {
  it('the overscan task works in parent coordinates', () => {
    const img = Image.create(4, 4, { x0: 10, y0: 20 });
    expect(img.bbox.equals(new Box2I(10, 20, 4, 4))).toBe(true);
  });
});
