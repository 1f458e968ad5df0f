// The fused ISR pass: overscan subtraction, trimming/assembly (with flips), saturation/suspect
// masks, bias, variance, negative-variance and NaN masks, dark, flat and gains in ONE pass over each
// amplifier's pixels, with exactly the float32 roundings and ordering of the step-by-step path (so
// the results are bit-identical; a unit test checks it). Overscan models are measured first by the
// same OverscanCorrectionTask code. Mask-only steps that must see the whole image (defects, trail
// widening) run after the pass, then the dark/flat masks are OR-ed as the generic order requires.

import type { Amplifier, Detector } from '../camera/geometry.js';
import type { Header } from '../fits/header.js';
import { uninitializedBytes } from '../fits/pixels.js';
import { Box2I, Exposure, Image, Mask, MaskedImage, type MaskPlaneDict } from '../image/index.js';
import type { IsrInputs, IsrTask } from './isrTask.js';
import { maskDefects, maskEdges, widenSaturationTrails } from './masking.js';
import type { OverscanCorrectionResult } from './overscan.js';
import { type RawScan, scanOf, scanRaw } from './kernels/rawScan.js';
import { runWasmBands } from './kernels/wasmKernel.js';
import { setWasmKernelsEnabled } from './kernels/wasmModule.js';
import { takeBuffer } from './outputBuffers.js';

/** Turns the WebAssembly SIMD kernels off/on (tests compare them with the JavaScript code). */
export function setWasmKernelEnabled(enabled: boolean): void {
  setWasmKernelsEnabled(enabled);
}

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
    // A bad amplifier (every data pixel SAT or SUSPECT) takes the generic path's special handling.
    const sat = c.doSaturation ? task.saturationLevel(amp) : NaN;
    const suspect = c.doSuspect ? amp.suspectLevel : NaN;
    const levels = [sat, suspect].filter((v) => Number.isFinite(v));
    const planeNames = raw.mask.planes.has(c.suspectMaskName) ? [c.saturatedMaskName, c.suspectMaskName] : [c.saturatedMaskName];
    if (everyPixelFlagged(raw, amp.rawDataBBox, levels.length ? Math.min(...levels) : NaN, raw.mask.getPlaneBitMask(planeNames))) return false;
  }
  return true;
}

/** The amplifiers' boxes cover the detector exactly, without overlap (so the pass writes every output pixel). */
function ampsTile(detector: Detector): boolean {
  const amps = detector.amplifiers;
  let area = 0;
  for (let i = 0; i < amps.length; i++) {
    const b = amps[i].bbox;
    if (!detector.bbox.containsBox(b)) return false;
    for (let j = 0; j < i; j++) if (!b.intersection(amps[j].bbox).isEmpty()) return false;
    area += b.area;
  }
  return area === detector.bbox.area;
}

function rawAsExposureInfo(inputs: IsrInputs): Exposure {
  return inputs.raw instanceof Exposure ? inputs.raw : new Exposure(MaskedImage.create(1, 1), inputs.raw.info ?? {});
}

/** Every pixel of `box` is ≥ level or already carries one of `bits` (early exit on the first that is not). */
function everyPixelFlagged(raw: Exposure, box: Box2I, level: number, bits: number): boolean {
  const v = raw.image.subImage(box);
  const m = raw.mask.subImage(box);
  for (let y = 0; y < v.height; y++) {
    const r = v.row(y);
    const mr = m.row(y);
    for (let x = 0; x < r.length; x++) if (!(r[x] >= level) && (mr[x] & bits) === 0) return false;
  }
  return true;
}

function countAtLeast(e: Exposure, box: Box2I, level: number): number {
  if (!Number.isFinite(level)) return 0;
  const v = e.image.subImage(box.intersection(e.bbox));
  const a = v.array;
  let n = 0;
  // Offsets rather than a row view per row: the boxes are narrow (overscans) and tall.
  for (let y = 0; y < v.height; y++) {
    const start = v.offset + y * v.stride;
    for (let x = start; x < start + v.width; x++) if (a[x] >= level) n++;
  }
  return n;
}

/**
 * A copy of the raw's `box` (image and mask; the variance, which the overscan fit never reads,
 * starts at zero) with SAT bits where the image is ≥ satLevel and SUSPECT bits where it is ≥
 * suspectLevel (NaN: none): what clone() + thresholdMask() give, in one pass over offsets rather
 * than per-row views (overscans are narrow and tall).
 */
