// Calibration arithmetic of IsrTask (isr.md §1.6, 1.7, 1.12, 1.13, §0.3): bias subtraction, the
// variance plane, dark scaled by dark time, flat division with USER/MEAN/MEDIAN scaling, and gains.
// All pixel math follows afw: float32 storage, scalars converted to float32 before use.

import type { Box2I, MaskedImage } from '../image/index.js';
import { goodValues, mean, medianInPlace } from './stats.js';

const f32 = Math.fround;

function checkSameBBox(what: string, image: MaskedImage, calib: MaskedImage): void {
  if (!image.bbox.equals(calib.bbox)) {
    throw new Error(`${what}: the calibration covers ${calib.bbox.toString()} but the exposure covers ${image.bbox.toString()}; they must match (trimmed, assembled detector frame)`);
  }
}

/** mi -= bias (image −, mask |, variance +). */
export function biasCorrection(mi: MaskedImage, bias: MaskedImage): void {
  checkSameBBox('bias correction', mi, bias);
  mi.minus(bias);
}

/** mi -= (expDarkTime / darkDarkTime) · dark, the scale rounded to float32 (afw scaledMinus). */
export function darkCorrection(mi: MaskedImage, dark: MaskedImage, expScale: number, darkScale: number): number {
  checkSameBBox('dark correction', mi, dark);
  if (!Number.isFinite(expScale)) throw new Error(`dark correction: the exposure's dark time is ${expScale}; it must be a finite number of seconds`);
  if (!Number.isFinite(darkScale) || darkScale <= 0) throw new Error(`dark correction: the dark's dark time is ${darkScale}; it must be a positive number of seconds`);
  const scale = expScale / darkScale;
  mi.scaledMinus(scale, dark);
  return scale;
}

export type FlatScalingType = 'USER' | 'MEAN' | 'MEDIAN';

/** The flat's scale: the user value, or afw MEAN / MEDIAN of the flat image plane (NaN skipped, no mask). */
export function flatScale(flat: MaskedImage, scalingType: FlatScalingType, userScale: number): number {
  if (scalingType === 'USER') return userScale;
  const img = flat.image;
  const good = goodValues(img.array, img.width, img.height, { offset: img.offset, stride: img.stride });
  return scalingType === 'MEAN' ? mean(good) : medianInPlace(good);
}

/**
 * mi /= flat / scale: image = image / f32(flat / scale); variance by the quotient rule
 * var = (img²·var_f + f²·var) / f⁴ with f the scaled flat (afw scaledDivides); mask |= flat mask.
 */
export function flatCorrection(mi: MaskedImage, flat: MaskedImage, scale: number): void {
  checkSameBBox('flat correction', mi, flat);
  if (!Number.isFinite(scale) || scale === 0) throw new Error(`flat correction: flat scale is ${scale}; it must be a finite non-zero number`);
  const unit = scale === 1;
  for (let y = 0; y < mi.height; y++) {
    const ir = mi.image.row(y);
    const vr = mi.variance.row(y);
    const fr = flat.image.row(y);
    const fv = flat.variance.row(y);
    for (let x = 0; x < ir.length; x++) {
      const fl = unit ? fr[x] : f32(fr[x] / scale);
      const fvar = unit ? fv[x] : fv[x] / (scale * scale);
      const img = ir[x];
      const f2 = fl * fl;
      vr[x] = (img * img * fvar + f2 * vr[x]) / (f2 * f2);
      ir[x] = img / fl;
    }
  }
  mi.mask.orWith(flat.mask);
}

/**
 * Variance of one amplifier region from its (bias-subtracted, ADU) image: var = img/g + (rn/g)²
 * with afw's float32 steps (var := img; var *= f32(1/f32(g)); var += f32((rn/g)²)).
 */
export function updateVariance(mi: MaskedImage, box: Box2I, gain: number, readNoise: number): void {
  const view = mi.subImage(box);
  const inv = f32(1 / f32(gain));
  const rn2 = f32((readNoise / gain) ** 2);
  for (let y = 0; y < view.height; y++) {
    const ir = view.image.row(y);
    const vr = view.variance.row(y);
    for (let x = 0; x < ir.length; x++) vr[x] = f32(ir[x] * inv) + rn2;
  }
}

/**
 * ccdproc create_deviation on data already in electrons (gain 1): var = img + rn², NaN where the
 * image is negative (ccdproc's convention for σ); used by the "final image" variance mode.
 */
export function varianceFromFinalImage(mi: MaskedImage, box: Box2I, gain: number, readNoise: number): void {
  const view = mi.subImage(box);
  const inv = f32(1 / f32(gain));
  const rn2 = f32((readNoise / gain) ** 2);
  const unit = gain === 1;
  for (let y = 0; y < view.height; y++) {
    const ir = view.image.row(y);
    const vr = view.variance.row(y);
    for (let x = 0; x < ir.length; x++) {
      const v = ir[x];
      vr[x] = v < 0 ? NaN : (unit ? v : f32(v * inv)) + rn2;
    }
  }
}

/** BAD where var ≤ 0; returns the count. */
export function maskNegativeVariance(mi: MaskedImage, planeName = 'BAD'): number {
  const bits = mi.mask.getPlaneBitMask(planeName);
  let n = 0;
  for (let y = 0; y < mi.height; y++) {
    const vr = mi.variance.row(y);
    const mr = mi.mask.row(y);
    for (let x = 0; x < vr.length; x++) {
      if (vr[x] <= 0) {
        mr[x] |= bits;
        n++;
      }
    }
  }
  return n;
}

/** Multiplies one amplifier region by its gain (ADU → electrons): image·g, variance·g² (afw float32). */
export function applyGain(mi: MaskedImage, box: Box2I, gain: number): void {
  mi.subImage(box).multiplyScalar(gain);
}
