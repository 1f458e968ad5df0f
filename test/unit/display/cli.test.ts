// `butler fitsstats --zscale --percentile` and `butler preview` against astropy (one Debian python3 process
// writes the FITS files and computes the expected limits), through the real CLI entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzlibSync } from 'fflate';
import { PYTHON, relativeError } from './astropyReference.js';
import { colormapLut } from '../../../core/display/colormaps.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Expected { image: string; zscale: [number, number]; p995: [number, number]; p95: [number, number]; exposure: string; rawFile: string; rawZscaleData: [number, number] }
let dir: string;
let ex: Expected;

const SCRIPT = String.raw`
import sys, json, os
import numpy as np
try:
    from astropy.io import fits
    from astropy.visualization import ZScaleInterval, PercentileInterval
except ImportError:
    sys.stderr.write("install Debian python3-astropy: apt-get install python3-astropy\n"); sys.exit(3)
d = sys.argv[1]
rng = np.random.default_rng(7)
img = rng.normal(500.0, 20.0, size=(300, 400)).astype(np.float32)
img[rng.integers(0, 300, 50), rng.integers(0, 400, 50)] = np.nan
img[100:105, 200:205] = 20000
path = os.path.join(d, 'image.fits')
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(img, name='SCI')]).writeto(path)
fin = img.astype(np.float64)
out = {"image": path,
       "zscale": [float(v) for v in ZScaleInterval().get_limits(img)],
       "p995": [float(v) for v in PercentileInterval(99.5).get_limits(fin)],
       "p95": [float(v) for v in PercentileInterval(95).get_limits(fin)]}
mh = fits.Header(); mh['MP_BAD'] = 0; mh['MP_SAT'] = 1
mask = np.zeros((20, 30), np.int32); mask[5, 7] = 1
exp = os.path.join(d, 'exp.fits')
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(np.zeros((20, 30), np.float32) + np.arange(30, dtype=np.float32), name='IMAGE'),
              fits.ImageHDU(mask, mh, name='MASK')]).writeto(exp)
out["exposure"] = exp
raw = np.full((30, 80), 1000, np.uint16); raw[:, :4] = 300; raw[:, 76:] = 310; raw[7, 40] = 1100
rh = fits.Header(); rh['AMPLIST'] = 'A B'; rh['DSECA'] = '[5:40,1:30]'; rh['DSECB'] = '[41:76,1:30]'
rp = os.path.join(d, 'raw.fits')
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(raw, rh, name='ccd00')]).writeto(rp)
data = fits.getdata(rp, 1).astype(np.float32)
out["rawFile"] = rp
out["rawZscaleData"] = [float(v) for v in ZScaleInterval().get_limits(data[:, 4:76])]
print(json.dumps(out))
`;

function butler(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/main.ts'), ...args], { encoding: 'utf8', cwd: repoRoot });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Decodes our own PNGs (8-bit RGBA, filter 0) back to pixels. */
function readPng(path: string): { width: number; height: number; rgba: Uint8Array } {
  const b = readFileSync(path);
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let o = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (o < b.length) {
    const len = b.readUInt32BE(o);
    const type = b.subarray(o + 4, o + 8).toString('latin1');
    const data = b.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); expect([data[8], data[9]]).toEqual([8, 6]); }
    if (type === 'IDAT') idat.push(data);
    o += 12 + len;
  }
  const raw = unzlibSync(Buffer.concat(idat));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (1 + width * 4)]).toBe(0);
    rgba.set(raw.subarray(y * (1 + width * 4) + 1, (y + 1) * (1 + width * 4)), y * width * 4);
  }
  return { width, height, rgba };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'display-cli-'));
  const r = spawnSync(PYTHON, ['-c', SCRIPT, dir], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${PYTHON} failed (install Debian python3-astropy: apt-get install python3-astropy): ${r.error?.message ?? r.stderr}`);
  ex = JSON.parse(r.stdout) as Expected;
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('butler fitsstats --zscale --percentile', () => {
  it('adds astropy-exact zscale and percentile limits to the JSON', () => {
    const r = butler('fitsstats', ex.image, '--hdu', '1', '--zscale', '--percentile', '99.5', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { zscale: { min: number; max: number }; percentile: { percent: number; min: number; max: number } };
    expect(relativeError(s.zscale.min, ex.zscale[0])).toBeLessThan(1e-9);
    expect(relativeError(s.zscale.max, ex.zscale[1])).toBeLessThan(1e-9);
    expect(s.percentile.percent).toBe(99.5);
    expect(relativeError(s.percentile.min, ex.p995[0])).toBeLessThan(1e-9);
    expect(relativeError(s.percentile.max, ex.p995[1])).toBeLessThan(1e-9);
  });
  it('rejects a bad percentile with the value', () => {
    const r = butler('fitsstats', ex.image, '--percentile', '120');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('120');
  });
});

describe('butler preview', () => {
  it('writes a PNG with the requested limits, stretch and colormap (y up, like DS9)', () => {
    const out = join(dir, 'image.png');
    const r = butler('preview', ex.image, '--out', out, '--limits', '95', '--colormap', 'viridis', '--json');
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout) as { limits: { min: number; max: number }; png: { width: number; height: number } };
    expect(relativeError(s.limits.min, ex.p95[0])).toBeLessThan(1e-9);
    expect(relativeError(s.limits.max, ex.p95[1])).toBeLessThan(1e-9);
    const png = readPng(out);
    expect([png.width, png.height]).toEqual([400, 300]);
    // The saturated block at rows 100–104, columns 200–204 is the top of viridis; row 0 of the PNG is image row 299.
    const lut = colormapLut('viridis');
    const at = (x: number, yImage: number) => { const o = ((299 - yImage) * 400 + x) * 4; return [...png.rgba.subarray(o, o + 4)]; };
    expect(at(202, 102)).toEqual([lut[1020], lut[1021], lut[1022], 255]);
  });
  it('overlays mask planes and excludes the overscan of raws from zscale', () => {
    const out = join(dir, 'exp.png');
    const r = butler('preview', ex.exposure, '--out', out, '--mask', 'BAD', '--limits', '0,29', '--json');
    expect(r.stderr).toBe('');
    const png = readPng(out);
    const o = ((19 - 5) * 30 + 7) * 4;
    // Gray 7/29 of the way, blended 60 % with red.
    const g = Math.round((7 / 29) * 255);
    expect(png.rgba[o]).toBe(Math.round(g * 0.4 + 255 * 0.6));
    expect(png.rgba[o + 1]).toBe(Math.round(g * 0.4));
    const raw = butler('preview', ex.rawFile, '--out', join(dir, 'raw.png'), '--json');
    const s = JSON.parse(raw.stdout) as { limits: { min: number; max: number; dataSectionsOnly: boolean } };
    expect(s.limits.dataSectionsOnly).toBe(true);
    expect(relativeError(s.limits.min, ex.rawZscaleData[0])).toBeLessThan(1e-9);
    expect(relativeError(s.limits.max, ex.rawZscaleData[1])).toBeLessThan(1e-9);
  });
  it('explains bad options and unknown mask planes', () => {
    expect(butler('preview', ex.image, '--out', join(dir, 'x.png'), '--colormap', 'rainbow').stderr).toMatch(/--colormap must be one of gray, gray_r, viridis/);
    expect(butler('preview', ex.image, '--out', join(dir, 'x.png'), '--limits', '3,3').stderr).toMatch(/two different numbers/);
    const r = butler('preview', ex.exposure, '--out', join(dir, 'x.png'), '--mask', 'CRX');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown mask plane(s) CRX; this mask has BAD, SAT');
  });
});
