// FITS files for the viewer tests, written by Debian's astropy (so they are real-world FITS, not our writer's):
// an afw-style Exposure (IMAGE float32 with xy0 and a TAN-SIP WCS, MASK int32 with MP_* planes, VARIANCE) and a
// MegaCam-style raw CCD extension (uint16 via BZERO, two amplifiers described by ASEC/DSEC/BSEC keywords).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { PYTHON } from './astropyReference.js';

export interface ViewerFixtures {
  dir: string;
  exposure: string;
  raw: string;
  /** RA/Dec (deg) astropy computes for 0-based array pixels of the exposure's IMAGE HDU. */
  sky: Array<{ x: number; y: number; ra: number; dec: number }>;
}

const SCRIPT = String.raw`
import sys, json, os
import numpy as np
try:
    from astropy.io import fits
    from astropy.wcs import WCS
except ImportError:
    sys.stderr.write("install Debian python3-astropy: apt-get install python3-astropy\n"); sys.exit(3)
d = sys.argv[1]
ny, nx = 40, 60
img = (np.arange(ny * nx, dtype=np.float32).reshape(ny, nx) * 0.5 + 100).astype(np.float32)
img[3, 7] = np.nan
mask = np.zeros((ny, nx), dtype=np.int32)
mask[10, 20] = 1 | 8          # BAD | CR
mask[11, 21] = 32             # DETECTED
var = np.full((ny, nx), 4.0, dtype=np.float32)
def common(h, name):
    h['EXTNAME'] = name
    h['CTYPE1A'] = 'LINEAR'; h['CTYPE2A'] = 'LINEAR'
    h['CRPIX1A'] = 1.0; h['CRPIX2A'] = 1.0
    h['CRVAL1A'] = 1000; h['CRVAL2A'] = 2000
    h['LTV1'] = -1000; h['LTV2'] = -2000
    h['BUNIT'] = 'nJy'
ih = fits.Header()
common(ih, 'IMAGE')
ih['CTYPE1'] = 'RA---TAN-SIP'; ih['CTYPE2'] = 'DEC--TAN-SIP'
ih['CRPIX1'] = 30.5; ih['CRPIX2'] = 20.5; ih['CRVAL1'] = 150.1; ih['CRVAL2'] = 2.2
ih['CD1_1'] = -5.1e-5; ih['CD1_2'] = 1.0e-6; ih['CD2_1'] = 1.2e-6; ih['CD2_2'] = 5.0e-5
ih['A_ORDER'] = 2; ih['B_ORDER'] = 2
ih['A_2_0'] = 2e-5; ih['A_0_2'] = -1e-5; ih['A_1_1'] = 3e-6
ih['B_2_0'] = -1e-6; ih['B_0_2'] = 2.5e-5; ih['B_1_1'] = 4e-6
mh = fits.Header()
common(mh, 'MASK')
for i, n in enumerate(['BAD', 'SAT', 'INTRP', 'CR', 'EDGE', 'DETECTED', 'DETECTED_NEGATIVE', 'SUSPECT', 'NO_DATA', 'UNMASKEDNAN']):
    mh['MP_' + n] = i
vh = fits.Header(); common(vh, 'VARIANCE')
exp = os.path.join(d, 'calexp.fits')
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(img, ih), fits.ImageHDU(mask, mh), fits.ImageHDU(var, vh)]).writeto(exp, overwrite=True)
w = WCS(ih)
pts = [(0, 0), (59, 39), (30, 20), (12.25, 33.5)]
sky = []
for x, y in pts:
    ra, dec = w.all_pix2world([[x, y]], 0)[0]
    sky.append({"x": x, "y": y, "ra": float(ra), "dec": float(dec)})
rh = fits.Header()
rh['EXTNAME'] = 'ccd10'
rh['AMPLIST'] = 'A B'
rh['ASECA'] = '[1:40,1:30]'; rh['DSECA'] = '[5:40,1:28]'; rh['BSECA'] = '[1:4,1:30]'
rh['ASECB'] = '[41:80,1:30]'; rh['DSECB'] = '[41:76,1:28]'; rh['BSECB'] = '[77:80,1:30]'
rh['BIASSEC'] = '[0:0,0:0]'
raw = np.full((30, 80), 1000, dtype=np.uint16)
raw[:, 0:4] = 300; raw[:, 76:80] = 310
raw[5, 50] = 65535
rawp = os.path.join(d, 'raw.fits')
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(raw, rh)]).writeto(rawp, overwrite=True)
print(json.dumps({"exposure": exp, "raw": rawp, "sky": sky}))
`;

export function writeViewerFixtures(): ViewerFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'viewer-fixtures-'));
  const res = spawnSync(PYTHON, ['-c', SCRIPT, dir], { encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    throw new Error(`writing viewer fixtures with ${PYTHON} failed (install Debian python3-astropy: apt-get install python3-astropy): ${res.error?.message ?? res.stderr}`);
  }
  return { dir, ...(JSON.parse(res.stdout) as Omit<ViewerFixtures, 'dir'>) };
}
