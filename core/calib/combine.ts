// Combining calibration frames pixel by pixel (cp_pipe's CalibCombineTask): median, mean, or
// sigma-clipped mean, with per-frame scales (flats are combined after each is normalised), and
// the variance of the combined value from the scatter of the inputs.

export type CombineMethod = 'median' | 'mean' | 'sigmaclip';

export interface CombineOptions {
  method?: CombineMethod;
  /** Clip threshold for sigmaclip (default 3). */
  nSigma?: number;
  /** Clip iterations (default 3). */
  iterations?: number;
  /** Divide frame i by scales[i] before combining. */
  scales?: readonly number[];
}

export interface Combined {
  image: Float32Array;
  /** Variance of the combined value (scatter² / N, the median's inflated by π/2). */
  variance: Float32Array;
  /** Inputs rejected by clipping, summed over pixels. */
  rejected: number;
}

export function combineFrames(frames: readonly Float32Array[], options: CombineOptions = {}): Combined {
  const n = frames.length;
  if (n === 0) throw new Error('combineFrames: no frames to combine');
  const length = frames[0].length;
  frames.forEach((f, i) => {
    if (f.length !== length) throw new Error(`combineFrames: frame ${i} has ${f.length} pixels, frame 0 has ${length}`);
  });
  const method = options.method ?? 'median';
  const nSigma = options.nSigma ?? 3;
  const iterations = options.iterations ?? 3;
  const inv = frames.map((_, i) => {
    const s = options.scales?.[i] ?? 1;
    if (!(s > 0) || !Number.isFinite(s)) throw new Error(`combineFrames: scale of frame ${i} is ${s}; scales must be positive`);
    return 1 / s;
  });
  const image = new Float32Array(length);
  const variance = new Float32Array(length);
  // One sorted buffer per pixel: inputs are a handful of frames, so insertion sort is fastest.
  const v = new Float64Array(n);
  let rejected = 0;
  const halfPi = Math.PI / 2;
  for (let p = 0; p < length; p++) {
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const x = frames[i][p] * inv[i];
      mean += x;
      let j = i - 1;
      while (j >= 0 && v[j] > x) {
        v[j + 1] = v[j];
        j--;
      }
      v[j + 1] = x;
    }
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (v[i] - mean) * (v[i] - mean);
    const sampleVar = n > 1 ? ss / (n - 1) : 0;
    const median = n & 1 ? v[(n - 1) >> 1] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    if (method === 'mean') {
      image[p] = mean;
      variance[p] = sampleVar / n;
    } else if (method === 'median' || n < 3) {
      image[p] = method === 'median' ? median : mean;
      variance[p] = ((method === 'median' ? halfPi : 1) * sampleVar) / n;
    } else {
      // Sorted values: the kept set is always a contiguous run [lo, hi).
      let lo = 0;
      let hi = n;
      let centre = median;
      let sigma = Math.sqrt(sampleVar);
      for (let it = 0; it < iterations && sigma > 0; it++) {
        const limit = nSigma * sigma;
        let nlo = 0;
        while (nlo < n && v[nlo] < centre - limit) nlo++;
        let nhi = n;
        while (nhi > nlo && v[nhi - 1] > centre + limit) nhi--;
        if (nhi - nlo === 0 || (nlo === lo && nhi === hi && it > 0)) break;
        lo = nlo;
        hi = nhi;
        let s = 0;
        for (let i = lo; i < hi; i++) s += v[i];
        const kept = hi - lo;
        centre = s / kept;
        let q = 0;
        for (let i = lo; i < hi; i++) q += (v[i] - centre) * (v[i] - centre);
        sigma = kept > 1 ? Math.sqrt(q / (kept - 1)) : 0;
      }
      const kept = hi - lo;
      if (lo === 0 && hi === n) {
        image[p] = centre === median ? mean : centre;
        variance[p] = sampleVar / n;
      } else {
        image[p] = centre;
        variance[p] = kept > 1 ? (sigma * sigma) / kept : sampleVar / n;
        rejected += n - kept;
      }
    }
  }
  return { image, variance, rejected };
}

/** Median of an array (of an even sample of at most `maxSamples` pixels when larger: ample for levels). */
export function robustLevel(data: Float32Array, maxSamples = 50_000): number {
  const step = Math.max(1, Math.floor(data.length / maxSamples));
  const sample = new Float64Array(Math.ceil(data.length / step));
  let m = 0;
  for (let i = 0; i < data.length; i += step) if (Number.isFinite(data[i])) sample[m++] = data[i];
  if (m === 0) throw new Error('robustLevel: no finite pixels');
  const sorted = sample.subarray(0, m).sort();
  return m % 2 === 1 ? sorted[(m - 1) >> 1] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
}
