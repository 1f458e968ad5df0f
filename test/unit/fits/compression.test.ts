import { describe, expect, it } from 'vitest';
import { riceDecode, riceEncode } from '../../../core/fits/compression/rice.js';
import { randomSequence, N_RANDOM } from '../../../core/fits/compression/dither.js';
import { unshuffle } from '../../../core/fits/compressed-read.js';
import { FitsFile, Header, encodeFits, FitsError } from '../../../core/fits/index.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('Rice coding', () => {
  const rand = lcg(7);
  const cases: Array<[string, 1 | 2 | 4, number[]]> = [
    ['constant (low-entropy blocks)', 4, new Array(100).fill(12345)],
    ['smooth int32', 4, Array.from({ length: 1000 }, (_, i) => Math.round(Math.sin(i / 30) * 1e6))],
    ['noise int32 (high-entropy blocks)', 4, Array.from({ length: 500 }, () => Math.floor((rand() - 0.5) * 2 ** 32))],
    ['extremes int32', 4, [2147483647, -2147483648, 0, -1, 2147483647, -2147483648, 1, 1]],
    ['int16 with wraparound', 2, Array.from({ length: 333 }, (_, i) => (i % 7 === 0 ? 32767 : i % 5 === 0 ? -32768 : Math.floor((rand() - 0.5) * 400)))],
    ['uint8', 1, Array.from({ length: 77 }, (_, i) => (i * 37) % 256)],
    ['single pixel', 4, [42]],
  ];
  for (const [label, bytePix, values] of cases) {
    it(`round-trips ${label}`, () => {
      for (const block of [16, 32]) {
        const bytes = riceEncode(values, block, bytePix);
        expect(Array.from(riceDecode(bytes, values.length, block, bytePix))).toEqual(values);
      }
    });
  }

  it('compresses smooth data well and reports truncated streams', () => {
    const values = Array.from({ length: 4096 }, (_, i) => 1000 + (i % 3));
    const bytes = riceEncode(values, 32, 2);
    expect(bytes.length).toBeLessThan(values.length * 2 * 0.3);
    expect(() => riceDecode(bytes.subarray(0, bytes.length >> 1), values.length, 32, 2)).toThrow(/Rice data ends early/);
  });
});

describe('dither random sequence', () => {
  it('matches the standard (FITS 4.0 §10.2.2): the 10000th seed is 1043618065', () => {
    const r = randomSequence();
    expect(r.length).toBe(N_RANDOM);
    expect(r[N_RANDOM - 1]).toBe(Math.fround(1043618065 / 2147483647));
    expect(r[0]).toBe(Math.fround(16807 / 2147483647));
  });
});

describe('GZIP_2 byte shuffling', () => {
  it('unshuffles the planes of most significant bytes first', () => {
    expect(Array.from(unshuffle(Uint8Array.from([1, 3, 5, 2, 4, 6]), 2))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('compressed images', () => {
  const W = 50;
  const H = 37;
  const data = Int32Array.from({ length: W * H }, (_, i) => ((i * 7919) % 100003) - 50000);

  it('reads a region decoding only the tiles it touches, for every tile shape', () => {
    for (const tile of [[W, 1], [16, 16], [7, 5], [W, H]]) {
      const bytes = encodeFits([{ type: 'image' }, { type: 'compressed-image', data, axes: [W, H], compression: { tile } }]);
      const f = FitsFile.fromBytes(bytes);
      expect(f.hdus[1].kind).toBe('compressed-image');
      expect(Array.from(f.readImage(1).data as Int32Array)).toEqual(Array.from(data));
      const before = f.bytesRead;
      const r = f.readImage(1, { region: { x: 13, y: 9, width: 20, height: 11 } });
      if (tile[1] === 1) expect(f.bytesRead - before, `tile ${tile}: only the table and 11 rows' tiles`).toBeLessThan(8 * H + 11 * W * 4);
      const expected: number[] = [];
      for (let y = 9; y < 20; y++) for (let x = 13; x < 33; x++) expected.push(data[y * W + x]);
      expect(Array.from(r.data as Int32Array), `tile ${tile}`).toEqual(expected);
      expect(f.readImageFloat32(1, { region: { x: 0, y: 36, width: 50, height: 1 } }).data[49]).toBe(data[36 * W + 49]);
    }
  });

  it('round-trips a 3-D cube with tiles across planes, and reads one plane', () => {
    const cube = Int16Array.from({ length: 6 * 5 * 4 }, (_, i) => i * 3 - 100);
    const bytes = encodeFits([{ type: 'image' }, { type: 'compressed-image', data: cube, axes: [6, 5, 4], compression: { tile: [4, 3, 3] } }]);
    const f = FitsFile.fromBytes(bytes);
    expect(Array.from(f.readImage(1).data as Int16Array)).toEqual(Array.from(cube));
    const plane = f.readImage(1, { region: { x: 0, y: 0, width: 6, height: 5, plane: 3 } });
    expect(Array.from(plane.data as Int16Array)).toEqual(Array.from(cube.subarray(90, 120)));
  });

  it('refuses lossy or impossible requests clearly', () => {
    expect(() => encodeFits([{ type: 'compressed-image', data: new Float32Array(4), axes: [2, 2] }])).toThrow(/RICE_1 compresses 8\/16\/32-bit integer images only/);
    expect(() => encodeFits([{ type: 'compressed-image', data: new Int16Array(4), axes: [2, 2], compression: { tile: [3, 1] } }])).toThrow(/tile 3×1 does not fit/);
  });

  it('names the tile of corrupt data and unsupported algorithms', () => {
    const header = new Header().set('EXTNAME', 'BROKEN');
    const bytes = encodeFits([{ type: 'image' }, { type: 'compressed-image', header, data: Int16Array.from({ length: 64 }, (_, i) => i * i), axes: [8, 8] }]);
    const f = FitsFile.fromBytes(bytes);
    const h = f.hdus[1];
    h.header.set('ZCMPTYPE', 'HCOMPRESS_1');
    expect(() => f.readImage(1)).toThrow(/HDU 1: tile 1 of 8: compression HCOMPRESS_1 is not supported/);
    h.header.set('ZCMPTYPE', 'RICE_1');
    // Cut the heap: the last tile's bytes now run past the data unit.
    const cut = FitsFile.fromBytes(bytes.subarray(0, h.dataOffset + h.dataSize - 5));
    expect(() => cut.readImage(1)).toThrow(FitsError);
  });
});
