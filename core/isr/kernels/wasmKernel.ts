// Runs the WebAssembly SIMD band kernel (fusedFinal.wat) over a detector's amplifiers: calibration
// planes are copied into the module's memory once per plane object and reused; a band of rows at a
// time, the raw's rows are copied in, the calibrations' rows copied into the same cache-sized scratch
// block, and the three output planes' rows copied out. Amplifiers that share their rows (MegaCam's two) are processed band by band together, so
// each band crosses from and to the JavaScript arrays in a handful of whole-row copies rather than
// per amplifier row. Returns undefined when the inputs do not fit the kernel's exactness
// conditions, so the caller uses the JavaScript kernel instead.

import type { Box2I, Image, Mask } from '../../image/index.js';
import { BAND_PLANE_BYTES, align16, copyImageRows, ensureBytes, kernel, residentPlane, scratchStart } from './wasmModule.js';

/** One amplifier's part of the pass. */
export interface WasmAmp {
  /** Raw data box (raw coordinates) and its place in the output (no flips). */
  src: Box2I;
  dst: Box2I;
  /** Overscan model: a scalar or one value per data row. */
  model: number | Float64Array;
  /** Saturation level (NaN: none). */
  satLevel: number;
  gain: number;
  inv: number;
  rn2: number;
  /** Variance after bias (bandAfterBias): v·varInv + varRn2, and gain² at the end. */
  varInv?: number;
  varRn2?: number;
  gain2?: number;
}

export interface WasmBandArgs {
  raw: Image<Float32Array>;
  bias: Image<Float32Array>;
  dark: Image<Float32Array>;
  /** The flat as stored; its resident copy is divided by `flatScale` (a float32; 1: used as is). */
  flat: Image<Float32Array>;
  flatScale: number;
  outImage: Image<Float32Array>;
  outVariance: Image<Float32Array>;
  outMask: Mask;
  satBits: number;
  nanBits: number;
  darkC: number;
  negBits: number;
  amps: readonly WasmAmp[];
  /** Output rows (local) that received SAT bits are set to 1. */
  satRows: Uint8Array;
  /**
   * The variance made after bias and propagated through dark and flat (ip_isr's default) rather
   * than the final-image variance: the calibrations' variance planes and the scalars it needs.
   */
  afterBias?: { darkVariance: Image<Float32Array>; flatVariance: Image<Float32Array>; darkC2: number; flatS2: number };
}

export interface WasmAmpCounts {
  nSat: number;
  nNan: number;
  nNeg: number;
}

/** Whether the kernel computes these inputs exactly as the JavaScript kernel does. */
function exactInputs(a: WasmBandArgs): boolean {
  const f = Math.fround;
  if (f(a.flatScale) !== a.flatScale || a.flatScale === 0) return false;
  const out = a.outImage;
  if (out.stride !== out.width || a.outVariance.stride !== out.width || a.outMask.stride !== out.width) return false;
  for (const amp of a.amps) {
    if (amp.src.width % 4 !== 0 || amp.src.width !== amp.dst.width || amp.src.height !== amp.dst.height) return false;
    // f32 arithmetic equals the JS double-then-round only for float32 operands.
    if (Number.isFinite(amp.satLevel) && f(amp.satLevel) !== amp.satLevel) return false;
    if (typeof amp.model === 'number' ? f(amp.model) !== amp.model : amp.model.some((m) => f(m) !== m)) return false;
    if (!out.bbox.containsBox(amp.dst) || !a.raw.bbox.containsBox(amp.src)) return false;
    for (const img of [a.bias, a.dark, a.flat]) if (!img.bbox.containsBox(amp.dst)) return false;
  }
  // The calibrations' rows share the output rows' layout in the scratch (one stride, one x origin).
  const ab = a.afterBias;
  for (const img of ab ? [a.bias, a.dark, a.flat, ab.darkVariance, ab.flatVariance] : [a.bias, a.dark, a.flat]) {
    if (img.width !== out.width || img.x0 !== out.x0 || img.y0 !== a.bias.y0 || img.height !== a.bias.height) return false;
  }
  if (ab) {
    if (f(ab.darkC2) !== ab.darkC2 || Number.isNaN(ab.flatS2)) return false;
    for (const amp of a.amps) for (const x of [amp.varInv, amp.varRn2, amp.gain2]) if (x === undefined || f(x) !== x) return false;
  }
  return true;
}

