// The specialised fast paths of core/fits (whole-image reads, Rice tiles scaled straight into the
// output, native-order conversions on writing) give exactly what the generic paths give.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FitsFile, encodeFits, writeFits, type PixelArray } from '../../../core/fits/index.js';
import type { Bitpix } from '../../../core/fits/layout.js';
import { riceDecode, riceDecodeInto, riceEncode } from '../../../core/fits/compression/rice.js';
import { useWasmKernels, wasmKernel } from '../../../core/fits/wasm/kernel.js';

const dir = mkdtempSync(join(tmpdir(), 'fits-fast-'));

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** Bit-for-bit equality of float arrays (NaN equal to NaN, −0 distinct from +0). */
function sameFloats(a: Float32Array | Float64Array, b: Float32Array | Float64Array): void {
  expect(a.length).toBe(b.length);
  const bad: string[] = [];
  for (let i = 0; i < a.length && bad.length < 5; i++) if (!Object.is(a[i], b[i])) bad.push(`[${i}] ${a[i]} vs ${b[i]}`);
  expect(bad).toEqual([]);
}

interface Case {
  label: string;
  data: PixelArray;
  bitpix?: Bitpix;
  bzero?: number;
  bscale?: number;
  blank?: number;
}

const W = 37;
const H = 23;
const N = W * H;

function cases(): Case[] {
  const rand = lcg(11);
  const noisy = (lo: number, hi: number) => Array.from({ length: N }, () => lo + Math.floor(rand() * (hi - lo + 1)));
  const withNaN = Float32Array.from(noisy(-2000, 2000), (v, i) => (i % 17 === 3 ? NaN : v * 0.5 + 10));
  return [
    { label: 'uint8', data: Uint8Array.from(noisy(0, 255)) },
    { label: 'uint8 with BLANK and scaling', data: Float32Array.from(noisy(0, 254), (v, i) => (i % 13 === 0 ? NaN : v * 2 - 7)), bitpix: 8, bzero: -7, bscale: 2, blank: 255 },
    { label: 'int16', data: Int16Array.from(noisy(-32768, 32767)) },
    { label: 'uint16 (BZERO 32768)', data: Uint16Array.from(noisy(0, 65535)) },
    { label: 'uint16 smooth (low-entropy blocks)', data: Uint16Array.from({ length: N }, (_, i) => 1000 + (i % 5)) },
    { label: 'int16 with BZERO 10, BSCALE 0.5, BLANK', data: withNaN, bitpix: 16, bzero: 10, bscale: 0.5, blank: -32768 },
    { label: 'int16 with BSCALE 0.1 (float32 rounding)', data: Float32Array.from(noisy(-30000, 30000), (v) => Math.fround(v * 0.1)), bitpix: 16, bzero: 0, bscale: 0.1 },
    { label: 'int32', data: Int32Array.from(noisy(-2147483648, 2147483647)) },
    { label: 'uint32 (BZERO 2147483648)', data: Uint32Array.from(noisy(0, 4294967295)) },
    { label: 'int32 scaled with BLANK', data: Float64Array.from(noisy(-1e6, 1e6), (v, i) => (i % 11 === 0 ? NaN : v * 0.25 + 3)), bitpix: 32, bzero: 3, bscale: 0.25, blank: -2147483648 },
  ];
}

describe('Rice tiles scaled straight into float32', () => {
  for (const c of cases()) {
    it(`${c.label}: same float32 pixels as the uncompressed image, whole and by region, for every tile shape`, () => {
      const plain = FitsFile.fromBytes(encodeFits([{ type: 'image', data: c.data, axes: [W, H], bitpix: c.bitpix, bzero: c.bzero, bscale: c.bscale, blank: c.blank }]));
      const expected = plain.readImageFloat32(0).data;
      // The generic path: physical values of the stored type, then float32.
      const physical = plain.readImage(0).data;
      sameFloats(expected, Float32Array.from(physical as ArrayLike<number>));
      for (const tile of [[W, 1], [W, 4], [8, 5], [1, H]]) {
        const bytes = encodeFits([
          { type: 'image' },
          { type: 'compressed-image', data: c.data, axes: [W, H], bitpix: c.bitpix, bzero: c.bzero, bscale: c.bscale, blank: c.blank, compression: { type: 'RICE_1', tile } },
        ]);
        const f = FitsFile.fromBytes(bytes);
        sameFloats(f.readImageFloat32(1).data, expected);
        sameFloats(Float32Array.from(f.readImage(1).data as ArrayLike<number>), expected);
        const region = { x: 3, y: 2, width: 19, height: 9 };
        const cut = f.readImageFloat32(1, { region }).data;
        const want = new Float32Array(region.width * region.height);
        for (let y = 0; y < region.height; y++) want.set(expected.subarray((region.y + y) * W + region.x, (region.y + y) * W + region.x + region.width), y * region.width);
        sameFloats(cut, want);
      }
    });
  }
});

