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

/**
 * Decodes `count` pixels. Values come back as int32 numbers: unsigned bytes for BYTEPIX 1,
 * signed 16-bit for 2, signed 32-bit for 4 (what cfitsio produces).
 */
export function riceDecode(input: Uint8Array, count: number, blockSize: number, bytePix: BytePix): Int32Array {
  const { fsBits, fsMax, bBits } = PARAMS[bytePix];
  const out = new Int32Array(count);
  if (count === 0) return out;
  if (input.length < bytePix) throw new FitsError(`Rice data too short: ${input.length} bytes`);
  let pos = 0;
  let lastpix = 0;
  for (let k = 0; k < bytePix; k++) lastpix = lastpix * 256 + input[pos++];
  lastpix = wrap(lastpix, bytePix);
  const next = (): number => {
    // Reading past the end is an error in the stream; treat as zeros and let the count check fail.
    if (pos >= input.length) throw new FitsError(`Rice data ends early (decoded ${i} of ${count} pixels)`);
    return input[pos++];
  };
  let b = next();
  let nbits = 8;
  let i = 0;
  while (i < count) {
    nbits -= fsBits;
    while (nbits < 0) {
      b = ((b << 8) | next()) >>> 0;
      nbits += 8;
    }
    const fs = (b >>> nbits) - 1;
    b = (b & (2 ** nbits - 1)) >>> 0;
    const imax = Math.min(i + blockSize, count);
    if (fs < 0) {
      for (; i < imax; i++) out[i] = lastpix;
    } else if (fs === fsMax) {
      for (; i < imax; i++) {
        let k = bBits - nbits;
        let diff = b * 2 ** k;
        for (k -= 8; k >= 0; k -= 8) {
          b = next();
          diff += b * 2 ** k;
        }
        if (nbits > 0) {
          b = next();
          diff += b >>> -k;
          b = (b & (2 ** nbits - 1)) >>> 0;
        } else {
          b = 0;
        }
        const mapped = diff >>> 0;
        const d = (mapped & 1) === 0 ? mapped >>> 1 : ~(mapped >>> 1);
        lastpix = wrap(d + lastpix, bytePix);
        out[i] = lastpix;
      }
    } else if (fs > fsMax) {
      throw new FitsError(`corrupt Rice data: split parameter ${fs} > ${fsMax} at pixel ${i}`);
    } else {
      for (; i < imax; i++) {
        while (b === 0) {
          nbits += 8;
          b = next();
        }
        const nzero = nbits - (32 - Math.clz32(b));
        nbits -= nzero + 1;
        b ^= 1 << nbits;
        nbits -= fs;
        while (nbits < 0) {
          b = ((b << 8) | next()) >>> 0;
          nbits += 8;
        }
        const mapped = ((nzero * 2 ** fs) + (b >>> nbits)) >>> 0;
        b = (b & (2 ** nbits - 1)) >>> 0;
        const d = (mapped & 1) === 0 ? mapped >>> 1 : ~(mapped >>> 1);
        lastpix = wrap(d + lastpix, bytePix);
        out[i] = lastpix;
      }
    }
  }
  return out;
}

/** Grows as needed; writes bits most-significant first. */
class BitWriter {
  private bytes: Uint8Array;
  private length = 0;
  private buffer = 0;
  private bitsInBuffer = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  private push(byte: number): void {
    if (this.length === this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    this.bytes[this.length++] = byte;
  }

  /** Writes the low `n` bits of `value` (n ≤ 32). */
  write(value: number, n: number): void {
    if (n > 16) {
      this.write(Math.floor((value >>> 0) / 65536) & ((1 << (n - 16)) - 1), n - 16);
      this.write(value & 0xffff, 16);
      return;
    }
    this.buffer = ((this.buffer << n) | (value & ((1 << n) - 1))) >>> 0;
    this.bitsInBuffer += n;
    while (this.bitsInBuffer >= 8) {
      this.bitsInBuffer -= 8;
      this.push((this.buffer >>> this.bitsInBuffer) & 0xff);
    }
    this.buffer &= (1 << this.bitsInBuffer) - 1;
  }

  /** `count` zero bits then a one bit (the unary part of a Rice code). */
  unary(count: number): void {
    while (count >= 16) {
      this.write(0, 16);
      count -= 16;
    }
    this.write(1, count + 1);
  }

  finish(): Uint8Array {
    if (this.bitsInBuffer > 0) this.write(0, 8 - this.bitsInBuffer);
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
  const diff = new Uint32Array(blockSize);
  for (let i = 0; i < n; i += blockSize) {
    const thisBlock = Math.min(blockSize, n - i);
    let pixelSum = 0;
    for (let j = 0; j < thisBlock; j++) {
      const nextpix = wrap(values[i + j], bytePix);
      // Differences wrap to the pixel width (the decoder adds modulo that width), so the
      // mapped difference always fits bBits.
      const d = signedDiff(nextpix - lastpix, bytePix);
      diff[j] = (d < 0 ? ~(d * 2) : d * 2) >>> 0;
      pixelSum += diff[j];
      lastpix = nextpix;
    }
    let dpsum = (pixelSum - Math.floor(thisBlock / 2) - 1) / thisBlock;
    if (dpsum < 0) dpsum = 0;
    let psum = Math.floor(dpsum) >>> 1;
    let fs = 0;
    for (; psum > 0; fs++) psum >>>= 1;
    if (fs >= fsMax) {
      w.write(fsMax + 1, fsBits);
      for (let j = 0; j < thisBlock; j++) w.write(diff[j], bBits);
    } else if (fs === 0 && pixelSum === 0) {
      w.write(0, fsBits);
    } else {
      w.write(fs + 1, fsBits);
      for (let j = 0; j < thisBlock; j++) {
        const v = diff[j];
        w.unary(Math.floor(v / 2 ** fs));
        if (fs > 0) w.write(v & (2 ** fs - 1), fs);
      }
    }
  }
  return w.finish();
}
