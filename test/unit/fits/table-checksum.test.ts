import { describe, expect, it } from 'vitest';
import { FitsFile, Header, encodeFits, encodeChecksum, onesComplementSum, FitsError } from '../../../core/fits/index.js';

describe('binary tables', () => {
  it('round-trips every written column type, TDIM and the heap', () => {
    const bytes = encodeFits([
      {
        type: 'bintable',
        header: new Header().set('EXTNAME', 'T').set('ORIGIN', 'test'),
        columns: [
          { name: 'ID', data: Int32Array.from([1, 2, 3]) },
          { name: 'U16', data: Uint16Array.from([0, 40000, 65535]) },
          { name: 'K', data: BigInt64Array.from([-(2n ** 62n), 0n, 2n ** 62n]) },
          { name: 'POS', format: '2D', dim: [2], unit: 'deg', data: Float64Array.from([1, 2, 3, 4, 5, 6]) },
          { name: 'OK', data: [true, null, false] },
          { name: 'S', data: ['a', "b'c", ''] },
          { name: 'V', data: [Int16Array.from([]), Int16Array.from([7]), Int16Array.from([8, 9])] },
          { name: 'FLAGS', format: '10X', data: Uint8Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 1 : 0)) },
          { name: 'Z', format: '1C', data: Float32Array.from([1, -1, 2, -2, 3, -3]) },
          { name: 'ZZ', format: '1M', data: Float64Array.from([0.5, 1, 1.5, 2, 2.5, 3]) },
        ],
      },
    ]);
    const f = FitsFile.fromBytes(bytes);
    expect(f.hdus.map((h) => h.kind)).toEqual(['image', 'bintable']);
    const t = f.readTable('T');
    expect(t.rows).toBe(3);
    expect(t.header.get('ORIGIN')).toBe('test');
    expect(t.column('POS')).toMatchObject({ unit: 'deg', dim: [2], tform: '2D' });
    expect(t.read('ID')).toEqual({ kind: 'numeric', repeat: 1, values: Int32Array.from([1, 2, 3]) });
    expect(t.read('U16').values).toEqual(Uint16Array.from([0, 40000, 65535]));
    expect(t.read('k').values).toEqual(BigInt64Array.from([-(2n ** 62n), 0n, 2n ** 62n]));
    expect(t.read('POS')).toEqual({ kind: 'numeric', repeat: 2, values: Float64Array.from([1, 2, 3, 4, 5, 6]) });
    expect(t.read('OK').values).toEqual([true, null, false]);
    expect(t.read('S').values).toEqual(['a', "b'c", '']);
    expect(t.read('V').values).toEqual([Int16Array.from([]), Int16Array.from([7]), Int16Array.from([8, 9])]);
    expect(t.read('FLAGS')).toEqual({ kind: 'bits', repeat: 10, values: Uint8Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 1 : 0)) });
    expect(t.read('Z')).toEqual({ kind: 'complex', repeat: 1, values: Float32Array.from([1, -1, 2, -2, 3, -3]) });
    expect(t.read('ZZ')).toEqual({ kind: 'complex', repeat: 1, values: Float64Array.from([0.5, 1, 1.5, 2, 2.5, 3]) });
    expect(() => t.read('NOPE')).toThrow(/no column NOPE \(columns: ID, U16, K, POS, OK, S, V, FLAGS, Z, ZZ\)/);
  });

  it('reports inconsistent layouts with the keyword', () => {
    const bytes = encodeFits([{ type: 'bintable', columns: [{ name: 'A', data: Int32Array.from([1]) }] }]);
    const f = FitsFile.fromBytes(bytes);
    f.hdus[1].header.set('TFORM1', '2J');
    expect(() => f.readTable(1)).toThrow(/TFORMs add up to 8 bytes per row but NAXIS1 = 4/);
    f.hdus[1].header.set('TFORM1', 'Z');
    expect(() => f.readTable(1)).toThrow(FitsError);
    expect(() => f.readTable(0)).toThrow(/HDU 0 \(PRIMARY\) is image, not a table/);
  });

  it('refuses values that do not fit', () => {
    expect(() => encodeFits([{ type: 'image', data: Float32Array.from([1e6]), axes: [1], bitpix: 16 }])).toThrow(/pixel 0 = 1000000 does not fit BITPIX 16/);
    expect(() => encodeFits([{ type: 'image', data: Float32Array.from([NaN]), axes: [1], bitpix: 16 }])).toThrow(/NaN pixels need a BLANK/);
  });
});

describe('checksums', () => {
  it('encodes the standard example (FITS 4.0 Appendix J: sum 868229149 → "hcHjjc9ghcEghc9g")', () => {
    expect(encodeChecksum(0xffffffff - 868229149)).toBe('hcHjjc9ghcEghc9g');
  });

  it('ones-complement sums fold carries and continue from an initial value', () => {
    const bytes = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2]);
    expect(onesComplementSum(bytes)).toBe(2);
    expect(onesComplementSum(bytes.subarray(4), onesComplementSum(bytes.subarray(0, 4)))).toBe(2);
  });

  it('writes DATASUM/CHECKSUM that verify, and detects a flipped byte', () => {
    const bytes = encodeFits([{ type: 'image', data: Int16Array.from({ length: 1000 }, (_, i) => i), axes: [1000] }], { checksum: true });
    const f = FitsFile.fromBytes(bytes);
    expect(f.verifyChecksum(0)).toMatchObject({ checksum: 'ok', datasum: 'ok' });
    const damaged = bytes.slice();
    damaged[2880 + 100] ^= 1;
    expect(FitsFile.fromBytes(damaged).verifyChecksum(0)).toMatchObject({ checksum: 'bad', datasum: 'bad' });
    expect(FitsFile.fromBytes(encodeFits([{ type: 'image' }])).verifyChecksum(0)).toMatchObject({ checksum: 'absent', datasum: 'absent' });
  });
});
