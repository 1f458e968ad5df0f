// Runs the WebAssembly SIMD row kernel (fusedFinal.wat) for one amplifier: calibration planes are
// copied into the module's memory once per plane object and reused; the raw rows are copied in and
// the three output planes copied out, a few rows at a time through a cache-sized scratch block. Returns undefined when the inputs do not fit the
// kernel's exactness conditions, so the caller uses the JavaScript kernel instead.

import type { Box2I, Image, Mask } from '../../image/index.js';
import { FUSED_FINAL_WASM_BASE64 } from './fusedFinalWasm.js';

interface Exports {
  memory: WebAssembly.Memory;
  nSat: WebAssembly.Global;
  nNan: WebAssembly.Global;
  nNeg: WebAssembly.Global;
  resetCounts: () => void;
  row: (...args: number[]) => void;
}

let exportsCache: Exports | null | undefined;
function kernel(): Exports | null {
  if (exportsCache !== undefined) return exportsCache;
  try {
    const bytes = Uint8Array.from(Buffer.from(FUSED_FINAL_WASM_BASE64, 'base64'));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    exportsCache = instance.exports as unknown as Exports;
  } catch {
    // No WebAssembly SIMD here: the JavaScript kernel does the work.
    exportsCache = null;
  }
  return exportsCache;
}

const PAGE = 65536;
/** Calibration planes already in wasm memory: plane → byte offset (valid for `generation`). */
const resident = new WeakMap<object, { generation: number; ptr: number }>();
let generation = 0;
let top = 0;
/** Calibrations beyond this are evicted (the arena restarts), to bound memory. */
const MAX_RESIDENT_BYTES = 1 << 30;
/** Scratch for a block of rows (raw + three outputs): small enough to stay in L2. */
const SCRATCH_BYTES = 256 * 1024;

function ensureBytes(k: Exports, end: number): void {
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
}

function residentPlane(k: Exports, img: Image<Float32Array>): number {
  const hit = resident.get(img);
  if (hit && hit.generation === generation) return hit.ptr;
  const bytes = img.width * img.height * 4;
  if (top + bytes > MAX_RESIDENT_BYTES) {
    generation++;
    top = 0;
  }
  const ptr = top;
  top += bytes;
  ensureBytes(k, top);
  new Float32Array(k.memory.buffer, ptr, img.width * img.height).set(img.pixels());
  resident.set(img, { generation, ptr });
  return ptr;
}

export interface WasmAmpArgs {
  raw: Image<Float32Array>;
  src: Box2I;
  dst: Box2I;
  bias: Image<Float32Array>;
  dark: Image<Float32Array>;
  flat: Image<Float32Array>;
  outImage: Image<Float32Array>;
  outVariance: Image<Float32Array>;
  outMask: Mask;
  model: number | Float64Array;
  satLevel: number;
  satBits: number;
  nanBits: number;
  darkC: number;
  gain: number;
  inv: number;
  rn2: number;
  negBits: number;
  satRows: Uint8Array;
}

/** The amplifier through the SIMD kernel, or undefined if it cannot be done exactly there. */
export function runWasmAmp(a: WasmAmpArgs): { nSat: number; nNan: number; nNeg: number } | undefined {
  const k = kernel();
  if (!k) return undefined;
  const { src, dst } = a;
  const w = src.width;
  const h = src.height;
  const f = Math.fround;
  if (w % 4 !== 0) return undefined;
  // f32 arithmetic equals the JS double-then-round only for float32 operands.
  if (Number.isFinite(a.satLevel) && f(a.satLevel) !== a.satLevel) return undefined;
  if (typeof a.model === 'number' ? f(a.model) !== a.model : a.model.some((m) => f(m) !== m)) return undefined;
  for (const img of [a.bias, a.dark, a.flat]) if (!img.bbox.containsBox(dst)) return undefined;
  const biasPtr = residentPlane(k, a.bias);
  const darkPtr = residentPlane(k, a.dark);
  const flatPtr = residentPlane(k, a.flat);
  // Rows go through a small scratch block (raw in, three planes out) that stays in cache, rather
  // than whole-amplifier scratch planes: each pixel then crosses main memory once in and once out.
  const block = Math.max(1, Math.min(h, Math.floor(SCRATCH_BYTES / (4 * w * 4))));
  const rowBytes = w * 4;
  const rawPtr = top;
  const oimgPtr = rawPtr + block * rowBytes;
  const ovarPtr = oimgPtr + block * rowBytes;
  const omaskPtr = ovarPtr + block * rowBytes;
  ensureBytes(k, omaskPtr + block * rowBytes);
  const mem = k.memory.buffer;
  const rawScratch = new Float32Array(mem, rawPtr, block * w);
  const oi = new Float32Array(mem, oimgPtr, block * w);
  const ov = new Float32Array(mem, ovarPtr, block * w);
  const om = new Int32Array(mem, omaskPtr, block * w);
  k.resetCounts();
  const rowOf = (img: Image<Float32Array>, base: number, y: number): number => base + ((dst.minY - img.y0 + y) * img.width + (dst.minX - img.x0)) * 4;
  const sat = Number.isFinite(a.satLevel) ? a.satLevel : NaN;
  const raw = a.raw;
  const ra = raw.array;
  const rx = raw.offset + (src.minX - raw.x0);
  const out = { image: a.outImage, variance: a.outVariance, mask: a.outMask };
  const ox = dst.minX - a.outImage.x0;
  for (let y0 = 0; y0 < h; y0 += block) {
    const n = Math.min(block, h - y0);
    for (let j = 0; j < n; j++) {
      const start = rx + (src.minY - raw.y0 + y0 + j) * raw.stride;
      rawScratch.set(ra.subarray(start, start + w), j * w);
    }
    for (let j = 0; j < n; j++) {
      const y = y0 + j;
      const before = k.nSat.value as number;
      const m = typeof a.model === 'number' ? a.model : a.model[y];
      k.row(rawPtr + j * rowBytes, rowOf(a.bias, biasPtr, y), rowOf(a.dark, darkPtr, y), rowOf(a.flat, flatPtr, y), oimgPtr + j * rowBytes, ovarPtr + j * rowBytes, omaskPtr + j * rowBytes, w, m, sat, a.satBits, a.nanBits, a.darkC, a.gain, a.inv, a.rn2, a.negBits);
      if ((k.nSat.value as number) !== before) a.satRows[dst.minY - a.outImage.y0 + y] = 1;
    }
    for (let j = 0; j < n; j++) {
      const oy = dst.minY - a.outImage.y0 + y0 + j;
      out.image.array.set(oi.subarray(j * w, (j + 1) * w), out.image.offset + oy * out.image.stride + ox);
      out.variance.array.set(ov.subarray(j * w, (j + 1) * w), out.variance.offset + oy * out.variance.stride + ox);
      out.mask.array.set(om.subarray(j * w, (j + 1) * w), out.mask.offset + oy * out.mask.stride + ox);
    }
  }
  return { nSat: k.nSat.value as number, nNan: k.nNan.value as number, nNeg: k.nNeg.value as number };
}
