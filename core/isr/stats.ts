// Statistics with afw's exact definitions (isr.md §0.2): a pixel is used iff it is finite and
// (mask & andMask) == 0; MEDIAN and quartiles interpolate linearly between order statistics
// (numpy's default), computed in double; the integer-image MEDIAN is afw's tie-aware variant;
// MEANCLIP re-scans all good pixels each iteration around the previous centre.

/** IQR → σ for a Gaussian. */
export const IQ_TO_STDEV = 0.741301109252802;

export interface StatsControl {
  /** Pixels with any of these mask bits are skipped (needs `mask`). */
  andMask?: number;
  numSigmaClip?: number;
  numIter?: number;
}

type Numeric = ArrayLike<number>;

/** The good values (finite, unmasked) of a strided 2-D region, in double. */
export function goodValues(
  values: Numeric,
  width: number,
  height: number,
  options: { offset?: number; stride?: number; mask?: Int32Array; maskOffset?: number; maskStride?: number; andMask?: number } = {},
): Float64Array {
  const offset = options.offset ?? 0;
  const stride = options.stride ?? width;
  const andMask = options.andMask ?? 0;
  const mask = andMask !== 0 ? options.mask : undefined;
  const mOffset = options.maskOffset ?? offset;
  const mStride = options.maskStride ?? stride;
  const out = new Float64Array(width * height);
  // Float32 planes (nearly every caller) get their own monomorphic loops.
  const n =
    values instanceof Float32Array
      ? mask
        ? goodMaskedFloat32(values, width, height, offset, stride, mask, mOffset, mStride, andMask, out)
        : goodFloat32(values, width, height, offset, stride, out)
      : goodGeneric(values, width, height, offset, stride, mask, mOffset, mStride, andMask, out);
  return out.subarray(0, n);
}

function goodFloat32(values: Float32Array, width: number, height: number, offset: number, stride: number, out: Float64Array): number {
  let n = 0;
  for (let y = 0; y < height; y++) {
    const r = offset + y * stride;
    for (let x = r; x < r + width; x++) {
      const v = values[x];
      // v − v is 0 exactly for finite v (NaN for NaN and ±Inf).
      if (v - v === 0) out[n++] = v;
    }
  }
  return n;
}

function goodMaskedFloat32(values: Float32Array, width: number, height: number, offset: number, stride: number, mask: Int32Array, mOffset: number, mStride: number, andMask: number, out: Float64Array): number {
  let n = 0;
  for (let y = 0; y < height; y++) {
    const r = offset + y * stride;
    const mr = mOffset + y * mStride;
    for (let x = 0; x < width; x++) {
      const v = values[r + x];
      if (v - v === 0 && (mask[mr + x] & andMask) === 0) out[n++] = v;
    }
  }
  return n;
}

function goodGeneric(values: Numeric, width: number, height: number, offset: number, stride: number, mask: Int32Array | undefined, mOffset: number, mStride: number, andMask: number, out: Float64Array): number {
  let n = 0;
  for (let y = 0; y < height; y++) {
    const r = offset + y * stride;
    const mr = mOffset + y * mStride;
    for (let x = 0; x < width; x++) {
      const v = values[r + x];
      if (!Number.isFinite(v)) continue;
      if (mask && (mask[mr + x] & andMask) !== 0) continue;
      out[n++] = v;
    }
  }
  return n;
}

