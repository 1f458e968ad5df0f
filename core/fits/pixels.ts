// Pixel arrays and the conversion between FITS's big-endian stored values and native typed arrays,
// including BZERO/BSCALE (unsigned 16/32/64-bit and general scaling) and BLANK. Byte order is
// swapped in place with Buffer.swapNN (native) and the conversions are single flat loops.
import { FitsError } from './errors.js';
import type { Bitpix } from './layout.js';
import type { Header } from './header.js';
import { KERNEL_CHUNK, wasmKernel } from './wasm/kernel.js';

export type PixelArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export type PixelType = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

export function pixelTypeOf(data: PixelArray): PixelType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof BigUint64Array) return 'uint64';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

/** How stored values map to physical ones: physical = stored · bscale + bzero; `blank` marks undefined integers. */
export interface Scaling {
  bitpix: Bitpix;
  bzero: number;
  bscale: number;
  blank?: number;
}

export function scalingOf(header: Header, bitpix: Bitpix, prefix = ''): Scaling {
  const bzero = header.getNumber(prefix + 'BZERO') ?? 0;
  const bscale = header.getNumber(prefix + 'BSCALE') ?? 1;
  const blankValue = header.getNumber(prefix + 'BLANK');
  // BLANK only has meaning for integer data.
  const blank = bitpix > 0 && blankValue !== undefined && Number.isInteger(blankValue) ? blankValue : undefined;
  return { bitpix, bzero, bscale, blank };
}

/** The physical type astropy gives this data: unsigned for the standard offsets, float when scaled. */
export function physicalTypeOf(s: Scaling): PixelType {
  // As astropy: integers stay integers only when unscaled and without BLANK (BLANK → float with
  // NaN), or for the pseudo-unsigned offsets (where BLANK is not applied).
  const unscaled = s.bscale === 1 && s.bzero === 0 && s.blank === undefined;
  switch (s.bitpix) {
    case 8:
      if (unscaled) return 'uint8';
      if (s.bscale === 1 && s.bzero === -128) return 'int8';
      return 'float32';
    case 16:
      if (unscaled) return 'int16';
      if (s.bscale === 1 && s.bzero === 32768) return 'uint16';
      return 'float32';
    case 32:
      if (unscaled) return 'int32';
      if (s.bscale === 1 && s.bzero === 2147483648) return 'uint32';
      return 'float64';
    case 64:
      if (unscaled) return 'int64';
      if (s.bscale === 1 && s.bzero === 9223372036854775808) return 'uint64';
      return 'float64';
    case -32:
      return 'float32';
    case -64:
      return 'float64';
  }
}

export function bytesPerPixel(bitpix: Bitpix): number {
  return Math.abs(bitpix) / 8;
}

/** A fresh, 8-byte-aligned buffer (typed-array views need alignment). */
export function alignedBytes(length: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(length));
}

/**
 * A fresh, 8-byte-aligned buffer whose bytes are not zeroed, for callers that overwrite every
 * byte before anyone sees it. Zeroing is a full pass over memory that is then overwritten; where
 * malloc hands back memory freed earlier (see bench/fits.ts, GLIBC_TUNABLES) that pass is most
 * of the cost of a new image.
 */
export function uninitializedBytes(length: number): Uint8Array {
  // allocUnsafeSlow: an ArrayBuffer of its own (never Node's shared pool), offset 0.
  const b = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(b.buffer, b.byteOffset, length);
}

/** A float32 array whose values are not zeroed (see uninitializedBytes): every value must be written. */
export function uninitializedFloat32(length: number): Float32Array {
  return new Float32Array(uninitializedBytes(length * 4).buffer, 0, length);
}

