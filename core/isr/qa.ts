// The final, statistical steps of IsrTask (isr.md §1.15, 1.17, 1.18, step 30): BAD regions set to
// the median, the rough photometric zero point, background/flatness QA and per-amplifier
// standard statistics.

import type { Detector } from '../camera/geometry.js';
import type { Exposure, MaskedImage } from '../image/index.js';
import { Box2I } from '../image/index.js';
import { clippedStats, goodValues, mean, medianInPlace } from './stats.js';

function good(mi: MaskedImage, andMask: number, plane: 'image' | 'variance' = 'image'): Float64Array {
  const img = plane === 'image' ? mi.image : mi.variance;
  return goodValues(img.array, img.width, img.height, { offset: img.offset, stride: img.stride, mask: mi.mask.array, maskOffset: mi.mask.offset, maskStride: mi.mask.stride, andMask });
}

/** Every BAD, not-INTRP pixel := MEDIAN of the non-BAD pixels (ip_isr setBadRegions; badStatistic is ignored there too). */
export function setBadRegions(mi: MaskedImage): { count: number; value: number } {
  const bad = mi.mask.getPlaneBitMask('BAD');
  const intrp = 1 << mi.mask.addMaskPlane('INTRP');
  const value = medianInPlace(good(mi, bad));
  const v = Math.fround(value);
  let count = 0;
  for (let y = 0; y < mi.height; y++) {
    const mr = mi.mask.row(y);
    const ir = mi.image.row(y);
    for (let x = 0; x < ir.length; x++) {
      if ((mr[x] & bad) !== 0 && (mr[x] & intrp) === 0) {
        ir[x] = v;
        count++;
      }
    }
  }
  return { count, value };
}

/** 2.5·log10(fluxMag0T1 · expTime), or undefined when the exposure time is not positive. */
export function roughZeroPoint(fluxMag0T1: number, exposureTime: number): number | undefined {
  if (!(exposureTime > 0)) return undefined;
  return 2.5 * Math.log10(fluxMag0T1 * exposureTime);
}

export interface BackgroundQa {
  SKYLEVEL: number;
  SKYSIGMA: number;
  FLATNESS_PP: number;
  FLATNESS_RMS: number;
  FLATNESS_NGRIDS: number;
  FLATNESS_MESHX: number;
  FLATNESS_MESHY: number;
}

/** Sky level/σ and the flatness of a grid of cell levels (ip_isr IsrTask.measureBackground). */
export function measureBackground(mi: MaskedImage, options: { meshX: number; meshY: number; doClip: boolean; clipSigma: number; nIter: number }): BackgroundQa {
  const planes = mi.mask.planes;
  const andMask = ['BAD', 'SAT', 'DETECTED'].filter((p) => planes.has(p)).reduce((m, p) => m | (1 << planes.getPlane(p)), 0);
  const all = good(mi, andMask);
  const skySigma = clippedStats(Float64Array.from(all), options.clipSigma, options.nIter).stdev;
  const skyLevel = medianInPlace(all);
  const nX = Math.floor((mi.width + options.meshX / 2) / options.meshX);
  const nY = Math.floor((mi.height + options.meshY / 2) / options.meshY);
  const cells: number[] = [];
  for (let j = 0; j < nY; j++) {
    for (let i = 0; i < nX; i++) {
      const box = new Box2I(mi.x0 + i * options.meshX, mi.y0 + j * options.meshY, options.meshX, options.meshY).intersection(mi.bbox);
      if (box.isEmpty()) continue;
      const vals = good(mi.subImage(box), andMask);
      const v = options.doClip ? clippedStats(vals, options.clipSigma, options.nIter).mean : mean(vals);
      if (Number.isFinite(v)) cells.push(v);
    }
  }
  const med = medianInPlace(Float64Array.from(cells));
  const rel = cells.map((c) => (c - med) / med);
  const pp = rel.length ? Math.max(...rel) - Math.min(...rel) : NaN;
  const m = mean(rel);
  const rms = rel.length ? Math.sqrt(rel.reduce((s, r) => s + (r - m) * (r - m), 0) / rel.length) : NaN;
  return { SKYLEVEL: skyLevel, SKYSIGMA: skySigma, FLATNESS_PP: pp, FLATNESS_RMS: rms, FLATNESS_NGRIDS: cells.length, FLATNESS_MESHX: options.meshX, FLATNESS_MESHY: options.meshY };
}

export interface AmpStatistics {
  amp: string;
  nSat: number;
  nBad: number;
  mean: number;
  median: number;
  stdevClip: number;
}

/** Per amplifier: SAT and BAD counts, MEAN, MEDIAN and STDEVCLIP of the image (no mask), as IsrTask's standard statistics. */
export function standardStatistics(exposure: Exposure, detector: Detector, saturatedMaskName: string): AmpStatistics[] {
  const out: AmpStatistics[] = [];
  const sat = exposure.mask.planes.has(saturatedMaskName) ? exposure.mask.getPlaneBitMask(saturatedMaskName) : 0;
  const bad = exposure.mask.getPlaneBitMask('BAD');
  for (const amp of detector.amplifiers) {
    if (!exposure.bbox.containsBox(amp.bbox)) continue;
    const mi = exposure.maskedImage.subImage(amp.bbox);
    const values = good(mi, 0);
    const m = mean(values);
    const clipped = clippedStats(values, 3, 3);
    out.push({ amp: amp.name, nSat: sat ? mi.mask.countSet(sat) : 0, nBad: mi.mask.countSet(bad), mean: m, median: clipped.median, stdevClip: clipped.stdev });
  }
  return out;
}