describe('Rice tiles decoded straight into the image', () => {
  it('places tiles of whole rows and whole planes where they belong in 3-D and 4-D images, as the generic path does', () => {
    const rand = lcg(3);
    for (const axes of [[W, H, 3], [W, 5, 2, 3]]) {
      const n = axes.reduce((a, b) => a * b, 1);
      const data = Uint16Array.from({ length: n }, () => Math.floor(rand() * 65536));
      const tiles = axes.length === 3
        ? [[W, 1, 1], [W, H, 1], [W, H, 2], [W, 4, 2], [W, H, 3]]
        : [[W, 1, 1, 1], [W, 5, 2, 1], [W, 5, 1, 2], [W, 2, 1, 1], [W, 5, 2, 3]];
      for (const tile of tiles) {
        const f = FitsFile.fromBytes(encodeFits([{ type: 'image' }, { type: 'compressed-image', data, axes, compression: { type: 'RICE_1', tile } }]));
        sameFloats(f.readImageFloat32(1).data, Float32Array.from(data));
        const into = new Float32Array(n + 2).fill(-1);
        f.readImageFloat32(1, { into });
        sameFloats(into.subarray(0, n), Float32Array.from(data));
        expect(Array.from(into.subarray(n))).toEqual([-1, -1]);
      }
    }
  });

  it('reports a truncated or malformed stream instead of decoding past its end', () => {
    const values = Array.from({ length: 640 }, (_, i) => (i * 7919) % 4000);
    const bytes = riceEncode(values, 32, 2);
    const out = new Float32Array(700);
    expect(() => riceDecodeInto(bytes.subarray(0, bytes.length - 3), values.length, 32, 2, out, 60, 32768)).toThrow(/Rice data ends early/);
    expect(() => riceDecodeInto(bytes, values.length, 0, 2, out, 0, 0)).toThrow(/block size must be at least 1, found 0/);
    expect(() => riceDecodeInto(bytes, values.length, 32, 2, out, 100, 0)).toThrow(/holds 700 values, 740 needed/);
    riceDecodeInto(bytes, values.length, 32, 2, out, 60, 32768);
    expect(Array.from(out.subarray(60))).toEqual(values.map((v) => v + 32768));
    // After a first value and a block header with fs = 0, zero bits are one endless unary run:
    // it must stop at the data's end, not decode the zero padding.
    const zeroRun = new Uint8Array(64);
    zeroRun[4] = 0b00001000;
    expect(() => riceDecode(zeroRun, 1000, 32, 4)).toThrow(/Rice data ends early \(decoded 0 of 1000/);
  });
});

describe('Rice decoder', () => {
  it('decodes every split parameter, zero runs and verbatim blocks of each pixel width as encoded', () => {
    const rand = lcg(5);
    for (const bytePix of [1, 2, 4] as const) {
      const bits = bytePix * 8;
      // Noise amplitudes from 0 (all-equal blocks) to the full width (verbatim blocks).
      const values: number[] = [];
      for (let amp = 0; amp <= bits; amp++) {
        for (let i = 0; i < 64; i++) {
          const v = Math.floor(rand() * 2 ** amp) + (bytePix === 1 ? 0 : -(2 ** (bits - 1)) + 2 ** (bits - 2));
          values.push(bytePix === 1 ? v & 0xff : bytePix === 2 ? (v << 16) >> 16 : v | 0);
        }
      }
      for (const block of [16, 32]) {
        expect(Array.from(riceDecode(riceEncode(values, block, bytePix), values.length, block, bytePix))).toEqual(values);
      }
    }
  });
});

describe('Rice decoding into float32: WebAssembly and JavaScript decoders', () => {
  it('give the encoded values (plus the addend) for every split parameter, zero runs, verbatim blocks and pixel width', () => {
    const rand = lcg(21);
    for (const bytePix of [1, 2, 4] as const) {
      const bits = bytePix * 8;
      const values: number[] = [];
      for (let amp = 0; amp <= bits; amp++) {
        for (let i = 0; i < 70; i++) {
          // Mostly small noise with rare outliers: long unary runs (more than 64 zeros) inside low-entropy blocks.
          const outlier = i % 23 === 5 ? 2 ** (bits - 2) : 0;
          const v = Math.floor(rand() * 2 ** Math.min(amp, bits - 2)) + outlier + (bytePix === 1 ? 0 : -(2 ** (bits - 2)));
          values.push(bytePix === 1 ? v & 0xff : bytePix === 2 ? (v << 16) >> 16 : v | 0);
        }
      }
      // Addends for which value + addend is exact in float32 (as FITS readers use them).
      const addend = bytePix === 2 ? 32768 : 0;
      const expected = Float32Array.from(values, (v) => v + addend);
      for (const block of [1, 7, 16, 32]) {
        const bytes = riceEncode(values, block, bytePix);
        for (const wasm of [true, false]) {
          useWasmKernels(wasm);
          try {
            const out = new Float32Array(values.length + 3).fill(-1);
            riceDecodeInto(bytes, values.length, block, bytePix, out, 2, addend);
            sameFloats(out.subarray(2, 2 + values.length), expected);
            expect([out[0], out[1], out[values.length + 2]]).toEqual([-1, -1, -1]);
            expect(() => riceDecodeInto(bytes.subarray(0, bytes.length - 2), values.length, block, bytePix, out, 0, addend), `bytePix ${bytePix} block ${block} wasm ${wasm}`).toThrow(/Rice data ends early/);
          } finally {
            useWasmKernels(true);
          }
        }
      }
    }
  });

  it('both decoders report an endless zero run and a split parameter out of range', () => {
    const zeroRun = new Uint8Array(64);
    zeroRun[4] = 0b00001000; // first value 0, then a block header with fs = 0, then zeros
    const out = new Float32Array(1000);
    expect(() => riceDecodeInto(zeroRun, 1000, 32, 4, out, 0, 0)).toThrow(/Rice data ends early \(decoded 0 of 1000/);
    // Only BYTEPIX 4 has room for a split parameter beyond its maximum (5 bits: fs up to 30 > 25).
    const badSplit = new Uint8Array(64);
    badSplit[4] = 0b11111000; // first value 0, then fs + 1 = 31
    for (const wasm of [true, false]) {
      useWasmKernels(wasm);
      try {
        expect(() => riceDecodeInto(badSplit, 100, 32, 4, out, 0, 0)).toThrow(/split parameter (30 )?> 25/);
      } finally {
        useWasmKernels(true);
      }
    }
  });
});

describe('whole-image reads', () => {
  for (const c of cases()) {
    it(`${c.label}: whole-image float32 equals the region path and the physical values`, () => {
      const f = FitsFile.fromBytes(encodeFits([{ type: 'image', data: c.data, axes: [W, H], bitpix: c.bitpix, bzero: c.bzero, bscale: c.bscale, blank: c.blank }]));
      const whole = f.readImageFloat32(0).data;
      // A full-size region goes through the generic decode (a separate byte buffer, then convert).
      sameFloats(whole, f.readImageFloat32(0, { region: { x: 0, y: 0, width: W, height: H } }).data);
      const into = new Float32Array(N + 5).fill(7);
      sameFloats(f.readImageFloat32(0, { into }).data, whole);
      expect(into[N]).toBe(7);
      const physical = f.readImage(0).data;
      const viaRegion = f.readImage(0, { region: { x: 0, y: 1, width: W, height: H - 1 } }).data;
      expect(Array.from(viaRegion as ArrayLike<number>)).toEqual(Array.from(physical as ArrayLike<number>).slice(W));
    });
  }

  it('odd pixel counts and unaligned tails of uint16 images', () => {
    for (const n of [1, 2, 3, 5, 1441, 1442]) {
      const data = Uint16Array.from({ length: n }, (_, i) => (i * 40503) & 0xffff);
      const f = FitsFile.fromBytes(encodeFits([{ type: 'image', data, axes: [n] }]));
      expect(Array.from(f.readImage(0).data as Uint16Array)).toEqual(Array.from(data));
      expect(Array.from(f.readImageFloat32(0).data)).toEqual(Array.from(data));
    }
  });
});

describe('large whole-image reads and writes, with and without the SIMD swap kernel', () => {
  for (const simd of [true, false]) {
    it(`${simd ? 'SIMD kernel' : 'Buffer.swapNN and in-place conversion in non-overlapping pieces'}: every value of each integer and float type survives a write and a read`, () => {
      const n = 40_009;
      const arrays: PixelArray[] = [
        Uint16Array.from({ length: n }, (_, i) => (i * 40503) & 0xffff),
        Int16Array.from({ length: n }, (_, i) => ((i * 40503) & 0xffff) - 32768),
        Int8Array.from({ length: n }, (_, i) => ((i * 37) & 0xff) - 128),
        Uint8Array.from({ length: n }, (_, i) => (i * 101) & 0xff),
        Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0),
        Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0),
        Float32Array.from({ length: n }, (_, i) => (i - 20000) * 0.37),
        Float64Array.from({ length: n }, (_, i) => (i - 20000) * 1.234567e10),
        BigInt64Array.from({ length: n }, (_, i) => BigInt(i - 20000) * 182622766329724561n),
        BigUint64Array.from({ length: n }, (_, i) => BigInt(i) * 182622766329724561n),
      ];
      useWasmKernels(simd);
      try {
        for (const data of arrays) {
          const path = join(dir, `large-${data.constructor.name}-${simd}.fits`);
          writeFits(path, [{ type: 'image', data, axes: [n] }], { fsync: false });
          const f = FitsFile.open(path);
          const physical = f.readImage(0).data;
          expect(physical.constructor).toBe(data.constructor);
          let differing = 0;
          for (let i = 0; i < n; i++) if (physical[i] !== data[i]) differing++;
          expect(differing, data.constructor.name).toBe(0);
          if (!(data instanceof BigInt64Array || data instanceof BigUint64Array)) {
            const expected = Float32Array.from(data);
            sameFloats(f.readImageFloat32(0).data, expected);
            const into = new Float32Array(n);
            f.readImageFloat32(0, { into });
            sameFloats(into, expected);
          }
          f.close();
        }
      } finally {
        useWasmKernels(true);
      }
    });
  }

  it('the kernel reverses each value\'s bytes and flips the top bit as Buffer.swapNN and an XOR do', () => {
    const kernel = wasmKernel('read');
    expect(kernel, 'WebAssembly SIMD is available in Node 20').toBeDefined();
    if (!kernel) return;
    const rand = lcg(9);
    const source = Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 256));
    for (const size of [1, 2, 4, 8] as const) {
      for (const flip of [false, true]) {
        for (const length of [0, size, 16 * size, 4096 - (4096 % size) - size]) {
          const expected = Buffer.from(source.subarray(0, length));
          if (size === 2) expected.swap16();
          if (size === 4) expected.swap32();
          if (size === 8) expected.swap64();
          kernel.bytes.set(source);
          kernel.toNative(length, size, flip);
          const native = Buffer.from(expected);
          if (flip) for (let b = size - 1; b < length; b += size) native[b] ^= 0x80;
          expect(Buffer.from(kernel.bytes.subarray(0, length)).equals(native), `toNative size ${size} flip ${flip} length ${length}`).toBe(true);
          kernel.bytes.set(source);
          kernel.toBigEndian(length, size, flip);
          const big = Buffer.from(expected);
          if (flip) for (let b = 0; b < length; b += size) big[b] ^= 0x80;
          expect(Buffer.from(kernel.bytes.subarray(0, length)).equals(big), `toBigEndian size ${size} flip ${flip} length ${length}`).toBe(true);
        }
      }
    }
    expect(() => kernel.toNative(6, 4, false)).toThrow(/swap of 6 bytes in 4-byte values/);
  });

  it('applies BZERO to BITPIX 32 and -64 data with BSCALE 1 (float32 and physical reads agree)', () => {
    const data = Float64Array.from([1, 2, 3, 1000, -7.5]);
    for (const [bitpix, values] of [[32, data.subarray(0, 4)], [-64, data]] as const) {
      const f = FitsFile.fromBytes(encodeFits([{ type: 'image', data: values, axes: [values.length], bitpix, bzero: 5, bscale: 1 }]));
      expect(Array.from(f.readImage(0).data as Float64Array)).toEqual(Array.from(values));
      expect(Array.from(f.readImageFloat32(0).data)).toEqual(Array.from(values));
      expect(Array.from(f.readImageFloat32(0, { region: { x: 0, y: 0, width: values.length, height: 1 } }).data)).toEqual(Array.from(values));
    }
  });
});

