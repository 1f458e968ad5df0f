import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitsCopy, fitsHeader, fitsInfo, fitsStats, registerFitsStatsExtension } from '../../../cli/commands/fits.js';
import { FitsFile, Header, writeFits } from '../../../core/fits/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..', '..');
const shared = (name: string) => resolve(repoRoot, '..', 'shared', 'data', 'fits', name);
const dir = mkdtempSync(join(tmpdir(), 'fits-cli-'));

describe('fitsinfo', () => {
  it('lists every HDU with type, BITPIX, dimensions and compression', () => {
    const info = fitsInfo(shared('hst_stis_raw_o4sp040b0.fits'));
    expect(info.hdus.map((h) => [h.index, h.name, h.version, h.type, h.bitpix, h.dimensions.join('x')])).toEqual([
      [0, 'PRIMARY', 1, 'primary', 16, ''],
      [1, 'SCI', 1, 'image', 16, '62x44'],
      [2, 'ERR', 1, 'image', 16, ''],
      [3, 'DQ', 1, 'image', 16, ''],
      [4, 'SCI', 2, 'image', 16, '62x44'],
      [5, 'ERR', 2, 'image', 16, ''],
      [6, 'DQ', 2, 'image', 16, ''],
    ]);
    const comp = fitsInfo(shared('astropy_comp.fits')).hdus[1];
    expect(comp).toMatchObject({ type: 'compressed-image', bitpix: 16, dimensions: [440, 300], compression: 'RICE_1' });
    expect(fitsInfo(shared('astropy_btable.fits')).hdus[1]).toMatchObject({ type: 'bintable', dimensions: [3, 4] });
  });
});

describe('fitsheader', () => {
  it('gives the stored cards with typed values and card numbers', () => {
    const [hdu] = fitsHeader(shared('megacam_cutout_806045o_ccd10.fits'), '0');
    expect(hdu.cards.length).toBe(359);
    expect(hdu.cards[0]).toEqual({ card: 1, keyword: 'SIMPLE', kind: 'logical', value: true, comment: expect.any(String) });
    const gain = hdu.cards.find((c) => c.keyword === 'GAINA');
    expect(gain).toMatchObject({ kind: 'float', value: 1.58 });
    expect(fitsHeader(shared('hst_stis_raw_o4sp040b0.fits')).map((h) => h.name)).toEqual(['PRIMARY', 'SCI', 'ERR', 'DQ', 'SCI', 'ERR', 'DQ']);
    expect(() => fitsHeader(shared('hst_stis_raw_o4sp040b0.fits'), 'NOPE')).toThrow(/no HDU named NOPE/);
    const gains = fitsHeader(shared('megacam_cutout_806045o_ccd10.fits'), undefined, ['gain?', 'NAXIS']);
    expect(gains[0].cards.map((c) => [c.keyword, c.value])).toEqual([['NAXIS', 2], ['GAINA', 1.58], ['GAINB', 1.71]]);
  });
});

describe('fitsstats', () => {
  it('computes physical statistics, NaN/BLANK counts and checksum status', () => {
    const path = join(dir, 'stats.fits');
    writeFits(path, [{ type: 'image', data: Float32Array.from([1, 2, NaN, 5, Infinity, 4]), axes: [3, 2] }], { checksum: true });
    const s = fitsStats(path);
    expect(s).toMatchObject({ hdu: 0, shape: [3, 2], bitpix: -32, type: 'float32', pixels: 6, valid: 4, nan: 1, infinite: 1, min: 1, max: 5, sum: 12, mean: 3 });
    expect(s.stddev).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.checksum).toEqual({ checksum: 'ok', datasum: 'ok' });
    const saao = fitsStats(shared('saao_raw_a8280271.fits'));
    expect(saao).toMatchObject({ type: 'uint16', pixels: 536 * 520, nan: 0 });
    expect(fitsStats(shared('hst_stis_raw_o4sp040b0.fits')).hdu).toBe(1);
    expect(() => fitsStats(shared('astropy_btable.fits'), '1')).toThrow(/HDU 1 \(\) is a bintable, not an image/);
  });

  it('runs registered extensions on the float32 pixels', () => {
    registerFitsStatsExtension({ name: 'midrange', flags: '--midrange', description: 'test', compute: (p) => (Math.min(...p) + Math.max(...p)) / 2 });
    const path = join(dir, 'ext.fits');
    writeFits(path, [{ type: 'image', data: Int16Array.from([2, 10]), axes: [2] }]);
    expect(fitsStats(path, undefined, { midrange: true }).midrange).toBe(6);
    expect(fitsStats(path).midrange).toBeUndefined();
  });
});

