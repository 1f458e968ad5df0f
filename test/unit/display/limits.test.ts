// zscale, min/max and percentile limits against astropy.visualization (Debian python3-astropy), to 1e-9 relative.
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLimits, PERCENTILE_PRESETS, selectAll, selectRects, zscale, percentiles, type PixelRect } from '../../../core/display/index.js';
import { gaussian, relativeError, runAstropy, seededRandom } from './astropyReference.js';

interface Case { name: string; data: Float32Array; width: number; height: number }

function skyImage(width: number, height: number, seed: number, opts: { nan?: number; stars?: number; sky?: number; overscan?: number } = {}): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(width * height);
  const sky = opts.sky ?? 1000;
  for (let i = 0; i < out.length; i++) out[i] = sky + 12 * gaussian(rand);
  for (let s = 0; s < (opts.stars ?? 0); s++) {
    const cx = rand() * width, cy = rand() * height, flux = 200 + rand() * 30000;
    for (let y = Math.max(0, Math.floor(cy - 6)); y < Math.min(height, cy + 6); y++)
      for (let x = Math.max(0, Math.floor(cx - 6)); x < Math.min(width, cx + 6); x++)
        out[y * width + x] += flux * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 4.5);
  }
  if (opts.overscan) for (let y = 0; y < height; y++) for (let x = 0; x < opts.overscan; x++) out[y * width + x] = 300 + 3 * gaussian(rand);
  for (let k = 0; k < (opts.nan ?? 0); k++) out[Math.floor(rand() * out.length)] = k % 3 === 0 ? Infinity : NaN;
  return out;
}

const cases: Case[] = [
  { name: 'sky 64x64 with stars', data: skyImage(64, 64, 1, { stars: 12 }), width: 64, height: 64 },
  { name: 'sky 50x50 (stride 2, last 20 % unsampled)', data: skyImage(50, 50, 2, { stars: 3 }), width: 50, height: 50 },
  { name: 'sky 300x217 with NaN and Inf', data: skyImage(300, 217, 3, { stars: 40, nan: 500 }), width: 300, height: 217 },
  { name: 'tiny 2x2 (fewer than min_npixels)', data: Float32Array.of(5, 1, 3, 2), width: 2, height: 2 },
  { name: 'constant 20x20', data: new Float32Array(400).fill(42.5), width: 20, height: 20 },
  { name: 'negative background 120x80', data: skyImage(120, 80, 4, { sky: -50, stars: 20 }), width: 120, height: 80 },
  { name: 'linear ramp 33x31', data: Float32Array.from({ length: 33 * 31 }, (_, i) => i * 0.37 - 100), width: 33, height: 31 },
  { name: 'raw with overscan 700x600', data: skyImage(700, 600, 5, { stars: 60, overscan: 32 }), width: 700, height: 600 },
  { name: 'large 1100x1000 (histogram rank path)', data: skyImage(1100, 1000, 6, { stars: 300, nan: 1000 }), width: 1100, height: 1000 },
];
const dataRects: PixelRect[] = [{ x0: 32, y0: 0, x1: 365, y1: 589 }, { x0: 366, y0: 0, x1: 699, y1: 589 }];
const overscanCase = cases[7];

interface Ref { zscale: number[][]; minmax: number[][]; pct: number[][][]; zscaleMasked: number[]; pctMasked: number[] }
let ref: Ref;

beforeAll(() => {
  const arrays: Record<string, Float64Array> = {};
  cases.forEach((c, k) => { arrays[`c${k}`] = Float64Array.from(c.data); });
  const mask = new Float64Array(overscanCase.width * overscanCase.height);
  for (const r of dataRects) for (let y = r.y0; y <= r.y1; y++) for (let x = r.x0; x <= r.x1; x++) mask[y * overscanCase.width + x] = 1;
  arrays.mask = mask;
  ref = runAstropy<Ref>(`
cases = [load("c%d" % k).astype(np.float32) for k in range(${cases.length})]
pcts = ${JSON.stringify([...PERCENTILE_PRESETS])}
out = {"zscale": [], "minmax": [], "pct": []}
for c in cases:
    out["zscale"].append([f(v) for v in viz.ZScaleInterval().get_limits(c)])
    out["minmax"].append([f(v) for v in viz.MinMaxInterval().get_limits(c)])
    # percentiles in float64 (numpy interpolates float32 input in float32; we interpolate in float64)
    out["pct"].append([[f(v) for v in viz.PercentileInterval(p).get_limits(c.astype(np.float64))] for p in pcts])
c = cases[7].reshape(600, 700)
m = load("mask").reshape(600, 700) > 0
out["zscaleMasked"] = [f(v) for v in viz.ZScaleInterval().get_limits(c[m])]
out["pctMasked"] = [f(v) for v in viz.PercentileInterval(99.5).get_limits(c[m].astype(np.float64))]
print(json.dumps(out))
`, arrays);
});

