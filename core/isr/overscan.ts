// Overscan correction (ip_isr OverscanCorrectionTask): measure the bias level in an amplifier's
// serial (and optionally parallel) overscan, as a constant (MEAN/MEDIAN/MEANCLIP) or a vector along
// the readout (per-row medians/means, polynomial or spline fits), and subtract it from the data and
// from the overscan itself. Pixels deviating more than maxDeviation from the overscan median are
// flagged BAD first; vector fits also reject per-row outliers (robust σ from the IQR).

import type { Amplifier } from '../camera/geometry.js';
import { Box2I, type Exposure, type Image, type Mask } from '../image/index.js';
import { defineConfig, f } from '../pipe/config/index.js';
import { Task, type TaskOptions } from '../pipe/task/index.js';
import type { RowMiddles } from './kernels/rawScan.js';
import { makeInterpolate } from './math/interpolate.js';
import { polyfit, polyval } from './math/polyfit.js';
import { clippedStats, goodValues, integerMedian, mean, meanAndClippedStats, medianInPlace, nthElement, quantileInPlace, quartiles } from './stats.js';

export const OVERSCAN_FIT_TYPES = {
  MEAN: 'Mean of the overscan (one value).',
  MEDIAN: 'Median of the overscan (one value).',
  MEANCLIP: 'Clipped mean of the overscan (one value; numSigmaClip, 3 iterations).',
  MEDIAN_PER_ROW: 'Median of each row (column for parallel overscan): a vector.',
  MEAN_PER_ROW: 'Mean of each row (column for parallel overscan): a vector.',
  POLY: 'Ordinary polynomial of degree `order` fitted to the row means.',
  CHEB: 'Chebyshev series of degree `order` fitted to the row means.',
  LEG: 'Legendre series of degree `order` fitted to the row means.',
  NATURAL_SPLINE: 'Natural cubic spline through `order` binned row means.',
  CUBIC_SPLINE: 'Cubic spline through `order` binned row means.',
  AKIMA_SPLINE: 'Akima spline through `order` binned row means.',
} as const;
export type OverscanFitType = keyof typeof OVERSCAN_FIT_TYPES;

export const OverscanConfig = defineConfig('OverscanCorrectionTaskConfig', 'Overscan correction (serial and parallel).', {
  fitType: f.choice({ doc: 'The method for fitting the overscan bias level.', default: 'MEDIAN', allowed: OVERSCAN_FIT_TYPES, group: 'Fit' }),
  order: f.int({ doc: 'Order of the polynomial, or number of spline knots (bins), for the fit types that use it.', default: 1, min: 0, max: 100, group: 'Fit' }),
  numSigmaClip: f.float({ doc: 'Rejection threshold (σ) for clipped statistics and per-row outlier rejection.', default: 3.0, min: 0, minExclusive: true, group: 'Fit' }),
  maskPlanes: f.list({ doc: 'Mask planes whose pixels are excluded from the overscan statistics.', item: 'string', default: ['BAD', 'SAT'], group: 'Fit' }),
  overscanIsInt: f.bool({ doc: 'Treat overscan values as integers (truncate) for MEDIAN_PER_ROW/MEAN_PER_ROW, using the tie-aware integer median.', default: true, group: 'Fit' }),
  doOutlierRejection: f.bool({
    doc: 'Reject per-row outliers (|x − median| > numSigmaClip · 0.74 · IQR) before vector fits, as ip_isr always does. Turn off to reproduce plain per-row medians (ccdproc / CFHT Elixir).',
    default: true,
    group: 'Fit',
  }),
  maxDeviation: f.float({ doc: 'Overscan pixels deviating more than this (ADU) from the overscan median are flagged BAD and excluded.', default: 1000.0, min: 0, allowInfinite: true, group: 'Rejection' }),
  doAbsoluteMaxDeviation: f.bool({ doc: 'Apply maxDeviation to |x − median| (true) or to positive deviations only (false).', default: true, group: 'Rejection' }),
  doParallelOverscan: f.bool({ doc: 'Also correct with the parallel overscan (per column), after the serial one.', default: false, group: 'Parallel' }),
  parallelOverscanMaskThreshold: f.float({ doc: 'Parallel-overscan pixels at or above this level (ADU) are flagged SAT on every amplifier.', default: 100000, group: 'Parallel' }),
  parallelOverscanMaskGrowSize: f.int({ doc: 'Grow (Manhattan radius, pixels) of the parallel-overscan SAT mask.', default: 7, min: 0, group: 'Parallel' }),
  leadingColumnsToSkip: f.int({ doc: 'Serial-overscan columns next to the data to ignore.', default: 0, min: 0, group: 'Skips' }),
  trailingColumnsToSkip: f.int({ doc: 'Serial-overscan columns far from the data to ignore.', default: 0, min: 0, group: 'Skips' }),
  leadingRowsToSkip: f.int({ doc: 'Parallel-overscan rows next to the data to ignore.', default: 0, min: 0, group: 'Skips' }),
  trailingRowsToSkip: f.int({ doc: 'Parallel-overscan rows far from the data to ignore.', default: 0, min: 0, group: 'Skips' }),
});
export type OverscanFields = typeof OverscanConfig.fields;