describe('fitscopy', () => {
  it('copies byte for byte, compresses losslessly keeping every card, and decompresses back', () => {
    const src = shared('megacam_cutout_806045o_ccd10.fits');
    const copy = join(dir, 'copy.fits');
    fitsCopy(src, copy);
    expect(Buffer.compare(readFileSync(copy), readFileSync(src))).toBe(0);

    const packed = join(dir, 'packed.fits');
    const report = fitsCopy(src, packed, 'rice');
    expect(report.hdus[0].action).toBe('compressed');
    const f = FitsFile.open(packed);
    const o = FitsFile.open(src);
    expect(f.hdus[1]).toMatchObject({ kind: 'compressed-image', compression: 'RICE_1', name: 'ccd10', axes: [101, 101] });
    expect(Array.from(f.readImage(1).data as Uint16Array)).toEqual(Array.from(o.readImage(0).data as Uint16Array));
    const restoredCards = f.imageHeader(1).cards.map((c) => [c.keyword, c.value]);
    expect(restoredCards).toEqual(o.hdus[0].header.cards.map((c) => [c.keyword, c.value]));
    f.close();

    const unpacked = join(dir, 'unpacked.fits');
    expect(fitsCopy(packed, unpacked, 'none').hdus[1].action).toBe('decompressed');
    const u = FitsFile.open(unpacked);
    expect(u.hdus.length).toBe(1);
    expect(u.hdus[0].header.cards.map((c) => [c.keyword, c.value])).toEqual(o.hdus[0].header.cards.map((c) => [c.keyword, c.value]));
    expect(Array.from(u.readImage(0).data as Uint16Array)).toEqual(Array.from(o.readImage(0).data as Uint16Array));
    u.close();
    o.close();
    expect(() => fitsCopy(src, packed, 'lzma')).toThrow(/--compress must be one of rice, gzip/);
  });

  it('leaves float images uncompressed under RICE and compresses them with gzip', () => {
    const path = join(dir, 'float.fits');
    writeFits(path, [{ type: 'image' }, { type: 'image', header: new Header().set('EXTNAME', 'F'), data: Float32Array.from([1.5, NaN, -2]), axes: [3] }]);
    expect(fitsCopy(path, join(dir, 'f-rice.fits'), 'rice').hdus[1]).toMatchObject({ action: 'copied', note: expect.stringContaining('GZIP_2') });
    fitsCopy(path, join(dir, 'f-gzip.fits'), 'gzip');
    const g = FitsFile.open(join(dir, 'f-gzip.fits'));
    expect(g.hdus[1].compression).toBe('GZIP_2');
    expect(Array.from(g.readImage('F').data as Float32Array)).toEqual([1.5, NaN, -2]);
    g.close();
  });
});

describe('butler CLI entry', () => {
  it('prints fitsinfo and a clear error for a bad file', () => {
    const bad = join(dir, 'bad.fits');
    writeFits(bad, [{ type: 'image' }]);
    const ok = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/main.ts'), 'fitsinfo', shared('astropy_comp.fits')], { encoding: 'utf8', cwd: repoRoot });
    expect(ok.stdout).toMatch(/1\s+COMPRESSED_IMAGE\s+1\s+compressed-image\s+16\s+440x300\s+RICE_1/);
    const missing = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/main.ts'), 'fitsstats', join(dir, 'missing.fits')], { encoding: 'utf8', cwd: repoRoot });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^butler: error: .*missing\.fits: cannot open/);
  });
});
