// Our WebAssembly kernels, one instance per use, each with its own fixed memory (it never grows,
// so views on it stay valid):
//  - byte order: big-endian ↔ native (and the top-bit flip of FITS's unsigned conventions) 16
//    bytes a shuffle, in a 512 KB scratch that data read from or written to a file passes through
//    (Node's Buffer.swap32/swap64 go a value at a time: about 2.6 ms for a 39 MB float32 image,
//    the shuffle a fraction of that);
//  - Rice decoding of a tile into float32 (see ./rice.ts), about twice as fast as the JavaScript
//    decoder.
// Where WebAssembly SIMD is unavailable, wasmKernel() gives undefined and callers keep their
// JavaScript paths (also selectable with useWasmKernels(false), to test and measure them).
import { moduleBytes } from './binary.js';
import { swapFlip } from './swap.js';
import { riceToFloat32 } from './rice.js';
import { FitsError } from '../errors.js';

/** Bytes of the byte-order scratch (a multiple of 16 and of every value size). */
export const KERNEL_CHUNK = 512 << 10;

/** Rice split-parameter field width, its largest value (verbatim blocks) and the verbatim value width, per BYTEPIX. */
export interface RiceCoding {
  fsBits: number;
  fsMax: number;
  bBits: number;
}

export interface WasmKernel {
  /** The scratch buffer: KERNEL_CHUNK bytes in the kernel's memory. */
  readonly bytes: Uint8Array;
  /**
   * Big-endian → native: reverses the bytes of each `size`-byte value of bytes[0, length) and,
   * when `flipTop`, flips the top bit of each native value (signed ↔ offset-unsigned). `length`
   * must be a multiple of `size`; bytes after it, up to the next multiple of 16, may change.
   */
  toNative(length: number, size: 1 | 2 | 4 | 8, flipTop: boolean): void;
  /** Native → big-endian, as toNative (the top bit flipped before the swap, so of each big-endian value's first byte). */
  toBigEndian(length: number, size: 1 | 2 | 4 | 8, flipTop: boolean): void;
  /**
   * Decodes a Rice tile of `count` pixels of `bytePix` bytes into out[at, at + count) as
   * float32(value + addend); false when the tile is too large for the kernel's memory (the caller
   * decodes it itself). Throws as the JavaScript decoder does on a stream that ends early or has
   * a split parameter out of range.
   */
  riceToFloat32(input: Uint8Array, count: number, blockSize: number, bytePix: 1 | 2 | 4, coding: RiceCoding, out: Float32Array, at: number, addend: number): boolean;
}

/** Who uses a kernel: reading and writing each have their own memory, so a write in progress (chunks handed out one by one) and a read never share it. */
export type KernelUse = 'read' | 'write';

// Memory layout: the byte-order scratch, the Rice region (stream, zero padding, float32 output),
// then 16-byte masks (four shuffles, four top-bit masks for native results, four for big-endian
// results, one of zeros) and the Rice status word.
const RICE_AT = KERNEL_CHUNK;
const RICE_BYTES = 768 << 10;
const SHUFFLE_AT = RICE_AT + RICE_BYTES;
const NATIVE_TOP_AT = SHUFFLE_AT + 64;
const BIG_TOP_AT = NATIVE_TOP_AT + 64;
const ZERO_AT = BIG_TOP_AT + 64;
const STATUS_AT = ZERO_AT + 16;
const PAGE = 64 << 10;

const kernels = new Map<KernelUse, WasmKernel | null>();
let enabled = true;

/** Turns the kernels off (callers then take their JavaScript paths), to test and measure those paths. */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}

/** The kernel for reads or for writes, or undefined where WebAssembly SIMD is unavailable (or turned off). */
export function wasmKernel(use: KernelUse): WasmKernel | undefined {
  if (!enabled) return undefined;
  let k = kernels.get(use);
  if (k === undefined) {
    k = createKernel();
    kernels.set(use, k);
  }
  return k ?? undefined;
}

type SwapFlip = (start: number, end: number, maskAt: number, flipAt: number) => void;
type RiceToFloat32 = (...args: number[]) => number;

function createKernel(): WasmKernel | null {
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes([swapFlip, riceToFloat32], Math.ceil((STATUS_AT + 16) / PAGE))));
  } catch {
    return null;
  }
  const memory = instance.exports.memory as WebAssembly.Memory;
  const swap = instance.exports.swapFlip as SwapFlip;
  const rice = instance.exports.riceToFloat32 as RiceToFloat32;
  const all = new Uint8Array(memory.buffer);
  const words = new Int32Array(memory.buffer);
  // For value sizes 1, 2, 4, 8 (k = 0..3): the byte-reversing shuffle, then the top-bit masks for
  // native results (the top byte of a little-endian value is its last) and for big-endian ones (its first).
  const sizes = [1, 2, 4, 8] as const;
  sizes.forEach((size, k) => {
    for (let i = 0; i < 16; i++) {
      const j = i % size;
      all[SHUFFLE_AT + 16 * k + i] = i - j + (size - 1 - j);
      all[NATIVE_TOP_AT + 16 * k + i] = j === size - 1 ? 0x80 : 0;
      all[BIG_TOP_AT + 16 * k + i] = j === 0 ? 0x80 : 0;
    }
  });
  const index = { 1: 0, 2: 1, 4: 2, 8: 3 } as const;
  const apply = (length: number, size: 1 | 2 | 4 | 8, flipAt: number | undefined) => {
    if (length < 0 || length > KERNEL_CHUNK || length % size !== 0) throw new Error(`internal: swap of ${length} bytes in ${size}-byte values`);
    if (size === 1 && flipAt === undefined) return;
    swap(0, length, SHUFFLE_AT + 16 * index[size], flipAt === undefined ? ZERO_AT : flipAt + 16 * index[size]);
  };
  return {
    bytes: new Uint8Array(memory.buffer, 0, KERNEL_CHUNK),
    toNative: (length, size, flipTop) => apply(length, size, flipTop ? NATIVE_TOP_AT : undefined),
    toBigEndian: (length, size, flipTop) => apply(length, size, flipTop ? BIG_TOP_AT : undefined),
    riceToFloat32(input, count, blockSize, bytePix, coding, out, at, addend) {
      // The stream, then zero words the decoder may look ahead into (two per pixel of a block),
      // then the output, 16-byte aligned.
      const streamBytes = (input.length + 8 * blockSize + 64 + 15) & ~15;
      const outAt = RICE_AT + streamBytes;
      if (streamBytes + count * 4 > RICE_BYTES) return false;
      all.set(input, RICE_AT);
      all.fill(0, RICE_AT + input.length, outAt);
      // Stored big-endian: as native 32-bit words, a load gives the next 32 bits in order.
      swap(RICE_AT, RICE_AT + ((input.length + 15) & ~15), SHUFFLE_AT + 16 * index[4], ZERO_AT);
      const shift = 32 - 8 * bytePix;
      const mask = bytePix === 1 ? 0xff : -1;
      const status = rice(RICE_AT, RICE_AT + input.length, outAt, count, blockSize, coding.fsBits, coding.fsMax, coding.bBits, shift, mask, addend, STATUS_AT);
      if (status !== 0) {
        const decoded = (words[STATUS_AT >> 2] - outAt) >> 2;
        if (status === 2) throw new FitsError(`corrupt Rice data: split parameter > ${coding.fsMax} in the block from pixel ${decoded}`);
        throw new FitsError(`Rice data ends early (decoded ${decoded} of ${count} pixels)`);
      }
      out.set(new Float32Array(memory.buffer, outAt, count), at);
      return true;
    },
  };
}