/** k-th smallest (0-based) by in-place quickselect (std::nth_element semantics). */
export function nthElement(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    // Median-of-three pivot keeps sorted and constant inputs linear.
    const mid = (lo + hi) >>> 1;
    let p = a[mid];
    const l = a[lo];
    const h = a[hi];
    if ((l <= p && p <= h) || (h <= p && p <= l)) {
      /* p is the median */
    } else if ((p <= l && l <= h) || (h <= l && l <= p)) p = l;
    else p = h;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function minOf(a: Float64Array, lo: number, hi: number): number {
  let m = a[lo];
  for (let i = lo + 1; i <= hi; i++) if (a[i] < m) m = a[i];
  return m;
}

/** Arrays at least this long take orderStatistics (value buckets) rather than quickselect. */
const BUCKET_SELECT_MIN = 1 << 16;
const BUCKETS = 1 << 16;

/**
 * The values of the given ranks (0-based) of `a`, exactly, without reordering it: one pass for the
 * range, one counting the values into equal-width buckets of that range (bucketing is monotone, so
 * the bucket holding rank k is where the running count passes k), one collecting the values of the
 * buckets that hold the ranks, then quickselect within each. About ten times faster than
 * quickselect on a whole image (a 9.4 M-pixel MegaCam CCD: ~30 ms rather than ~250 ms per median).
 * Undefined for non-finite values (the caller's quickselect then decides).
 */
export function orderStatistics(a: Float64Array, ranks: readonly number[], depth = 0): number[] | undefined {
  const n = a.length;
  const [min, max] = rangeOf(a);
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max - min < Infinity)) return undefined;
  if (max === min) return ranks.map(() => min);
  const scale = BUCKETS / (max - min);
  const counts = countBuckets(a, min, scale);
  // The bucket and the rank within it of every requested rank.
  const order = ranks.map((r, i) => ({ r, i })).sort((x, y) => x.r - y.r);
  const where = new Array<{ bucket: number; k: number }>(ranks.length);
  let seen = 0;
  let b = 0;
  for (const { r, i } of order) {
    while (seen + counts[b] <= r) seen += counts[b++];
    where[i] = { bucket: b, k: r - seen };
  }
  // Bucket → 1 + its slot among the wanted buckets (0: not wanted): a typed-array lookup per value.
  const slotOf = new Int32Array(BUCKETS);
  const slots: Float64Array[] = [];
  for (const w of where) if (slotOf[w.bucket] === 0) slotOf[w.bucket] = slots.push(new Float64Array(counts[w.bucket]));
  if (slots.length === 1) collectOne(a, min, scale, where[0].bucket, slots[0]);
  else collectMany(a, min, scale, slotOf, slots);
  const out = new Array<number>(ranks.length);
  slots.forEach((values, s) => {
    const mine = where.map((w, i) => ({ ...w, i })).filter((w) => slotOf[w.bucket] - 1 === s);
    // A bucket holding much of the data (a far outlier stretched the range): bucket it again.
    if (values.length >= BUCKET_SELECT_MIN && values.length > n / 16 && depth < 4) {
      const xs = orderStatistics(values, mine.map((w) => w.k), depth + 1);
      if (xs) {
        mine.forEach((w, j) => (out[w.i] = xs[j]));
        return;
      }
    }
    for (const w of mine) out[w.i] = nthElement(values, w.k);
  });
  return out;
}

// orderStatistics' passes, each a small function of its own (V8 optimises them better than the
// same loops inside one large function).

/** [min, max] of `a`; NaN if any value is NaN. Math.min/max compile to branch-free instructions: twice as fast as comparisons here. */
function rangeOf(a: Float64Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return [min, max];
}

function bucketOf(v: number, min: number, scale: number): number {
  const b = ((v - min) * scale) | 0;
  return b >= BUCKETS ? BUCKETS - 1 : b;
}

function countBuckets(a: Float64Array, min: number, scale: number): Int32Array {
  const counts = new Int32Array(BUCKETS);
  for (let i = 0; i < a.length; i++) counts[bucketOf(a[i], min, scale)]++;
  return counts;
}

function collectOne(a: Float64Array, min: number, scale: number, bucket: number, into: Float64Array): void {
  let k = 0;
  for (let i = 0; i < a.length; i++) if (bucketOf(a[i], min, scale) === bucket) into[k++] = a[i];
}

function collectMany(a: Float64Array, min: number, scale: number, slotOf: Int32Array, slots: Float64Array[]): void {
  const fill = new Int32Array(slots.length);
  for (let i = 0; i < a.length; i++) {
    const slot = slotOf[bucketOf(a[i], min, scale)];
    if (slot !== 0) slots[slot - 1][fill[slot - 1]++] = a[i];
  }
}

/**
 * Linear-interpolation quantile (numpy default) of `a`, reordering it; NaN when empty. `lo`/`hi`
 * restrict the search when the caller knows the order statistic lies there (a previous
 * nthElement has partitioned the array).
 */
export function quantileInPlace(a: Float64Array, q: number, lo = 0, hi = a.length - 1): number {
  const n = a.length;
  if (n === 0) return NaN;
  const idx = q * (n - 1);
  const q1 = Math.floor(idx);
  if (n >= BUCKET_SELECT_MIN && lo === 0 && hi === n - 1) {
    const xs = orderStatistics(a, q1 + 1 >= n || idx === q1 ? [q1] : [q1, q1 + 1]);
    if (xs) return xs.length === 1 ? xs[0] : interpolate(idx, q1, xs[0], xs[1]);
  }
  const x1 = nthElement(a, q1, Math.max(lo, 0), Math.min(hi, n - 1));
  if (q1 + 1 >= n || idx === q1) return x1;
  // After nth_element everything right of q1 is ≥ x1; the next order statistic is their minimum.
  const x2 = minOf(a, q1 + 1, q1 + 1 <= hi ? Math.min(hi, n - 1) : n - 1);
  return interpolate(idx, q1, x1, x2);
}