/** What one overscan correction measured (isr.md §1.4). */
export interface OverscanCorrectionResult {
  /** Subtracted model: a scalar or one value per row (serial) / column (parallel). */
  value: number | Float64Array;
  mean: number;
  median: number;
  sigma: number;
  residualMean: number;
  residualMedian: number;
  residualSigma: number;
  /** Overscan pixels newly flagged BAD by maxDeviation. */
  nMaxDeviation: number;
  /** All overscan pixels were masked: nothing was subtracted. */
  allMasked: boolean;
}

export interface OverscanRunResult {
  serial: OverscanCorrectionResult;
  parallel?: OverscanCorrectionResult;
}

/** A 2-D region copied into "lines": for serial overscan a line is a row, for parallel a column. */
interface Lines {
  n: number;
  len: number;
  values: Float64Array;
  masked: Uint8Array;
}

export class OverscanCorrectionTask extends Task<OverscanFields> {
  static readonly taskName: string = 'OverscanCorrectionTask';
  static readonly ConfigClass = OverscanConfig;
  static readonly defaultName = 'overscan';

  constructor(options: TaskOptions<OverscanFields> = {}) {
    super(OverscanConfig, OverscanCorrectionTask.defaultName, options);
  }

  /** Corrects one amplifier of an untrimmed (raw-layout) exposure in place. */
  run(exposure: Exposure, amp: Amplifier, isTransposed = false): OverscanRunResult {
    const c = this.config;
    const { serialBBox, imageBBox } = this.serialBoxes(amp);
    const serial = this.correctOverscan(exposure, amp, imageBBox, serialBBox, isTransposed, c.leadingColumnsToSkip, c.trailingColumnsToSkip);
    let parallel: OverscanCorrectionResult | undefined;
    if (c.doParallelOverscan) {
      parallel = this.correctOverscan(exposure, amp, amp.rawDataBBox, amp.rawParallelOverscanBBox, !isTransposed, c.leadingRowsToSkip, c.trailingRowsToSkip);
    }
    return parallel ? { serial, parallel } : { serial };
  }

  /** The serial-overscan box to fit and the image box its model applies to. */
  serialBoxes(amp: Amplifier): { serialBBox: Box2I; imageBBox: Box2I } {
    const c = this.config;
    let serialBBox = amp.rawSerialOverscanBBox;
    let imageBBox = amp.rawDataBBox;
    if (c.doParallelOverscan) {
      const p = amp.rawParallelOverscanBBox;
      imageBBox = Box2I.fromCorners(Math.min(imageBBox.minX, p.minX), Math.min(imageBBox.minY, p.minY), Math.max(imageBBox.maxX, p.maxX), Math.max(imageBBox.maxY, p.maxY));
      serialBBox = new Box2I(serialBBox.minX, imageBBox.minY, serialBBox.width, imageBBox.height);
    } else if (this.isVector() && serialBBox.height !== imageBBox.height) {
      // A vector model needs one value per data row. ip_isr raises here for MegaCam (4613 overscan
      // rows vs 4612 data rows); we fit the rows the data has, which is what the user means.
      const y0 = Math.max(serialBBox.minY, imageBBox.minY);
      const y1 = Math.min(serialBBox.maxY, imageBBox.maxY);
      if (y1 - y0 + 1 !== imageBBox.height) {
        throw new Error(`amplifier ${amp.name}: serial overscan rows ${serialBBox.minY}–${serialBBox.maxY} do not cover the data rows ${imageBBox.minY}–${imageBBox.maxY}; a ${c.fitType} fit needs one overscan row per data row`);
      }
      serialBBox = new Box2I(serialBBox.minX, y0, serialBBox.width, y1 - y0 + 1);
    }
    return { serialBBox, imageBBox };
  }

