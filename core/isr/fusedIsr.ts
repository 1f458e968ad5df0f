// The fused ISR pass: overscan subtraction, trimming/assembly (with flips), saturation/suspect
// masks, bias, variance, negative-variance and NaN masks, dark, flat and gains in ONE pass over each
// amplifier's pixels, with exactly the float32 roundings and ordering of the step-by-step path (so
// the results are bit-identical; a unit test checks it). Overscan models are measured first by the
// same OverscanCorrectionTask code. Mask-only steps that must see the whole image (defects, trail
// widening) run after the pass, then the dark/flat masks are OR-ed as the generic order requires.

import type { Amplifier, Detector } from '../camera/geometry.js';
import type { Header } from '../fits/header.js';
import { Box2I, Exposure, Image, Mask, MaskedImage } from '../image/index.js';
import type { IsrInputs, IsrTask } from './isrTask.js';
import { maskDefects, maskEdges, thresholdMask, widenSaturationTrails } from './masking.js';
import type { OverscanCorrectionResult } from './overscan.js';

const f32 = Math.fround;

/** Whether the configuration and inputs allow the fused pass. */
export function canFuse(task: IsrTask, inputs: IsrInputs, detector: Detector, untrimmed: boolean): boolean {
  const c = task.config;
  if (!c.useFusedPath || !untrimmed || !c.doAssembleCcd) return false;
  if (c.doOverscan && c.overscan.doParallelOverscan) return false;
  if (task.doLinearize(detector) || c.doCrosstalk) return false;
  if (c.doFringe && task.fringe.checkFilter(rawAsExposureInfo(inputs))) return false;
  const raw = inputs.raw instanceof Exposure ? inputs.raw : undefined;
  if (!raw) return false;
  const defects = c.doDefect ? (inputs.defects ?? []) : [];
  for (const amp of detector.amplifiers) {
    if (amp.rawDataBBox.width !== amp.bbox.width || amp.rawDataBBox.height !== amp.bbox.height) return false;
    if (!raw.bbox.containsBox(amp.rawBBox)) return false;
    if (defects.some((d) => d.containsBox(amp.bbox))) return false;
    if (c.doSaturation && everyPixelAtLeast(raw, amp.rawDataBBox, task.saturationLevel(amp))) return false;
  }
  return true;
}

function rawAsExposureInfo(inputs: IsrInputs): Exposure {
  return inputs.raw instanceof Exposure ? inputs.raw : new Exposure(MaskedImage.create(1, 1), inputs.raw.info ?? {});
}

function everyPixelAtLeast(raw: Exposure, box: Box2I, level: number): boolean {
  if (!Number.isFinite(level)) return false;
  const v = raw.image.subImage(box);
  for (let y = 0; y < v.height; y++) {
    const r = v.row(y);
    for (let x = 0; x < r.length; x++) if (!(r[x] >= level)) return false;
  }
  return true;
}

/** The parts of `outer` not in `inner`, as up to four boxes. */
function complementBoxes(outer: Box2I, inner: Box2I): Box2I[] {
  const i = inner.intersection(outer);
  if (i.isEmpty()) return [outer];
  const out = [
    Box2I.fromCorners(outer.minX, outer.minY, outer.maxX, i.minY - 1),
    Box2I.fromCorners(outer.minX, i.maxY + 1, outer.maxX, outer.maxY),
    Box2I.fromCorners(outer.minX, i.minY, i.minX - 1, i.maxY),
    Box2I.fromCorners(i.maxX + 1, i.minY, outer.maxX, i.maxY),
  ];
  return out.filter((b) => !b.isEmpty());
}

export interface FusedInputs {
  ccd: Exposure;
  detector: Detector;
  bias?: MaskedImage;
  dark?: MaskedImage;
  flat?: MaskedImage;
  defects: readonly Box2I[];
  gains: Map<string, number>;
  readNoises: Map<string, number>;
  darkScale: number;
  header: Header;
}