export function medianInPlace(a: Float64Array): number {
  return quantileInPlace(a, 0.5);
}

/** Quartiles and median in one go (reorders `a`): the quartile searches only scan their half. */
export function quartilesInPlace(a: Float64Array): { q1: number; median: number; q3: number } {
  const n = a.length;
  if (n >= BUCKET_SELECT_MIN) {
    const qs = [0.25, 0.5, 0.75];
    const ranks = qs.flatMap((q) => {
      const idx = q * (n - 1);
      return [Math.floor(idx), Math.min(Math.floor(idx) + 1, n - 1)];
    });
    const xs = orderStatistics(a, ranks);
    if (xs) {
      const [q1, median, q3] = qs.map((q, i) => {
        const idx = q * (n - 1);
        const r = Math.floor(idx);
        return r + 1 >= n || idx === r ? xs[2 * i] : interpolate(idx, r, xs[2 * i], xs[2 * i + 1]);
      });
      return { q1, median, q3 };
    }
  }
  const median = quantileInPlace(a, 0.5);
  const k = Math.floor(0.5 * (n - 1));
  // After selecting rank k, ranks < k live in [0, k) and ranks > k in (k, n).
  const q1 = quantileInPlace(a, 0.25, 0, k);
  const q3 = quantileInPlace(a, 0.75, k, n - 1);
  return { q1, median, q3 };
}

/** Linear interpolation between order statistics `x1` (rank ⌊idx⌋) and `x2` (the next), as quantileInPlace does. */
function interpolate(idx: number, q1: number, x1: number, x2: number): number {
  return (q1 + 1 - idx) * x1 + (idx - q1) * x2;
}

/** Half-integer bins: raw counts are integers and per-row medians of them half-integers. */
const HIST_SCALE = 2;
const HIST_INV = 1 / HIST_SCALE;
const HIST_MAX_BINS = 1 << 16;

/** Counts of values on the half-integer grid: value = min + bin / HIST_SCALE. */
interface GridHistogram {
  min: number;
  counts: Int32Array;
}

/**
 * The histogram of `a` when every value is a multiple of 1/HIST_SCALE within a small range
 * (overscan residuals of integer raws); undefined otherwise. The values are rebuilt exactly from
 * their bins (checked), so order statistics and sums taken from it are the very values'.
 */
function gridHistogram(a: Float64Array, range?: { min: number; max: number }): GridHistogram | undefined {
  const n = a.length;
  let min = Infinity;
  let max = -Infinity;
  if (range) ({ min, max } = range);
  else {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      // Off the half-integer grid (an image's float values, at the first one): no histogram, and
      // no wasted pass to find the range first.
      const d = HIST_SCALE * v;
      if (d !== Math.floor(d)) return undefined;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!((max - min) * HIST_SCALE < HIST_MAX_BINS)) return undefined;
  const counts = new Int32Array((max - min) * HIST_SCALE + 1);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const b = (x - min) * HIST_SCALE;
    // An integer index (b < 2^16 here, so `b | 0` is its integer part): a double-valued index
    // would take V8's slow element path. A value off the grid (or −0, whose rebuilt value would be
    // +0) takes the general path; × (1 / HIST_SCALE) is exact for a power of 2.
    const bin = b | 0;
    if (b !== bin || min + bin * HIST_INV !== x || (x === 0 && 1 / x < 0)) return undefined;
    counts[bin]++;
  }
  return { min, counts };
}

/** Quartiles and median (numpy's interpolation) of the n values in a histogram. */
function quartilesOfHistogram(h: GridHistogram, n: number): { q1: number; median: number; q3: number } {
  const { min, counts } = h;
  // The order statistics needed, ascending: ranks ⌊q(n−1)⌋ and the next, for q = ¼, ½, ¾.
  const qs = [0.25, 0.5, 0.75];
  const ranks: number[] = [];
  for (const q of qs) {
    const idx = q * (n - 1);
    ranks.push(Math.floor(idx), Math.min(Math.floor(idx) + 1, n - 1));
  }
  const values = new Array<number>(ranks.length);
  let r = 0;
  let seen = 0;
  for (let b = 0; b < counts.length && r < ranks.length; b++) {
    seen += counts[b];
    while (r < ranks.length && ranks[r] < seen) values[r++] = min + b / HIST_SCALE;
  }
  const out = qs.map((q, i) => {
    const idx = q * (n - 1);
    const q1 = Math.floor(idx);
    return q1 + 1 >= n || idx === q1 ? values[2 * i] : interpolate(idx, q1, values[2 * i], values[2 * i + 1]);
  });
  return { q1: out[0], median: out[1], q3: out[2] };
}

