// Fringe subtraction (ip_isr FringeTask, isr.md §1.14): measure (small-box − large-box) statistics at
// random positions (numpy RandomState-compatible, so positions match ip_isr for a seed) on the
// science image and each fringe frame, fit science ≈ Σ s_k · fringe_k with iterative robust
// clipping, and subtract s_k · fringe_k. Only for filters listed in the config.

import type { Exposure, MaskedImage } from '../image/index.js';
import { Box2I } from '../image/index.js';
import { defineConfig, configField, f } from '../pipe/config/index.js';
import { Task, type TaskOptions } from '../pipe/task/index.js';
import { leastSquares } from './math/lstsq.js';
import { MT19937 } from './math/random.js';
import { clippedStats, goodValues, mean, medianInPlace, quantileInPlace } from './stats.js';

export const FringeStatisticsConfig = defineConfig('FringeStatisticsConfig', 'Statistics for measuring fringe amplitudes.', {
  badMaskPlanes: f.list({ doc: 'Ignore pixels with these masks.', item: 'string', default: ['SAT'] }),
  stat: f.choice({ doc: 'Statistic to use.', default: 'MEDIAN', allowed: { MEDIAN: 'Median.', MEAN: 'Mean.', MEANCLIP: 'Clipped mean.' } }),
  clip: f.float({ doc: 'Sigma clip threshold.', default: 3.0, min: 0, minExclusive: true }),
  iterations: f.int({ doc: 'Number of fitting iterations.', default: 3, min: 1 }),
  rngSeedOffset: f.int({ doc: 'Offset to the random number generator seed (the full seed adds the exposure id).', default: 0, min: 0 }),
});

export const FringeConfig = defineConfig('FringeConfig', 'Fringe subtraction.', {
  filters: f.list({ doc: 'Only fringe-subtract these physical filters.', item: 'string', default: [] }),
  useFilterAliases: f.bool({ doc: 'Also match the band name against the filter list.', default: false }),
  num: f.int({ doc: 'Number of fringe measurements.', default: 30000, min: 1 }),
  small: f.int({ doc: 'Half-size of small (fringe) measurements (pixels).', default: 3, min: 1 }),
  large: f.int({ doc: 'Half-size of large (background) measurements (pixels).', default: 30, min: 1 }),
  iterations: f.int({ doc: 'Number of fitting iterations.', default: 20, min: 1 }),
  clip: f.float({ doc: 'Sigma clip threshold.', default: 3.0, min: 0, minExclusive: true }),
  stats: configField(FringeStatisticsConfig, 'Statistics for measuring fringes.'),
  pedestal: f.bool({ doc: 'Remove fringe pedestal (median of each fringe frame)?', default: false }),
});
export type FringeFields = typeof FringeConfig.fields;

export interface FringeResult {
  applied: boolean;
  solution: number[];
  rms: number;
  used: number;
}

export class FringeTask extends Task<FringeFields> {
  static readonly taskName: string = 'FringeTask';
  static readonly ConfigClass = FringeConfig;
  static readonly defaultName = 'fringe';

  constructor(options: TaskOptions<FringeFields> = {}) {
    super(FringeConfig, FringeTask.defaultName, options);
  }

  checkFilter(exposure: Exposure): boolean {
    const physical = exposure.filter?.physicalLabel;
    const band = exposure.filter?.band;
    const filters = this.config.filters;
    if (physical && filters.includes(physical)) return true;
    return this.config.useFilterAliases && band !== undefined && filters.includes(band);
  }

  /** Fringe-corrects `exposure` in place; the fringe frames are not modified. */
  run(exposure: Exposure, fringeFrames: readonly MaskedImage[], seed = this.config.stats.rngSeedOffset): FringeResult {
    if (!this.checkFilter(exposure)) {
      this.log.info('Filter not found in FringeTaskConfig.filters. Skipping fringe correction.');
      return { applied: false, solution: [], rms: NaN, used: 0 };
    }
    if (fringeFrames.length === 0) throw new Error('fringe correction: no fringe frames were given');
    const c = this.config;
    const fringes = fringeFrames.map((fr) => {
      if (!fr.bbox.equals(exposure.bbox)) throw new Error(`fringe frame covers ${fr.bbox.toString()} but the exposure covers ${exposure.bbox.toString()}`);
      const copy = fr.clone();
      copy.mask.orWith(exposure.mask);
      if (c.pedestal) {
        const img = copy.image;
        const pedestal = medianInPlace(goodValues(img.array, img.width, img.height));
        this.log.info(`Removing fringe pedestal: ${pedestal}`);
        copy.minus(pedestal);
      }
      return copy;
    });
    const rng = new MT19937(seed % 2 ** 32);
    const xs = rng.randint(c.large, exposure.width - c.large, c.num);
    const ys = rng.randint(c.large, exposure.height - c.large, c.num);
    const fluxes = fringes.map((fr) => this.measure(fr, xs, ys));
    const science = this.measure(exposure.maskedImage, xs, ys);
    const { solution, rms, used } = this.solve(science, fluxes);
    for (let k = 0; k < fringes.length; k++) {
      // The fringe frame's mask must not leak into the science mask.
      fringes[k].mask.fill(0);
      exposure.maskedImage.scaledMinus(solution[k], fringes[k]);
    }
    this.metadata.set('solution', solution);
    this.metadata.set('rms', rms);
    return { applied: true, solution, rms, used };
  }