function expectClose(actual: number[], expected: number[], tol = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(relativeError(a, expected[i]), `value ${i}: ${a} vs astropy ${expected[i]}`).toBeLessThanOrEqual(tol));
}

describe('display limits agree with astropy.visualization', () => {
  cases.forEach((c, k) => {
    it(`zscale: ${c.name}`, () => {
      expectClose(zscale(c.data), ref.zscale[k]);
    });
    it(`min/max and percentiles ${PERCENTILE_PRESETS.join(', ')}: ${c.name}`, () => {
      const sel = selectAll(c.data);
      const mm = computeLimits(sel, { kind: 'minmax' });
      expectClose([mm.min, mm.max], ref.minmax[k], 0);
      PERCENTILE_PRESETS.forEach((p, j) => {
        const l = computeLimits(sel, { kind: 'percentile', percent: p });
        expectClose([l.min, l.max], ref.pct[k][j]);
      });
    });
  });

  it('excluding overscan changes the limits and matches astropy on data[mask]', () => {
    const c = overscanCase;
    const sel = selectRects(c.data, c.width, c.height, dataRects);
    const z = computeLimits(sel, { kind: 'zscale' });
    expectClose([z.min, z.max], ref.zscaleMasked);
    const p = computeLimits(sel, { kind: 'percentile', percent: 99.5 });
    expectClose([p.min, p.max], ref.pctMasked);
    // With the overscan (level ~300) included, the lower percentile falls into it.
    const all = computeLimits(selectAll(c.data), { kind: 'percentile', percent: 99.5 });
    expect(all.min).toBeLessThan(400);
    expect(p.min).toBeGreaterThan(900);
  });
});

describe('display limits: errors and edge cases', () => {
  it('rejects an image without finite values, saying so', () => {
    expect(() => zscale(Float32Array.of(NaN, Infinity))).toThrow(/no finite pixel/);
    expect(() => computeLimits(selectAll(Float32Array.of(NaN)), { kind: 'minmax' })).toThrow(/no finite pixel/);
  });
  it('rejects bad manual limits and percentiles with the value', () => {
    expect(() => computeLimits(selectAll(Float32Array.of(1)), { kind: 'manual', min: 3, max: 3 })).toThrow(/3 twice/);
    expect(() => computeLimits(selectAll(Float32Array.of(1, 2)), { kind: 'percentile', percent: 120 })).toThrow(/120/);
    expect(computeLimits(selectAll(Float32Array.of(1)), { kind: 'manual', min: -1, max: 7 })).toEqual({ min: -1, max: 7 });
  });
  it('rejects statistics regions outside the image', () => {
    expect(() => selectRects(new Float32Array(4), 2, 2, [{ x0: 5, y0: 5, x1: 9, y1: 9 }])).toThrow(/2×2/);
  });
  it('exact percentiles on the histogram path equal a full sort', () => {
    const rand = seededRandom(9);
    const data = Float32Array.from({ length: 400_000 }, () => gaussian(rand) * 5 + (rand() < 0.01 ? 1e4 : 0));
    const sorted = Float64Array.from(data).sort();
    const q = [0, 0.25, 1, 50, 99, 99.75, 100];
    const expected = q.map((p) => {
      const idx = (sorted.length - 1) * (p / 100);
      const lo = Math.floor(idx);
      const t = idx - lo;
      const a = sorted[lo], b = sorted[Math.min(sorted.length - 1, lo + 1)];
      return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
    });
    expect(percentiles(selectAll(data), q)).toEqual(expected);
  });
});