  isVector(): boolean {
    return !['MEAN', 'MEDIAN', 'MEANCLIP'].includes(this.config.fitType);
  }

  /** SAT on parallel-overscan pixels ≥ threshold (grown), OR-ed over all amplifiers' parallel overscans. */
  maskParallelOverscan(exposure: Exposure, amps: readonly Amplifier[]): void {
    const sat = exposure.mask.getPlaneBitMask('SAT');
    let union: Int32Array | undefined;
    let shape: Box2I | undefined;
    for (const amp of amps) {
      const box = amp.rawParallelOverscanBBox;
      if (box.isEmpty()) continue;
      const view = exposure.maskedImage.subImage(box);
      const hits = new Uint8Array(box.area);
      for (let y = 0; y < box.height; y++) {
        const r = view.image.row(y);
        for (let x = 0; x < box.width; x++) if (r[x] >= this.config.parallelOverscanMaskThreshold) hits[y * box.width + x] = 1;
      }
      const grown = growManhattan(hits, box.width, box.height, this.config.parallelOverscanMaskGrowSize);
      for (let y = 0; y < box.height; y++) {
        const m = view.mask.row(y);
        for (let x = 0; x < box.width; x++) if (grown[y * box.width + x]) m[x] |= sat;
      }
      if (!union) {
        union = view.mask.pixels().slice();
        shape = box;
      } else if (shape && shape.width === box.width && shape.height === box.height) {
        const cur = view.mask.pixels();
        for (let i = 0; i < union.length; i++) union[i] |= cur[i];
      }
    }
    if (!union || !shape) return;
    for (const amp of amps) {
      const box = amp.rawParallelOverscanBBox;
      if (box.width !== shape.width || box.height !== shape.height) continue;
      const m = exposure.mask.subImage(box);
      for (let y = 0; y < box.height; y++) {
        const r = m.row(y);
        for (let x = 0; x < box.width; x++) r[x] |= union[y * box.width + x];
      }
    }
  }

  private trimOverscan(amp: Amplifier, bbox: Box2I, skipLeading: number, skipTrailing: number, transpose: boolean): Box2I {
    let dx0 = 0;
    let dy0 = 0;
    let dx1 = 0;
    let dy1 = 0;
    const data = amp.rawDataBBox;
    if (transpose) {
      if (data.minY < bbox.minY) [dy0, dy1] = [skipLeading, -skipTrailing];
      else [dy0, dy1] = [skipTrailing, -skipLeading];
    } else if (data.minX < bbox.minX) [dx0, dx1] = [skipLeading, -skipTrailing];
    else [dx0, dx1] = [skipTrailing, -skipLeading];
    const w = bbox.width - dx0 + dx1;
    const h = bbox.height - dy0 + dy1;
    if (w <= 0 || h <= 0) throw new Error(`amplifier ${amp.name}: skipping ${skipLeading}+${skipTrailing} leaves no overscan in ${bbox.toString()}`);
    return new Box2I(bbox.minX + dx0, bbox.minY + dy0, w, h);
  }

