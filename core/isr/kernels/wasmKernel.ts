// Runs the WebAssembly SIMD band kernel (fusedFinal.wat) over a detector's amplifiers: calibration
// planes are copied into the module's memory once per plane object and reused; the raw is copied in
// and the three output planes copied out a band of rows at a time through a cache-sized scratch
// block. Amplifiers that share their rows (MegaCam's two) are processed band by band together, so
// each band crosses from and to the JavaScript arrays in a handful of whole-row copies rather than
// per amplifier row. Returns undefined when the inputs do not fit the kernel's exactness
// conditions, so the caller uses the JavaScript kernel instead.

import { type Box2I, Image, type Mask } from '../../image/index.js';
import { FUSED_FINAL_WASM_BASE64 } from './fusedFinalWasm.js';

interface Exports {
  memory: WebAssembly.Memory;
  band: (...args: number[]) => void;
  divide: (ptr: number, n: number, s: number) => void;
  scan: (src: number, width: number, rows: number, lo: number, high: number, cap: number, boxes: number, nBoxes: number) => number;
  medians32: (src: number, stride: number, rows: number, lo: number, hi: number) => void;
}

let exportsCache: Exports | null | undefined;
let enabled = true;
/** Turns the kernels off/on (tests compare them with the JavaScript code they replace). */
export function setWasmKernelsEnabled(on: boolean): void {
  enabled = on;
  if (!on) stage = undefined;
}
function kernel(): Exports | null {
  if (!enabled) return null;
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
/**
 * Scratch for a band of rows (raw, bias, dark and flat rows in; three output planes out): sized to
 * stay in a 1 MB L2 cache (16 MegaCam rows).
 */
const SCRATCH_BYTES = 928 * 1024;

function ensureBytes(k: Exports, end: number): void {
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
}

/**
 * The plane's byte offset in wasm memory, copied there on first use; with a `scale` (a float32 ≠ 1)
 * the copy holds plane / scale (the normalised flat, kept under its own key).
 */
function residentPlane(k: Exports, img: Image<Float32Array>, scale = 1): number {
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
  // A staged raw in the way moves up, past the new plane (only when new calibrations arrive).
  if (stage && ptr < stage.ptr + stage.bytes && stage.ptr < top) {
    const to = align16(top);
    ensureBytes(k, to + stage.bytes);
    new Uint8Array(k.memory.buffer).copyWithin(to, stage.ptr, stage.ptr + stage.bytes);
    stage.ptr = to;
  }
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
  const { raw } = a;
  const out = a.outImage;
  const outW = out.width;
  const nAmp = a.amps.length;
  const maxH = Math.max(...a.amps.map((amp) => amp.src.height));
  // Per-call area: counts, per-row models (f32) and saturated-row flags of every amplifier, then
  // the band scratch (raw and calibration rows, three output planes).
  const staged = stage && stagedAs(stage, raw) ? stage : undefined;
  const countsPtr = freeStart();
  const modelPtr = countsPtr + 16 * nAmp;
  const satPtr = modelPtr + 4 * maxH * nAmp;
  const rawW = raw.width;
  // Every input's rows of a band are copied into the scratch first (bulk copies stream at full memory
  // speed; the kernel then computes from L2): about 1 ms faster per MegaCam CCD than having the
  // kernel's loads wait on four streams from memory.
  const calW = a.bias.width + a.dark.width + a.flat.width;
  const band = Math.max(1, Math.floor(SCRATCH_BYTES / (4 * (rawW + 3 * outW + calW))));
  const rawPtr = align16(satPtr + maxH * nAmp);
  const oimgPtr = rawPtr + band * rawW * 4;
  const ovarPtr = oimgPtr + band * outW * 4;
  const omaskPtr = ovarPtr + band * outW * 4;
  const biasRows = omaskPtr + band * outW * 4;
  const darkRows = biasRows + band * a.bias.width * 4;
  const flatRows = darkRows + band * a.dark.width * 4;
  ensureBytes(k, flatRows + band * a.flat.width * 4);
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
      // Raw rows of the band: from the staged copy, else from the JavaScript array (one copy when contiguous).
      if (staged) {
        const from = staged.ptr + (first.src.minY - raw.y0 + y0) * rawW * 4;
        bytes.copyWithin(rawPtr, from, from + n * rawW * 4);
      } else {
        const rawRow0 = raw.offset + (first.src.minY - raw.y0 + y0) * raw.stride;
        if (raw.stride === rawW) rawScratch.set(raw.array.subarray(rawRow0, rawRow0 + n * rawW));
        else for (let j = 0; j < n; j++) rawScratch.set(raw.array.subarray(rawRow0 + j * raw.stride, rawRow0 + j * raw.stride + rawW), j * rawW);
      }
      copyRows(a.bias, biasPtr, biasRows, first.dst.minY, y0, n);
      copyRows(a.dark, darkPtr, darkRows, first.dst.minY, y0, n);
      copyRows(a.flat, flatPtr, flatRows, first.dst.minY, y0, n);
      for (const i of members) {
        const amp = a.amps[i];
        const { src, dst } = amp;
        const ox = (dst.minX - out.x0) * 4;
        k.band(
          rawPtr + (src.minX - raw.x0) * 4, rawW * 4,
          biasRows + (dst.minX - a.bias.x0) * 4, a.bias.width * 4,
          darkRows + (dst.minX - a.dark.x0) * 4, a.dark.width * 4,
          flatRows + (dst.minX - a.flat.x0) * 4, a.flat.width * 4,
          oimgPtr + ox, ovarPtr + ox, omaskPtr + ox, outW * 4,
          src.width, n, modelPtr + 4 * (maxH * i + y0), satPtr + maxH * i + y0, countsPtr + 16 * i,
          Number.isFinite(amp.satLevel) ? amp.satLevel : NaN, Number.isFinite(amp.satLevel) ? a.satBits : 0, a.nanBits,
          a.darkC, amp.gain, amp.inv, amp.rn2, a.negBits,
        );
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

/** The raw of the current ISR run, copied into wasm memory once (see stageRaw). */
interface Stage {
  array: Float32Array;
  offset: number;
  width: number;
  height: number;
  stride: number;
  /** Byte offset in wasm memory (moves when new calibrations need the space). */
  ptr: number;
  bytes: number;
  handle?: StagedRaw;
}
let stage: Stage | undefined;

function stagedAs(s: Stage, img: Image<Float32Array>): boolean {
  return s.array === img.array && s.offset === img.offset && s.width === img.width && s.height === img.height && s.stride === img.stride;
}

/** The first byte after the resident calibrations and the staged raw: per-call scratch starts here. */
function freeStart(): number {
  return align16(Math.max(top, stage ? stage.ptr + stage.bytes : 0));
}

/** A raw staged for one ISR run; see stageRaw. */
export interface StagedRaw {
  /** The pixels ≥ the level asked for, in pixel order, as double; undefined if not asked for or too many to list. */
  readonly high: Float64Array | undefined;
  /** Wall seconds the staging took (copy, scan, gathering, row medians). */
  readonly seconds: number;
  /** A copy of a box asked for at staging (raw coordinates), or undefined. */
  gathered(box: Box2I): Image<Float32Array> | undefined;
  /**
   * For a gathered box 32 columns wide: each row's order statistics of ranks 15 and 16 (its median
   * is their mean), valid for rows whose values are all positive and finite (the caller checks).
   */
  rowMiddles(box: Box2I): RowMiddles | undefined;
  /** Ends the staging (the band kernel then copies the raw in band by band again). */
  release(): void;
}

/** The two middle order statistics of each row of 32 values (see medians32 in fusedFinal.wat). */
export interface RowMiddles {
  /** Raw coordinates of the columns and the first row they were taken over. */
  x0: number;
  y0: number;
  width: 32;
  lower: Float32Array;
  upper: Float32Array;
}

/** More values at or above the level than this are not listed (the caller then scans itself). */
const MAX_HIGH = 1 << 20;

/**
 * Copies a raw into wasm memory for the ISR run about to start, and in the same sequential pass over
 * it lists the pixels ≥ `highAtOrAbove` (a float32; CfhtIsrTask's saturation estimate) and copies
 * the `gather` boxes (the amplifiers' serial overscans: thin columns that cost a cache and TLB miss
 * per row when read on their own). The band kernel then reads the raw in place. One raw is staged at
 * a time; the caller releases it when the run ends (try/finally) and must not write to the raw
 * meanwhile. Undefined when WebAssembly SIMD is unavailable.
 */
export function stageRaw(img: Image<Float32Array>, opts: { highAtOrAbove?: number; gather?: readonly Box2I[] } = {}): StagedRaw | undefined {
  const k = kernel();
  if (!k) return undefined;
  const t0 = performance.now();
  stage = undefined;
  const { width, height } = img;
  const n = width * height;
  const bytes = n * 4;
  const ptr = align16(top);
  const boxes = (opts.gather ?? []).filter((b) => !b.isEmpty() && img.bbox.containsBox(b));
  const specPtr = align16(ptr + bytes);
  let dataPtr = align16(specPtr + 20 * boxes.length);
  // Rows rounded up to fours: medians32 takes four rows at a time (the extra rows' results are unused).
  const rows4 = (b: Box2I): number => Math.ceil(b.height / 4) * 4;
  const dataPtrs = boxes.map((b) => {
    const at = dataPtr;
    dataPtr = align16(dataPtr + rows4(b) * b.width * 4);
    return at;
  });
  const middlePtrs = boxes.map((b) => {
    const at = dataPtr;
    if (b.width === 32) dataPtr = align16(dataPtr + 2 * rows4(b) * 4);
    return at;
  });
  const lo = opts.highAtOrAbove;
  const listHigh = lo !== undefined && Math.fround(lo) === lo;
  const cap = listHigh ? Math.min(n, MAX_HIGH) : 0;
  const highPtr = dataPtr;
  ensureBytes(k, highPtr + cap * 4);
  const mem = k.memory.buffer;
  const copy = new Float32Array(mem, ptr, n);
  if (img.stride === width) copy.set(img.array.subarray(img.offset, img.offset + n));
  else for (let y = 0; y < height; y++) copy.set(img.array.subarray(img.offset + y * img.stride, img.offset + y * img.stride + width), y * width);
  const spec = new Int32Array(mem, specPtr, 5 * boxes.length);
  boxes.forEach((b, i) => spec.set([b.minX - img.x0, b.minY - img.y0, b.maxY + 1 - img.y0, b.width, dataPtrs[i]], 5 * i));
  const count = k.scan(ptr, width, height, listHigh ? lo : Infinity, highPtr, cap, specPtr, boxes.length);
  const high = listHigh && count <= cap ? Float64Array.from(new Float32Array(mem, highPtr, count)) : undefined;
  const copies = new Map(boxes.map((b, i) => [b.toString(), new Image(new Float32Array(mem, dataPtrs[i], b.area).slice(), b.width, b.height, { x0: b.minX, y0: b.minY })]));
  const middles = new Map<string, RowMiddles>();
  boxes.forEach((b, i) => {
    if (b.width !== 32) return;
    const n4 = rows4(b);
    k.medians32(dataPtrs[i], 32 * 4, n4, middlePtrs[i], middlePtrs[i] + n4 * 4);
    const lower = new Float32Array(mem, middlePtrs[i], b.height).slice();
    const upper = new Float32Array(mem, middlePtrs[i] + n4 * 4, b.height).slice();
    middles.set(b.toString(), { x0: b.minX, y0: b.minY, width: 32, lower, upper });
  });
  const mine: Stage = { array: img.array, offset: img.offset, width, height, stride: img.stride, ptr, bytes };
  mine.handle = {
    high,
    seconds: (performance.now() - t0) / 1000,
    gathered: (box) => copies.get(box.toString()),
    rowMiddles: (box) => middles.get(box.toString()),
    release: () => {
      if (stage === mine) stage = undefined;
    },
  };
  stage = mine;
  return mine.handle;
}

/** The staging of this raw, if it is the one staged now (the fused pass then uses its gathered overscans). */
export function stagedRawOf(img: Image<Float32Array>): StagedRaw | undefined {
  return stage !== undefined && stagedAs(stage, img) ? stage.handle : undefined;
}

function align16(n: number): number {
  return (n + 15) & ~15;
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
