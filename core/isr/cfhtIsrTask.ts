// CfhtIsrTask (obs_cfht, isr.md §2.1): IsrTask for MegaCam raws, whose header saturation and read
// noise are unreliable: the saturation level is estimated from the histogram of the raw pixels,
// gain and read noise come from GAINA/GAINB and RDNOISEA/RDNOISEB per amplifier, and a
// brighter-fatter kernel is refused.

import type { Amplifier, Detector } from '../camera/geometry.js';
import type { Header } from '../fits/header.js';
import { Exposure, Image, type PixelArray } from '../image/index.js';
import { f, registerConfigurable } from '../pipe/config/index.js';
import type { TaskOptions } from '../pipe/task/index.js';
import { IsrConfig, type IsrFields } from './isrConfig.js';
import { scanRaw } from './kernels/rawScan.js';
import { type IsrInputs, type IsrResult, IsrTask } from './isrTask.js';

export const CfhtIsrConfig = IsrConfig.extend('CfhtIsrTaskConfig', 'ISR for CFHT MegaCam (obs_cfht CfhtIsrTask).', {
  safe: f.float({ doc: 'Safety margin for CFHT sensors gain determination (fraction of the histogram saturation level).', default: 0.95, min: 0, max: 1, minExclusive: true, group: 'Saturation and suspect' }),
});
type CfhtFields = typeof CfhtIsrConfig.fields;

/**
 * obs_cfht's saturation estimate: if the brightest pixel exceeds 60000, histogram the pixels in
 * [60000, max+1) into 100 bins and take `safe` × the left edge of the fullest bin (truncated to an
 * integer); otherwise the header's SATURATE.
 */
export function estimateSaturation(pixels: ArrayLike<number>, safe: number, headerSaturate: number | undefined): number {
  // One comparison per pixel: only the (few) pixels at or above 60000 matter, and the maximum
  // matters only when it exceeds 60000, so it is the maximum of those.
  return saturationFromHigh(highPixels(pixels, HIGH), safe, headerSaturate);
}

/** Only pixels at or above this enter the estimate. */
const HIGH = 60000;

/** estimateSaturation from the pixels ≥ 60000 (in pixel order), however they were found. */
export function saturationFromHigh(high: Float64Array, safe: number, headerSaturate: number | undefined): number {
  const lo = HIGH;
  let max = -Infinity;
  for (let i = 0; i < high.length; i++) if (high[i] > max) max = high[i];
  if (!(max > lo)) {
    if (headerSaturate === undefined || !Number.isFinite(headerSaturate)) throw new Error('CfhtIsrTask: no pixel above 60000 and no SATURATE keyword in the raw header: cannot set the saturation level');
    return headerSaturate;
  }
  const hi = max + 1;
  const nBins = 100;
  const step = (hi - lo) / nBins;
  const edges = Float64Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? hi : i * step + lo));
  const norm = nBins / (hi - lo);
  const hist = new Float64Array(nBins);
  for (let i = 0; i < high.length; i++) {
    const v = high[i];
    if (!(v <= hi)) continue;
    let b = Math.floor((v - lo) * norm);
    if (b === nBins) b--;
    // numpy corrects the float index against the actual edges.
    if (v < edges[b]) b--;
    else if (v >= edges[b + 1] && b !== nBins - 1) b++;
    hist[b]++;
  }
  let arg = 0;
  for (let b = 1; b < nBins; b++) if (hist[b] > hist[arg]) arg = b;
  return Math.trunc(safe * edges[arg]);
}

/** The pixels ≥ lo, in order (NaN never is); a Float32Array gets its own monomorphic loop. */
function highPixels(pixels: ArrayLike<number>, lo: number): Float64Array {
  let out = new Float64Array(1024);
  let n = 0;
  const keep = (v: number): void => {
    if (n === out.length) {
      const grown = new Float64Array(2 * n);
      grown.set(out);
      out = grown;
    }
    out[n++] = v;
  };
  if (pixels instanceof Float32Array) {
    // Eight pixels per test with a short-circuit OR: high pixels are rare, so nearly every block is
    // rejected by one branch (about 3× faster than one branch per pixel in V8).
    const len = pixels.length;
    let i = 0;
    for (; i + 8 <= len; i += 8) {
      if (pixels[i] >= lo || pixels[i + 1] >= lo || pixels[i + 2] >= lo || pixels[i + 3] >= lo || pixels[i + 4] >= lo || pixels[i + 5] >= lo || pixels[i + 6] >= lo || pixels[i + 7] >= lo) {
        for (let j = i; j < i + 8; j++) if (pixels[j] >= lo) keep(pixels[j]);
      }
    }
    for (; i < len; i++) if (pixels[i] >= lo) keep(pixels[i]);
  } else {
    for (let i = 0; i < pixels.length; i++) if (pixels[i] >= lo) keep(pixels[i]);
  }
  return out.subarray(0, n);
}