  /**
   * Fits the overscan in `overscanBBox` and subtracts the model from it and (unless
   * `subtractFromImage` is false: the fused ISR pass does that itself) from `imageBBox`.
   */
  correctOverscan(exposure: Exposure, amp: Amplifier, imageBBox: Box2I, overscanBBox: Box2I, isTransposed: boolean, leading: number, trailing: number, subtractFromImage = true): OverscanCorrectionResult {
    const c = this.config;
    const fitBox = this.trimOverscan(amp, overscanBBox, leading, trailing, isTransposed);
    const andMask = exposure.mask.getPlaneBitMask(c.maskPlanes);
    const badBit = exposure.mask.getPlaneBitMask('BAD');
    const ov = exposure.maskedImage.subImage(fitBox);

    // Flag pixels far from the overscan median as BAD (they would bias every estimator). Without a
    // deviation cut only whether any pixel is good matters.
    const doDeviation = Number.isFinite(c.maxDeviation);
    const good = doDeviation ? goodValues(ov.image.array, ov.width, ov.height, { offset: ov.image.offset, stride: ov.image.stride, mask: ov.mask.array, maskOffset: ov.mask.offset, maskStride: ov.mask.stride, andMask }) : undefined;
    const allMasked = good ? good.length === 0 : !anyGood(ov.image, ov.mask, andMask);
    let nMaxDeviation = 0;
    let fit: { value: number | Float64Array; mean: number; median: number; sigma: number };
    if (allMasked) {
      this.log.warning(`All overscan pixels masked when attempting overscan correction for ${amp.name}`);
      fit = { value: 0, mean: 0, median: 0, sigma: 0 };
    } else if (good) {
      const med = medianInPlace(good);
      for (let y = 0; y < ov.height; y++) {
        const ir = ov.image.row(y);
        const mr = ov.mask.row(y);
        for (let x = 0; x < ov.width; x++) {
          if ((mr[x] & andMask) !== 0) continue;
          const delta = c.doAbsoluteMaxDeviation ? Math.abs(ir[x] - med) : ir[x] - med;
          if (delta > c.maxDeviation) {
            mr[x] |= badBit;
            nMaxDeviation++;
          }
        }
      }
      fit = this.fitOverscan(exposure, fitBox, andMask, isTransposed);
    } else {
      // No deviation cut (maxDeviation = ∞): nothing to flag.
      fit = this.fitOverscan(exposure, fitBox, andMask, isTransposed);
    }

    if (subtractFromImage) subtractModel(exposure, imageBBox, fit.value, isTransposed);
    subtractModel(exposure, overscanBBox, fit.value, isTransposed);

    const resid = goodValues(ov.image.array, ov.width, ov.height, { offset: ov.image.offset, stride: ov.image.stride, mask: ov.mask.array, maskOffset: ov.mask.offset, maskStride: ov.mask.stride, andMask });
    const { mean: residualMean, clipped } = meanAndClippedStats(resid, c.numSigmaClip, 3);
    const residualSigma = clipped.stdev;
    const residualMedian = clipped.median;
    return { ...fit, residualMean, residualMedian, residualSigma, nMaxDeviation, allMasked };
  }

  /**
   * correctOverscan of a serial overscan for the fused pass's common case, measured straight from
   * the raw's pixels (no copy of the overscan as an exposure, no mask plane): per-row MEDIAN/MEAN
   * without outlier rejection, and no pixel of the fitted columns excluded (the caller has checked
   * that the raw's mask is empty there; a pixel at or above `excludeAtOrAbove`, the lowest level that
   * sets a SAT/SUSPECT bit, or a non-finite one, or one flagged by maxDeviation, would be). Returns
   * undefined when that is not the case: the caller then takes correctOverscan on a copy. The
   * statistics are computed by the same functions on the same values in the same order, so the
   * result is identical to correctOverscan's.
   */
  measureSerialFromRaw(raw: Image<Float32Array>, amp: Amplifier, serialBBox: Box2I, leading: number, trailing: number, excludeAtOrAbove: number, middles?: RowMiddles): { result: OverscanCorrectionResult; fitBox: Box2I } | undefined {
    const c = this.config;
    if (c.fitType !== 'MEDIAN_PER_ROW' && c.fitType !== 'MEAN_PER_ROW') return undefined;
    if (c.doOutlierRejection || c.doParallelOverscan) return undefined;
    const fitBox = this.trimOverscan(amp, serialBBox, leading, trailing, false);
    if (fitBox.height !== serialBBox.height || !raw.bbox.containsBox(fitBox)) return undefined;
    const { width, height } = fitBox;
    const n = width * height;
    const values = scratch(0, n);
    const src = raw.array;
    let k = 0;
    let positive = true;
    for (let y = 0; y < height; y++) {
      const row = raw.offset + (fitBox.minY - raw.y0 + y) * raw.stride + (fitBox.minX - raw.x0);
      for (let x = row; x < row + width; x++) {
        const v = src[x];
        // Non-finite (v − v is NaN) or at/above a masking level: the general path decides.
        if (v - v !== 0 || v >= excludeAtOrAbove) return undefined;
        if (!(v > 0)) positive = false;
        values[k++] = v;
      }
    }
    const all = values.subarray(0, n);
    // Config fields are read once: each read goes through the config's accessors.
    const maxDeviation = c.maxDeviation;
    if (Number.isFinite(maxDeviation)) {
      const med = quartiles(all).median;
      const absolute = c.doAbsoluteMaxDeviation;
      for (let i = 0; i < n; i++) {
        const delta = absolute ? Math.abs(all[i] - med) : all[i] - med;
        if (delta > maxDeviation) return undefined;
      }
    }
    const stat = c.fitType === 'MEDIAN_PER_ROW' ? 'median' : 'mean';
    const asInt = c.overscanIsInt;
    const vector = new Float64Array(height);
    const line = scratch(1, width);
    // The SIMD network's middle order statistics are the very values sortedMedian would select
    // (positive finite values; an even count of 32, whose median is 0.5·lower + 0.5·upper).
    const m = middles;
    if (m && positive && stat === 'median' && !asInt && m.x0 === fitBox.minX && m.width === width && fitBox.minY >= m.y0 && fitBox.maxY < m.y0 + m.lower.length) {
      const dy = fitBox.minY - m.y0;
      for (let y = 0; y < height; y++) vector[y] = 0.5 * m.lower[dy + y] + 0.5 * m.upper[dy + y];
    } else for (let y = 0; y < height; y++) {
      const row = y * width;
      if (asInt) for (let x = 0; x < width; x++) line[x] = Math.trunc(all[row + x]);
      else for (let x = 0; x < width; x++) line[x] = all[row + x];
      vector[y] = lineStatistic(line, width, stat, asInt);
    }
    fillMaskedPixels(vector);
    const fit = vectorFit(vector, c.numSigmaClip);
    // The residuals as correctOverscan reads them back: the model subtracted in double and stored as float32.
    let min = Infinity;
    let max = -Infinity;
    for (let y = 0; y < height; y++) {
      const m = vector[y];
      for (let i = y * width; i < (y + 1) * width; i++) {
        const r = Math.fround(all[i] - m);
        all[i] = r;
        if (r < min) min = r;
        if (r > max) max = r;
      }
    }
    const { mean: residualMean, clipped } = meanAndClippedStats(all, c.numSigmaClip, 3, { min, max });
    return {
      result: { ...fit, residualMean, residualMedian: clipped.median, residualSigma: clipped.stdev, nMaxDeviation: 0, allMasked: false },
      fitBox,
    };
  }