/** Swaps big-endian stored values to native order in place and views them as the stored type. */
export function storedView(bytes: Uint8Array, bitpix: Bitpix): PixelArray {
  if (bytes.byteOffset % bytesPerPixel(bitpix) !== 0) throw new FitsError(`internal: pixel bytes are not ${bytesPerPixel(bitpix)}-byte aligned`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / bytesPerPixel(bitpix);
  switch (bitpix) {
    case 8:
      return bytes;
    case 16:
      buf.swap16();
      return new Int16Array(bytes.buffer, bytes.byteOffset, n);
    case 32:
      buf.swap32();
      return new Int32Array(bytes.buffer, bytes.byteOffset, n);
    case 64:
      buf.swap64();
      return new BigInt64Array(bytes.buffer, bytes.byteOffset, n);
    case -32:
      buf.swap32();
      return new Float32Array(bytes.buffer, bytes.byteOffset, n);
    case -64:
      buf.swap64();
      return new Float64Array(bytes.buffer, bytes.byteOffset, n);
  }
}

/**
 * Decodes big-endian stored bytes (consumed: swapped in place) to float32 physical values.
 * BLANK becomes NaN. This is the fast path for display and ISR.
 */
export function decodeToFloat32(bytes: Uint8Array, s: Scaling): Float32Array {
  const stored = storedView(bytes, s.bitpix);
  if (stored instanceof Float32Array && s.bscale === 1 && s.bzero === 0) return stored;
  const out = new Float32Array(stored.length);
  consumeToFloat32(stored, s, out);
  return out;
}

/** Decodes to the physical type astropy would give (see physicalTypeOf). Consumes `bytes`. */
export function decodePhysical(bytes: Uint8Array, s: Scaling): PixelArray {
  return storedToPhysical(storedView(bytes, s.bitpix), s);
}

/**
 * Native stored values (Uint8/Int16/Int32/BigInt64/Float32/Float64 per BITPIX) to the physical
 * type; integer results reuse the stored array's memory.
 */
export function storedToPhysical(stored: PixelArray, s: Scaling): PixelArray {
  const type = physicalTypeOf(s);
  const n = stored.length;
  switch (type) {
    case 'uint8':
    case 'int16':
    case 'int32':
    case 'int64':
      return stored;
    case 'int8':
      // uint8 − 128 is the uint8 bit pattern with its top bit flipped.
      flipTopBits(stored, 1);
      return new Int8Array(stored.buffer, stored.byteOffset, n);
    case 'uint16':
      // int16 + 32768 is the int16 bit pattern with its sign bit flipped.
      flipTopBits(stored, 2);
      return new Uint16Array(stored.buffer, stored.byteOffset, n);
    case 'uint32': {
      const u = new Uint32Array(stored.buffer, stored.byteOffset, n);
      for (let i = 0; i < n; i++) u[i] = (u[i] ^ 0x80000000) >>> 0;
      return u;
    }
    case 'uint64': {
      const u = new BigUint64Array(stored.buffer, stored.byteOffset, n);
      const flip = 1n << 63n;
      for (let i = 0; i < n; i++) u[i] ^= flip;
      return u;
    }
    case 'float32':
    case 'float64': {
      if (s.bscale === 1 && s.bzero === 0 && s.bitpix < 0) return stored;
      const out = type === 'float32' ? new Float32Array(n) : new Float64Array(n);
      fillPhysical(stored, s, out);
      return out;
    }
  }
}

/** Native stored values to float32 physical values (BLANK → NaN). */
export function storedToFloat32(stored: PixelArray, s: Scaling): Float32Array {
  if (stored instanceof Float32Array && s.bscale === 1 && s.bzero === 0) return stored;
  const out = new Float32Array(stored.length);
  fillPhysical(stored, s, out);
  return out;
}

/** Physical float32 values of native stored values into `out` (which may share memory with `stored`, see FitsFile). */
export function fillFloat32(stored: PixelArray, s: Scaling, out: Float32Array): void {
  fillPhysical(stored, s, out);
}

/**
 * As fillFloat32, but may overwrite `stored` (bytes being consumed). Unscaled integers and the
 * unsigned offsets (BZERO 2^(n−1), made exact native values in place by flipping the top bit)
 * are converted by the engine's native typed-array copy, several times faster than a script
 * loop and the same values (each integer rounded once to float32). `out` may share memory
 * with `stored` (TypedArray.prototype.set copies an overlapping source first).
 */
export function consumeToFloat32(stored: PixelArray, s: Scaling, out: Float32Array): void {
  if (s.bscale === 1 && s.blank === undefined && s.bitpix !== 64) {
    const { buffer, byteOffset, length } = stored;
    switch (physicalTypeOf(s)) {
      case 'uint8':
      case 'int16':
      case 'int32':
        setForward(out, stored as Uint8Array | Int16Array | Int32Array);
        return;
      case 'float64':
        // Unscaled BITPIX −64 only: BITPIX 32 or −64 with another BZERO is scaled below.
        if (s.bzero === 0 && stored instanceof Float64Array) {
          setForward(out, stored);
          return;
        }
        break;
      case 'float32':
        if (s.bzero === 0) {
          if (stored !== out) setForward(out, stored as Float32Array);
          return;
        }
        break;
      case 'int8':
        flipTopBits(stored, 1);
        setForward(out, new Int8Array(buffer, byteOffset, length));
        return;
      case 'uint16':
        flipTopBits(stored, 2);
        setForward(out, new Uint16Array(buffer, byteOffset, length));
        return;
      case 'uint32':
        flipTopBits(stored, 4);
        setForward(out, new Uint32Array(buffer, byteOffset, length));
        return;
      default:
        break;
    }
  }
  fillPhysical(stored, s, out);
}

type NativeSource = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/**
 * out.set(src) where src may lie in the same memory at or after out's start (stored bytes read
 * into the tail of the output): the engine copies an overlapping source to a temporary first, so
 * this converts in pieces that do not overlap (out[a, b) ends where src[a] starts), halving each
 * time, and leaves only a small last piece to the engine.
 */
function setForward(out: Float32Array, src: NativeSource): void {
  const n = src.length;
  const size = src.BYTES_PER_ELEMENT;
  const outStart = out.byteOffset;
  const srcStart = src.byteOffset;
  if (src.buffer !== out.buffer || srcStart >= outStart + n * 4 || srcStart + n * size <= outStart || srcStart < outStart) {
    out.set(src);
    return;
  }
  let a = 0;
  while (a < n) {
    const b = Math.min(n, Math.floor((srcStart + a * size - outStart) / 4));
    if (b - a < 4096) {
      out.set(src.subarray(a), a);
      return;
    }
    out.set(src.subarray(a, b), a);
    a = b;
  }
}

/**
 * Flips the most significant bit of each native-order value of `size` bytes in place (signed ↔
 * offset-unsigned), a 32-bit word at a time where the memory is 4-byte aligned.
 */
function flipTopBits(values: PixelArray, size: 1 | 2 | 4 | 8): void {
  const { buffer, byteOffset, byteLength } = values;
  if (size === 8) {
    // Only the last byte of each 8-byte value.
    const bytes = new Uint8Array(buffer, byteOffset, byteLength);
    for (let b = 7; b < byteLength; b += 8) bytes[b] ^= 0x80;
    return;
  }
  const lead = byteOffset % 4 === 0 ? 0 : Math.min(byteLength, 4 - (byteOffset % 4));
  const words = new Uint32Array(buffer, byteOffset + lead, (byteLength - lead) >> 2);
  const mask = (size === 1 ? 0x80808080 : size === 2 ? 0x80008000 : 0x80000000) | 0;
  const n = words.length;
  let i = 0;
  // Unrolled: fewer loop and bounds checks per word (measured about 1.4× faster in V8 12).
  for (; i + 4 <= n; i += 4) {
    words[i] ^= mask;
    words[i + 1] ^= mask;
    words[i + 2] ^= mask;
    words[i + 3] ^= mask;
  }
  for (; i < n; i++) words[i] ^= mask;
  // Bytes before and after the aligned words (native order is little-endian: the top byte of each value is its last).
  const bytes = new Uint8Array(buffer, byteOffset, byteLength);
  const tail = lead + words.length * 4;
  for (let b = 0; b < byteLength; b++) {
    if (b === lead) b = tail;
    if (b < byteLength && b % size === size - 1) bytes[b] ^= 0x80;
  }
}

function fillPhysical(stored: PixelArray, s: Scaling, out: Float32Array | Float64Array): void {
  // One loop per source type: a loop shared by several typed-array types runs several times slower.
  const { bzero, bscale, blank } = s;
  if (stored instanceof Int16Array) convertInt16(stored, out, bscale, bzero, blank);
  else if (stored instanceof Uint8Array) convertUint8(stored, out, bscale, bzero, blank);
  else if (stored instanceof Int32Array) convertInt32(stored, out, bscale, bzero, blank);
  else if (stored instanceof Float32Array) convertFloat32(stored, out, bscale, bzero);
  else if (stored instanceof Float64Array) convertFloat64(stored, out, bscale, bzero);
  else if (stored instanceof BigInt64Array) {
    const big = blank === undefined ? undefined : BigInt(blank);
    for (let i = 0; i < stored.length; i++) out[i] = stored[i] === big ? NaN : Number(stored[i]) * bscale + bzero;
  } else {
    for (let i = 0; i < stored.length; i++) out[i] = Number(stored[i]) * bscale + bzero;
  }
}

// 8- and 16-bit data scale to float32 in float32 arithmetic (astropy multiplies and adds in place
// on a float32 array), so the values agree with astropy to the bit; the product of a 16-bit
// integer and a float32 is exact in double, so only each float32 rounding is emulated.
function convertInt16(src: Int16Array, out: Float32Array | Float64Array, bscale: number, bzero: number, blank: number | undefined): void {
  const n = src.length;
  const single = out instanceof Float32Array;
  const bs = single ? Math.fround(bscale) : bscale;
  const bz = single ? Math.fround(bzero) : bzero;
  if (blank !== undefined) for (let i = 0; i < n; i++) out[i] = src[i] === blank ? NaN : scale(src[i], bs, bz, single);
  else if (bscale === 1) for (let i = 0; i < n; i++) out[i] = src[i] + bz;
  else for (let i = 0; i < n; i++) out[i] = Math.fround(src[i] * bs) + bz;
}

function convertUint8(src: Uint8Array, out: Float32Array | Float64Array, bscale: number, bzero: number, blank: number | undefined): void {
  const n = src.length;
  const single = out instanceof Float32Array;
  const bs = single ? Math.fround(bscale) : bscale;
  const bz = single ? Math.fround(bzero) : bzero;
  if (blank !== undefined) for (let i = 0; i < n; i++) out[i] = src[i] === blank ? NaN : scale(src[i], bs, bz, single);
  else if (bscale === 1) for (let i = 0; i < n; i++) out[i] = src[i] + bz;
  else for (let i = 0; i < n; i++) out[i] = Math.fround(src[i] * bs) + bz;
}

function scale(v: number, bscale: number, bzero: number, single: boolean): number {
  if (bscale === 1) return v + bzero;
  return (single ? Math.fround(v * bscale) : v * bscale) + bzero;
}

function convertInt32(src: Int32Array, out: Float32Array | Float64Array, bscale: number, bzero: number, blank: number | undefined): void {
  const n = src.length;
  if (blank !== undefined) for (let i = 0; i < n; i++) out[i] = src[i] === blank ? NaN : src[i] * bscale + bzero;
  else if (bscale === 1) for (let i = 0; i < n; i++) out[i] = src[i] + bzero;
  else for (let i = 0; i < n; i++) out[i] = src[i] * bscale + bzero;
}

function convertFloat32(src: Float32Array, out: Float32Array | Float64Array, bscale: number, bzero: number): void {
  const n = src.length;
  if (bscale === 1 && bzero === 0) for (let i = 0; i < n; i++) out[i] = src[i];
  else for (let i = 0; i < n; i++) out[i] = src[i] * bscale + bzero;
}

function convertFloat64(src: Float64Array, out: Float32Array | Float64Array, bscale: number, bzero: number): void {
  const n = src.length;
  if (bscale === 1 && bzero === 0) for (let i = 0; i < n; i++) out[i] = src[i];
  else for (let i = 0; i < n; i++) out[i] = src[i] * bscale + bzero;
}

/**
 * Float32 physical values of integer stored values held as int32 (decoded Rice tiles):
 * src[from, from + count) → out[to, ...). Each value is first wrapped to the width of `s.bitpix`
 * (8, 16 or 32), so the result equals fillFloat32 on the stored typed array, value for value.
 */
export function int32StoredToFloat32(src: Int32Array, from: number, count: number, out: Float32Array, to: number, s: Scaling): void {
  const { bscale, bzero, blank } = s;
  const end = from + count;
  const delta = to - from;
  if (s.bitpix === 32) {
    // As convertInt32: double arithmetic, rounded once to float32 on store.
    if (blank !== undefined) for (let i = from; i < end; i++) out[i + delta] = src[i] === blank ? NaN : src[i] * bscale + bzero;
    else if (bscale === 1) for (let i = from; i < end; i++) out[i + delta] = src[i] + bzero;
    else for (let i = from; i < end; i++) out[i + delta] = src[i] * bscale + bzero;
    return;
  }
  // As convertInt16/convertUint8: float32 arithmetic (see there). 8-bit values are unsigned.
  const shift = s.bitpix === 16 ? 16 : 24;
  const mask = s.bitpix === 16 ? -1 : 0xff;
  const bs = Math.fround(bscale);
  const bz = Math.fround(bzero);
  if (blank !== undefined) {
    for (let i = from; i < end; i++) {
      const v = ((src[i] << shift) >> shift) & mask;
      out[i + delta] = v === blank ? NaN : bs === 1 ? v + bz : Math.fround(v * bs) + bz;
    }
  } else if (bscale === 1) {
    for (let i = from; i < end; i++) out[i + delta] = (((src[i] << shift) >> shift) & mask) + bz;
  } else {
    for (let i = from; i < end; i++) out[i + delta] = Math.fround((((src[i] << shift) >> shift) & mask) * bs) + bz;
  }
}

/**
 * How the physical values of unscaled data come from big-endian stored values by a byte swap of
 * `size`-byte values alone, plus a flip of each value's top bit for the unsigned (and int8)
 * offsets; `view` gives the swapped bytes as the physical type. Undefined where arithmetic is
 * needed (BSCALE, another BZERO, BLANK turning integers into floats).
 */
export interface SwapPlan {
  size: 1 | 2 | 4 | 8;
  flip: boolean;
  type: PixelType;
  view(buffer: ArrayBuffer, length: number): PixelArray;
}

export function swapPlanOf(s: Scaling): SwapPlan | undefined {
  const type = physicalTypeOf(s);
  const size = bytesPerPixel(s.bitpix) as 1 | 2 | 4 | 8;
  const plan = (flip: boolean, view: (buffer: ArrayBuffer, length: number) => PixelArray): SwapPlan => ({ size, flip, type, view });
  switch (type) {
    case 'uint8':
      return plan(false, (b, n) => new Uint8Array(b, 0, n));
    case 'int8':
      return plan(true, (b, n) => new Int8Array(b, 0, n));
    case 'int16':
      return plan(false, (b, n) => new Int16Array(b, 0, n));
    case 'uint16':
      return plan(true, (b, n) => new Uint16Array(b, 0, n));
    case 'int32':
      return plan(false, (b, n) => new Int32Array(b, 0, n));
    case 'uint32':
      return plan(true, (b, n) => new Uint32Array(b, 0, n));
    case 'int64':
      return plan(false, (b, n) => new BigInt64Array(b, 0, n));
    case 'uint64':
      return plan(true, (b, n) => new BigUint64Array(b, 0, n));
    case 'float32':
      return s.bitpix === -32 && s.bscale === 1 && s.bzero === 0 ? plan(false, (b, n) => new Float32Array(b, 0, n)) : undefined;
    case 'float64':
      return s.bitpix === -64 && s.bscale === 1 && s.bzero === 0 ? plan(false, (b, n) => new Float64Array(b, 0, n)) : undefined;
  }
}

/** A new array of a pixel type whose values are not zeroed (see uninitializedBytes): every value must be written. */
export function uninitializedPixels(type: PixelType, length: number): PixelArray {
  const size = type === 'int64' || type === 'uint64' || type === 'float64' ? 8 : type === 'int32' || type === 'uint32' || type === 'float32' ? 4 : type === 'int16' || type === 'uint16' ? 2 : 1;
  const buffer = uninitializedBytes(length * size).buffer;
  switch (type) {
    case 'uint8':
      return new Uint8Array(buffer, 0, length);
    case 'int8':
      return new Int8Array(buffer, 0, length);
    case 'int16':
      return new Int16Array(buffer, 0, length);
    case 'uint16':
      return new Uint16Array(buffer, 0, length);
    case 'int32':
      return new Int32Array(buffer, 0, length);
    case 'uint32':
      return new Uint32Array(buffer, 0, length);
    case 'int64':
      return new BigInt64Array(buffer, 0, length);
    case 'uint64':
      return new BigUint64Array(buffer, 0, length);
    case 'float32':
      return new Float32Array(buffer, 0, length);
    case 'float64':
      return new Float64Array(buffer, 0, length);
  }
}

/** out.set(values, at) for any pair the engine converts natively (not bigint ↔ number). */
export function setPixels(out: PixelArray, values: PixelArray, at: number): void {
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    if (!(values instanceof BigInt64Array || values instanceof BigUint64Array)) throw new FitsError('internal: 64-bit integer pixels from non-bigint values');
    out.set(values, at);
  } else {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) throw new FitsError('internal: bigint pixels into a number array');
    out.set(values, at);
  }
}

