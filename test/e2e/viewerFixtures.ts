// FITS files for the viewer's browser tests, written by Debian's astropy in one python process: a full-size
// CFHT MegaCam raw CCD extension (2112×4644 uint16, two amplifiers with their overscan, a TAN WCS, a known
// pixel value) and astropy's own zscale of its data sections, plus the small afw-style Exposure of the unit
// tests (IMAGE/MASK/VARIANCE with MP_* planes and xy0).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';

export interface RawCcdFixture {
  dir: string;
  raw: string;
  width: number;
  height: number;
  known: { x: number; y: number; value: number };
  /** astropy ZScaleInterval of the data sections (DSECA ∪ DSECB), and of the whole image. */
  zscaleData: [number, number];
  zscaleAll: [number, number];
}

const SCRIPT = String.raw`
import sys, json, os
import numpy as np
try:
    from astropy.io import fits
    from astropy.visualization import ZScaleInterval
except ImportError:
    sys.stderr.write("install Debian python3-astropy: apt-get install python3-astropy\n"); sys.exit(3)
d = sys.argv[1]
ny, nx = 4644, 2112
rng = np.random.default_rng(42)
img = rng.normal(1000.0, 15.0, size=(ny, nx))
yy, xx = np.mgrid[-6:7, -6:7]
for _ in range(400):
    cx = rng.integers(40, 2070); cy = rng.integers(10, 4600); f = rng.uniform(300, 40000)
    img[cy-6:cy+7, cx-6:cx+7] += f * np.exp(-(xx**2 + yy**2) / 4.5)
img[:, 0:32] = rng.normal(320.0, 4.0, size=(ny, 32))
img[:, 2080:2112] = rng.normal(330.0, 4.0, size=(ny, 32))
img[4612:, 32:2080] = rng.normal(325.0, 4.0, size=(ny - 4612, 2048))
img = np.clip(np.round(img), 0, 65535).astype(np.uint16)
known = {"x": 1500, "y": 3000, "value": 4321}
img[known["y"], known["x"]] = known["value"]
h = fits.Header()
h['EXTNAME'] = 'ccd10'
h['AMPLIST'] = 'A B'
h['DATASEC'] = '[33:2080,1:4612]'
h['ASECA'] = '[1:1056,1:4612]'; h['DSECA'] = '[33:1056,1:4612]'; h['BSECA'] = '[1:32,1:4644]'
h['ASECB'] = '[1057:2112,1:4612]'; h['DSECB'] = '[1057:2080,1:4612]'; h['BSECB'] = '[2081:2112,1:4644]'
h['BIASSEC'] = '[0:0,0:0]'
h['CTYPE1'] = 'RA---TAN'; h['CTYPE2'] = 'DEC--TAN'
h['CRPIX1'] = 1056.0; h['CRPIX2'] = 2322.0; h['CRVAL1'] = 210.8; h['CRVAL2'] = 54.3
h['CD1_1'] = -5.16e-5; h['CD1_2'] = 0.0; h['CD2_1'] = 0.0; h['CD2_2'] = 5.16e-5
raw = os.path.join(d, 'megacam_ccd10.fits')
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(img, h)]).writeto(raw, overwrite=True)
# What astropy.io.fits reads back (uint16 physical values), as the viewer does.
data = fits.getdata(raw, 1).astype(np.float32)
m = np.zeros(data.shape, bool); m[0:4612, 32:2080] = True
zd = ZScaleInterval().get_limits(data[m])
za = ZScaleInterval().get_limits(data)
print(json.dumps({"raw": raw, "width": nx, "height": ny, "known": known,
                  "zscaleData": [float(zd[0]), float(zd[1])], "zscaleAll": [float(za[0]), float(za[1])]}))
`;

export function writeRawCcdFixture(): RawCcdFixture {
  const dir = mkdtempSync(join(tmpdir(), 'viewer-e2e-'));
  const res = spawnSync(PYTHON, ['-c', SCRIPT, dir], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (res.error || res.status !== 0) {
    throw new Error(`writing the MegaCam CCD fixture with ${PYTHON} failed (install Debian python3-astropy: apt-get install python3-astropy): ${res.error?.message ?? res.stderr}`);
  }
  return { dir, ...(JSON.parse(res.stdout) as Omit<RawCcdFixture, 'dir'>) };
}