  /** The model (scalar or per-line vector) for the overscan pixels in `box`. */
  fitOverscan(exposure: Exposure, box: Box2I, andMask: number, isTransposed: boolean): { value: number | Float64Array; mean: number; median: number; sigma: number } {
    const c = this.config;
    const ov = exposure.maskedImage.subImage(box);
    if (!this.isVector()) {
      const good = goodValues(ov.image.array, ov.width, ov.height, { offset: ov.image.offset, stride: ov.image.stride, mask: ov.mask.array, maskOffset: ov.mask.offset, maskStride: ov.mask.stride, andMask });
      let v: number;
      if (c.fitType === 'MEAN') v = mean(good);
      else if (c.fitType === 'MEDIAN') v = medianInPlace(good);
      else v = clippedStats(good, c.numSigmaClip, 3).mean;
      return { value: v, mean: v, median: v, sigma: 0 };
    }
    const perRow = c.fitType === 'MEDIAN_PER_ROW' || c.fitType === 'MEAN_PER_ROW';
    const stat = c.fitType === 'MEDIAN_PER_ROW' ? 'median' : 'mean';
    let vector: Float64Array;
    if (perRow && !isTransposed && !c.doOutlierRejection) {
      // Rows straight from the image: the same values, in the same order, as lines would hold.
      vector = perImageRow(ov.image, ov.mask, andMask, stat, c.overscanIsInt);
      fillMaskedPixels(vector);
      return vectorFit(vector, c.numSigmaClip);
    }
    const lines = toLines(ov.image.array, ov.image.offset, ov.image.stride, ov.mask.array, ov.mask.offset, ov.mask.stride, ov.width, ov.height, andMask, isTransposed);
    if (c.doOutlierRejection) maskOutliers(lines, c.numSigmaClip);
    if (perRow) {
      vector = perLine(lines, stat, c.overscanIsInt);
      fillMaskedPixels(vector);
    } else {
      const collapsed = perLine(lines, 'mean', false);
      fillMaskedPixels(collapsed);
      const num = collapsed.length;
      const indices = new Float64Array(num);
      for (let i = 0; i < num; i++) indices[i] = (2 * i) / num - 1;
      vector = new Float64Array(num);
      if (c.fitType === 'POLY' || c.fitType === 'CHEB' || c.fitType === 'LEG') {
        const basis = c.fitType;
        const coeffs = polyfit(basis, indices, collapsed, c.order);
        for (let i = 0; i < num; i++) vector[i] = polyval(basis, indices[i], coeffs);
      } else {
        const knots = binForSpline(indices, collapsed, c.order);
        if (knots.x.length < 5) {
          this.log.warning(`Cannot do spline fitting for overscan: ${knots.x.length} valid points (order=${c.order} bins; use order >= 5).`);
          vector.fill(knots.y.length ? knots.y[0] : 0);
        } else {
          const interp = makeInterpolate(c.fitType as 'NATURAL_SPLINE' | 'CUBIC_SPLINE' | 'AKIMA_SPLINE', knots.x, knots.y);
          for (let i = 0; i < num; i++) vector[i] = interp.evalAfw(indices[i]);
        }
      }
    }
    return vectorFit(vector, c.numSigmaClip);
  }
}