/** The BITPIX/BZERO a typed array is written with by default (FITS 4.0 §5.3 unsigned conventions). */
export function defaultScalingFor(data: PixelArray): Scaling {
  switch (pixelTypeOf(data)) {
    case 'uint8':
      return { bitpix: 8, bzero: 0, bscale: 1 };
    case 'int8':
      return { bitpix: 8, bzero: -128, bscale: 1 };
    case 'int16':
      return { bitpix: 16, bzero: 0, bscale: 1 };
    case 'uint16':
      return { bitpix: 16, bzero: 32768, bscale: 1 };
    case 'int32':
      return { bitpix: 32, bzero: 0, bscale: 1 };
    case 'uint32':
      return { bitpix: 32, bzero: 2147483648, bscale: 1 };
    case 'int64':
      return { bitpix: 64, bzero: 0, bscale: 1 };
    case 'uint64':
      return { bitpix: 64, bzero: 9223372036854775808, bscale: 1 };
    case 'float32':
      return { bitpix: -32, bzero: 0, bscale: 1 };
    case 'float64':
      return { bitpix: -64, bzero: 0, bscale: 1 };
  }
}

/**
 * Encodes physical values to big-endian stored bytes under a scaling. The natural pairs
 * (typed array with its default scaling) are byte copies plus a swap; other pairs convert
 * value by value: stored = round((physical − bzero) / bscale), NaN → BLANK (required then).
 */