/** The amplifiers through the SIMD kernel (per-amplifier counts), or undefined if it cannot be done exactly there. */
export function runWasmBands(a: WasmBandArgs): WasmAmpCounts[] | undefined {
  const k = kernel();
  if (!k || !exactInputs(a)) return undefined;
  const biasPtr = residentPlane(k, a.bias);
  const darkPtr = residentPlane(k, a.dark);
  // The flat is normalised once, in wasm memory, when it becomes resident.
  const flatPtr = residentPlane(k, a.flat, a.flatScale);
  const ab = a.afterBias;
  const darkVarPtr = ab ? residentPlane(k, ab.darkVariance) : 0;
  const flatVarPtr = ab ? residentPlane(k, ab.flatVariance) : 0;
  const { raw } = a;
  const out = a.outImage;
  const outW = out.width;
  const nAmp = a.amps.length;
  const maxH = Math.max(...a.amps.map((amp) => amp.src.height));
  // Per-call area: counts, per-row models (f32) and saturated-row flags of every amplifier, then
  // the band scratch (raw and calibration rows, three output planes).
  const countsPtr = scratchStart();
  const modelPtr = countsPtr + 16 * nAmp;
  const satPtr = modelPtr + 4 * maxH * nAmp;
  const rawW = raw.width;
  // Every input's rows of a band are copied into the scratch first (bulk copies stream at full memory
  // speed; the kernel then computes from L2): about 1 ms faster per MegaCam CCD than having the
  // kernel's loads wait on four streams from memory. The bias, dark, flat and output rows sit
  // BAND_PLANE_BYTES apart (the kernel addresses them with constant offsets), the raw rows after them.
  const band = Math.floor(BAND_PLANE_BYTES / (4 * outW));
  if (band === 0) return undefined;
  const biasRows = align16(satPtr + maxH * nAmp);
  const darkRows = biasRows + BAND_PLANE_BYTES;
  const flatRows = darkRows + BAND_PLANE_BYTES;
  const oimgPtr = flatRows + BAND_PLANE_BYTES;
  const ovarPtr = oimgPtr + BAND_PLANE_BYTES;
  const omaskPtr = ovarPtr + BAND_PLANE_BYTES;
  // bandAfterBias also reads the dark and flat variance rows, the next two planes.
  const darkVarRows = omaskPtr + BAND_PLANE_BYTES;
  const flatVarRows = darkVarRows + BAND_PLANE_BYTES;
  const rawPtr = ab ? flatVarRows + BAND_PLANE_BYTES : darkVarRows;
  ensureBytes(k, rawPtr + band * rawW * 4);
  const mem = k.memory.buffer;
  new Int32Array(mem, countsPtr, 4 * nAmp).fill(0);
  a.amps.forEach((amp, i) => {
    const models = new Float32Array(mem, modelPtr + 4 * maxH * i, amp.src.height);
    if (typeof amp.model === 'number') models.fill(amp.model);
    else models.set(amp.model.subarray(0, amp.src.height));
  });
  const rawScratch = new Float32Array(mem, rawPtr, band * rawW);
  const bytes = new Uint8Array(mem);
  const oi = new Float32Array(mem, oimgPtr, band * outW);
  const ov = new Float32Array(mem, ovarPtr, band * outW);
  const om = new Int32Array(mem, omaskPtr, band * outW);
  /** Copies rows y0..y0+n-1 (of the group whose output rows start at dstY) of a resident plane into its scratch. */
  const copyRows = (img: Image<Float32Array>, base: number, to: number, dstY: number, y0: number, n: number): void => {
    const from = base + (dstY - img.y0 + y0) * img.width * 4;
    bytes.copyWithin(to, from, from + n * img.width * 4);
  };

  // Amplifiers sharing their rows (same output rows, same raw rows) go band by band together.
  const groups = new Map<string, number[]>();
  a.amps.forEach((amp, i) => {
    const key = `${amp.dst.minY}:${amp.dst.height}:${amp.src.minY}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  for (const members of groups.values()) {
    const first = a.amps[members[0]];
    const h = first.src.height;
    const fullWidth = tilesWidth(members.map((i) => a.amps[i].dst), out.x0, outW);
    for (let y0 = 0; y0 < h; y0 += band) {
      const n = Math.min(band, h - y0);
      // Raw rows of the band: whole rows, one copy when the raw is contiguous.
      copyImageRows(raw, first.src.minY - raw.y0 + y0, n, rawScratch);
      copyRows(a.bias, biasPtr, biasRows, first.dst.minY, y0, n);
      copyRows(a.dark, darkPtr, darkRows, first.dst.minY, y0, n);
      copyRows(a.flat, flatPtr, flatRows, first.dst.minY, y0, n);
      if (ab) {
        copyRows(ab.darkVariance, darkVarPtr, darkVarRows, first.dst.minY, y0, n);
        copyRows(ab.flatVariance, flatVarPtr, flatVarRows, first.dst.minY, y0, n);
      }
      for (const i of members) {
        const amp = a.amps[i];
        const { src, dst } = amp;
        const ox = (dst.minX - out.x0) * 4;
        const common = [
          rawPtr + (src.minX - raw.x0) * 4, rawW * 4,
          biasRows + ox, outW * 4,
          src.width, n, modelPtr + 4 * (maxH * i + y0), satPtr + maxH * i + y0, countsPtr + 16 * i,
          Number.isFinite(amp.satLevel) ? amp.satLevel : NaN, Number.isFinite(amp.satLevel) ? a.satBits : 0, a.nanBits,
        ];
        if (ab) k.bandAfterBias(...common, a.darkC, ab.darkC2, amp.gain, amp.gain2!, amp.varInv!, amp.varRn2!, a.negBits, ab.flatS2);
        else k.band(...common, a.darkC, amp.gain, amp.inv, amp.rn2, a.negBits);
      }
      const oy = first.dst.minY - out.y0 + y0;
      if (fullWidth) {
        out.array.set(oi.subarray(0, n * outW), out.offset + oy * outW);
        a.outVariance.array.set(ov.subarray(0, n * outW), a.outVariance.offset + oy * outW);
        a.outMask.array.set(om.subarray(0, n * outW), a.outMask.offset + oy * outW);
      } else {
        for (const i of members) {
          const { dst } = a.amps[i];
          const x = dst.minX - out.x0;
          for (let j = 0; j < n; j++) {
            const from = j * outW + x;
            const to = (oy + j) * outW + x;
            out.array.set(oi.subarray(from, from + dst.width), out.offset + to);
            a.outVariance.array.set(ov.subarray(from, from + dst.width), a.outVariance.offset + to);
            a.outMask.array.set(om.subarray(from, from + dst.width), a.outMask.offset + to);
          }
        }
      }
    }
  }
  const counts = new Int32Array(mem, countsPtr, 4 * nAmp);
  a.amps.forEach((amp, i) => {
    const flags = new Uint8Array(mem, satPtr + maxH * i, amp.src.height);
    const y0 = amp.dst.minY - out.y0;
    for (let y = 0; y < flags.length; y++) if (flags[y]) a.satRows[y0 + y] = 1;
  });
  return a.amps.map((_, i) => ({ nSat: counts[4 * i], nNan: counts[4 * i + 1], nNeg: counts[4 * i + 2] }));
}

/** Whether the boxes' x-ranges cover [x0, x0 + width) exactly, without overlap. */
function tilesWidth(boxes: readonly Box2I[], x0: number, width: number): boolean {
  const sorted = [...boxes].sort((p, q) => p.minX - q.minX);
  let x = x0;
  for (const b of sorted) {
    if (b.minX !== x) return false;
    x = b.maxX + 1;
  }
  return x === x0 + width;
}