function headerNumber(h: Header | undefined, key: string): number | undefined {
  const v = h?.getNumber(key);
  return v === undefined || !Number.isFinite(v) ? undefined : v;
}

export class CfhtIsrTask extends IsrTask {
  static override readonly taskName: string = 'CfhtIsrTask';
  static override readonly ConfigClass = CfhtIsrConfig as unknown as typeof IsrConfig;

  constructor(options: TaskOptions<IsrFields> = {}) {
    super({ ...options, config: options.config ?? (CfhtIsrConfig.make() as unknown as TaskOptions<IsrFields>['config']) });
    if (!this.config.configClass.isSubclassOf(CfhtIsrConfig as unknown as typeof this.config.configClass)) {
      throw new Error(`CfhtIsrTask needs a CfhtIsrTaskConfig, got a ${this.config.configClass.name}`);
    }
  }

  override run(inputs: IsrInputs): IsrResult {
    if (inputs.bfKernel !== undefined && inputs.bfKernel !== null) throw new Error('CfhtIsrTask: a brighter-fatter kernel was given, but CFHT MegaCam ISR does not apply brighter-fatter correction');
    const rawInfo = inputs.raw instanceof Exposure ? inputs.raw.info() : (inputs.raw.info ?? {});
    const detector = inputs.detector ?? rawInfo.detector;
    if (!detector) throw new Error('CfhtIsrTask: no detector: pass inputs.detector or a raw exposure with a detector');
    const header = rawInfo.metadata;
    const image: Image<PixelArray> = inputs.raw instanceof Exposure ? inputs.raw.image : inputs.raw.image;
    // On the fused path one SIMD pass over the raw lists the pixels ≥ 60000 and gathers the
    // overscans for the run (scanRaw).
    const scan = this.config.useFusedPath && inputs.raw instanceof Exposure && image.array instanceof Float32Array
      ? scanRaw(image as Image<Float32Array>, { highAtOrAbove: HIGH, gather: detector.amplifiers.map((a) => a.rawSerialOverscanBBox) })
      : undefined;
    try {
      return this.runWithHigh(inputs, detector, header, scan?.high ?? highPixels(image.pixels(), HIGH));
    } finally {
      scan?.release();
    }
  }

  private runWithHigh(inputs: IsrInputs, detector: Detector, header: Header | undefined, high: Float64Array): IsrResult {
    const safe = (this.config as unknown as { safe: number }).safe;
    const saturate = saturationFromHigh(high, safe, headerNumber(header, 'SATURATE'));
    this.metadata.set('SATURATION_ESTIMATE', saturate);
    this.log.info(`Saturation level for ${detector.name}: ${saturate}`);
    const amplifiers: Amplifier[] = detector.amplifiers.map((amp) => {
      const suffix = amp.name;
      if (suffix !== 'A' && suffix !== 'B') throw new Error(`CfhtIsrTask: unexpected amplifier name '${amp.name}' (MegaCam CCDs have amplifiers A and B)`);
      const gain = headerNumber(header, `GAIN${suffix}`);
      let readNoise = headerNumber(header, `RDNOISE${suffix}`);
      // Old files carry 65535 in RDNOISEA/B: fall back to the CCD's average RDNOISE.
      if (readNoise !== undefined && readNoise > 60000) readNoise = headerNumber(header, 'RDNOISE');
      if (gain === undefined) throw new Error(`CfhtIsrTask: the raw header has no GAIN${suffix} for amplifier ${amp.name}`);
      if (readNoise === undefined) throw new Error(`CfhtIsrTask: the raw header has no usable RDNOISE${suffix} (or RDNOISE) for amplifier ${amp.name}`);
      return { ...amp, saturation: saturate, gain, readNoise };
    });
    const rebuilt: Detector = { ...detector, amplifiers };
    const result = super.run({ ...inputs, detector: rebuilt });
    result.exposure.metadata?.set('SATURATE', saturate, 'Saturation level estimated by CfhtIsrTask');
    return result;
  }
}
registerConfigurable(CfhtIsrTask as unknown as { taskName: string; ConfigClass: typeof IsrConfig });
export type { CfhtFields };