export function encodePixels(data: PixelArray, s: Scaling): Uint8Array {
  const n = data.length;
  const natural = defaultScalingFor(data);
  const out = alignedBytes(n * bytesPerPixel(s.bitpix));
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  if (natural.bitpix === s.bitpix && natural.bzero === s.bzero && natural.bscale === s.bscale) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    // uint16 − 32768 as int16 (and the like) is the bit pattern with the top bit flipped.
    const flip = UNSIGNED_FLIP[pixelTypeOf(data)];
    if (flip) flipTopBits(out, flip);
    swapToBigEndian(buf, s.bitpix);
    return out;
  }
  const view = storedArrayOver(out, s.bitpix, n);
  convertInto(data, s, view);
  swapToBigEndian(buf, s.bitpix);
  return out;
}

/** Value size of the types stored as signed values with the top bit flipped (FITS 4.0 §5.3 offsets). */
const UNSIGNED_FLIP: Record<PixelType, 0 | 1 | 2 | 4 | 8> = {
  uint8: 0, int8: 1, int16: 0, uint16: 2, int32: 0, uint32: 4, int64: 0, uint64: 8, float32: 0, float64: 0,
};

// 512 KB: the copy and byte swap stay in the core's 1 MB L2 cache before the kernel (the
// operating system's) copies the chunk out; 128 KB–2 MB measured, 512 KB and up best.
const CHUNK_BYTES = KERNEL_CHUNK;
let scratch: Uint8Array | undefined;

