// Rice decoding (RICE_1, as core/fits/compression/rice.ts) into float32, in WebAssembly: a 64-bit
// bit buffer refilled 32 bits at a time from the stream's words (stored big-endian, swapped to
// native order by the caller, so a plain load gives the next 32 bits in order), branch-free in the
// per-pixel loop, i64.clz for the unary part, no bounds checks (the caller pads the stream with
// zero words; overruns are caught at block ends and in long zero runs). Values are value + addend stored as float32 (the caller makes
// sure that is exact). Returns 0, or 1 when the stream ends early, 2 for a split parameter out of
// range; then the output address reached is stored at statusAt.
import { EMPTY, I32, I64, get, i32, i64, memarg, op, set, tee, type WasmFunction } from './binary.js';

// Parameters.
const IN = 0; // address of the stream's first word
const IN_END = 1; // address after the stream's last byte (zero words follow)
const OUT = 2; // address of the first float32 out
const COUNT = 3;
const BLOCK = 4; // pixels per block
const FS_BITS = 5;
const FS_MAX = 6;
const B_BITS = 7; // bits of a verbatim value and of the first value
const SHIFT = 8; // 32 − 8·BYTEPIX: sign-extends to the pixel width
const MASK = 9; // 0xff for BYTEPIX 1 (unsigned), else −1
const ADDEND = 10;
const STATUS_AT = 11;
// Locals.
const P = 12; // next word to load
const NB = 13; // valid bits in BUF (left-aligned)
const LAST = 14;
const OUT_END = 15;
const BLOCK_END = 16;
const FS = 17;
const Z = 18;
const ZEROS = 19;
const MAPPED = 20;
const O = 21;
const V = 22;
const BUF = 23;
const SH = 24; // 63 − FS, as i64
const Z64 = 25; // Z, as i64
const FS1_64 = 26; // FS + 1, as i64
const FS1 = 27; // FS + 1
const K = 28; // 1 when a refill is due

/** BUF gets the next 32 bits below its NB valid ones (NB ≤ 32). */
const refill = [
  ...get(BUF),
  ...get(P), op.i32Load, ...memarg(2), op.i64ExtendI32U,
  ...i32(32), ...get(NB), op.i32Sub, op.i64ExtendI32U, op.i64Shl,
  op.i64Or, ...set(BUF),
  ...get(P), ...i32(4), op.i32Add, ...set(P),
  ...get(NB), ...i32(32), op.i32Add, ...set(NB),
];

/**
 * Refills when 32 bits or fewer are buffered, without a branch (refills come every few pixels at
 * no regular interval, so a branch would often be mispredicted): the next word is always loaded
 * and kept or dropped by `select`. Measured a little faster than the branch.
 */
const refillBranchFree = [
  ...get(NB), ...i32(33), op.i32LtU, ...set(K),
  ...get(BUF),
  ...get(P), op.i32Load, ...memarg(2), op.i64ExtendI32U,
  ...i32(32), ...get(NB), op.i32Sub, op.i64ExtendI32U, op.i64Shl,
  ...i64(0),
  ...get(K), op.select,
  op.i64Or, ...set(BUF),
  ...get(P), ...get(K), ...i32(2), op.i32Shl, op.i32Add, ...set(P),
  ...get(NB), ...get(K), ...i32(5), op.i32Shl, op.i32Add, ...set(NB),
];

/** Refills when fewer than `bits` (a local) or 32 bits are buffered. */
const refillBelow = (bits: number[]) => [...get(NB), ...bits, op.i32LtU, op.if, EMPTY, ...refill, op.end];

/** Pushes the next `k` bits (a local, 1..32; NB ≥ k) as an i32 and consumes them. */
const take = (k: number) => [
  ...get(BUF), ...i64(64), ...get(k), op.i64ExtendI32U, op.i64Sub, op.i64ShrU, op.i32WrapI64,
  ...get(BUF), ...get(k), op.i64ExtendI32U, op.i64Shl, ...set(BUF),
  ...get(NB), ...get(k), op.i32Sub, ...set(NB),
];