/** Reusable scratch arrays (overscans of every amplifier of every exposure have the same size). */
const scratchArrays: Float64Array[] = [];
function scratch(slot: number, n: number): Float64Array {
  let a = scratchArrays[slot];
  if (!a || a.length < n) scratchArrays[slot] = a = new Float64Array(n);
  return a;
}

/** A vector model with its summary statistics (mean, clipped median and σ of its finite values). */
function vectorFit(vector: Float64Array, numSigmaClip: number): { value: Float64Array; mean: number; median: number; sigma: number } {
  const finite = finiteValues(vector);
  const m = mean(finite);
  const clipped = clippedStats(finite, numSigmaClip, 3);
  return { value: vector, mean: m, median: clipped.median, sigma: clipped.stdev };
}

/** The finite values of `v` in order (`v` itself when all are: a loop, not filter()'s callback per value). */
function finiteValues(v: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) if (v[i] - v[i] === 0) n++;
  if (n === v.length) return v;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < v.length; i++) if (v[i] - v[i] === 0) out[k++] = v[i];
  return out;
}

/** Whether any pixel is finite and carries none of `andMask`. */
function anyGood(img: Image<Float32Array>, mask: Mask, andMask: number): boolean {
  for (let y = 0; y < img.height; y++) {
    const r = img.row(y);
    const m = mask.row(y);
    for (let x = 0; x < r.length; x++) if (Number.isFinite(r[x]) && (m[x] & andMask) === 0) return true;
  }
  return false;
}

/** perLine over the rows of an image (serial overscan, no outlier rejection), without building lines. */
function perImageRow(img: Image<Float32Array>, mask: Mask, andMask: number, stat: 'median' | 'mean', asInt: boolean): Float64Array {
  const out = new Float64Array(img.height);
  const buf = new Float64Array(img.width);
  const values = img.array;
  const bits = mask.array;
  const width = img.width;
  // Offsets rather than a row view per row: overscans are narrow and tall.
  for (let y = 0; y < img.height; y++) {
    const vRow = img.offset + y * img.stride;
    const mRow = mask.offset + y * mask.stride;
    let k = 0;
    for (let x = 0; x < width; x++) {
      const v = values[vRow + x];
      if ((bits[mRow + x] & andMask) !== 0 || v - v !== 0) continue;
      buf[k++] = asInt ? Math.trunc(v) : v;
    }
    out[y] = lineStatistic(buf, k, stat, asInt);
  }
  return out;
}

/** The per-row statistic of the first k values of `buf` (reordered), as perImageRow defines it; NaN when k = 0. */
function lineStatistic(buf: Float64Array, k: number, stat: 'median' | 'mean', asInt: boolean): number {
  if (k === 0) return NaN;
  if (stat === 'median' && !asInt && k <= SMALL_LINE) return sortedMedian(buf, k);
  const a = buf.subarray(0, k);
  return stat === 'mean' ? mean(a) : asInt ? integerMedian(a) : medianInPlace(a);
}

function toLines(values: Float32Array, vOff: number, vStride: number, mask: Int32Array, mOff: number, mStride: number, width: number, height: number, andMask: number, transposed: boolean): Lines {
  const n = transposed ? width : height;
  const len = transposed ? height : width;
  const out: Lines = { n, len, values: new Float64Array(n * len), masked: new Uint8Array(n * len) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = transposed ? x * len + y : y * len + x;
      const v = values[vOff + y * vStride + x];
      out.values[i] = v;
      out.masked[i] = (mask[mOff + y * mStride + x] & andMask) !== 0 || !Number.isFinite(v) ? 1 : 0;
    }
  }
  return out;
}

