// Runs the WebAssembly SIMD row kernel (fusedFinal.wat) for one amplifier: calibration planes are
// copied into the module's memory once per plane object and reused; the raw rows are copied in and
// the three output planes copied out per call. Returns undefined when the inputs do not fit the
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
  const plane = w * h * 4;
  const rawPtr = top;
  const oimgPtr = rawPtr + plane;
  const ovarPtr = oimgPtr + plane;
  const omaskPtr = ovarPtr + plane;
  ensureBytes(k, omaskPtr + plane);
  const mem = k.memory.buffer;
  const rawScratch = new Float32Array(mem, rawPtr, w * h);
  for (let y = 0; y < h; y++) rawScratch.set(a.raw.row(src.minY - a.raw.y0 + y).subarray(src.minX - a.raw.x0, src.minX - a.raw.x0 + w), y * w);
  k.resetCounts();
  const rowOf = (img: Image<Float32Array>, base: number, y: number): number => base + ((dst.minY - img.y0 + y) * img.width + (dst.minX - img.x0)) * 4;
  const sat = Number.isFinite(a.satLevel) ? a.satLevel : NaN;
  for (let y = 0; y < h; y++) {
    const before = k.nSat.value as number;
    const m = typeof a.model === 'number' ? a.model : a.model[y];
    k.row(rawPtr + y * w * 4, rowOf(a.bias, biasPtr, y), rowOf(a.dark, darkPtr, y), rowOf(a.flat, flatPtr, y), oimgPtr + y * w * 4, ovarPtr + y * w * 4, omaskPtr + y * w * 4, w, m, sat, a.satBits, a.nanBits, a.darkC, a.gain, a.inv, a.rn2, a.negBits);
    if ((k.nSat.value as number) !== before) a.satRows[dst.minY - a.outImage.y0 + y] = 1;
  }
  const oi = new Float32Array(mem, oimgPtr, w * h);
  const ov = new Float32Array(mem, ovarPtr, w * h);
  const om = new Int32Array(mem, omaskPtr, w * h);
  for (let y = 0; y < h; y++) {
    const oy = dst.minY - a.outImage.y0 + y;
    const ox = dst.minX - a.outImage.x0;
    a.outImage.row(oy).set(oi.subarray(y * w, (y + 1) * w), ox);
    a.outVariance.row(oy).set(ov.subarray(y * w, (y + 1) * w), ox);
    a.outMask.row(oy).set(om.subarray(y * w, (y + 1) * w), ox);
  }
  return { nSat: k.nSat.value as number, nNan: k.nNan.value as number, nNeg: k.nNeg.value as number };
}
