// astropy's ZScaleInterval (astropy.visualization.interval, unchanged 5.2–7.x), reproduced step by step so that
// our limits agree with astropy to 1e-9 relative. DS9/JS9/Firefly use IRAF's line sampler instead and give
// different numbers: this is the astropy algorithm, and the UI labels it so.

import { selectAll, countFinite, sampleFinite, type PixelSelection, type Pixels } from './selection.js';

export interface ZScaleOptions {
  nSamples: number;
  contrast: number;
  maxReject: number;
  minNpixels: number;
  krej: number;
  maxIterations: number;
}

export const ZSCALE_DEFAULTS: ZScaleOptions = {
  nSamples: 1000,
  contrast: 0.25,
  maxReject: 0.5,
  minNpixels: 5,
  krej: 2.5,
  maxIterations: 5,
};

/**
 * zscale limits of the finite selected values (row-major order, as numpy flattens).
 * Throws when there is no finite value (astropy raises IndexError there).
 */
export function zscaleOfSelection(sel: PixelSelection, options: Partial<ZScaleOptions> = {}, count?: number): [number, number] {
  const o = { ...ZSCALE_DEFAULTS, ...options };
  const n = count ?? countFinite(sel);
  if (n === 0) throw new Error('zscale: the image has no finite pixel value');
  const stride = Math.trunc(Math.max(1.0, n / o.nSamples));
  const samples = sampleFinite(sel, n, stride, o.nSamples).sort();
  return zscaleOfSortedSamples(samples, o, sel.data instanceof Float32Array);
}

/** zscale limits of the finite values of a whole array. */
export function zscale(values: Pixels, options: Partial<ZScaleOptions> = {}): [number, number] {
  return zscaleOfSelection(selectAll(values), options);
}

/**
 * zscale of samples already drawn (every stride-th finite value, at most nSamples) and sorted ascending;
 * `float32` says the pixels are float32 (numpy then averages the middle pair of an even sample in float32).
 */
export function zscaleOfSortedSamples(samples: Float64Array, options: Partial<ZScaleOptions>, float32: boolean): [number, number] {
  const o = { ...ZSCALE_DEFAULTS, ...options };
  const npix = samples.length;
  let vmin = samples[0];
  let vmax = samples[npix - 1];

  const minpix = Math.max(o.minNpixels, Math.trunc(npix * o.maxReject));
  let ngoodpix = npix;
  let lastNgoodpix = npix + 1;
  let badpix = new Uint8Array(npix);
  const ngrow = Math.max(1, Math.trunc(npix * 0.01));
  // np.convolve(mode="same") with a kernel of ngrow ones: bad point p spreads to [p - left, p + right].
  const left = Math.floor((ngrow - 1) / 2);
  const right = Math.floor(ngrow / 2);
  let slope = NaN;
  const flat = new Float64Array(npix);

  for (let iter = 0; iter < o.maxIterations; iter++) {
    if (ngoodpix >= lastNgoodpix || ngoodpix < minpix) break;
    const fit = leastSquaresLine(samples, badpix);
    slope = fit.slope;
    for (let i = 0; i < npix; i++) flat[i] = samples[i] - (fit.slope * i + fit.intercept);
    const threshold = o.krej * populationStd(flat, badpix);
    for (let i = 0; i < npix; i++) if (flat[i] < -threshold || flat[i] > threshold) badpix[i] = 1;
    const grown = new Uint8Array(npix);
    for (let p = 0; p < npix; p++) {
      if (!badpix[p]) continue;
      const lo = Math.max(0, p - left);
      const hi = Math.min(npix - 1, p + right);
      for (let j = lo; j <= hi; j++) grown[j] = 1;
    }
    badpix = grown;
    lastNgoodpix = ngoodpix;
    ngoodpix = 0;
    for (let i = 0; i < npix; i++) if (!badpix[i]) ngoodpix++;
  }

  if (ngoodpix >= minpix) {
    if (o.contrast > 0) slope = slope / o.contrast;
    const center = Math.floor((npix - 1) / 2);
    // numpy takes the median in the input's precision: float32 pixels average the middle pair in float32.
    const pairMean = float32 ? Math.fround(Math.fround(samples[npix / 2 - 1] + samples[npix / 2]) / 2) : (samples[npix / 2 - 1] + samples[npix / 2]) / 2;
    const median = npix % 2 === 1 ? samples[center] : pairMean;
    const lo = Math.max(vmin, median - (center - 1) * slope);
    const hi = Math.min(vmax, median + (npix - center) * slope);
    // A zero-width answer with unequal samples comes from an exact fit (e.g. integer pixels that are mostly one
    // value, or a mask). There numpy's least-squares round-off (≈1e-13) decides which points get rejected, and
    // astropy typically ends on the sample min/max; an exact fit cannot reproduce that noise, so we return the
    // sample min/max too rather than a useless zero-width display range.
    if (!(lo === hi && vmin < vmax)) {
      vmin = lo;
      vmax = hi;
    }
  }
  return [vmin, vmax];
}

/** Ordinary least squares y = slope·x + intercept over the points not marked bad (x = index). */
function leastSquaresLine(y: Float64Array, bad: Uint8Array): { slope: number; intercept: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < y.length; i++) {
    if (bad[i]) continue;
    n++;
    sx += i;
    sy += y[i];
  }
  const mx = sx / n;
  const my = sy / n;
  // Centred sums keep the fit accurate for large offsets (raw ADU ~ 1e3–1e5).
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < y.length; i++) {
    if (bad[i]) continue;
    const dx = i - mx;
    sxx += dx * dx;
    sxy += dx * (y[i] - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

function populationStd(values: Float64Array, bad: Uint8Array): number {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) if (!bad[i]) { n++; sum += values[i]; }
  if (n === 0) return NaN;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (!bad[i]) { const d = values[i] - mean; ss += d * d; }
  return Math.sqrt(ss / n);
}