/** quartilesInPlace without reordering `a` (counting when the values allow, else on a copy). */
export function quartiles(a: Float64Array): { q1: number; median: number; q3: number } {
  if (a.length === 0) return { q1: NaN, median: NaN, q3: NaN };
  const h = a.length >= 1024 ? gridHistogram(a) : undefined;
  return h ? quartilesOfHistogram(h, a.length) : quartilesInPlace(Float64Array.from(a));
}

/**
 * afw MEDIAN of an integer image: `naive - 0.5 + (0.5 n - left) / middle` where naive is the value
 * at rank floor((n-1)/2), left = count below it, middle = count equal to it.
 */
export function integerMedian(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  const naive = nthElement(a, Math.floor(0.5 * (n - 1)));
  let left = 0;
  let middle = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] < naive) left++;
    else if (a[i] === naive) middle++;
  }
  return naive - 0.5 + (0.5 * n - left) / middle;
}

export function mean(a: ArrayLike<number>): number {
  const n = a.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i];
  return s / n;
}

/** Unbiased sample variance (n/(n−1)), two-pass in double. */
export function variance(a: ArrayLike<number>, m = mean(a)): number {
  const n = a.length;
  if (n < 2) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i] - m;
    s += d * d;
  }
  return s / (n - 1);
}

export interface ClippedStats {
  /** MEDIAN of all good values (computed on the way). */
  median: number;
  mean: number;
  variance: number;
  stdev: number;
  /** Pixels kept by the last pass. */
  n: number;
}

/**
 * afw MEANCLIP / VARIANCECLIP / STDEVCLIP of good values `a` (not reordered). Each clipping
 * iteration is one pass in `a`'s order, as afw's over the pixels, summing the values and their
 * deviations from the window's centre and the squares of those; values on the half-integer grid
 * (overscan residuals of integer raws) are summed over their histogram instead (sums of values are
 * then exact either way; the squared deviations add each bin's count × its square once).
 */
export function clippedStats(a: Float64Array, numSigmaClip = 3, numIter = 3): ClippedStats {
  return clippedOf(a, a.length >= 1024 ? gridHistogram(a) : undefined, numSigmaClip, numIter);
}

/**
 * mean(a) and clippedStats(a) at once (an overscan's residual statistics): one histogram serves
 * both when the values lie on the grid. `range`, when the caller knows it, spares a pass.
 */
export function meanAndClippedStats(a: Float64Array, numSigmaClip = 3, numIter = 3, range?: { min: number; max: number }): { mean: number; clipped: ClippedStats } {
  const h = a.length >= 1024 ? gridHistogram(a, range) : undefined;
  if (!h) return { mean: mean(a), clipped: clippedOf(a, undefined, numSigmaClip, numIter) };
  // The sum of grid values is exact in any order: the same as mean(a)'s.
  let s = 0;
  for (let b = 0; b < h.counts.length; b++) if (h.counts[b] !== 0) s += h.counts[b] * (h.min + b * HIST_INV);
  return { mean: s / a.length, clipped: clippedOf(a, h, numSigmaClip, numIter) };
}