function overscanCopy(ccd: Exposure, box: Box2I, planes: MaskPlaneDict, satLevel: number, satBits: number, suspectLevel: number, suspectBits: number): Exposure {
  const { width, height } = box;
  const img = ccd.image.subImage(box);
  const msk = ccd.mask.subImage(box);
  const image = new Float32Array(width * height);
  const mask = new Int32Array(width * height);
  const src = img.array;
  const srcMask = msk.array;
  const sat = Number.isFinite(satLevel) ? satLevel : Infinity;
  const suspect = Number.isFinite(suspectLevel) ? suspectLevel : Infinity;
  for (let y = 0; y < height; y++) {
    const s = img.offset + y * img.stride;
    const sm = msk.offset + y * msk.stride;
    const d = y * width;
    for (let x = 0; x < width; x++) {
      const v = src[s + x];
      let m = srcMask[sm + x];
      if (v >= sat) m |= satBits;
      if (v >= suspect) m |= suspectBits;
      image[d + x] = v;
      mask[d + x] = m;
    }
  }
  const at = { x0: box.minX, y0: box.minY };
  return new Exposure(
    new MaskedImage(new Image(image, width, height, at), new Mask(mask, width, height, { ...at, planes }), new Image(new Float32Array(width * height), width, height, at)),
  );
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
  // The overscans are gathered by one sequential SIMD pass over the raw (unless CfhtIsrTask's scan
  // for its saturation estimate did it already).
  // (scanRaw gives undefined while the kernels are turned off.)
  const own = scanOf(p.ccd.image) === undefined ? scanRaw(p.ccd.image, { gather: p.detector.amplifiers.map((a) => a.rawSerialOverscanBBox) }) : undefined;
  try {
    return runFusedScanned(task, p, scanOf(p.ccd.image));
  } finally {
    own?.release();
  }
}