/**
 * The big-endian stored bytes of `data` as a sequence of chunks (each valid only until the next
 * is requested). The natural type/scaling pairs go through one reused 512 KB buffer (the swap
 * kernel's, where WebAssembly SIMD exists), so writing a large image touches no new memory;
 * other pairs are converted in one piece.
 */
export function* encodePixelChunks(data: PixelArray, s: Scaling): Generator<Uint8Array> {
  const natural = defaultScalingFor(data);
  if (natural.bitpix !== s.bitpix || natural.bzero !== s.bzero || natural.bscale !== s.bscale) {
    yield encodePixels(data, s);
    return;
  }
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const flipStep = UNSIGNED_FLIP[pixelTypeOf(data)];
  const size = bytesPerPixel(s.bitpix) as 1 | 2 | 4 | 8;
  const kernel = wasmKernel('write');
  if (kernel) {
    for (let offset = 0; offset < src.length; offset += CHUNK_BYTES) {
      const n = Math.min(CHUNK_BYTES, src.length - offset);
      kernel.bytes.set(src.subarray(offset, offset + n));
      // Unsigned → signed stored value: the sign bit of each value flipped.
      kernel.toBigEndian(n, size, flipStep !== 0);
      yield kernel.bytes.subarray(0, n);
    }
    return;
  }
  scratch ??= alignedBytes(CHUNK_BYTES);
  for (let offset = 0; offset < src.length; offset += CHUNK_BYTES) {
    const n = Math.min(CHUNK_BYTES, src.length - offset);
    const chunk = n === CHUNK_BYTES ? scratch : scratch.subarray(0, n);
    chunk.set(src.subarray(offset, offset + n));
    // Unsigned → signed stored value: flip the sign bit of each native (little-endian) value.
    if (flipStep) flipTopBits(chunk, flipStep);
    swapToBigEndian(Buffer.from(chunk.buffer, chunk.byteOffset, n), s.bitpix);
    yield chunk;
  }
}

