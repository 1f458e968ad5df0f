// Summary statistics of an image's physical values: one pass, in double precision, with NaN
// (and BLANK, which reads as NaN) counted apart rather than propagated.
import type { PixelArray } from './pixels.js';

export interface ImageStats {
  /** Pixels in the array. */
  pixels: number;
  /** Finite pixels used for the statistics. */
  valid: number;
  /** NaN pixels (including integer BLANK pixels). */
  nan: number;
  /** ±Infinity pixels (floats only). */
  infinite: number;
  min: number | null;
  max: number | null;
  sum: number;
  mean: number | null;
  /** Population standard deviation. */
  stddev: number | null;
}

export function imageStats(data: PixelArray): ImageStats {
  let nan = 0;
  let infinite = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let valid = 0;
  // Shifted sums keep the variance accurate for values far from zero.
  let shift = NaN;
  let s1 = 0;
  let s2 = 0;
  const n = data.length;
  const big = data instanceof BigInt64Array || data instanceof BigUint64Array;
  for (let i = 0; i < n; i++) {
    const v = big ? Number(data[i]) : (data[i] as number);
    if (v !== v) {
      nan++;
      continue;
    }
    if (v === Infinity || v === -Infinity) {
      infinite++;
      continue;
    }
    if (shift !== shift) shift = v;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    const d = v - shift;
    s1 += d;
    s2 += d * d;
    valid++;
  }
  const mean = valid ? sum / valid : null;
  const variance = valid ? Math.max(0, (s2 - (s1 * s1) / valid) / valid) : null;
  return {
    pixels: n,
    valid,
    nan,
    infinite,
    min: valid ? min : null,
    max: valid ? max : null,
    sum,
    mean,
    stddev: variance === null ? null : Math.sqrt(variance),
  };
}
