// The simulated MegaCam's fixed properties, the same for every exposure of a detector: bias
// structure, hot pixels, pixel response (vignetting, dust, pixel-to-pixel), and bad columns.
// The bad columns are also what the demo repository writes as its curated defects, so the
// defects dataset describes the simulated camera exactly.
import type { Camera, Detector } from '../camera/geometry.js';
import { pixelToFocalPlane } from '../camera/geometry.js';
import type { DefectBox } from '../calib/defects.js';
import { SeededRandom } from './random.js';

export type { DefectBox };

export interface DetectorTruth {
  binning: number;
  width: number;
  height: number;
  /** Bias structure in ADU over the trimmed (binned) image, not present in the overscan. */
  biasStructure: Float32Array;
  /** Relative response (flat field) over the trimmed image. */
  response: Float32Array;
  /** Extra dark current of hot pixels, e-/s, by trimmed pixel index. */
  hotPixels: Map<number, number>;
  /** Defects in unbinned trimmed coordinates. */
  defects: DefectBox[];
}

/** Dark current of ordinary pixels, e-/s per unbinned pixel (a warm-ish MegaCam, so darks show it). */
export const DARK_CURRENT = 0.004;

/** The bad columns and blocks of a detector, in unbinned trimmed coordinates (deterministic). */
export function simulatedDefects(seed: number, detector: Detector): DefectBox[] {
  const rng = SeededRandom.derive(seed, 0xdef, detector.id);
  const w = detector.bbox.width;
  const h = detector.bbox.height;
  const out: DefectBox[] = [];
  const columns = 2 + rng.int(0, 2);
  for (let i = 0; i < columns; i++) {
    const x0 = rng.int(40, w - 41);
    // Partial bad columns start somewhere and run to the top (charge-transfer traps).
    const y0 = rng.uniform() < 0.5 ? 0 : rng.int(100, h - 400);
    out.push({ x0, y0, width: 1 + (rng.uniform() < 0.3 ? 1 : 0), height: h - y0 });
  }
  const blocks = 1 + rng.int(0, 1);
  for (let i = 0; i < blocks; i++) {
    const bw = rng.int(4, 24);
    const bh = rng.int(4, 40);
    out.push({ x0: rng.int(20, w - bw - 20), y0: rng.int(20, h - bh - 20), width: bw, height: bh });
  }
  return out.sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0);
}

const cache = new Map<string, DetectorTruth>();

export function detectorTruth(seed: number, camera: Camera, detector: Detector, binning: number): DetectorTruth {
  const key = `${seed}/${camera.name}/${detector.id}/${binning}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const w = detector.bbox.width / binning;
  const h = detector.bbox.height / binning;
  const rng = SeededRandom.derive(seed, 0x7247, detector.id, binning);
  const n = w * h;

  const biasStructure = new Float32Array(n);
  const columnPattern = new Float32Array(w);
  for (let x = 0; x < w; x++) columnPattern[x] = 1.2 * rng.gaussian();
  for (let y = 0; y < h; y++) {
    // A glow near the readout rows and a gentle gradient along the columns.
    const glow = 6 * Math.exp(-(y * binning) / 120) + 2.5 * ((y * binning) / detector.bbox.height);
    const row = y * w;
    for (let x = 0; x < w; x++) biasStructure[row + x] = columnPattern[x] + glow;
  }

  const response = new Float32Array(n);
  // Focal-plane position is affine in pixel position: evaluate it once, then step.
  const c = (bx: number, by: number) => pixelToFocalPlane(detector, (bx + 0.5) * binning - 0.5, (by + 0.5) * binning - 0.5);
  const o = c(0, 0);
  const ex = c(1, 0);
  const ey = c(0, 1);
  const colWave = new Float32Array(w);
  for (let x = 0; x < w; x++) colWave[x] = Math.sin((x * binning) / 170);
  for (let y = 0; y < h; y++) {
    const rowWave = 0.01 * Math.cos((y * binning) / 260);
    const fx0 = o.x + y * (ey.x - o.x);
    const fy0 = o.y + y * (ey.y - o.y);
    const dxx = ex.x - o.x;
    const dxy = ex.y - o.y;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const fx = fx0 + x * dxx;
      const fy = fy0 + x * dxy;
      const r2 = (fx * fx + fy * fy) / 22500;
      response[row + x] = (1 - 0.08 * r2) * (1 + rowWave * colWave[x]) * (1 + 0.004 * rng.fastGaussian());
    }
  }
  for (let i = 0, k = rng.int(2, 4); i < k; i++) {
    // Dust donuts: shallow rings a few tens of pixels across.
    const d = { x: rng.range(0, w), y: rng.range(0, h), r: rng.range(20, 60) / binning, depth: rng.range(0.02, 0.05) };
    for (let y = Math.max(0, Math.floor(d.y - d.r)); y < Math.min(h, Math.ceil(d.y + d.r)); y++) {
      for (let x = Math.max(0, Math.floor(d.x - d.r)); x < Math.min(w, Math.ceil(d.x + d.r)); x++) {
        const dr = Math.hypot(x - d.x, y - d.y);
        if (dr < d.r) response[y * w + x] *= 1 - d.depth * Math.exp(-(((dr - 0.7 * d.r) / (0.15 * d.r)) ** 2));
      }
    }
  }
  const defects = simulatedDefects(seed, detector);
  for (const d of defects) {
    for (let y = Math.floor(d.y0 / binning); y < Math.min(h, Math.ceil((d.y0 + d.height) / binning)); y++) {
      for (let x = Math.floor(d.x0 / binning); x < Math.min(w, Math.ceil((d.x0 + d.width) / binning)); x++) response[y * w + x] = 0.03;
    }
  }

  const hotPixels = new Map<number, number>();
  const hotCount = Math.round(n * 1.5e-4);
  for (let i = 0; i < hotCount; i++) hotPixels.set(rng.int(0, n - 1), rng.exponential(3) + 0.3);

  const truth = { binning, width: w, height: h, biasStructure, response, hotPixels, defects };
  cache.set(key, truth);
  return truth;
}
