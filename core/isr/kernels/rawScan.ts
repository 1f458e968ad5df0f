// One sequential pass over a raw before its ISR run, in the WebAssembly module: the pixels at or
// above a level (CfhtIsrTask's saturation estimate), and copies of chosen boxes (the amplifiers' serial
// overscans) with the SIMD row medians of those 32 columns wide. Band by band through a scratch that
// stays in cache: thin overscan columns read on their own would cost a cache and TLB miss per row.

import { type Box2I, Image } from '../../image/index.js';
import { align16, copyImageRows, ensureBytes, kernel, SCRATCH_BYTES, scratchStart } from './wasmModule.js';

/** The two middle order statistics of each row of 32 values (medians32 in fusedFinal.wat). */
export interface RowMiddles {
  /** Raw coordinates of the columns and the first row they were taken over. */
  x0: number;
  y0: number;
  width: 32;
  lower: Float32Array;
  upper: Float32Array;
}

/** What scanRaw found; see there. */
export interface RawScan {
  /** The pixels ≥ the level asked for, in pixel order, as double; undefined if not asked for or too many to list. */
  readonly high: Float64Array | undefined;
  /** Wall seconds the scan took. */
  readonly seconds: number;
  /** A copy of a box asked for (raw coordinates), or undefined. */
  gathered(box: Box2I): Image<Float32Array> | undefined;
  /**
   * For a gathered box 32 columns wide: each row's order statistics of ranks 15 and 16 (its median
   * is their mean), valid for rows whose values are all positive and finite (the caller checks).
   */
  rowMiddles(box: Box2I): RowMiddles | undefined;
  /** Ends the run this scan serves (scanOf no longer finds it). */
  release(): void;
}

/** More values at or above the level than this are not listed (the caller then scans itself). */
const MAX_HIGH = 1 << 20;

/** The scan of the raw whose ISR run is under way (one at a time per thread). */
let current: { array: Float32Array; offset: number; width: number; height: number; stride: number; scan: RawScan } | undefined;

/**
 * Scans a raw for the ISR run about to start: lists its pixels ≥ `highAtOrAbove` (a float32) and
 * copies the `gather` boxes. The caller releases the scan when the run ends (try/finally) and must not
 * write to the raw meanwhile; the fused pass finds it with scanOf. Undefined when WebAssembly SIMD is
 * unavailable.
 */
export function scanRaw(img: Image<Float32Array>, opts: { highAtOrAbove?: number; gather?: readonly Box2I[] } = {}): RawScan | undefined {
  const k = kernel();
  if (!k) return undefined;
  const t0 = performance.now();
  const { width, height } = img;
  const boxes = (opts.gather ?? []).filter((b) => !b.isEmpty() && img.bbox.containsBox(b));
  // Layout: box specs, gathered boxes (rows rounded up to fours for medians32), row middles, the
  // list of high values, then the band scratch.
  const rows4 = (b: Box2I): number => Math.ceil(b.height / 4) * 4;
  const specPtr = scratchStart();
  let at = align16(specPtr + 20 * boxes.length);
  const take = (bytes: number): number => {
    const p = at;
    at = align16(at + bytes);
    return p;
  };
  const dataPtrs = boxes.map((b) => take(rows4(b) * b.width * 4));
  const middlePtrs = boxes.map((b) => (b.width === 32 ? take(2 * rows4(b) * 4) : 0));
  const lo = opts.highAtOrAbove;
  const listHigh = lo !== undefined && Math.fround(lo) === lo;
  const cap = listHigh ? Math.min(width * height, MAX_HIGH) : 0;
  const highPtr = take(cap * 4);
  const bandRows = Math.max(1, Math.floor(SCRATCH_BYTES / (4 * width)));
  const bandPtr = take(bandRows * width * 4);
  ensureBytes(k, at);
  const mem = k.memory.buffer;
  const band = new Float32Array(mem, bandPtr, bandRows * width);
  const spec = new Int32Array(mem, specPtr, 5 * boxes.length);
  let count = 0;
  for (let y0 = 0; y0 < height; y0 += bandRows) {
    const n = Math.min(bandRows, height - y0);
    copyImageRows(img, y0, n, band);
    // The boxes' rows within this band, in band coordinates.
    let nb = 0;
    boxes.forEach((b, i) => {
      const by0 = b.minY - img.y0;
      const from = Math.max(by0, y0);
      const to = Math.min(by0 + b.height, y0 + n);
      if (from >= to) return;
      spec.set([b.minX - img.x0, from - y0, to - y0, b.width, dataPtrs[i] + (from - by0) * b.width * 4], 5 * nb++);
    });
    count += k.scan(bandPtr, width, n, listHigh ? lo : Infinity, highPtr + Math.min(count, cap) * 4, Math.max(0, cap - count), specPtr, nb);
  }
  const high = listHigh && count <= cap ? Float64Array.from(new Float32Array(mem, highPtr, count)) : undefined;
  const copies = new Map<string, Image<Float32Array>>();
  const middles = new Map<string, RowMiddles>();
  boxes.forEach((b, i) => {
    copies.set(b.toString(), new Image(new Float32Array(mem, dataPtrs[i], b.area).slice(), b.width, b.height, { x0: b.minX, y0: b.minY }));
    if (b.width !== 32) return;
    const n4 = rows4(b);
    k.medians32(dataPtrs[i], 32 * 4, n4, middlePtrs[i], middlePtrs[i] + n4 * 4);
    const lower = new Float32Array(mem, middlePtrs[i], b.height).slice();
    const upper = new Float32Array(mem, middlePtrs[i] + n4 * 4, b.height).slice();
    middles.set(b.toString(), { x0: b.minX, y0: b.minY, width: 32, lower, upper });
  });
  const entry = { array: img.array, offset: img.offset, width, height, stride: img.stride } as const;
  const scan: RawScan = {
    high,
    seconds: (performance.now() - t0) / 1000,
    gathered: (box) => copies.get(box.toString()),
    rowMiddles: (box) => middles.get(box.toString()),
    release: () => {
      if (current?.scan === scan) current = undefined;
    },
  };
  current = { ...entry, scan };
  return scan;
}

/** The scan of this raw, if its run is the one under way (the fused pass uses its gathered overscans). */
export function scanOf(img: Image<Float32Array>): RawScan | undefined {
  const c = current;
  return c && c.array === img.array && c.offset === img.offset && c.width === img.width && c.height === img.height && c.stride === img.stride ? c.scan : undefined;
}
