import { describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryWcs, wcsCommands } from '../../../cli/commands/wcs.js';
import { FitsFile } from '../../../core/fits/fits-file.js';
import { writeFits } from '../../../core/fits/writer.js';

const fitsDir = resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'fits');
const MEGACAM = resolve(fitsDir, 'megacam_cutout_806045o_ccd10.fits');

async function runCli(args: string[]): Promise<string> {
  const program = new Command('butler').exitOverride();
  wcsCommands(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  try {
    await program.parseAsync(['node', 'butler', 'wcs', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('butler wcs', () => {
  it('goes pixel → sky and back on the real MegaCam header', () => {
    const a = queryWcs(MEGACAM, { pix: '50,50' });
    expect(a.kind).toBe('celestial');
    expect(a.radesys).toBe('FK5');
    expect(a.pixToSky?.ra).toBeCloseTo(280.8381818965, 9);
    expect(a.pixToSky?.dec).toBeCloseTo(0.3902384336, 9);
    const b = queryWcs(MEGACAM, { sky: `${a.pixToSky?.ra},${a.pixToSky?.dec}` });
    expect(b.skyToPix?.pixel[0]).toBeCloseTo(50, 8);
    expect(b.skyToPix?.pixel[1]).toBeCloseTo(50, 8);
  });

  it('prints text and JSON, accepts negative coordinates', async () => {
    const text = await runCli([MEGACAM, '--pix', '50,50', '--sky', '280.55733,0.15653']);
    expect(text).toMatch(/RA---TAN DEC--TAN {2}FK5 2000/);
    expect(text).toMatch(/pixel 50, 50 {2}→ {2}RA 280\.8381818965 {2}Dec 0\.3902384336 {2}\(18:43:21\.1637 \+00:23:24\.858\)/);
    expect(text).toMatch(/sky 280\.55733, 0\.15653 {2}→ {2}pixel -5357\.2, 4549\.7/);
    const json = JSON.parse(await runCli([MEGACAM, '--hdu', '0', '--pix', '-5,3', '--json'])) as { hdu: number; pixToSky: { pixel: number[] } };
    expect(json.hdu).toBe(0);
    expect(json.pixToSky.pixel).toEqual([-5, 3]);
  });

  it('finds the WCS of a tile-compressed extension, and honours --parent (LTV)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'h5-wcs-'));
    try {
      const src = FitsFile.open(MEGACAM);
      const header = src.hdu(0).header.clone();
      const pixels = src.readImage(0).data as Uint16Array;
      src.close();
      for (const k of ['SIMPLE', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'EXTEND', 'BZERO', 'BSCALE']) header.delete(k);
      header.set('LTV1', -100);
      header.set('LTV2', -200);
      const fz = join(dir, 'cut.fits.fz');
      writeFits(fz, [{ type: 'image' }, { type: 'compressed-image', header, data: pixels, axes: [101, 101], compression: { type: 'RICE_1' } }]);
      const a = queryWcs(fz, { pix: '50,50' });
      expect(a.hdu).toBe(1);
      expect(a.pixToSky?.ra).toBeCloseTo(280.8381818965, 9);
      const parent = queryWcs(fz, { pix: '150,250', parent: true });
      expect(parent.origin).toEqual([100, 200]);
      expect(parent.pixToSky?.ra).toBeCloseTo(280.8381818965, 9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains bad input', () => {
    expect(() => queryWcs(MEGACAM, {})).toThrow(/give --pix X,Y .* --sky RA,DEC/);
    expect(() => queryWcs(MEGACAM, { pix: '1;2' })).toThrow(/--pix wants two numbers .* got '1;2'/);
    expect(() => queryWcs(MEGACAM, { pix: '1,2', hdu: '3' })).toThrow(/no HDU 3/);
    expect(() => queryWcs(resolve(fitsDir, 'saao_raw_a8280271.fits'), { pix: '1,2' })).toThrow(/no HDU has a WCS \(HDUs: 0:PRIMARY\)/);
  });
});