describe('physical reads into a caller\'s array', () => {
  it('fills the array of the physical type for whole images, regions and compressed images, and refuses another type or too small an array', () => {
    const data = Uint16Array.from({ length: N }, (_, i) => (i * 40503) & 0xffff);
    const plain = FitsFile.fromBytes(encodeFits([{ type: 'image', data, axes: [W, H] }]));
    const rice = FitsFile.fromBytes(encodeFits([{ type: 'image' }, { type: 'compressed-image', data, axes: [W, H] }]));
    for (const [f, hdu] of [[plain, 0], [rice, 1]] as const) {
      const into = new Uint16Array(N + 1).fill(7);
      const whole = f.readImage(hdu, { into }).data;
      expect(whole.buffer).toBe(into.buffer);
      expect(Array.from(into.subarray(0, N))).toEqual(Array.from(data));
      expect(into[N]).toBe(7);
      const region = { x: 2, y: 3, width: 5, height: 4 };
      const part = new Uint16Array(20);
      f.readImage(hdu, { region, into: part });
      expect(Array.from(part)).toEqual(Array.from(f.readImage(hdu, { region }).data as Uint16Array));
      expect(() => f.readImage(hdu, { into: new Int16Array(N) })).toThrow(/the output array is int16 but the image's pixels are uint16/);
      expect(() => f.readImage(hdu, { into: new Uint16Array(N - 1) })).toThrow(new RegExp(`holds ${N - 1} values but the image has ${N} pixels`));
    }
  });
});

describe('writing natural types', () => {
  it('writes the big-endian stored values the standard defines, in one piece or in chunks', () => {
    const n = 3 * 1024 * 1024 + 3; // more than one 4 MB chunk of uint16, odd length
    const u16 = Uint16Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 16);
    const i8 = Int8Array.from({ length: 1001 }, (_, i) => ((i * 37) & 0xff) - 128);
    const u32 = Uint32Array.from({ length: 1001 }, (_, i) => (i * 2654435761) >>> 0);
    const u64 = BigUint64Array.from({ length: 101 }, (_, i) => BigInt(i) * 182622766329724561n);
    const path = join(dir, 'natural.fits');
    writeFits(path, [
      { type: 'image', data: u16, axes: [n] },
      { type: 'image', data: i8, axes: [1001] },
      { type: 'image', data: u32, axes: [1001] },
      { type: 'image', data: u64, axes: [101] },
    ]);
    const f = FitsFile.open(path);
    const bytes = readFileSync(path);
    const view = (k: number) => new DataView(bytes.buffer, bytes.byteOffset + f.hdus[k].dataOffset);
    const v0 = view(0);
    for (let i = 0; i < n; i += 997) expect(v0.getInt16(2 * i) + 32768).toBe(u16[i]);
    expect(v0.getInt16(2 * (n - 1)) + 32768).toBe(u16[n - 1]);
    const v1 = view(1);
    for (let i = 0; i < 1001; i++) expect(v1.getUint8(i) - 128).toBe(i8[i]);
    const v2 = view(2);
    for (let i = 0; i < 1001; i++) expect(v2.getInt32(4 * i) + 2147483648).toBe(u32[i]);
    const v3 = view(3);
    for (let i = 0; i < 101; i++) expect(v3.getBigInt64(8 * i) + 9223372036854775808n).toBe(u64[i]);
    expect(Array.from(f.readImage(3).data as BigUint64Array)).toEqual(Array.from(u64));
    const back = f.readImage(0).data as Uint16Array;
    expect(back).toBeInstanceOf(Uint16Array);
    expect(Buffer.compare(Buffer.from(back.buffer, back.byteOffset, back.byteLength), Buffer.from(u16.buffer))).toBe(0);
    f.close();
    // The same bytes as the in-memory encoder.
    expect(Buffer.compare(bytes, Buffer.from(encodeFits([{ type: 'image', data: u16, axes: [n] }, { type: 'image', data: i8, axes: [1001] }, { type: 'image', data: u32, axes: [1001] }, { type: 'image', data: u64, axes: [101] }])))).toBe(0);
  });
});