function swapToBigEndian(buf: Buffer, bitpix: Bitpix): void {
  const size = bytesPerPixel(bitpix);
  if (size === 2) buf.swap16();
  else if (size === 4) buf.swap32();
  else if (size === 8) buf.swap64();
}

function storedArrayOver(bytes: Uint8Array, bitpix: Bitpix, n: number): PixelArray {
  switch (bitpix) {
    case 8:
      return bytes;
    case 16:
      return new Int16Array(bytes.buffer, bytes.byteOffset, n);
    case 32:
      return new Int32Array(bytes.buffer, bytes.byteOffset, n);
    case 64:
      return new BigInt64Array(bytes.buffer, bytes.byteOffset, n);
    case -32:
      return new Float32Array(bytes.buffer, bytes.byteOffset, n);
    case -64:
      return new Float64Array(bytes.buffer, bytes.byteOffset, n);
  }
}

const RANGES: Record<number, [number, number]> = { 8: [0, 255], 16: [-32768, 32767], 32: [-2147483648, 2147483647] };

function convertInto(data: PixelArray, s: Scaling, stored: PixelArray): void {
  const n = data.length;
  const { bzero, bscale } = s;
  if (s.bitpix < 0) {
    const dst = stored as Float32Array | Float64Array;
    for (let i = 0; i < n; i++) dst[i] = (Number(data[i]) - bzero) / bscale;
    return;
  }
  if (stored instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (typeof v === 'bigint') stored[i] = BigInt.asIntN(64, v - BigInt(bzero));
      else if (Number.isNaN(v)) stored[i] = BigInt(requireBlank(s));
      else stored[i] = BigInt(Math.round((v - bzero) / bscale));
    }
    return;
  }
  const [lo, hi] = RANGES[s.bitpix];
  const dst = stored as Uint8Array | Int16Array | Int32Array;
  for (let i = 0; i < n; i++) {
    const v = Number(data[i]);
    if (Number.isNaN(v)) {
      dst[i] = requireBlank(s);
      continue;
    }
    const q = Math.round((v - bzero) / bscale);
    if (q < lo || q > hi) {
      throw new FitsError(`pixel ${i} = ${v} does not fit BITPIX ${s.bitpix} with BZERO ${bzero}, BSCALE ${bscale} (stored ${q} outside ${lo}..${hi})`);
    }
    dst[i] = q;
  }
}

function requireBlank(s: Scaling): number {
  if (s.blank === undefined) throw new FitsError(`NaN pixels need a BLANK value to be written as integers (BITPIX ${s.bitpix})`);
  return s.blank;
}
