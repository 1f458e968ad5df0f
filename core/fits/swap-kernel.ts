// Big-endian ↔ native byte order (and the sign-bit flip of FITS's unsigned conventions) 16 bytes at
// a time with WebAssembly SIMD, in a scratch buffer that lives in the module's memory. Node's
// Buffer.swap32/swap64 go a value at a time (about 2.6 ms for a 39 MB float32 image); a SIMD
// byte shuffle does the same in a fraction of that, so data read from or written to a file passes
// through this scratch in chunks. Where WebAssembly SIMD is unavailable, swapKernel() gives
// undefined and callers keep the Buffer.swapNN path.

/** Bytes of the scratch buffer (a multiple of 16 and of every value size). */
export const KERNEL_CHUNK = 256 << 10;

export interface SwapKernel {
  /** The scratch buffer: KERNEL_CHUNK bytes in the module's memory (never detached: the memory does not grow). */
  readonly bytes: Uint8Array;
  /**
   * Big-endian → native: reverses the bytes of each `size`-byte value of bytes[0, length) and,
   * when `flipTop`, flips the top bit of each native value (signed ↔ offset-unsigned). `length`
   * must be a multiple of `size`; bytes after it, up to the next multiple of 16, may change.
   */
  toNative(length: number, size: 1 | 2 | 4 | 8, flipTop: boolean): void;
  /** Native → big-endian, as toNative (the top bit flipped before the swap, so of each big-endian value's first byte). */
  toBigEndian(length: number, size: 1 | 2 | 4 | 8, flipTop: boolean): void;
}

// Memory layout: the scratch at 0, then 16-byte masks: four shuffles, four top-bit masks for
// native results, four for big-endian results, one of zeros.
const SHUFFLE_AT = KERNEL_CHUNK;
const NATIVE_TOP_AT = SHUFFLE_AT + 64;
const BIG_TOP_AT = NATIVE_TOP_AT + 64;
const ZERO_AT = BIG_TOP_AT + 64;
const PAGE = 64 << 10;

/** Who uses a kernel: reading and writing each have their own scratch, so a write in progress (chunks handed out one by one) and a read never share it. */
export type KernelUse = 'read' | 'write';

const kernels = new Map<KernelUse, SwapKernel | null>();

let enabled = true;

/** Turns the kernel off (callers then take their Buffer.swapNN paths), to test and measure those paths. */
export function useSwapKernel(on: boolean): void {
  enabled = on;
}

/** The kernel for reads or for writes, or undefined where WebAssembly SIMD is unavailable (or turned off). */
export function swapKernel(use: KernelUse): SwapKernel | undefined {
  if (!enabled) return undefined;
  let k = kernels.get(use);
  if (k === undefined) {
    k = createKernel();
    kernels.set(use, k);
  }
  return k ?? undefined;
}

function createKernel(): SwapKernel | null {
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()));
  } catch {
    return null;
  }
  const memory = instance.exports.memory as WebAssembly.Memory;
  const run = instance.exports.swapFlip as (start: number, end: number, maskAt: number, flipAt: number) => void;
  const all = new Uint8Array(memory.buffer);
  // For value sizes 1, 2, 4, 8 (k = 0..3): the byte-reversing shuffle (byte i of the result is
  // byte mask[i] of the source), then the top-bit masks for native results (the top byte of a
  // little-endian value is its last) and for big-endian results (its first); then zeros.
  const sizes = [1, 2, 4, 8] as const;
  sizes.forEach((size, k) => {
    for (let i = 0; i < 16; i++) {
      const j = i % size;
      all[SHUFFLE_AT + 16 * k + i] = i - j + (size - 1 - j);
      all[NATIVE_TOP_AT + 16 * k + i] = j === size - 1 ? 0x80 : 0;
      all[BIG_TOP_AT + 16 * k + i] = j === 0 ? 0x80 : 0;
    }
  });
  all.fill(0, ZERO_AT, ZERO_AT + 16);
  const bytes = new Uint8Array(memory.buffer, 0, KERNEL_CHUNK);
  const index = { 1: 0, 2: 1, 4: 2, 8: 3 } as const;
  const apply = (length: number, size: 1 | 2 | 4 | 8, flipAt: number | undefined) => {
    if (length < 0 || length > KERNEL_CHUNK || length % size !== 0) throw new Error(`internal: swap of ${length} bytes in ${size}-byte values`);
    if (size === 1 && flipAt === undefined) return;
    run(0, length, SHUFFLE_AT + 16 * index[size], flipAt === undefined ? ZERO_AT : flipAt + 16 * index[size]);
  };
  return {
    bytes,
    toNative: (length, size, flipTop) => apply(length, size, flipTop ? NATIVE_TOP_AT : undefined),
    toBigEndian: (length, size, flipTop) => apply(length, size, flipTop ? BIG_TOP_AT : undefined),
  };
}

// WebAssembly binary encoding (core spec §5 and the SIMD proposal's opcodes).
const OP = {
  block: 0x02,
  loop: 0x03,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32LtU: 0x49,
  i32Add: 0x6a,
  simd: 0xfd,
} as const;
const SIMD = { load: 0x00, store: 0x0b, swizzle: 0x0e, xor: 0x51 } as const;
const EMPTY_BLOCK = 0x40;
const I32 = 0x7f;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/**
 * (module
 *   (memory (export "memory") PAGES PAGES)
 *   (func (export "swapFlip") (param $p i32) (param $end i32) (param $maskAt i32) (param $flipAt i32)
 *     (local $mask v128) (local $flip v128)
 *     mask = load(maskAt); flip = load(flipAt)
 *     block: if p >= end: break
 *       loop: store(p, xor(swizzle(load(p), mask), flip)); p += 16; if p < end: continue))
 */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const memarg = [0x00, 0x00]; // alignment 2^0 (any), offset 0
  const body = [
    ...[1, 2, V128], // one local group: two v128 locals (indices 4 and 5)
    OP.localGet, 2, OP.simd, SIMD.load, ...memarg, OP.localSet, 4,
    OP.localGet, 3, OP.simd, SIMD.load, ...memarg, OP.localSet, 5,
    OP.block, EMPTY_BLOCK,
    OP.localGet, 0, OP.localGet, 1, OP.i32GeU, OP.brIf, 0,
    OP.loop, EMPTY_BLOCK,
    OP.localGet, 0,
    OP.localGet, 0, OP.simd, SIMD.load, ...memarg,
    OP.localGet, 4, OP.simd, SIMD.swizzle,
    OP.localGet, 5, OP.simd, ...uleb(SIMD.xor),
    OP.simd, SIMD.store, ...memarg,
    OP.localGet, 0, OP.i32Const, 16, OP.i32Add, OP.localTee, 0,
    OP.localGet, 1, OP.i32LtU, OP.brIf, 0,
    OP.end,
    OP.end,
    OP.end,
  ];
  const pages = Math.ceil((ZERO_AT + 16) / PAGE);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 4, I32, I32, I32, I32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x01, ...uleb(pages), ...uleb(pages)]),
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('swapFlip'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
