// The byte-order kernel: each 16 bytes of [start, end) shuffled by one mask (byte i of the result
// is byte mask[i]) and XORed with another (the top-bit flip of FITS's unsigned conventions).
import { EMPTY, I32, V128, get, i32, memarg, op, set, simd, tee, type WasmFunction } from './binary.js';

const [START, END, MASK_AT, FLIP_AT, MASK, FLIP] = [0, 1, 2, 3, 4, 5];

/** swapFlip(start, end, maskAt, flipAt): every 16 bytes from start until end (at least once if start < end). */
export const swapFlip: WasmFunction = {
  name: 'swapFlip',
  params: [I32, I32, I32, I32],
  results: [],
  locals: [[2, V128]],
  body: [
    ...get(MASK_AT), op.simd, simd.load, ...memarg(0), ...set(MASK),
    ...get(FLIP_AT), op.simd, simd.load, ...memarg(0), ...set(FLIP),
    op.block, EMPTY,
    ...get(START), ...get(END), op.i32GeU, op.brIf, 0,
    op.loop, EMPTY,
    ...get(START),
    ...get(START), op.simd, simd.load, ...memarg(0),
    ...get(MASK), op.simd, simd.swizzle,
    ...get(FLIP), op.simd, simd.xor,
    op.simd, simd.store, ...memarg(0),
    ...get(START), ...i32(16), op.i32Add, ...tee(START),
    ...get(END), op.i32LtU, op.brIf, 0,
    op.end,
    op.end,
  ],
};
