// Rice coding as used by FITS tile compression (RICE_1, the cfitsio algorithm): per block of
// pixels, the zigzag-mapped differences are coded with a split parameter `fs`, plus special
// codes for all-equal blocks and for blocks stored verbatim.
import { FitsError } from '../errors.js';
import { wasmKernel } from '../wasm/kernel.js';

export type BytePix = 1 | 2 | 4;

interface Params {
  fsBits: number;
  fsMax: number;
  bBits: number;
}

const PARAMS: Record<BytePix, Params> = {
  1: { fsBits: 3, fsMax: 6, bBits: 8 },
  2: { fsBits: 4, fsMax: 14, bBits: 16 },
  4: { fsBits: 5, fsMax: 25, bBits: 32 },
};

function wrap(v: number, bytePix: BytePix): number {
  if (bytePix === 4) return v | 0;
  if (bytePix === 2) return (v << 16) >> 16;
  return v & 0xff;
}

function signedDiff(v: number, bytePix: BytePix): number {
  if (bytePix === 4) return v | 0;
  if (bytePix === 2) return (v << 16) >> 16;
  return (v << 24) >> 24;
}

// MASK[k] = 2^k − 1 and POW2[k] = 2^k as plain numbers (shifts by 31/32 misbehave in 32-bit JS ops).
const MASK: number[] = Array.from({ length: 33 }, (_, k) => 2 ** k - 1);
const POW2: number[] = Array.from({ length: 33 }, (_, k) => 2 ** k);

// The stream as big-endian 32-bit words, in a reused buffer with zero words after it.
let wordBytes = new Uint8Array(0);
let words = new Int32Array(0);

function loadWords(input: Uint8Array, slackWords: number): Int32Array {
  const used = (input.length + 3) >>> 2;
  const need = (used + slackWords) * 4;
  if (wordBytes.length < need) {
    wordBytes = new Uint8Array(need * 2);
    words = new Int32Array(wordBytes.buffer);
  }
  wordBytes.set(input);
  wordBytes.fill(0, input.length, need);
  Buffer.from(wordBytes.buffer, 0, used * 4).swap32();
  return words;
}

/** Output arrays the decoder writes into (an integer or float store of each value). */
export type RiceOutput = Int32Array | Float32Array;

/**
 * Decodes `count` pixels. Values come back as int32 numbers: unsigned bytes for BYTEPIX 1,
 * signed 16-bit for 2, signed 32-bit for 4 (what cfitsio produces), each plus `addend` (an
 * integer offset such as BZERO, so the caller's conversion needs no pass of its own; the sum is
 * taken in int32 arithmetic).
 */
export function riceDecode(input: Uint8Array, count: number, blockSize: number, bytePix: BytePix, into?: Int32Array, addend = 0): Int32Array {
  const out = into ?? new Int32Array(count);
  if (out.length < count) throw new FitsError(`internal: Rice output holds ${out.length} values, ${count} needed`);
  riceDecodeInto(input, count, blockSize, bytePix, out, 0, addend);
  return out;
}

/**
 * Decodes `count` pixels into out[at, at + count): each value (as riceDecode gives it) plus
 * `addend`. Into a Float32Array the sum is stored as is, so the caller picks an addend for which
 * it is exact (e.g. BZERO 32768 for 16-bit data); this decodes a tile straight into an image.
 */
export function riceDecodeInto(input: Uint8Array, count: number, blockSize: number, bytePix: BytePix, out: RiceOutput, at: number, addend: number): void {
  if (count === 0) return;
  if (!(blockSize >= 1)) throw new FitsError(`Rice block size must be at least 1, found ${blockSize}`);
  if (at < 0 || at + count > out.length) throw new FitsError(`internal: Rice output holds ${out.length} values, ${at + count} needed`);
  const len = input.length;
  if (len < bytePix + 1) throw new FitsError(`Rice data too short: ${len} bytes for ${count} pixels`);
  // Float32 output: the WebAssembly decoder (the same algorithm), where it exists and the tile fits its memory.
  if (out instanceof Float32Array && wasmKernel('read')?.riceToFloat32(input, count, blockSize, bytePix, PARAMS[bytePix], out, at, addend)) return;
  decodeJs(input, count, blockSize, bytePix, out, at, addend);
}

