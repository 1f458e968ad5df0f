// Rice coding as used by FITS tile compression (RICE_1, the cfitsio algorithm): per block of
// pixels, the zigzag-mapped differences are coded with a split parameter `fs`, plus special
// codes for all-equal blocks and for blocks stored verbatim.
import { FitsError } from '../errors.js';

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

let padded = new Uint8Array(0);

/**
 * Decodes `count` pixels. Values come back as int32 numbers: unsigned bytes for BYTEPIX 1,
 * signed 16-bit for 2, signed 32-bit for 4 (what cfitsio produces), each plus `addend` (an
 * integer offset such as BZERO, so the caller's conversion needs no pass of its own; the sum is
 * taken in int32 arithmetic).
 */
export function riceDecode(input: Uint8Array, count: number, blockSize: number, bytePix: BytePix, into?: Int32Array, addend = 0): Int32Array {
  const { fsBits, fsMax, bBits } = PARAMS[bytePix];
  const out = into ?? new Int32Array(count);
  if (out.length < count) throw new FitsError(`internal: Rice output holds ${out.length} values, ${count} needed`);
  if (count === 0) return out;
  const len = input.length;
  if (len < bytePix + 1) throw new FitsError(`Rice data too short: ${len} bytes for ${count} pixels`);
  // Work on a copy with zero padding so the inner loops need no bounds checks; overruns are
  // caught at block boundaries and in the zero-run loop.
  const slack = blockSize * (bytePix + 1) + 16;
  if (padded.length < len + slack) padded = new Uint8Array(len + slack);
  const c = padded;
  c.set(input);
  c.fill(0, len, len + slack);
  let pos = 0;
  let lastpix = 0;
  for (let k = 0; k < bytePix; k++) lastpix = lastpix * 256 + c[pos++];
  lastpix = wrap(lastpix, bytePix);
  let b = c[pos++];
  let nbits = 8;
  let i = 0;
  // Wrapping to the pixel width: sign-extend from 8·bytePix bits, then keep 8 bits for BYTEPIX 1 (unsigned).
  const shift = 32 - 8 * bytePix;
  const valueMask = bytePix === 1 ? 0xff : -1;
  while (i < count) {
    if (pos > len) throw new FitsError(`Rice data ends early (decoded ${i} of ${count} pixels)`);
    nbits -= fsBits;
    while (nbits < 0) {
      b = ((b << 8) | c[pos++]) >>> 0;
      nbits += 8;
    }
    const fs = (b >>> nbits) - 1;
    b &= MASK[nbits];
    const imax = i + blockSize < count ? i + blockSize : count;
    if (fs < 0) {
      for (; i < imax; i++) out[i] = lastpix + addend;
    } else if (fs === fsMax) {
      for (; i < imax; i++) {
        let k = bBits - nbits;
        let diff = b * POW2[k];
        for (k -= 8; k >= 0; k -= 8) {
          b = c[pos++];
          diff += b * POW2[k];
        }
        if (nbits > 0) {
          b = c[pos++];
          diff += b >>> -k;
          b &= MASK[nbits];
        } else {
          b = 0;
        }
        const d = diff % 2 === 0 ? diff / 2 : -(diff + 1) / 2;
        lastpix = wrap(d + lastpix, bytePix);
        out[i] = lastpix + addend;
      }
    } else if (fs > fsMax) {
      throw new FitsError(`corrupt Rice data: split parameter ${fs} > ${fsMax} at pixel ${i}`);
    } else {
      // Kept in int32 arithmetic throughout: b holds nbits buffered bits (b < 2^nbits) and
      // never reaches 2^31 (see the refills); the mapped value is built mod 2^32 with shifts,
      // which zigzag decoding reads the same as the unsigned value.
      const wide = fs <= 16;
      for (; i < imax; i++) {
        while (b === 0) {
          if (pos > len + 1) throw new FitsError(`Rice data ends early (decoded ${i} of ${count} pixels)`);
          nbits += 8;
          b = c[pos++];
        }
        const nzero = nbits - (32 - Math.clz32(b));
        nbits -= nzero + 1;
        b ^= 1 << nbits;
        nbits -= fs;
        if (wide) {
          // Two bytes at a time: nbits stays ≤ 15, so b < 2^14 before the shift.
          if (nbits < 0) {
            b = (b << 16) | (c[pos] << 8) | c[pos + 1];
            pos += 2;
            nbits += 16;
          }
        } else {
          // fs ≤ 24 and nbits < 8 here: b < 2^31 after the last byte.
          while (nbits < 0) {
            b = (b << 8) | c[pos++];
            nbits += 8;
          }
        }
        const mapped = (nzero << fs) | (b >>> nbits);
        b &= (1 << nbits) - 1;
        // Zigzag decoding in 32-bit integer arithmetic, then wrap to the pixel width.
        const sum = ((mapped >>> 1) ^ -(mapped & 1)) + lastpix;
        lastpix = ((sum << shift) >> shift) & valueMask;
        out[i] = lastpix + addend;
      }
      // Hand back a whole unread byte, so blocks start with fewer than 8 buffered bits.
      if (nbits >= 8) {
        nbits -= 8;
        b >>>= 8;
        pos--;
      }
    }
  }
  if (pos > len + 1) throw new FitsError(`Rice data ends early (needed ${pos} of ${len} bytes)`);
  return out;
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