export function runFused(task: IsrTask, p: FusedInputs): Exposure {
  const c = task.config;
  const { ccd, detector, bias, dark, flat } = p;
  const rawMask = ccd.mask;
  const planes = rawMask.planes.clone();
  const satBits = c.doSaturation ? planes.getPlaneBitMask(c.saturatedMaskName) : 0;
  const doSuspect = c.doSuspect;
  const suspectBits = doSuspect ? 1 << planes.addPlane(c.suspectMaskName) : 0;
  if (doSuspect) rawMask.planes.addPlane(c.suspectMaskName);
  const nanBits = c.doNanMasking ? 1 << planes.addPlane('UNMASKEDNAN', 'Pixel was not finite (NaN or ±Inf) and was not masked before ISR masked it.') : 0;
  const negVarBits = c.doVariance && c.maskNegativeVariance ? planes.getPlaneBitMask(c.negativeVarianceMaskName) : 0;

  const box = detector.bbox;
  const mi = new MaskedImage(
    Image.create(box.width, box.height, { x0: box.minX, y0: box.minY }),
    Mask.createMask(box.width, box.height, { x0: box.minX, y0: box.minY, planes }),
    Image.create(box.width, box.height, { x0: box.minX, y0: box.minY }),
  );

  // Scalars of the dark and flat steps, exactly as the generic path forms them.
  let darkC = 0;
  let darkC2 = 0;
  if (dark) {
    const s = task.darkScaleFor(ccd, p.darkScale);
    const scale = s.exp / s.dark;
    darkC = f32(scale);
    darkC2 = f32(scale * scale);
  }
  const flatS = flat ? task.flatScaleFor(flat) : 1;
  if (flat && (!Number.isFinite(flatS) || flatS === 0)) throw new Error(`flat correction: flat scale is ${flatS}; it must be a finite non-zero number`);
  const electrons = c.doApplyGains || c.outputUnits === 'electron';
  const finalVar = c.doVariance && c.varianceSource === 'FINAL_IMAGE';
  const afterBiasVar = c.doVariance && c.varianceSource === 'AFTER_BIAS';

  let nNan = 0;
  let nNegVar = 0;
  for (const amp of detector.amplifiers) {
    const g = p.gains.get(amp.name)!;
    const level = task.saturationLevel(amp);
    // Saturation outside the data region (overscans): needed by the overscan statistics and counts.
    let nSat = 0;
    if (c.doSaturation) for (const b of complementBoxes(amp.rawBBox, amp.rawDataBBox)) nSat += thresholdMask(ccd.maskedImage, b, level, satBits);
    if (doSuspect && Number.isFinite(amp.suspectLevel)) for (const b of complementBoxes(amp.rawBBox, amp.rawDataBBox)) thresholdMask(ccd.maskedImage, b, amp.suspectLevel, suspectBits);

    let ovs: OverscanCorrectionResult | undefined;
    if (c.doOverscan && !amp.rawSerialOverscanBBox.isEmpty()) {
      const { serialBBox, imageBBox } = task.overscan.serialBoxes(amp);
      ovs = task.overscan.correctOverscan(ccd, amp, imageBBox, serialBBox, false, c.overscan.leadingColumnsToSkip, c.overscan.trailingColumnsToSkip, false);
      task.recordOverscan(p.header, amp.name, { serial: ovs });
    }
    const rn = task.readNoiseFor(amp, g, p.readNoises.get(amp.name)!, ovs ? { serial: ovs } : undefined);
    const counts = fuseAmp(amp, {
      ccd, mi, bias, dark, flat, model: ovs?.value ?? 0,
      satLevel: c.doSaturation ? level : NaN, satBits,
      suspectLevel: doSuspect ? amp.suspectLevel : NaN, suspectBits,
      varInv: f32(1 / f32(g)), varRn2: f32((rn / g) ** 2), afterBiasVar, negVarBits, nanBits,
      darkC, darkC2, flatS,
      gainF: electrons ? f32(g) : NaN,
      finalVar, finalInv: electrons ? 1 : f32(1 / f32(g)), finalRn2: electrons ? f32(rn * rn) : f32((rn / g) ** 2), finalUnit: electrons || g === 1,
    });
    nSat += counts.nSat;
    nNan += counts.nNan;
    nNegVar += counts.nNegVar;
    if (c.doSaturation) task.metadata.set(`SATURATED ${amp.name}`, nSat);
  }
  if (c.doOverscan) p.header.set('OVERSCAN', 'Overscan corrected');
  if (bias) p.header.set('LSST ISR BIAS APPLIED', true);
  if (afterBiasVar && c.maskNegativeVariance) task.metadata.set('NEGATIVEVARIANCE', nNegVar);

  const exposure = new Exposure(mi, { ...ccd.info(), metadata: p.header, detector });
  for (const key of ['DATASEC', 'BIASSEC', 'TRIMSEC', 'GAIN', ...c.assembleCcd.keysToRemove]) p.header.delete(key);

  // Mask-only steps in the generic order: defects/edges, (NaN done in the pass), trail widening,
  // then the dark and flat masks.
  if (c.doDefect) {
    task.metadata.set('DEFECTS_MASKED', maskDefects(mi.mask, p.defects));
    if (c.numEdgeSuspect > 0) {
      mi.mask.addMaskPlane(c.suspectMaskName);
      maskEdges(mi.mask, c.edgeMaskLevel === 'DETECTOR' ? [exposure.bbox] : detector.amplifiers.map((a) => a.bbox), c.numEdgeSuspect, c.suspectMaskName);
    }
    p.header.set('LSST ISR DEFECTS APPLIED', true);
  }
  if (c.doNanMasking) task.metadata.set('NUMNANS', nNan);
  if (c.doWidenSaturationTrails) widenSaturationTrails(mi.mask);
  if (dark) {
    orMask(mi.mask, dark.mask);
    p.header.set('LSST ISR DARK APPLIED', true);
  }
  if (flat) {
    orMask(mi.mask, flat.mask);
    p.header.set('LSST ISR FLAT APPLIED', true);
  }
  if (electrons) p.header.set('LSST ISR UNITS', 'electron');
  if (finalVar && c.maskNegativeVariance) {
    let n = 0;
    const bits = mi.mask.getPlaneBitMask(c.negativeVarianceMaskName);
    for (let y = 0; y < mi.height; y++) {
      const vr = mi.variance.row(y);
      const mr = mi.mask.row(y);
      for (let x = 0; x < vr.length; x++) if (vr[x] <= 0) {
        mr[x] |= bits;
        n++;
      }
    }
    task.metadata.set('NEGATIVEVARIANCE', n);
  }
  return exposure;
}

