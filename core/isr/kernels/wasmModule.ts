// The ISR WebAssembly module (fusedFinal.wat, embedded in fusedFinalWasm.ts) and its memory: an
// arena of calibration planes copied in once per plane object (bump-allocated from 0, restarted past
// 1 GB), and per-call scratch after it. Everything here runs on one thread (each worker thread has its
// own instance); a call's scratch is valid until the next call that uses the memory.

import type { Image } from '../../image/index.js';
import { FUSED_FINAL_WASM_BASE64 } from './fusedFinalWasm.js';

export interface KernelExports {
  memory: WebAssembly.Memory;
  band: (...args: number[]) => void;
  bandAfterBias: (...args: number[]) => void;
  divide: (ptr: number, n: number, s: number) => void;
  scan: (src: number, width: number, rows: number, lo: number, high: number, cap: number, boxes: number, nBoxes: number) => number;
  medians32: (src: number, stride: number, rows: number, lo: number, hi: number) => void;
}

let exportsCache: KernelExports | null | undefined;
let enabled = true;

/** Turns the kernels off/on (tests compare them with the JavaScript code they replace). */
export function setWasmKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** The module's exports, or null without WebAssembly SIMD (or when turned off). */
export function kernel(): KernelExports | null {
  if (!enabled) return null;
  if (exportsCache !== undefined) return exportsCache;
  try {
    const bytes = Uint8Array.from(Buffer.from(FUSED_FINAL_WASM_BASE64, 'base64'));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    exportsCache = instance.exports as unknown as KernelExports;
  } catch {
    // No WebAssembly SIMD here: the JavaScript code does the work.
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

/** Scratch for a band of rows (the raw scan): sized to stay in a 1 MB L2 cache. */
export const SCRATCH_BYTES = 928 * 1024;

/**
 * The band pass's scratch: bias, dark, flat, output image, variance and mask rows each get this
 * many bytes, at these fixed distances (the `band` kernel's constant offsets in fusedFinal.wat): 16
 * MegaCam rows, the six planes and the raw rows together in a 1 MB L2 cache.
 */
export const BAND_PLANE_BYTES = 131072;

/** Grows the memory to hold `end` bytes. */
export function ensureBytes(k: KernelExports, end: number): void {
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
}

export function align16(n: number): number {
  return (n + 15) & ~15;
}

/** Copies rows y..y+n-1 (0-based within the image) of an image, strided or not, into `into` as whole contiguous rows. */
export function copyImageRows(img: Image<Float32Array>, y: number, n: number, into: Float32Array): void {
  const row0 = img.offset + y * img.stride;
  const w = img.width;
  if (img.stride === w) into.set(img.array.subarray(row0, row0 + n * w));
  else for (let j = 0; j < n; j++) into.set(img.array.subarray(row0 + j * img.stride, row0 + j * img.stride + w), j * w);
}

/** The first byte after the resident calibrations: a call's scratch starts here. */
export function scratchStart(): number {
  return align16(top);
}

/**
 * The plane's byte offset in wasm memory, copied there on first use; with a `scale` (a float32 ≠ 1)
 * the copy holds plane / scale (the normalised flat, kept under its own key).
 */
export function residentPlane(k: KernelExports, img: Image<Float32Array>, scale = 1): number {
  const key = scale === 1 ? resident : scaledResident(scale);
  const hit = key.get(img);
  if (hit && hit.generation === generation) return hit.ptr;
  const n = img.width * img.height;
  const bytes = n * 4;
  if (top + bytes > MAX_RESIDENT_BYTES) {
    generation++;
    top = 0;
  }
  const ptr = top;
  top += bytes;
  ensureBytes(k, top);
  const copy = new Float32Array(k.memory.buffer, ptr, n);
  copy.set(img.pixels());
  if (scale !== 1) {
    const simd = n - (n % 4);
    k.divide(ptr, simd, scale);
    for (let i = simd; i < n; i++) copy[i] = copy[i] / scale;
  }
  key.set(img, { generation, ptr });
  return ptr;
}

/** Resident normalised planes, one map per scale. */
const scaled = new Map<number, WeakMap<object, { generation: number; ptr: number }>>();
function scaledResident(scale: number): WeakMap<object, { generation: number; ptr: number }> {
  let m = scaled.get(scale);
  if (!m) scaled.set(scale, (m = new WeakMap()));
  return m;
}