/** Stops with `code` after storing the output address reached. */
const fail = (code: number) => [...get(STATUS_AT), ...get(O), op.i32Store, ...memarg(2), ...i32(code), op.return];

/** Stores float32(value + addend) of the zigzag-decoded MAPPED added to LAST, and advances O. */
const storeDifference = [
  ...get(O),
  ...get(MAPPED), ...i32(1), op.i32ShrU,
  ...i32(0), ...get(MAPPED), ...i32(1), op.i32And, op.i32Sub,
  op.i32Xor,
  ...get(LAST), op.i32Add,
  ...get(SHIFT), op.i32Shl, ...get(SHIFT), op.i32ShrS, ...tee(LAST),
  ...get(MASK), op.i32And, ...get(ADDEND), op.i32Add,
  op.f32ConvertI32S, op.f32Store, ...memarg(2),
  ...get(O), ...i32(4), op.i32Add, ...set(O),
];

/** 1 when more bits were consumed than the stream holds: (P − IN)·8 − NB > (IN_END − IN)·8. */
const overran = [
  ...get(P), ...get(IN), op.i32Sub, ...i32(3), op.i32Shl, ...get(NB), op.i32Sub,
  ...get(IN_END), ...get(IN), op.i32Sub, ...i32(3), op.i32Shl,
  op.i32GtS,
];