/** ip_isr maskOutliers: per line, |x − median| > k · s with s = 0.74·IQR (capped at 2× the median s). */
function maskOutliers(lines: Lines, k: number): void {
  const { n, len, values, masked } = lines;
  const med = new Float64Array(n);
  const s = new Float64Array(n);
  const buf = new Float64Array(len);
  for (let i = 0; i < n; i++) {
    // numpy.percentile on the data including already-masked pixels (np.ma.getdata).
    buf.set(values.subarray(i * len, (i + 1) * len));
    med[i] = quantileInPlace(buf, 0.5);
    const lq = quantileInPlace(buf, 0.25);
    const uq = quantileInPlace(buf, 0.75);
    s[i] = 0.74 * (uq - lq);
  }
  const medS = medianInPlace(Float64Array.from(s));
  for (let i = 0; i < n; i++) {
    const si = s[i] > 2 * medS ? medS : s[i];
    for (let j = 0; j < len; j++) if (Math.abs(values[i * len + j] - med[i]) > k * si) masked[i * len + j] = 1;
  }
}

/** Per-line afw MEDIAN or MEAN of unmasked values (integer-truncated with the tie-aware median if asked); NaN when a line is fully masked. */
function perLine(lines: Lines, stat: 'median' | 'mean', asInt: boolean): Float64Array {
  const { n, len, values, masked } = lines;
  const out = new Float64Array(n);
  const buf = new Float64Array(len);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let j = 0; j < len; j++) {
      if (masked[i * len + j]) continue;
      const v = values[i * len + j];
      buf[k++] = asInt ? Math.trunc(v) : v;
    }
    const a = buf.subarray(0, k);
    if (k === 0) out[i] = NaN;
    else if (stat === 'mean') out[i] = mean(a);
    else out[i] = asInt ? integerMedian(a) : k <= SMALL_LINE ? sortedMedian(a) : medianInPlace(a);
  }
  return out;
}

/** Lines this short (MegaCam's 32 overscan columns) take the small-array selection below. */
const SMALL_LINE = 64;

/**
 * medianInPlace for short arrays (same order statistics, same interpolation): by counting for
 * integer ADU, else one selection (nthElement) of the lower middle element and the minimum of the
 * upper part for an even count (about 2.4× faster than insertion-sorting 32 values).
 */
export function sortedMedian(a: Float64Array, n = a.length): number {
  const counted = countedMedian(a, n);
  if (counted !== undefined) return counted;
  const k = (n - 1) >> 1;
  const lower = nthElement(a, k, 0, n - 1);
  if (n % 2 === 1) return lower;
  // Everything after position k is ≥ a[k] now: the upper middle element is their minimum.
  let upper = Infinity;
  for (let i = k + 1; i < n; i++) if (a[i] < upper) upper = a[i];
  return 0.5 * lower + 0.5 * upper;
}

/** Histogram for countedMedian (all zero between calls). */
const medianCounts = new Uint32Array(1024);

/**
 * The median of n positive integer values spanning fewer than 1024 units (raw ADU overscans) by
 * counting, with no data-dependent branches in the passes over the values: the same order
 * statistics and interpolation as the selection below. Undefined when the values do not qualify.
 */
function countedMedian(a: Float64Array, n: number): number | undefined {
  let min = a[0];
  let max = a[0];
  let integral = true;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v !== Math.floor(v)) integral = false;
  }
  // Positive only: no −0 whose sign a sum of counts would lose.
  if (!integral || !(min > 0) || max - min >= medianCounts.length) return undefined;
  const counts = medianCounts;
  // `| 0`: an integer index (a double-valued one takes V8's slow element path).
  for (let i = 0; i < n; i++) counts[(a[i] - min) | 0]++;
  const k = (n - 1) >> 1;
  let below = 0;
  let b = 0;
  while (below + counts[b] <= k) below += counts[b++];
  const lower = min + b;
  let upper = lower;
  if (n % 2 === 0 && below + counts[b] <= k + 1) {
    let next = b + 1;
    while (counts[next] === 0) next++;
    upper = min + next;
  }
  for (let i = 0; i < n; i++) counts[(a[i] - min) | 0] = 0;
  return n % 2 === 1 ? lower : 0.5 * lower + 0.5 * upper;
}

