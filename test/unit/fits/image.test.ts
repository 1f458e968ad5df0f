import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FitsFile, Header, encodeFits, writeFits, FitsError, type PixelArray } from '../../../core/fits/index.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = (name: string) => join(repoRoot, '..', 'shared', 'data', 'fits', name);

const dir = mkdtempSync(join(tmpdir(), 'fits-image-'));

function ramp<T extends PixelArray>(Ctor: new (n: number) => T, n: number, f: (i: number) => number | bigint): T {
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) (a as unknown as Array<number | bigint>)[i] = f(i);
  return a;
}

describe('image HDUs', () => {
  const w = 7;
  const h = 5;
  const n = w * h;
  const cases: Array<[string, PixelArray, number, number | undefined]> = [
    ['uint8', ramp(Uint8Array, n, (i) => (i * 7) % 256), 8, undefined],
    ['int8', ramp(Int8Array, n, (i) => (i * 7) % 256 - 128), 8, -128],
    ['int16', ramp(Int16Array, n, (i) => i * 1000 - 17000), 16, undefined],
    ['uint16', ramp(Uint16Array, n, (i) => i * 1900), 16, 32768],
    ['int32', ramp(Int32Array, n, (i) => i * 60000000 - 2000000000), 32, undefined],
    ['uint32', ramp(Uint32Array, n, (i) => i * 120000000), 32, 2147483648],
    ['int64', ramp(BigInt64Array, n, (i) => BigInt(i) * 123456789012345n - 9000000000000000000n), 64, undefined],
    ['float32', ramp(Float32Array, n, (i) => (i === 3 ? NaN : i * 0.25 - 3)), -32, undefined],
    ['float64', ramp(Float64Array, n, (i) => i * 1.000000001e-20), -64, undefined],
  ];

  for (const [name, data, bitpix, bzero] of cases) {
    it(`round-trips ${name} (BITPIX ${bitpix}${bzero !== undefined ? `, BZERO ${bzero}` : ''})`, () => {
      const bytes = encodeFits([{ type: 'image', data, axes: [w, h] }]);
      expect(bytes.length % 2880).toBe(0);
      const f = FitsFile.fromBytes(bytes);
      expect(f.hdus[0].bitpix).toBe(bitpix);
      expect(f.hdus[0].header.get('BZERO')).toBe(bzero);
      const img = f.readImage(0);
      expect(img.data.constructor).toBe(data.constructor);
      expect(Array.from(img.data as ArrayLike<unknown>)).toEqual(Array.from(data as ArrayLike<unknown>));
      // The in-place float32 path agrees with the physical values everywhere.
      const f32 = f.readImageFloat32(0).data;
      expect(Array.from(f32)).toEqual(Array.from(data as ArrayLike<number | bigint>, (v) => Math.fround(Number(v))));
    });
  }

  it('reads a sub-region reading only its rows', () => {
    const data = ramp(Uint16Array, 100 * 80, (i) => i % 65536);
    const path = join(dir, 'region.fits');
    writeFits(path, [{ type: 'image', data, axes: [100, 80] }]);
    const f = FitsFile.open(path);
    expect(f.bytesRead).toBe(2880);
    const r = f.readImage(0, { region: { x: 10, y: 20, width: 5, height: 3 } });
    expect(f.bytesRead).toBe(2880 + 3 * 100 * 2);
    expect(r.axes).toEqual([5, 3]);
    expect(Array.from(r.data as Uint16Array)).toEqual([20, 21, 22].flatMap((y) => [10, 11, 12, 13, 14].map((x) => y * 100 + x)));
    expect(() => f.readImage(0, { region: { x: 98, y: 0, width: 5, height: 1 } })).toThrow(/outside the 100×80 image/);
    f.close();
  });

  it('applies BSCALE/BZERO and BLANK', () => {
    const header = new Header();
    const stored = Int16Array.from([0, 1, -5, 99]);
    const bytes = encodeFits([{ type: 'image', data: Float32Array.from([10, 10.5, 7.5, NaN]), axes: [4], bitpix: 16, bzero: 10, bscale: 0.5, blank: 99, header }]);
    const f = FitsFile.fromBytes(bytes);
    expect(f.hdus[0].header.get('BLANK')).toBe(99);
    const raw = f.readBytes(f.hdus[0].dataOffset, 8);
    const view = new DataView(raw.buffer, raw.byteOffset, 8);
    expect([0, 2, 4, 6].map((o) => view.getInt16(o))).toEqual(Array.from(stored));
    const img = f.readImageFloat32(0);
    expect(Array.from(img.data)).toEqual([10, 10.5, 7.5, NaN]);
    expect(f.readImage(0).data).toBeInstanceOf(Float32Array);
  });

  it('writes multi-extension files and finds HDUs by name and version', () => {
    const path = join(dir, 'mef.fits');
    const sci = new Header().set('EXTNAME', 'SCI').set('EXTVER', 2);
    writeFits(path, [
      { type: 'image' },
      { type: 'image', header: new Header().set('EXTNAME', 'SCI'), data: new Float32Array(6), axes: [3, 2] },
      { type: 'image', header: sci, data: Float32Array.from([1, 2, 3, 4, 5, 6]), axes: [3, 2] },
    ]);
    const f = FitsFile.open(path);
    expect(f.hdus.map((h) => h.name)).toEqual(['PRIMARY', 'SCI', 'SCI']);
    expect(f.hdu('sci,2').index).toBe(2);
    expect(f.hdu('SCI').index).toBe(1);
    expect(f.hdus[0].header.get('EXTEND')).toBe(true);
    expect(Array.from(f.readImage('SCI,2').data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => f.hdu('NOPE')).toThrow(/no HDU named NOPE \(HDUs: 0:PRIMARY, 1:SCI, 2:SCI\)/);
    expect(() => f.hdu(7)).toThrow(/no HDU 7/);
    f.close();
  });

  it('locates truncation and garbage precisely', () => {
    const bytes = encodeFits([{ type: 'image' }, { type: 'image', data: new Float32Array(2000), axes: [2000] }]);
    const path = join(dir, 'truncated.fits');
    writeFileSync(path, bytes.subarray(0, bytes.length - 2880));
    const f = FitsFile.open(path);
    expect(f.hdus[1].truncated).toBe(true);
    try {
      f.readImage(1);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FitsError);
      expect((err as FitsError).hdu).toBe(1);
      expect((err as FitsError).offset).toBe(statSync(path).size);
    }
    f.close();
    const cut = join(dir, 'cut-header.fits');
    writeFileSync(cut, bytes.subarray(0, 2880 + 1000));
    expect(() => FitsFile.open(cut)).toThrow(/HDU 1.*no END card/);
    const notFits = join(dir, 'not.fits');
    writeFileSync(notFits, 'hello world'.padEnd(2880));
    expect(() => FitsFile.open(notFits)).toThrow(/HDU 0, card 1, byte 0: not a FITS file/);
    expect(readFileSync(path).length).toBe(bytes.length - 2880);
  });

  it('opens one HDU of a multi-extension file reading only the headers before it', () => {
    const f = FitsFile.open(shared('hst_stis_raw_o4sp040b0.fits'));
    const headerBytes = f.hdus.reduce((a, h) => a + (h.dataOffset - h.headerOffset), 0);
    expect(f.bytesRead).toBe(headerBytes);
    const sci2 = f.readImage('SCI,2');
    expect(sci2.axes).toEqual([62, 44]);
    expect(f.bytesRead).toBe(headerBytes + 62 * 44 * 2);
    f.close();
  });

  it('writes a real header and its pixels back byte for byte', () => {
    for (const name of ['megacam_cutout_806045o_ccd10.fits', 'saao_raw_a8280271.fits']) {
      const original = readFileSync(shared(name));
      const f = FitsFile.fromBytes(original);
      const img = f.readImage(0);
      const again = encodeFits([{ type: 'image', header: f.hdus[0].header, data: img.data, axes: img.axes }]);
      expect(Buffer.compare(Buffer.from(again), original), name).toBe(0);
    }
  });

  it('names the path it cannot write, and leaves no temporary file behind', () => {
    expect(() => writeFits(join(dir, 'no-such-dir', 'x.fits'), [{ type: 'image' }])).toThrow(/no-such-dir\/x\.fits: cannot write: ENOENT/);
    expect(() => writeFits(join(dir, 'bad.fits'), [{ type: 'image', data: Float32Array.from([NaN]), axes: [1], bitpix: 16 }])).toThrow(/NaN pixels need a BLANK/);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('ignores non-FITS bytes after the last HDU and says how many', () => {
    const bytes = encodeFits([{ type: 'image', data: Int16Array.from([1, 2, 3]), axes: [3] }]);
    const withJunk = Buffer.concat([bytes, Buffer.from('x'.repeat(4928))]);
    const f = FitsFile.fromBytes(withJunk);
    expect(f.hdus.length).toBe(1);
    expect(f.trailingBytes).toBe(4928);
    expect(Array.from(f.readImage(0).data as Int16Array)).toEqual([1, 2, 3]);
  });

  it('decodes into a reused array of the caller and checks its size', () => {
    const bytes = encodeFits([{ type: 'image', data: Uint16Array.from([0, 1, 65535, 32768]), axes: [2, 2] }]);
    const f = FitsFile.fromBytes(bytes);
    const into = new Float32Array(10).fill(-1);
    const img = f.readImageFloat32(0, { into });
    expect(img.data.buffer).toBe(into.buffer);
    expect(Array.from(into)).toEqual([0, 1, 65535, 32768, -1, -1, -1, -1, -1, -1]);
    expect(() => f.readImageFloat32(0, { into: new Float32Array(3) })).toThrow(/holds 3 values but the image has 4 pixels/);
  });
});