const body = [
  ...get(IN), ...set(P),
  ...get(OUT), ...set(O),
  ...get(OUT), ...get(COUNT), ...i32(2), op.i32Shl, op.i32Add, ...set(OUT_END),
  ...refill, ...refill,
  // The first value, verbatim.
  ...take(B_BITS), ...get(SHIFT), op.i32Shl, ...get(SHIFT), op.i32ShrS, ...set(LAST),
  op.block, EMPTY,
  op.loop, EMPTY, // blocks
  ...get(O), ...get(OUT_END), op.i32GeU, op.brIf, 1,
  ...refillBelow(i32(32)),
  ...take(FS_BITS), ...i32(1), op.i32Sub, ...set(FS),
  // BLOCK_END = min(O + 4·BLOCK, OUT_END)
  ...get(O), ...get(BLOCK), ...i32(2), op.i32Shl, op.i32Add, ...tee(BLOCK_END),
  ...get(OUT_END),
  ...get(BLOCK_END), ...get(OUT_END), op.i32LtU, op.select, ...set(BLOCK_END),
  ...get(FS), ...i32(0), op.i32LtS,
  op.if, EMPTY,
  // All pixels of the block equal the last.
  ...get(LAST), ...get(MASK), op.i32And, ...get(ADDEND), op.i32Add, ...set(V),
  op.loop, EMPTY,
  ...get(O), ...get(V), op.f32ConvertI32S, op.f32Store, ...memarg(2),
  ...get(O), ...i32(4), op.i32Add, ...tee(O),
  ...get(BLOCK_END), op.i32LtU, op.brIf, 0,
  op.end,
  op.else,
  ...get(FS), ...get(FS_MAX), op.i32Eq,
  op.if, EMPTY,
  // Verbatim block: B_BITS per mapped difference.
  op.loop, EMPTY,
  ...refillBelow(i32(32)),
  ...take(B_BITS), ...set(MAPPED),
  ...storeDifference,
  ...get(O), ...get(BLOCK_END), op.i32LtU, op.brIf, 0,
  op.end,
  op.else,
  ...get(FS), ...get(FS_MAX), op.i32GtS,
  op.if, EMPTY, ...fail(2), op.end,
  ...i64(63), ...get(FS), op.i64ExtendI32U, op.i64Sub, ...set(SH),
  ...get(FS), ...i32(1), op.i32Add, ...tee(FS1), op.i64ExtendI32U, ...set(FS1_64),
  op.loop, EMPTY, // pixels: unary high part, then FS low bits
  ...refillBranchFree,
  // The chain from one pixel to the next is clz, add, shift, kept in i64 (the rest hangs off it).
  ...get(BUF), op.i64Clz, ...tee(Z64), op.i32WrapI64, ...tee(Z),
  ...get(FS1), op.i32Add, ...get(NB), op.i32LtU,
  op.if, EMPTY,
  // Common case: the zeros, the stop bit and the FS low bits are all buffered (with a bit to
  // spare, so the shift below is under 64). (BUF << Z) >>> (63 − FS) is the stop bit followed by
  // the low bits, i.e. 2^FS + low, so MAPPED = (Z << FS) + low = ((Z − 1) << FS) + that.
  ...get(Z), ...i32(1), op.i32Sub, ...get(FS), op.i32Shl,
  ...get(BUF), ...get(Z64), op.i64Shl, ...get(SH), op.i64ShrU, op.i32WrapI64,
  op.i32Add, ...set(MAPPED),
  ...get(BUF), ...get(Z64), ...get(FS1_64), op.i64Add, op.i64Shl, ...set(BUF),
  ...get(NB), ...get(Z), op.i32Sub, ...get(FS1), op.i32Sub, ...set(NB),
  op.else,
  ...i32(0), ...set(ZEROS),
  ...get(Z), ...get(NB), op.i32GeU,
  op.if, EMPTY,
  // The buffered bits are all zero: a long run, counted 32 bits at a time.
  op.loop, EMPTY,
  ...get(ZEROS), ...get(NB), op.i32Add, ...set(ZEROS),
  ...i64(0), ...set(BUF), ...i32(0), ...set(NB),
  ...get(P), ...get(IN_END), op.i32GtU, op.if, EMPTY, ...fail(1), op.end,
  ...refill, ...refill,
  ...get(BUF), op.i64Clz, op.i32WrapI64, ...tee(Z),
  ...get(NB), op.i32GeU, op.brIf, 0,
  op.end,
  op.end,
  // Consume the zeros and the stop bit (two shifts: Z + 1 may be 64).
  ...get(BUF), ...get(Z), op.i64ExtendI32U, op.i64Shl, ...i64(1), op.i64Shl, ...set(BUF),
  ...get(NB), ...get(Z), op.i32Sub, ...i32(1), op.i32Sub, ...set(NB),
  ...refillBelow(get(FS)),
  // MAPPED = (ZEROS + Z) << FS | next FS bits ((BUF >>> 1) >>> (63 − FS) is 0 for FS = 0).
  ...get(ZEROS), ...get(Z), op.i32Add, ...get(FS), op.i32Shl,
  ...get(BUF), ...i64(1), op.i64ShrU, ...get(SH), op.i64ShrU, op.i32WrapI64,
  op.i32Or, ...set(MAPPED),
  ...get(BUF), ...get(FS), op.i64ExtendI32U, op.i64Shl, ...set(BUF),
  ...get(NB), ...get(FS), op.i32Sub, ...set(NB),
  op.end,
  ...storeDifference,
  ...get(O), ...get(BLOCK_END), op.i32LtU, op.brIf, 0,
  op.end,
  op.end,
  op.end,
  ...overran, op.if, EMPTY, ...fail(1), op.end,
  op.br, 0,
  op.end,
  op.end,
  ...i32(0),
];

/** riceToFloat32(in, inEnd, out, count, blockSize, fsBits, fsMax, bBits, shift, mask, addend, statusAt) → 0 | 1 | 2 */
export const riceToFloat32: WasmFunction = {
  name: 'riceToFloat32',
  params: Array<number>(12).fill(I32),
  results: [I32],
  locals: [[11, I32], [4, I64], [2, I32]],
  body,
};
