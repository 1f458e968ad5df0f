// Display statistics and rendering costs on a full CFHT MegaCam CCD (2112×4644 float32, synthetic sky + stars +
// overscan), with astropy/numpy timed on the same pixels in the same run for the ratio.
// Run: npx tsx bench/display.ts [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzeImage, blockAverage, histogram, histEqTable, percentiles, renderRgba, selectAll, selectRects, summarizeFinite, zscale,
  type PixelRect, type StretchSpec,
} from '../core/display/index.js';

const W = 2112;
const H = 4644;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;

function synthesize(): Float32Array {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const d = new Float32Array(W * H);
  for (let i = 0; i < d.length; i++) d[i] = 1000 + 15 * (rand() + rand() + rand() - 1.5);
  for (let k = 0; k < 3000; k++) {
    const cx = Math.floor(rand() * W), cy = Math.floor(rand() * H), f = 100 + rand() * 60000;
    for (let y = Math.max(0, cy - 4); y < Math.min(H, cy + 5); y++) for (let x = Math.max(0, cx - 4); x < Math.min(W, cx + 5); x++) {
      d[y * W + x] += f * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 3);
    }
  }
  for (let y = 0; y < H; y++) for (const x0 of [0, 2080]) for (let x = x0; x < x0 + 32; x++) d[y * W + x] = 320 + 4 * (rand() - 0.5);
  return d;
}

function time(label: string, fn: () => unknown): number {
  const t: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  const median = t[Math.floor(t.length / 2)];
  console.log(`${label.padEnd(58)} ${median.toFixed(1).padStart(8)} ms  (min ${t[0].toFixed(1)}, ${RUNS} runs)`);
  return median;
}

const data = synthesize();
console.log(`display benchmark: ${W}×${H} float32 (${(data.byteLength / 1e6).toFixed(1)} MB), median of ${RUNS} runs, Node ${process.version}`);
const dataSections: PixelRect[] = [{ x0: 32, y0: 0, x1: 1055, y1: 4611 }, { x0: 1056, y0: 0, x1: 2079, y1: 4611 }];
const all = selectAll(data);
const summary = summarizeFinite(all);

const tZ = time('zscale (astropy algorithm)', () => zscale(data));
time('percentiles 99.5/99/98/95 (exact, numpy linear)', () => percentiles(all, [0.25, 99.75, 0.5, 99.5, 1, 99, 2.5, 97.5], summary));
const tH = time('histogram, 512 bins', () => histogram(all, summary.min, summary.max, 512));
console.log(`${'zscale + histogram'.padEnd(58)} ${(tZ + tH).toFixed(1).padStart(8)} ms  (target ≤ 100 ms)`);
const tA = time('analyzeImage: min/max + zscale + 4 percentiles + histogram', () => analyzeImage(data, W, H));
time('analyzeImage on data sections only (overscan excluded)', () => analyzeImage(data, W, H, { regions: dataSections }));
time('selectRects for the two data sections', () => selectRects(data, W, H, dataSections));
time('overview: 4×4 block average', () => blockAverage(data, W, H, 4));
const stats = analyzeImage(data, W, H);
const limits = stats.zscale;
const rgba = new Uint8ClampedArray(W * H * 4);
time('CPU render (2D-canvas fallback), zscale + asinh + viridis', () => renderRgba(data, { limits, stretch: { name: 'asinh' }, colormap: 'viridis' }, rgba));
const table = histEqTable(histogram(all, limits.min, limits.max, 4096), 1024);
time('CPU render, histeq + gray', () => renderRgba(data, { limits, stretch: { name: 'histeq' }, colormap: 'gray', histEqTable: table }, rgba));
const specs: StretchSpec[] = [{ name: 'linear' }, { name: 'log' }, { name: 'sqrt' }, { name: 'asinh' }, { name: 'power' }];
let k = 0;
time('stretch change, GPU path CPU side (uniforms; histeq table build)', () => {
  const spec = specs[k++ % specs.length];
  return spec.name === 'linear' ? histEqTable(histogram(all, limits.min, limits.max, 4096), 1024) : spec;
});

// astropy / numpy on the same pixels, in the same run.
const dir = mkdtempSync(join(tmpdir(), 'display-bench-'));
try {
  writeFileSync(join(dir, 'img.f32'), new Uint8Array(data.buffer));
  const py = String.raw`
import sys, time, json
import numpy as np
from astropy.visualization import ZScaleInterval, PercentileInterval
d = np.fromfile(sys.argv[1], dtype='<f4').reshape(${H}, ${W})
def t(fn, runs=${RUNS}):
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter(); fn(); ts.append((time.perf_counter() - t0) * 1000)
    ts.sort(); return ts[len(ts)//2]
out = {
  "zscale": t(lambda: ZScaleInterval().get_limits(d)),
  "pct": t(lambda: [PercentileInterval(p).get_limits(d) for p in (99.5, 99, 98, 95)]),
  "hist": t(lambda: np.histogram(d[np.isfinite(d)], bins=512)),
}
print(json.dumps(out))
`;
  const res = spawnSync('/usr/bin/python3', ['-c', py, join(dir, 'img.f32')], { encoding: 'utf8' });
  if (res.status !== 0) {
    console.log(`astropy comparison skipped: /usr/bin/python3 with astropy failed (apt-get install python3-astropy): ${res.stderr.trim().split('\n').pop()}`);
  } else {
    const a = JSON.parse(res.stdout) as { zscale: number; pct: number; hist: number };
    console.log(`astropy ZScaleInterval.get_limits                           ${a.zscale.toFixed(1).padStart(8)} ms  → astropy time / ours = ${(a.zscale / tZ).toFixed(1)}`);
    console.log(`astropy PercentileInterval ×4 (99.5/99/98/95)              ${a.pct.toFixed(1).padStart(8)} ms`);
    console.log(`numpy histogram, 512 bins                                  ${a.hist.toFixed(1).padStart(8)} ms  → numpy time / ours = ${(a.hist / tH).toFixed(1)}`);
    console.log(`astropy zscale+4 percentiles+histogram vs our analyzeImage ${(a.zscale + a.pct + a.hist).toFixed(1).padStart(8)} ms vs ${tA.toFixed(1)} ms → ${((a.zscale + a.pct + a.hist) / tA).toFixed(1)}×`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