function runFusedScanned(task: IsrTask, p: FusedInputs, scanned: RawScan | undefined): Exposure {
  const c = task.config;
  const { ccd, detector, bias, dark, flat } = p;
  // `ccd` shares the caller's raw pixels: this function never writes to it.
  const planes = ccd.mask.planes.clone();
  const satBits = c.doSaturation ? planes.getPlaneBitMask(c.saturatedMaskName) : 0;
  const doSuspect = c.doSuspect;
  const suspectBits = doSuspect ? 1 << planes.addPlane(c.suspectMaskName) : 0;
  const nanBits = c.doNanMasking ? 1 << planes.addPlane('UNMASKEDNAN', 'Pixel was not finite (NaN or ±Inf) and was not masked before ISR masked it.') : 0;
  const negVarBits = c.doVariance && c.maskNegativeVariance ? planes.getPlaneBitMask(c.negativeVarianceMaskName) : 0;

  const box = detector.bbox;
  // Recycled output buffers need no clearing when the amplifiers cover every output pixel.
  const reuse = ampsTile(detector);
  const n = box.width * box.height;
  const at = { x0: box.minX, y0: box.minY };
  // They need no zero-filling either: a fresh one is taken uninitialised (no memset of ~113 MB).
  const buffer = (): ArrayBuffer => (reuse ? (takeBuffer(n * 4) ?? (uninitializedBytes(n * 4).buffer as ArrayBuffer)) : new ArrayBuffer(n * 4));
  const mi = new MaskedImage(
    new Image(new Float32Array(buffer()), box.width, box.height, at),
    new Mask(new Int32Array(buffer()), box.width, box.height, { ...at, planes }),
    new Image(new Float32Array(buffer()), box.width, box.height, at),
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
  const satRows = new Uint8Array(box.height);
  let tOverscan = 0;
  let tPass = 0;
  // Phase 1: every amplifier's overscan model and pass parameters; phase 2: the pixel pass.
  const passes: Array<{ amp: Amplifier; pass: AmpPass; nSat: number }> = [];
  for (const amp of detector.amplifiers) {
    const t0 = performance.now();
    const g = p.gains.get(amp.name)!;
    const level = task.saturationLevel(amp);
    let ovs: OverscanCorrectionResult | undefined;
    // Pixels of the fitted overscan columns, when measured straight from the raw: none of them is at
    // or above the saturation level, so the saturation count need not visit them again.
    let fitted: Box2I | undefined;
    if (c.doOverscan && !amp.rawSerialOverscanBBox.isEmpty()) {
      const { serialBBox, imageBBox } = task.overscan.serialBoxes(amp);
      const leading = c.overscan.leadingColumnsToSkip;
      const trailing = c.overscan.trailingColumnsToSkip;
      const satAt = c.doSaturation && Number.isFinite(level) ? level : Infinity;
      const suspectAt = doSuspect && Number.isFinite(amp.suspectLevel) ? amp.suspectLevel : Infinity;
      // Gathered by the scan (contiguous), or read from the raw's rows.
      const source = scanned?.gathered(amp.rawSerialOverscanBBox) ?? ccd.image;
      const direct = isZeroRegion(ccd.mask, serialBBox) ? task.overscan.measureSerialFromRaw(source, amp, serialBBox, leading, trailing, Math.min(satAt, suspectAt), scanned?.rowMiddles(amp.rawSerialOverscanBBox)) : undefined;
      if (direct) {
        ovs = direct.result;
        fitted = direct.fitBox;
      } else {
        // The overscan is measured on a copy carrying the SAT/SUSPECT bits the generic path sets.
        const copy = overscanCopy(ccd, serialBBox, planes, c.doSaturation ? level : NaN, satBits, doSuspect ? amp.suspectLevel : NaN, suspectBits);
        ovs = task.overscan.correctOverscan(copy, amp, imageBBox, serialBBox, false, leading, trailing, false);
      }
      task.recordOverscan(p.header, amp.name, { serial: ovs });
    }
    // Saturated pixels outside the data region (overscans) count as in the generic path.
    let nSat = 0;
    if (c.doSaturation) {
      for (const b of complementBoxes(amp.rawBBox, amp.rawDataBBox)) {
        for (const part of fitted ? complementBoxes(b, fitted) : [b]) nSat += countAtLeast(ccd, part, level);
      }
    }
    const rn = task.readNoiseFor(amp, g, p.readNoises.get(amp.name)!, ovs ? { serial: ovs } : undefined);
    tOverscan += performance.now() - t0;
    passes.push({
      amp,
      nSat,
      pass: {
        ccd, mi, bias, dark, flat, model: ovs?.value ?? 0,
        satLevel: c.doSaturation ? level : NaN, satBits,
        suspectLevel: doSuspect ? amp.suspectLevel : NaN, suspectBits,
        varInv: f32(1 / f32(g)), varRn2: f32((rn / g) ** 2), afterBiasVar, negVarBits, nanBits,
        darkC, darkC2, flatS,
        gainF: electrons ? f32(g) : NaN,
        satRows,
        finalNegVarBits: finalVar && c.maskNegativeVariance ? planes.getPlaneBitMask(c.negativeVarianceMaskName) : 0,
        finalVar, finalInv: electrons ? 1 : f32(1 / f32(g)), finalRn2: electrons ? f32(rn * rn) : f32((rn / g) ** 2), finalUnit: electrons || g === 1,
      },
    });
  }
  const t1 = performance.now();
  const counts = fuseBands(passes.map((x) => x.amp), passes.map((x) => x.pass)) ?? passes.map(({ amp, pass }) => fuseAmp(amp, pass));
  tPass += performance.now() - t1;
  passes.forEach(({ amp, nSat }, i) => {
    task.metadata.set(`fused.kernel ${amp.name}`, counts[i].kernel);
    nNan += counts[i].nNan;
    nNegVar += counts[i].nNegVar;
    if (c.doSaturation) task.metadata.set(`SATURATED ${amp.name}`, nSat + counts[i].nSat);
  });
  if (c.doOverscan) p.header.set('OVERSCAN', 'Overscan corrected');
  if (bias) p.header.set('LSST ISR BIAS APPLIED', true);
  if (c.doVariance && c.maskNegativeVariance) task.metadata.set('NEGATIVEVARIANCE', nNegVar);

  const tMask0 = performance.now();
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
  if (c.doWidenSaturationTrails) {
    // Trails can only be where SAT was set: in the pass, by a defect box (no SAT), or by nothing else.
    const rows: number[] = [];
    for (let y = 0; y < satRows.length; y++) if (satRows[y]) rows.push(y);
    widenSaturationTrails(mi.mask, rows);
  }
  if (dark) {
    orMask(mi.mask, dark.mask);
    p.header.set('LSST ISR DARK APPLIED', true);
  }
  if (flat) {
    orMask(mi.mask, flat.mask);
    p.header.set('LSST ISR FLAT APPLIED', true);
  }
  if (electrons) p.header.set('LSST ISR UNITS', 'electron');
  // Where the time goes (seconds), for benchmarks and the app's run details.
  task.metadata.set('fused.scanSeconds', scanned?.seconds ?? 0);
  task.metadata.set('fused.overscanSeconds', tOverscan / 1000);
  task.metadata.set('fused.passSeconds', tPass / 1000);
  task.metadata.set('fused.maskSeconds', (performance.now() - tMask0) / 1000);
  return exposure;
}

function orMask(dst: Mask, src: Mask): void {
  if (isZeroPlane(src)) return;
  for (let y = 0; y < dst.height; y++) {
    const d = dst.row(y);
    const s = src.row(y);
    for (let x = 0; x < d.length; x++) if (s[x] !== 0) d[x] |= s[x];
  }
}

interface AmpPass {
  /** Output rows (local) that received SAT bits: trail widening only visits these. */
  satRows: Uint8Array;
  /** Final-image variance: BAD bits where var ≤ 0 (0 = off). */
  finalNegVarBits: number;
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

/**
 * Calibration planes that are entirely zero (masks of fresh masters, variances of noiseless ones)
 * need not be read; the answer is remembered per plane object, as calibrations are not modified
 * (the same bias serves every exposure of a night).
 */
const zeroPlanes = new WeakMap<object, boolean>();
const scaledFlats = new WeakMap<object, { scale: number; image: Image<Float32Array> }>();

function normalizedFlat(flat: Image<Float32Array>, scale: number): Image<Float32Array> {
  if (scale === 1) return flat;
  const hit = scaledFlats.get(flat);
  if (hit && hit.scale === scale) return hit.image;
  const out = Image.create(flat.width, flat.height, { x0: flat.x0, y0: flat.y0 });
  for (let y = 0; y < flat.height; y++) {
    const s = flat.row(y);
    const d = out.row(y);
    for (let x = 0; x < s.length; x++) d[x] = s[x] / scale;
  }
  scaledFlats.set(flat, { scale, image: out });
  return out;
}
function isZeroPlane(img: Image<Float32Array> | Mask | undefined): boolean {
  if (!img) return true;
  const known = zeroPlanes.get(img);
  if (known !== undefined) return known;
  // Bit patterns (an Int32 view), so −0.0 counts as non-zero and the loop stays integer-only.
  const zero = allZeroBits(new Int32Array(img.array.buffer, img.array.byteOffset, img.array.length), img.offset, img.width, img.height, img.stride);
  zeroPlanes.set(img, zero);
  return zero;
}

/**
 * Whether every element of a strided 2-D region is 0: eight elements OR-ed per step (about twice
 * as fast as one test per element in V8; a whole MegaCam plane in ~3 ms).
 */
function allZeroBits(a: Int32Array, offset: number, width: number, height: number, stride: number): boolean {
  // A contiguous region is scanned as one run.
  const rows = stride === width ? 1 : height;
  const len = stride === width ? width * height : width;
  for (let y = 0; y < rows; y++) {
    let i = offset + y * stride;
    const end = i + len;
    for (; i + 8 <= end; i += 8) {
      if ((a[i] | a[i + 1] | a[i + 2] | a[i + 3] | a[i + 4] | a[i + 5] | a[i + 6] | a[i + 7]) !== 0) return false;
    }
    for (; i < end; i++) if (a[i] !== 0) return false;
  }
  return true;
}

/**
 * Declares a plane all-zero without scanning it (planes created empty, e.g. the mask and variance
 * of a raw built from pixels alone); the caller must not have written to it.
 */
export function markZeroPlane(plane: Image<Float32Array> | Mask): void {
  zeroPlanes.set(plane, true);
}

/** Whether a region of a plane is all zero (scanned unless the whole plane is known to be zero). */
function isZeroRegion(plane: Mask | Image<Float32Array>, box: Box2I): boolean {
  if (zeroPlanes.get(plane) === true) return true;
  const v = plane.subImage(box);
  const a = v.array;
  return allZeroBits(new Int32Array(a.buffer, a.byteOffset, a.length), v.offset, v.width, v.height, v.stride);
}

/**
 * The common case, specialised so the JIT keeps the loop tight: no flips, no raw or calibration
 * mask bits, zero calibration variances, bias+dark+flat present, no suspect level. Same float32
 * operations in the same order as fuseAmp.
 */
function fuseAmpCommon(amp: Amplifier, a: AmpPass, bias: MaskedImage, dark: MaskedImage, nf: Image<Float32Array>): AmpCounts {
  const src = amp.rawDataBBox;
  const dst = amp.bbox;
  const { width, height } = src;
  const raw = a.ccd.image;
  const ri = raw.array;
  const out = a.mi;
  const oi = out.image.array;
  const om = out.mask.array;
  const ov = out.variance.array;
  const bi = bias.image.array;
  const di = dark.image.array;
  const fa = nf.array;
  const doSat = Number.isFinite(a.satLevel);
  const satLevel = a.satLevel;
  const satBits = a.satBits;
  const nanBits = a.nanBits;
  const negVarBits = a.negVarBits;
  const afterBias = a.afterBiasVar;
  const varInv = a.varInv;
  const varRn2 = a.varRn2;
  const darkC = a.darkC;
  const darkC2 = a.darkC2;
  const doGain = Number.isFinite(a.gainF);
  const gainF = doGain ? a.gainF : 1;
  const gain2 = doGain ? f32(gainF * gainF) : 1;
  const finalVar = a.finalVar;
  const finalUnit = a.finalUnit;
  const finalInv = a.finalInv;
  const finalRn2 = a.finalRn2;
  const finalNegVarBits = a.finalNegVarBits;
  const satRows = a.satRows;
  const scalarModel = typeof a.model === 'number' ? f32(a.model) : 0;
  const vector = typeof a.model === 'number' ? undefined : a.model;
  let nSat = 0;
  let nNan = 0;
  let nNegVar = 0;
  for (let y = 0; y < height; y++) {
    const satBefore = nSat;
    const rRow = raw.offset + (src.minY - raw.y0 + y) * raw.stride + (src.minX - raw.x0);
    const oRow = (dst.minY - out.y0 + y) * out.image.stride + (dst.minX - out.x0);
    const bRow = bias.image.offset + (dst.minY - bias.image.y0 + y) * bias.image.stride + (dst.minX - bias.image.x0);
    const dRow = dark.image.offset + (dst.minY - dark.image.y0 + y) * dark.image.stride + (dst.minX - dark.image.x0);
    const fRow = nf.offset + (dst.minY - nf.y0 + y) * nf.stride + (dst.minX - nf.x0);
    const m = vector !== undefined ? vector[y] : scalarModel;
    if (finalVar) {
      // Final-image variance: the propagated variance would be discarded, so it is not computed;
      // the NaN check at the maskNan stage sees var = 0 + 0 (zero raw and bias variances).
      for (let x = 0; x < width; x++) {
        const r = ri[rRow + x];
        let mask = 0;
        if (doSat && r >= satLevel) {
          mask = satBits;
          nSat++;
        }
        let v = f32(f32(r - m) - bi[bRow + x]);
        if (nanBits !== 0 && v - v !== 0) {
          mask |= nanBits;
          nNan++;
        }
        v = f32(f32(v - f32(darkC * di[dRow + x])) / fa[fRow + x]);
        if (doGain) v = f32(v * gainF);
        const vr = v < 0 ? NaN : f32((finalUnit ? v : f32(v * finalInv)) + finalRn2);
        if (finalNegVarBits !== 0 && vr <= 0) {
          mask |= finalNegVarBits;
          nNegVar++;
        }
        const o = oRow + x;
        oi[o] = v;
        om[o] = mask;
        ov[o] = vr;
      }
    } else {
      for (let x = 0; x < width; x++) {
        const r = ri[rRow + x];
        let mask = 0;
        if (doSat && r >= satLevel) {
          mask = satBits;
          nSat++;
        }
        let v = f32(f32(r - m) - bi[bRow + x]);
        let vr = afterBias ? f32(f32(v * varInv) + varRn2) : 0;
        if (afterBias && negVarBits !== 0 && vr <= 0) {
          mask |= negVarBits;
          nNegVar++;
        }
        if (nanBits !== 0 && (v - v !== 0 || vr - vr !== 0)) {
          mask |= nanBits;
          nNan++;
        }
        v = f32(v - f32(darkC * di[dRow + x]));
        vr = f32(vr + f32(darkC2 * 0));
        const fl = fa[fRow + x];
        const f2 = fl * fl;
        vr = f32((v * v * 0 + f2 * vr) / (f2 * f2));
        v = f32(v / fl);
        if (doGain) {
          v = f32(v * gainF);
          vr = f32(vr * gain2);
        }
        const o = oRow + x;
        oi[o] = v;
        om[o] = mask;
        ov[o] = vr;
      }
    }
    if (nSat !== satBefore) satRows[dst.minY - out.y0 + y] = 1;
  }
  return { nSat, nNan, nNegVar, kernel: 'js-common' };
}

/**
 * Whether an amplifier can take the common kernels (JavaScript fuseAmpCommon, WebAssembly bands): no
 * flips, no suspect level, bias, dark and flat present, no mask bits in the raw's data or the bias.
 * With the final-image variance the propagated variance is discarded: it only enters the NaN test
 * after bias (raw + bias variance), which finite values of at most half the float32 maximum never
 * fail, so real masters (with variance planes) qualify. Otherwise the calibration and raw variances
 * must be zero (the common kernel does not propagate them).
 */
function isCommon(amp: Amplifier, a: AmpPass): boolean {
  if (amp.rawFlipX || amp.rawFlipY || Number.isFinite(a.suspectLevel) || a.bias === undefined || a.dark === undefined || a.flat === undefined) return false;
  if (!isZeroRegion(a.ccd.mask, amp.rawDataBBox) || !isZeroPlane(a.bias.mask)) return false;
  if (a.finalVar) return isBoundedRegion(a.ccd.variance, amp.rawDataBBox) && isBoundedRegion(a.bias.variance, a.bias.variance.bbox);
  return isZeroPlane(a.dark.variance) && isZeroPlane(a.flat.variance) && (a.afterBiasVar || (isZeroRegion(a.ccd.variance, amp.rawDataBBox) && isZeroPlane(a.bias.variance)));
}

/** Values of at most this magnitude add to a finite float32 (twice it is below the float32 maximum). */
const HALF_F32_MAX = 1.7e38;
const boundedPlanes = new WeakMap<object, boolean>();

/** Every value of the region is finite with |v| ≤ HALF_F32_MAX (whole planes are remembered, as isZeroPlane does). */
function isBoundedRegion(plane: Image<Float32Array>, box: Box2I): boolean {
  if (zeroPlanes.get(plane) === true) return true;
  const whole = box.equals(plane.bbox);
  if (whole) {
    const known = boundedPlanes.get(plane);
    if (known !== undefined) return known;
  }
  const v = plane.subImage(box);
  const arr = v.array;
  let ok = true;
  for (let y = 0; y < v.height && ok; y++) {
    const row = v.offset + y * v.stride;
    // NaN fails the test too (every comparison with it is false).
    for (let x = row; x < row + v.width; x++) {
      if (!(Math.abs(arr[x]) <= HALF_F32_MAX)) {
        ok = false;
        break;
      }
    }
  }
  if (whole) boundedPlanes.set(plane, ok);
  return ok;
}

/**
 * Every amplifier through the WebAssembly SIMD band kernel (final-image variance, the common
 * case), or undefined when that kernel does not apply exactly (the caller then runs each
 * amplifier's JavaScript kernel).
 */
function fuseBands(amps: readonly Amplifier[], passes: readonly AmpPass[]): AmpCounts[] | undefined {
  // runWasmBands gives undefined while the kernels are turned off.
  if (passes.length === 0) return undefined;
  // Two kernels: the final-image variance (band) and the variance made after bias and propagated
  // (bandAfterBias, ip_isr's default); a variance left as the raw's takes the JavaScript kernels.
  const final = passes.every((a) => a.finalVar);
  const afterBias = passes.every((a) => a.afterBiasVar && !a.finalVar);
  if (!final && !afterBias) return undefined;
  if (!amps.every((amp, i) => (final ? isCommon(amp, passes[i]) : commonShape(amp, passes[i])))) return undefined;
  const a0 = passes[0];
  if (!passes.every((a) => a.bias === a0.bias && a.dark === a0.dark && a.flat === a0.flat && a.darkC === a0.darkC && a.darkC2 === a0.darkC2 && a.flatS === a0.flatS)) return undefined;
  if (!passes.every((a) => a.satBits === a0.satBits && a.nanBits === a0.nanBits && a.finalNegVarBits === a0.finalNegVarBits && a.negVarBits === a0.negVarBits)) return undefined;
  const negBits = final ? a0.finalNegVarBits : a0.negVarBits;
  const flat = a0.flat!.image;
  // The flat's scale is divided in the kernel when it is a float32 (then the quotient is the one
  // the normalised plane would hold); otherwise the normalised plane is made once and cached.
  const inKernel = Math.fround(a0.flatS) === a0.flatS;
  const r = runWasmBands({
    raw: a0.ccd.image, bias: a0.bias!.image, dark: a0.dark!.image,
    flat: inKernel ? flat : normalizedFlat(flat, a0.flatS), flatScale: inKernel ? a0.flatS : 1,
    outImage: a0.mi.image, outVariance: a0.mi.variance, outMask: a0.mi.mask,
    satBits: a0.satBits, nanBits: a0.nanBits, darkC: a0.darkC, negBits, satRows: a0.satRows,
    afterBias: afterBias ? { darkVariance: a0.dark!.variance, flatVariance: a0.flat!.variance, darkC2: a0.darkC2, flatS2: a0.flatS * a0.flatS } : undefined,
    amps: amps.map((amp, i) => {
      const a = passes[i];
      const doGain = Number.isFinite(a.gainF);
      return {
        src: amp.rawDataBBox, dst: amp.bbox,
        model: typeof a.model === 'number' ? f32(a.model) : a.model,
        satLevel: Number.isFinite(a.satLevel) ? a.satLevel : NaN,
        gain: doGain ? a.gainF : 1, inv: a.finalUnit ? 1 : a.finalInv, rn2: a.finalRn2,
        varInv: a.varInv, varRn2: a.varRn2, gain2: doGain ? f32(a.gainF * a.gainF) : 1,
      };
    }),
  });
  if (!r) return undefined;
  return r.map((c) => ({ nSat: c.nSat, nNan: a0.nanBits !== 0 ? c.nNan : 0, nNegVar: negBits !== 0 ? c.nNeg : 0, kernel: 'wasm-simd' as const }));
}

/**
 * The shape bandAfterBias serves: no flips, no suspect level, bias, dark and flat present, no mask
 * bits in the raw's data or the bias. Any calibration variances (they are propagated); the raw's and
 * the bias's are replaced by the variance made after bias.
 */
function commonShape(amp: Amplifier, a: AmpPass): boolean {
  if (amp.rawFlipX || amp.rawFlipY || Number.isFinite(a.suspectLevel) || a.bias === undefined || a.dark === undefined || a.flat === undefined) return false;
  return isZeroRegion(a.ccd.mask, amp.rawDataBBox) && isZeroPlane(a.bias.mask);
}

/** One amplifier: raw data box → its place in the assembled image, every arithmetic step at once. */
interface AmpCounts {
  nSat: number;
  nNan: number;
  nNegVar: number;
  /** Which kernel processed the amplifier. */
  kernel: 'wasm-simd' | 'js-common' | 'js-general';
}

function fuseAmp(amp: Amplifier, a: AmpPass): AmpCounts {
  const common = isCommon(amp, a);
  if (common) return fuseAmpCommon(amp, a, a.bias!, a.dark!, normalizedFlat(a.flat!.image, a.flatS));
  const src = amp.rawDataBBox;
  const dst = amp.bbox;
  const { width, height } = src;
  const flipX = amp.rawFlipX;
  const flipY = amp.rawFlipY;
  const rawImg = a.ccd.image;
  const rawMsk = a.ccd.mask;
  const rawVar = a.ccd.variance;
  const ri = rawImg.array;
  // The raw mask is read only if it has bits in this amplifier's data (fresh raws have none).
  const useRawMask = !isZeroRegion(rawMsk, src);
  const rm = rawMsk.array;
  // The raw and bias variances are overwritten by the after-bias variance (ip_isr replaces it).
  const useInVar = !a.afterBiasVar;
  const rv = rawVar.array;
  const out = a.mi;
  const oi = out.image.array;
  const om = out.mask.array;
  const ov = out.variance.array;
  const planeRow = (img: Image<Float32Array> | Mask | undefined, ty: number): number =>
    img ? img.offset + (dst.minY - img.y0 + ty) * img.stride + (dst.minX - img.x0) : 0;
  const bias = a.bias;
  const dark = a.dark;
  const flat = a.flat;
  const bi = bias ? bias.image.array : undefined;
  const bm = bias && !isZeroPlane(bias.mask) ? bias.mask.array : undefined;
  const bv = bias && useInVar && !isZeroPlane(bias.variance) ? bias.variance.array : undefined;
  const di = dark ? dark.image.array : undefined;
  const dv = dark && !isZeroPlane(dark.variance) ? dark.variance.array : undefined;
  // The scaled flat f32(flat / scale) is the same for every exposure: computed once per flat and scale.
  const nfImage = flat ? normalizedFlat(flat.image, a.flatS) : undefined;
  const nf = nfImage ? nfImage.array : undefined;
  const fv = flat && !isZeroPlane(flat.variance) ? flat.variance.array : undefined;
  const flatS = a.flatS;
  const flatUnit = flatS === 1;
  const flatS2 = flatS * flatS;
  const scalarModel = typeof a.model === 'number' ? f32(a.model) : 0;
  const vector = typeof a.model === 'number' ? undefined : a.model;
  const satLevel = a.satLevel;
  const satBits = a.satBits;
  const doSat = Number.isFinite(satLevel);
  const suspectLevel = a.suspectLevel;
  const suspectBits = a.suspectBits;
  const doSuspect = Number.isFinite(suspectLevel);
  const afterBiasVar = a.afterBiasVar;
  const varInv = a.varInv;
  const varRn2 = a.varRn2;
  const negVarBits = a.negVarBits;
  const nanBits = a.nanBits;
  const darkC = a.darkC;
  const darkC2 = a.darkC2;
  const gainF = a.gainF;
  const doGain = Number.isFinite(gainF);
  const gain2 = doGain ? f32(gainF * gainF) : 1;
  const finalNegVarBits = a.finalNegVarBits;
  const satRows = a.satRows;
  const finalVar = a.finalVar;
  const finalUnit = a.finalUnit;
  const finalInv = a.finalInv;
  const finalRn2 = a.finalRn2;
  let nSat = 0;
  let nNan = 0;
  let nNegVar = 0;
  const oStride = out.image.stride;
  for (let y = 0; y < height; y++) {
    const satBefore = nSat;
    const sy = src.minY - rawImg.y0 + y;
    const rRow = rawImg.offset + sy * rawImg.stride + (src.minX - rawImg.x0);
    const mRow = rawMsk.offset + sy * rawMsk.stride + (src.minX - rawMsk.x0);
    const vRow = rawVar.offset + sy * rawVar.stride + (src.minX - rawVar.x0);
    const ty = flipY ? height - 1 - y : y;
    const oRow = (dst.minY - out.y0 + ty) * oStride + (dst.minX - out.x0);
    const biRow = planeRow(bias?.image, ty);
    const bmRow = planeRow(bias?.mask, ty);
    const bvRow = planeRow(bias?.variance, ty);
    const diRow = planeRow(dark?.image, ty);
    const dvRow = planeRow(dark?.variance, ty);
    const nfRow = planeRow(nfImage, ty);
    const fvRow = planeRow(flat?.variance, ty);
    const m = vector ? vector[y] : scalarModel;
    for (let x = 0; x < width; x++) {
      const r = ri[rRow + x];
      let mask = useRawMask ? rm[mRow + x] : 0;
      if (doSat && r >= satLevel) {
        mask |= satBits;
        nSat++;
      }
      if (doSuspect && r >= suspectLevel) mask |= suspectBits;
      const tx = flipX ? width - 1 - x : x;
      const o = oRow + tx;
      let v = f32(r - m);
      let vr = useInVar ? rv[vRow + x] : 0;
      if (bi !== undefined) {
        v = f32(v - bi[biRow + tx]);
        if (bm !== undefined) mask |= bm[bmRow + tx];
        if (useInVar) vr = f32(vr + (bv !== undefined ? bv[bvRow + tx] : 0));
      }
      if (afterBiasVar) {
        vr = f32(f32(v * varInv) + varRn2);
        if (negVarBits !== 0 && vr <= 0) {
          mask |= negVarBits;
          nNegVar++;
        }
      }
      if (nanBits !== 0 && (v - v !== 0 || vr - vr !== 0)) {
        mask |= nanBits;
        nNan++;
      }
      // With the final-image variance the propagated one is discarded: skip computing it.
      if (di !== undefined) {
        v = f32(v - f32(darkC * di[diRow + tx]));
        if (!finalVar) vr = f32(vr + f32(darkC2 * (dv !== undefined ? dv[dvRow + tx] : 0)));
      }
      if (nf !== undefined) {
        const fl = nf[nfRow + tx];
        if (!finalVar) {
          const fraw = fv !== undefined ? fv[fvRow + tx] : 0;
          const fvar = flatUnit ? fraw : fraw / flatS2;
          const f2 = fl * fl;
          vr = f32((v * v * fvar + f2 * vr) / (f2 * f2));
        }
        v = f32(v / fl);
      }
      if (doGain) {
        v = f32(v * gainF);
        if (!finalVar) vr = f32(vr * gain2);
      }
      if (finalVar) {
        vr = v < 0 ? NaN : f32((finalUnit ? v : f32(v * finalInv)) + finalRn2);
        if (finalNegVarBits !== 0 && vr <= 0) {
          mask |= finalNegVarBits;
          nNegVar++;
        }
      }
      oi[o] = v;
      om[o] = mask;
      ov[o] = vr;
    }
    if (nSat !== satBefore) satRows[dst.minY - out.y0 + ty] = 1;
  }
  return { nSat, nNan, nNegVar, kernel: 'js-general' };
}
