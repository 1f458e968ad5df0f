// The pixel histogram shown under the image (log-y), with the display limits marked on it.

import type { PixelSelection } from './selection.js';

export interface Histogram {
  /** Lower edge of the first bin and upper edge of the last one. */
  lo: number;
  hi: number;
  /** Counts per bin (32-bit: an image has fewer than 2^32 pixels; integer increments are faster). */
  counts: Uint32Array;
  /** Finite values below lo and above hi (not in any bin). */
  below: number;
  above: number;
}

/** Counts the finite selected values in `bins` equal bins over [lo, hi] (the last bin includes hi, as numpy). */
export function histogram(sel: PixelSelection, lo: number, hi: number, bins: number): Histogram {
  if (!(Number.isInteger(bins) && bins > 0)) throw new Error(`histogram bin count must be a positive integer, got ${bins}`);
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) throw new Error(`histogram range must be finite, got [${lo}, ${hi}]`);
  const counts = new Uint32Array(bins);
  let below = 0;
  let above = 0;
  const { data, runs } = sel;
  const span = hi - lo;
  if (span <= 0) {
    // A constant image: one bin holds everything equal to lo.
    for (let r = 0; r < runs.length; r += 2) {
      for (let i = runs[r]; i < runs[r + 1]; i++) {
        const v = data[i];
        if (v - v !== 0) continue;
        if (v < lo) below++; else if (v > hi) above++; else counts[0]++;
      }
    }
    return { lo, hi, counts, below, above };
  }
  const scale = bins / span;
  const last = bins - 1;
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r + 1];
    for (let i = runs[r]; i < end; i++) {
      const v = data[i];
      // One test keeps NaN out (every comparison with NaN is false); ±Inf land in below/above.
      if (v >= lo && v <= hi) {
        const b = ((v - lo) * scale) | 0; // v ≥ lo here, so truncation is floor
        counts[b > last ? last : b]++;
      } else if (v < lo) {
        if (v !== -Infinity) below++;
      } else if (v > hi && v !== Infinity) {
        above++;
      }
    }
  }
  return { lo, hi, counts, below, above };
}

/** Bar heights for a log-y plot: log10(1 + count), so empty bins sit on the axis and one count is visible. */
export function logHeights(h: Histogram): Float64Array {
  const out = new Float64Array(h.counts.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.log10(1 + h.counts[i]);
  return out;
}

/**
 * Histogram-equalisation table from a histogram over the display limits: entry k is the fraction of the values
 * in [lo, hi] at or below the k-th of `size` evenly spaced points (the empirical CDF HistEqStretch interpolates).
 */
export function histEqTable(h: Histogram, size: number): Float32Array {
  const n = h.counts.length;
  const cumulative = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cumulative[i + 1] = cumulative[i] + h.counts[i];
  const total = cumulative[n];
  const out = new Float32Array(size);
  if (total === 0) {
    for (let k = 0; k < size; k++) out[k] = k / (size - 1);
    return out;
  }
  for (let k = 0; k < size; k++) {
    const pos = (k / (size - 1)) * n;
    const i = Math.min(n - 1, Math.floor(pos));
    const frac = pos - i;
    out[k] = (cumulative[i] + frac * h.counts[i]) / total;
  }
  return out;
}