function clippedOf(a: Float64Array, h: GridHistogram | undefined, numSigmaClip: number, numIter: number): ClippedStats {
  const n = a.length;
  if (n === 0) return { median: NaN, mean: NaN, variance: NaN, stdev: NaN, n: 0 };
  const { q1, median, q3 } = h ? quartilesOfHistogram(h, n) : quartilesInPlace(Float64Array.from(a));
  let center = median;
  let hwidth = numSigmaClip * IQ_TO_STDEV * (q3 - q1);
  let m = NaN;
  let v = NaN;
  let kept = 0;
  for (let iter = 0; iter < numIter; iter++) {
    let s = 0;
    let ss = 0;
    kept = 0;
    if (h) {
      const { min, counts } = h;
      for (let b = 0; b < counts.length; b++) {
        const c = counts[b];
        const x = min + b * HIST_INV;
        if (c !== 0 && Math.abs(x - center) <= hwidth) {
          s += c * x;
          kept += c;
        }
      }
      m = kept > 0 ? s / kept : NaN;
      for (let b = 0; b < counts.length; b++) {
        const c = counts[b];
        const x = min + b * HIST_INV;
        if (c !== 0 && Math.abs(x - center) <= hwidth) ss += c * ((x - m) * (x - m));
      }
    } else {
      const w = momentsWithin(a, center, hwidth);
      s = w.sum;
      kept = w.kept;
      m = kept > 0 ? s / kept : NaN;
      // Σ(x − m)² from deviations about the window's centre, in the same pass: the centre is within
      // a fraction of σ of m, so nothing cancels.
      ss = kept > 0 ? Math.max(0, w.squares - (w.deviations * w.deviations) / kept) : 0;
    }
    v = kept > 1 ? ss / (kept - 1) : NaN;
    center = m;
    hwidth = numSigmaClip * Math.sqrt(v);
    if (!(kept > 1)) break;
  }
  return { median, mean: m, variance: v, stdev: Math.sqrt(v), n: kept };
}

// clippedOf's pass over the data, as a small function of its own (V8 optimises such loops better
// than the same loop inside one large function).

/** Sum, count, and sums of deviations from center and of their squares, of the values within hwidth of center. */
function momentsWithin(a: Float64Array, center: number, hwidth: number): { sum: number; kept: number; deviations: number; squares: number } {
  let sum = 0;
  let kept = 0;
  let deviations = 0;
  let squares = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const d = x - center;
    if (Math.abs(d) <= hwidth) {
      sum += x;
      kept++;
      deviations += d;
      squares += d * d;
    }
  }
  return { sum, kept, deviations, squares };
}

export type StatisticName = 'MEAN' | 'MEDIAN' | 'MEANCLIP' | 'STDEV' | 'STDEVCLIP' | 'VARIANCE' | 'VARIANCECLIP' | 'IQRANGE' | 'NPOINT';

/** One afw statistic of good values (reorders `a`). */
export function statistic(a: Float64Array, which: StatisticName, control: StatsControl = {}): number {
  switch (which) {
    case 'MEAN':
      return mean(a);
    case 'MEDIAN':
      return medianInPlace(a);
    case 'STDEV':
      return Math.sqrt(variance(a));
    case 'VARIANCE':
      return variance(a);
    case 'IQRANGE': {
      const { q1, q3 } = quartilesInPlace(a);
      return q3 - q1;
    }
    case 'NPOINT':
      return a.length;
    case 'MEANCLIP':
      return clippedStats(a, control.numSigmaClip, control.numIter).mean;
    case 'STDEVCLIP':
      return clippedStats(a, control.numSigmaClip, control.numIter).stdev;
    case 'VARIANCECLIP':
      return clippedStats(a, control.numSigmaClip, control.numIter).variance;
  }
}

/**
 * numpy's float32 `arr.mean()` bit for bit: the reduction runs over buffers of 8192 elements, each
 * summed pairwise in float32 (blocks of ≤ 128 with 8 accumulators) and added to a float32
 * accumulator; the sum is then divided by n. ccdproc normalises flats with this value, so matching
 * it is what makes the flat division exact.
 */
export function numpyFloat32Mean(a: Float32Array): number {
  const f = Math.fround;
  const pairwise = (lo: number, n: number): number => {
    if (n < 8) {
      let res = 0;
      for (let i = 0; i < n; i++) res = f(res + a[lo + i]);
      return res;
    }
    if (n <= 128) {
      const r = [a[lo], a[lo + 1], a[lo + 2], a[lo + 3], a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]];
      let i = 8;
      for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = f(r[j] + a[lo + i + j]);
      let res = f(f(f(r[0] + r[1]) + f(r[2] + r[3])) + f(f(r[4] + r[5]) + f(r[6] + r[7])));
      for (; i < n; i++) res = f(res + a[lo + i]);
      return res;
    }
    let n2 = Math.floor(n / 2);
    n2 -= n2 % 8;
    return f(pairwise(lo, n2) + pairwise(lo + n2, n - n2));
  };
  const BUFSIZE = 8192;
  let acc = 0;
  for (let lo = 0; lo < a.length; lo += BUFSIZE) acc = f(acc + pairwise(lo, Math.min(BUFSIZE, a.length - lo)));
  return f(acc / a.length);
}