function decodeJs(input: Uint8Array, count: number, blockSize: number, bytePix: BytePix, out: RiceOutput, at: number, addend: number): void {
  const { fsBits, fsMax, bBits } = PARAMS[bytePix];
  const len = input.length;
  // A pixel reads at most 57 bits past its start (31 zeros, the stop bit, 25 bits), so zero words
  // for two per pixel of a block keep every read in the buffer; overruns are caught at block ends
  // and in the zero-run loop by comparing the bit position with the stream's length.
  const w = loadWords(input, 2 * blockSize + 8);
  const limit = len * 8;
  // Wrapping to the pixel width: sign-extend from 8·bytePix bits; BYTEPIX 1 values are unsigned bytes.
  const shift = 32 - 8 * bytePix;
  const valueMask = bytePix === 1 ? 0xff : -1;
  const headShift = 32 - fsBits;
  const rawShift = 32 - bBits;
  // The 32 bits from bit p: (w[k] << s) | (w[k + 1] >>> (32 − s)), written so that s = 0 works
  // (JavaScript takes shift counts mod 32).
  let lastpix = ((w[0] >>> rawShift) << shift) >> shift;
  let bitpos = bBits;
  const end = at + count;
  let o = at;
  while (o < end) {
    let k = bitpos >>> 5;
    let s = bitpos & 31;
    const fs = ((((w[k] << s) | ((w[k + 1] >>> 1) >>> (31 - s))) >>> headShift) - 1) | 0;
    bitpos += fsBits;
    const blockEnd = o + blockSize < end ? o + blockSize : end;
    if (fs < 0) {
      const v = (lastpix & valueMask) + addend;
      for (; o < blockEnd; o++) out[o] = v;
    } else if (fs === fsMax) {
      // Verbatim block: each mapped difference in bBits bits.
      for (; o < blockEnd; o++) {
        k = bitpos >>> 5;
        s = bitpos & 31;
        const mapped = ((w[k] << s) | ((w[k + 1] >>> 1) >>> (31 - s))) >>> rawShift;
        bitpos += bBits;
        const sum = ((mapped >>> 1) ^ -(mapped & 1)) + lastpix;
        lastpix = (sum << shift) >> shift;
        out[o] = (lastpix & valueMask) + addend;
      }
    } else if (fs > fsMax) {
      throw new FitsError(`corrupt Rice data: split parameter ${fs} > ${fsMax} at pixel ${o - at}`);
    } else {
      // Each value: a run of zeros and a one (the high part, unary), then fs low bits. One 32-bit
      // window usually holds both; the mapped value is built mod 2^32 with shifts, which zigzag
      // decoding reads the same as the unsigned value.
      const lowShift = 31 - fs;
      for (; o < blockEnd; o++) {
        k = bitpos >>> 5;
        s = bitpos & 31;
        let win = (w[k] << s) | ((w[k + 1] >>> 1) >>> (31 - s));
        let zeros = 0;
        while (win === 0) {
          zeros += 32;
          bitpos += 32;
          if (bitpos > limit) throw new FitsError(`Rice data ends early (decoded ${o - at} of ${count} pixels)`);
          k = bitpos >>> 5;
          s = bitpos & 31;
          win = (w[k] << s) | ((w[k + 1] >>> 1) >>> (31 - s));
        }
        const z = Math.clz32(win);
        let low: number;
        if (z + fs < 32) low = (win << z) << 1;
        else {
          const p = bitpos + z + 1;
          k = p >>> 5;
          s = p & 31;
          low = (w[k] << s) | ((w[k + 1] >>> 1) >>> (31 - s));
        }
        bitpos += z + 1 + fs;
        const mapped = ((zeros + z) << fs) | ((low >>> 1) >>> lowShift);
        const sum = ((mapped >>> 1) ^ -(mapped & 1)) + lastpix;
        lastpix = (sum << shift) >> shift;
        out[o] = (lastpix & valueMask) + addend;
      }
    }
    if (bitpos > limit) throw new FitsError(`Rice data ends early (decoded ${o - at} of ${count} pixels, needed ${Math.ceil(bitpos / 8)} of ${len} bytes)`);
  }
}

