// Stretches against astropy.visualization's *Stretch classes and colormaps against matplotlib (Debian python3).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyStretch, colormapLut, COLORMAP_NAMES, histEqFunction, histEqTable, histogram, renderRgba, selectAll, stretchFunction,
  type StretchSpec,
} from '../../../core/display/index.js';
import { gaussian, relativeError, runAstropy, seededRandom } from './astropyReference.js';

const xs = Float64Array.from([-0.5, 0, 1e-6, 0.001, 0.01, 0.05, 0.1, 0.2, 0.25, 1 / 3, 0.5, 0.618, 0.75, 0.9, 0.99, 1, 1.7]);
const specs: Array<{ spec: StretchSpec; py: string }> = [
  { spec: { name: 'linear' }, py: 'viz.LinearStretch()' },
  { spec: { name: 'sqrt' }, py: 'viz.SqrtStretch()' },
  { spec: { name: 'squared' }, py: 'viz.SquaredStretch()' },
  { spec: { name: 'log' }, py: 'viz.LogStretch()' },
  { spec: { name: 'log', a: 10 }, py: 'viz.LogStretch(a=10)' },
  { spec: { name: 'asinh' }, py: 'viz.AsinhStretch()' },
  { spec: { name: 'asinh', a: 0.02 }, py: 'viz.AsinhStretch(a=0.02)' },
  { spec: { name: 'power' }, py: 'viz.PowerStretch(2)' },
  { spec: { name: 'power', a: 0.4 }, py: 'viz.PowerStretch(0.4)' },
  { spec: { name: 'sinh' }, py: 'viz.SinhStretch()' },
];
const rand = seededRandom(11);
const histData = Float64Array.from({ length: 5000 }, () => Math.abs(gaussian(rand)) ** 2 + (rand() < 0.02 ? NaN : 0));

interface Ref { stretch: number[][]; histeq: number[]; cmaps: Record<string, number[]> }
let ref: Ref;

beforeAll(() => {
  ref = runAstropy<Ref>(`
xs = load("xs")
out = {"stretch": [], "cmaps": {}}
for s in [${specs.map((s) => s.py).join(', ')}]:
    out["stretch"].append([f(v) for v in s(xs.copy(), clip=True)])
data = load("hist")
out["histeq"] = [f(v) for v in viz.HistEqStretch(data)(xs.copy(), clip=True)]
import matplotlib
for name in ["viridis", "magma", "cividis", "gray"]:
    out["cmaps"][name] = [int(v) for v in matplotlib.colormaps[name](np.arange(256), bytes=True)[:, :3].ravel()]
print(json.dumps(out))
`, { xs, hist: histData });
});

describe('stretches agree with astropy.visualization', () => {
  specs.forEach(({ spec, py }, k) => {
    it(`${py}`, () => {
      xs.forEach((x, i) => {
        const ours = applyStretch(x, spec);
        const theirs = ref.stretch[k][i];
        expect(Math.abs(ours - theirs), `${py} at x=${x}: ${ours} vs ${theirs}`).toBeLessThanOrEqual(1e-12);
      });
    });
  });

  it('HistEqStretch(data) is the empirical CDF, evaluated like np.interp', () => {
    const h = histEqFunction(histData);
    xs.forEach((x, i) => expect(relativeError(h.apply(x), ref.histeq[i]) < 1e-12 || Math.abs(h.apply(x) - ref.histeq[i]) < 1e-15, `x=${x}`).toBe(true));
  });

  it('the GPU histeq table built from a fine histogram stays within one bin of astropy', () => {
    // Normalise like HistEqStretch does (finite min/max), histogram with 4096 bins, compare the tabulated CDF.
    let lo = Infinity, hi = -Infinity;
    for (const v of histData) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const table = histEqTable(histogram(selectAll(histData), lo, hi, 4096), 4096);
    const f = stretchFunction({ limits: { min: 0, max: 1 }, stretch: { name: 'histeq' }, colormap: 'gray', histEqTable: table });
    xs.forEach((x, i) => expect(Math.abs(f(x) - ref.histeq[i]), `x=${x}`).toBeLessThan(5e-3));
  });

  it('rejects a non-positive stretch parameter, naming it', () => {
    expect(() => applyStretch(0.5, { name: 'log', a: 0 })).toThrow(/log stretch parameter a .* 0/);
    expect(() => applyStretch(0.5, { name: 'histeq' })).toThrow(/histEqFunction/);
  });
});

describe('colormaps', () => {
  it.each(['viridis', 'magma', 'cividis'] as const)('%s equals matplotlib', (name) => {
    const lut = colormapLut(name);
    const rgb: number[] = [];
    for (let i = 0; i < 256; i++) rgb.push(lut[i * 4], lut[i * 4 + 1], lut[i * 4 + 2]);
    expect(rgb).toEqual(ref.cmaps[name]);
  });
  it("gray is the identity ramp, within the rounding of matplotlib's gray map", () => {
    const lut = colormapLut('gray');
    for (let i = 0; i < 256; i++) {
      expect(lut[i * 4]).toBe(i);
      expect(Math.abs(lut[i * 4] - ref.cmaps.gray[i * 3])).toBeLessThanOrEqual(1);
    }
  });
  it('inverted gray is gray reversed, and every map is 256 opaque entries', () => {
    const g = colormapLut('gray');
    const r = colormapLut('gray_r');
    for (let i = 0; i < 256; i++) expect(r[i * 4]).toBe(g[(255 - i) * 4]);
    for (const name of COLORMAP_NAMES) {
      const lut = colormapLut(name);
      expect(lut.length).toBe(1024);
      for (let i = 0; i < 256; i++) expect(lut[i * 4 + 3]).toBe(255);
    }
  });
  it('DS9 heat follows its control points (red saturates at 0.34, blue starts at 0.65)', () => {
    const heat = colormapLut('heat');
    const at = (x: number) => Math.round(x * 255) * 4;
    expect(heat[at(0.34) + 0]).toBeGreaterThanOrEqual(254);
    expect(heat[at(0.6) + 2]).toBe(0);
    expect(heat[at(1) + 2]).toBe(255);
    expect(heat[at(0.5) + 1]).toBe(128);
  });
});

describe('CPU renderer', () => {
  it('maps limits through stretch and colormap, NaN transparent, values clipped', () => {
    const data = Float32Array.of(0, 50, 100, 200, NaN, -10);
    const rgba = renderRgba(data, { limits: { min: 0, max: 100 }, stretch: { name: 'linear' }, colormap: 'gray' });
    expect([...rgba.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
    expect(rgba[4]).toBe(128);
    expect(rgba[8]).toBe(255);
    expect(rgba[12]).toBe(255);
    expect(rgba[19]).toBe(0);
    expect(rgba[20]).toBe(0);
    const sq = renderRgba(data, { limits: { min: 0, max: 100 }, stretch: { name: 'sqrt' }, colormap: 'gray' });
    expect(sq[4]).toBe(Math.round(Math.sqrt(0.5) * 255));
  });
  it('blends visible mask planes with their opacity', () => {
    const data = Float32Array.of(0, 0);
    const plane = { name: 'BAD', bit: 0, color: 'red' };
    const out = renderRgba(data, { limits: { min: 0, max: 1 }, stretch: { name: 'linear' }, colormap: 'gray' }, undefined, {
      data: Int32Array.of(1, 2), layers: [{ plane, visible: true, opacity: 0.5 }],
    });
    expect([out[0], out[1], out[2]]).toEqual([128, 0, 0]);
    expect([out[4], out[5], out[6]]).toEqual([0, 0, 0]);
  });
});