/** ip_isr fillMaskedPixels: each run of NaNs gets the median of ≤ 5 values each side (if available), else the median of all good values. */
export function fillMaskedPixels(v: Float64Array): void {
  const good = finiteValues(v);
  if (good.length === v.length) return;
  const fallback = good.length ? medianInPlace(Float64Array.from(good)) : 0;
  const size = v.length;
  const src = Float64Array.from(v);
  for (let i = 0; i < size; i++) {
    if (Number.isFinite(src[i])) continue;
    const start = i;
    while (i + 1 < size && !Number.isFinite(src[i + 1])) i++;
    const stop = i + 1;
    const neighborhood: number[] = [];
    if (start > 5) for (let j = start - 5; j < start; j++) neighborhood.push(src[j]);
    if (stop < size - 5) for (let j = stop; j < stop + 5; j++) neighborhood.push(src[j]);
    const finite = neighborhood.filter((x) => Number.isFinite(x));
    const value = neighborhood.length > 0 ? (finite.length ? medianInPlace(Float64Array.from(finite)) : NaN) : fallback;
    for (let j = start; j < stop; j++) v[j] = value;
  }
}

/** np.histogram into `numBins` equal bins over [min, max]: per non-empty bin the mean index and value. */
function binForSpline(indices: Float64Array, values: Float64Array, numBins: number): { x: number[]; y: number[] } {
  const n = indices.length;
  const lo = indices[0];
  const hi = indices[n - 1];
  const count = new Float64Array(numBins);
  const sx = new Float64Array(numBins);
  const sy = new Float64Array(numBins);
  for (let i = 0; i < n; i++) {
    let b = hi > lo ? Math.floor(((indices[i] - lo) / (hi - lo)) * numBins) : 0;
    if (b >= numBins) b = numBins - 1;
    count[b]++;
    sx[b] += indices[i];
    sy[b] += values[i];
  }
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < numBins; b++) {
    if (count[b] > 0) {
      x.push(sx[b] / count[b]);
      y.push(sy[b] / count[b]);
    }
  }
  return { x, y };
}

/**
 * Subtracts the model from `box`: a scalar is rounded to float32 first (numpy float32 array minus a
 * Python float), a vector is subtracted in double and rounded (one value per row, or per column when
 * transposed).
 */
export function subtractModel(exposure: Exposure, box: Box2I, value: number | Float64Array, transposed: boolean): void {
  if (box.isEmpty()) return;
  const img = exposure.image.subImage(box);
  if (typeof value === 'number') {
    const v = Math.fround(value);
    for (let y = 0; y < img.height; y++) {
      const r = img.row(y);
      for (let x = 0; x < r.length; x++) r[x] = r[x] - v;
    }
    return;
  }
  const expected = transposed ? img.width : img.height;
  if (value.length !== expected) {
    throw new Error(`overscan model has ${value.length} values but ${box.toString()} has ${expected} ${transposed ? 'columns' : 'rows'}`);
  }
  for (let y = 0; y < img.height; y++) {
    const r = img.row(y);
    if (transposed) for (let x = 0; x < r.length; x++) r[x] = r[x] - value[x];
    else {
      const v = value[y];
      for (let x = 0; x < r.length; x++) r[x] = r[x] - v;
    }
  }
}

/** Dilates a 0/1 image by a Manhattan (diamond) stencil of radius r. */
export function growManhattan(src: Uint8Array, width: number, height: number, r: number): Uint8Array {
  if (r <= 0) return src.slice();
  // Distance transform in L1 (two passes), then threshold.
  const INF = width + height + 1;
  const d = new Int32Array(width * height);
  for (let i = 0; i < d.length; i++) d[i] = src[i] ? 0 : INF;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (x > 0) d[i] = Math.min(d[i], d[i - 1] + 1);
      if (y > 0) d[i] = Math.min(d[i], d[i - width] + 1);
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (x < width - 1) d[i] = Math.min(d[i], d[i + 1] + 1);
      if (y < height - 1) d[i] = Math.min(d[i], d[i + width] + 1);
    }
  }
  const out = new Uint8Array(width * height);
  for (let i = 0; i < d.length; i++) out[i] = d[i] <= r ? 1 : 0;
  return out;
}