/** Bit output as cfitsio's output_nbits: most significant bits first, into a growing byte array. */
class BitWriter {
  bytes: Uint8Array;
  length = 0;
  private buffer = 0;
  private bitsToGo = 8;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  private put(byte: number): void {
    if (this.length === this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    this.bytes[this.length++] = byte;
  }

  /** Writes the low `n` bits of `bits` (n ≤ 32). */
  write(bits: number, n: number): void {
    let buffer = this.buffer;
    let toGo = this.bitsToGo;
    if (toGo + n > 32) {
      // Put out the top toGo bits first so the 32-bit buffer never overflows.
      buffer = (buffer << toGo) | ((bits >>> (n - toGo)) & MASK[toGo]);
      this.put(buffer & 0xff);
      n -= toGo;
      toGo = 8;
    }
    buffer = (buffer << n) | (bits & MASK[n]);
    toGo -= n;
    while (toGo <= 0) {
      this.put((buffer >>> -toGo) & 0xff);
      toGo += 8;
    }
    this.buffer = buffer;
    this.bitsToGo = toGo;
  }

  /** `count` zero bits then a one bit (the unary part of a Rice code). */
  unary(count: number): void {
    while (count >= 24) {
      this.write(0, 24);
      count -= 24;
    }
    this.write(1, count + 1);
  }

  finish(): Uint8Array {
    if (this.bitsToGo < 8) this.put((this.buffer << this.bitsToGo) & 0xff);
    return this.bytes.slice(0, this.length);
  }
}

/** Encodes pixels (already in the BYTEPIX value range) exactly as cfitsio's fits_rcomp does. */
export function riceEncode(values: ArrayLike<number>, blockSize: number, bytePix: BytePix): Uint8Array {
  const { fsBits, fsMax, bBits } = PARAMS[bytePix];
  const n = values.length;
  const w = new BitWriter(n * bytePix + 16);
  if (n === 0) return w.finish();
  let lastpix = wrap(values[0], bytePix);
  w.write(lastpix >>> 0, bBits);
  const diff = new Float64Array(blockSize);
  for (let i = 0; i < n; i += blockSize) {
    const thisBlock = Math.min(blockSize, n - i);
    let pixelSum = 0;
    for (let j = 0; j < thisBlock; j++) {
      const nextpix = wrap(values[i + j], bytePix);
      // Differences wrap to the pixel width (the decoder adds modulo that width), so the
      // mapped difference always fits bBits.
      const d = signedDiff(nextpix - lastpix, bytePix);
      diff[j] = d < 0 ? -2 * d - 1 : 2 * d;
      pixelSum += diff[j];
      lastpix = nextpix;
    }
    let dpsum = (pixelSum - Math.floor(thisBlock / 2) - 1) / thisBlock;
    if (dpsum < 0) dpsum = 0;
    let psum = Math.floor(Math.floor(dpsum) / 2);
    let fs = 0;
    for (; psum > 0; fs++) psum = Math.floor(psum / 2);
    if (fs >= fsMax) {
      w.write(fsMax + 1, fsBits);
      for (let j = 0; j < thisBlock; j++) w.write(diff[j], bBits);
    } else if (fs === 0 && pixelSum === 0) {
      w.write(0, fsBits);
    } else {
      w.write(fs + 1, fsBits);
      const scale = POW2[fs];
      for (let j = 0; j < thisBlock; j++) {
        const v = diff[j];
        const top = Math.floor(v / scale);
        w.unary(top);
        if (fs > 0) w.write(v - top * scale, fs);
      }
    }
  }
  return w.finish();
}