  private measure(mi: MaskedImage, xs: Int32Array, ys: Int32Array): Float64Array {
    const c = this.config;
    const andMask = mi.mask.getPlaneBitMask(c.stats.badMaskPlanes);
    const out = new Float64Array(xs.length);
    const stat = (size: number, x: number, y: number): number => {
      const box = new Box2I(mi.x0 + x - size, mi.y0 + y - size, 2 * size, 2 * size).intersection(mi.bbox);
      const v = mi.subImage(box);
      const good = goodValues(v.image.array, v.width, v.height, { offset: v.image.offset, stride: v.image.stride, mask: v.mask.array, maskOffset: v.mask.offset, maskStride: v.mask.stride, andMask });
      if (c.stats.stat === 'MEAN') return mean(good);
      if (c.stats.stat === 'MEDIAN') return medianInPlace(good);
      return clippedStats(good, c.stats.clip, c.stats.iterations).mean;
    };
    for (let i = 0; i < xs.length; i++) out[i] = stat(c.small, xs[i], ys[i]) - stat(c.large, xs[i], ys[i]);
    return out;
  }

  /** Iteratively clipped least squares of science ≈ Σ s_k fringe_k (ip_isr FringeTask.solve). */
  solve(science: Float64Array, fringes: Float64Array[]): { solution: number[]; rms: number; used: number } {
    const c = this.config;
    const empty = (why: string) => {
      this.log.warning(`Unable to solve for fringes: no good pixels${why}`);
      return { solution: fringes.map(() => 0), rms: NaN, used: 0 };
    };
    let idx: number[] = [];
    for (let i = 0; i < science.length; i++) if (Number.isFinite(science[i]) && fringes.some((fr) => Number.isFinite(fr[i]))) idx.push(i);
    if (idx.length === 0) return empty('');
    const pick = (v: Float64Array, ii: number[]) => Float64Array.from(ii, (i) => v[i]);
    const select = (v: Float64Array): boolean[] => {
      const s = Float64Array.from(v);
      const q2 = quantileInPlace(s, 0.5);
      const q1 = quantileInPlace(s, 0.25);
      const q3 = quantileInPlace(s, 0.75);
      return Array.from(v, (x) => Math.abs(x - q2) < c.clip * 0.74 * (q3 - q1));
    };
    let keep = select(pick(science, idx));
    for (const fr of fringes) {
      const k2 = select(pick(fr, idx));
      keep = keep.map((k, i) => k && k2[i]);
    }
    idx = idx.filter((_, i) => keep[i]);
    if (idx.length === 0) return empty(' after initial rejection');
    let rms = NaN;
    let oldNum = idx.length;
    for (let iter = 0; iter < c.iterations; iter++) {
      const sol = leastSquares(fringes.map((fr) => pick(fr, idx)), pick(science, idx));
      const resid = idx.map((i) => science[i] - fringes.reduce((s, fr, k) => s + sol[k] * fr[i], 0));
      const rs = Float64Array.from(resid);
      const q1 = quantileInPlace(rs, 0.25);
      const q3 = quantileInPlace(rs, 0.75);
      rms = 0.74 * (q3 - q1);
      const good = resid.map((r) => !(Math.abs(r) > c.clip * rms));
      const newNum = good.filter(Boolean).length;
      if (newNum === 0) return empty(` after ${iter} rejection iterations`);
      if (newNum === oldNum) break;
      oldNum = newNum;
      idx = idx.filter((_, i) => good[i]);
    }
    const solution = Array.from(leastSquares(fringes.map((fr) => pick(fr, idx)), pick(science, idx)));
    this.log.info(`Fringe solution: ${solution.join(', ')} RMS: ${rms} Good: ${idx.length}/${science.length}`);
    return { solution, rms, used: idx.length };
  }
}