function orMask(dst: Mask, src: Mask): void {
  for (let y = 0; y < dst.height; y++) {
    const d = dst.row(y);
    const s = src.row(y);
    for (let x = 0; x < d.length; x++) if (s[x] !== 0) d[x] |= s[x];
  }
}

interface AmpPass {
  ccd: Exposure;
  mi: MaskedImage;
  bias?: MaskedImage;
  dark?: MaskedImage;
  flat?: MaskedImage;
  model: number | Float64Array;
  satLevel: number;
  satBits: number;
  suspectLevel: number;
  suspectBits: number;
  varInv: number;
  varRn2: number;
  afterBiasVar: boolean;
  negVarBits: number;
  nanBits: number;
  darkC: number;
  darkC2: number;
  flatS: number;
  gainF: number;
  finalVar: boolean;
  finalInv: number;
  finalRn2: number;
  finalUnit: boolean;
}

/** One amplifier: raw data box → its place in the assembled image, every arithmetic step at once. */
function fuseAmp(amp: Amplifier, a: AmpPass): { nSat: number; nNan: number; nNegVar: number } {
  const src = amp.rawDataBBox;
  const dst = amp.bbox;
  const { width, height } = src;
  const rawImg = a.ccd.image;
  const rawMsk = a.ccd.mask;
  const rawVar = a.ccd.variance;
  const ri = rawImg.array;
  const rm = rawMsk.array;
  const rv = rawVar.array;
  const out = a.mi;
  const oi = out.image.array;
  const om = out.mask.array;
  const ov = out.variance.array;
  // Calibrations are in the output's frame (checked by prepareCalib) but may be views with their
  // own offset and stride: each plane gets its row start computed separately.
  const planeRow = (img: Image<Float32Array> | Mask | undefined, ty: number): number =>
    img ? img.offset + (dst.minY - img.y0 + ty) * img.stride + (dst.minX - img.x0) : 0;
  const bi = a.bias?.image.array;
  const bm = a.bias?.mask.array;
  const bv = a.bias?.variance.array;
  const di = a.dark?.image.array;
  const dv = a.dark?.variance.array;
  const fi = a.flat?.image.array;
  const fv = a.flat?.variance.array;
  const flatUnit = a.flatS === 1;
  const flatS2 = a.flatS * a.flatS;
  const scalarModel = typeof a.model === 'number' ? f32(a.model) : 0;
  const vector = typeof a.model === 'number' ? undefined : a.model;
  const doSat = Number.isFinite(a.satLevel);
  const doSuspect = Number.isFinite(a.suspectLevel);
  const doGain = Number.isFinite(a.gainF);
  const gain2 = doGain ? f32(a.gainF * a.gainF) : 1;
  let nSat = 0;
  let nNan = 0;
  let nNegVar = 0;
  const oStride = out.image.stride;
  for (let y = 0; y < height; y++) {
    const sy = src.minY - rawImg.y0 + y;
    const rRow = rawImg.offset + sy * rawImg.stride + (src.minX - rawImg.x0);
    const mRow = rawMsk.offset + sy * rawMsk.stride + (src.minX - rawMsk.x0);
    const vRow = rawVar.offset + sy * rawVar.stride + (src.minX - rawVar.x0);
    const ty = amp.rawFlipY ? height - 1 - y : y;
    const oRow = (dst.minY - out.y0 + ty) * oStride + (dst.minX - out.x0);
    const biRow = planeRow(a.bias?.image, ty);
    const bmRow = planeRow(a.bias?.mask, ty);
    const bvRow = planeRow(a.bias?.variance, ty);
    const diRow = planeRow(a.dark?.image, ty);
    const dvRow = planeRow(a.dark?.variance, ty);
    const fiRow = planeRow(a.flat?.image, ty);
    const fvRow = planeRow(a.flat?.variance, ty);
    const m = vector ? vector[y] : scalarModel;
    for (let x = 0; x < width; x++) {
      const r = ri[rRow + x];
      let mask = rm[mRow + x];
      if (doSat && r >= a.satLevel) {
        mask |= a.satBits;
        nSat++;
      }
      if (doSuspect && r >= a.suspectLevel) mask |= a.suspectBits;
      const tx = amp.rawFlipX ? width - 1 - x : x;
      const o = oRow + tx;
      let v = f32(r - m);
      let vr = rv[vRow + x];
      if (bi) {
        v = f32(v - bi[biRow + tx]);
        mask |= bm![bmRow + tx];
        vr = f32(vr + bv![bvRow + tx]);
      }
      if (a.afterBiasVar) {
        vr = f32(f32(v * a.varInv) + a.varRn2);
        if (a.negVarBits && vr <= 0) {
          mask |= a.negVarBits;
          nNegVar++;
        }
      }
      if (a.nanBits && (!Number.isFinite(v) || !Number.isFinite(vr))) {
        mask |= a.nanBits;
        nNan++;
      }
      if (di) {
        v = f32(v - f32(a.darkC * di[diRow + tx]));
        vr = f32(vr + f32(a.darkC2 * dv![dvRow + tx]));
      }
      if (fi) {
        const fl = flatUnit ? fi[fiRow + tx] : f32(fi[fiRow + tx] / a.flatS);
        const fvar = flatUnit ? fv![fvRow + tx] : fv![fvRow + tx] / flatS2;
        const f2 = fl * fl;
        vr = f32((v * v * fvar + f2 * vr) / (f2 * f2));
        v = f32(v / fl);
      }
      if (doGain) {
        v = f32(v * a.gainF);
        vr = f32(vr * gain2);
      }
      if (a.finalVar) vr = v < 0 ? NaN : f32((a.finalUnit ? v : f32(v * a.finalInv)) + a.finalRn2);
      oi[o] = v;
      om[o] = mask;
      ov[o] = vr;
    }
  }
  return { nSat, nNan, nNegVar };
}
