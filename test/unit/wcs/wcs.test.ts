import { beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { FitsFile } from '../../../core/fits/fits-file.js';
import { hasWcs, readWcsParams } from '../../../core/wcs/headerWcs.js';
import { SkyWcs } from '../../../core/wcs/skyWcs.js';
import { wcsToCards } from '../../../core/wcs/wcsCards.js';
import { runAstropy, type AstropyCase, type AstropyResult } from './astropyRef.js';

const repoRoot = resolve(__dirname, '..', '..', '..');
const fitsDir = resolve(repoRoot, '..', 'shared', 'data', 'fits');
const MEGACAM = resolve(fitsDir, 'megacam_cutout_806045o_ccd10.fits');
const HST = resolve(fitsDir, 'hst_stis_raw_o4sp040b0.fits');
const SAAO = resolve(fitsDir, 'saao_raw_a8280271.fits');

type Cards = Record<string, string | number | boolean>;

function source(cards: Cards) {
  return { get: (k: string) => cards[k] };
}

function headerOf(file: string, hdu: number) {
  const f = FitsFile.open(file);
  try {
    return f.hdu(hdu).header;
  } finally {
    f.close();
  }
}

/** Great-circle separation in degrees (haversine: accurate for tiny angles). */
function separation(a: [number, number], b: [number, number]): number {
  const d2r = Math.PI / 180;
  const s = Math.sin(((b[1] - a[1]) * d2r) / 2) ** 2 + Math.cos(a[1] * d2r) * Math.cos(b[1] * d2r) * Math.sin(((b[0] - a[0]) * d2r) / 2) ** 2;
  return (2 * Math.asin(Math.sqrt(s))) / d2r;
}

const grid: Array<[number, number]> = [];
for (const x of [-3000, -0.5, 0, 50, 100.25, 1023.5, 2047, 5000]) for (const y of [-2000, 0, 33.3, 100, 2305.5, 4611, 8000]) grid.push([x, y]);

const sip3: Cards = {
  CTYPE1: 'RA---TAN-SIP', CTYPE2: 'DEC--TAN-SIP', CRVAL1: 150.1, CRVAL2: 2.2, CRPIX1: 1024.5, CRPIX2: 2048.5,
  CD1_1: -5.1e-5, CD1_2: 1.3e-6, CD2_1: 1.2e-6, CD2_2: 5.15e-5, RADESYS: 'ICRS',
  A_ORDER: 3, A_0_2: 2.1e-6, A_1_1: -3.4e-6, A_2_0: 1.7e-6, A_0_3: 4e-10, A_1_2: -2e-10, A_2_1: 6e-10, A_3_0: -9e-11,
  B_ORDER: 3, B_0_2: -1.1e-6, B_1_1: 2.4e-6, B_2_0: 3.3e-6, B_0_3: -7e-11, B_1_2: 3e-10, B_2_1: -5e-10, B_3_0: 2e-10,
  AP_ORDER: 3, AP_0_1: 1e-9, AP_0_2: -2.1e-6, AP_1_1: 3.4e-6, AP_2_0: -1.7e-6,
  BP_ORDER: 3, BP_1_0: -1e-9, BP_0_2: 1.1e-6, BP_1_1: -2.4e-6, BP_2_0: -3.3e-6,
};

const cases: Array<{ name: string; cards?: Cards; file?: string; hdu?: number; world?: Array<[number, number]> }> = [
  { name: 'MegaCam cutout 806045o ccd10 (real header, TAN, CRPIX far off the cutout)', file: MEGACAM, hdu: 0 },
  { name: 'TAN-SIP order 3 with AP/BP', cards: sip3 },
  { name: 'TAN-SIP without AP/BP near the pole, PC+CDELT, LONPOLE', cards: {
    CTYPE1: 'RA---TAN-SIP', CTYPE2: 'DEC--TAN-SIP', CRVAL1: 45, CRVAL2: 89.5, CRPIX1: 500, CRPIX2: 400, LONPOLE: 170,
    CDELT1: -2e-4, CDELT2: 2e-4, PC1_1: 0.9, PC1_2: -0.2, PC2_1: 0.25, PC2_2: 0.95,
    A_ORDER: 2, A_0_2: 3e-6, A_1_1: -1e-6, A_2_0: 2e-6, B_ORDER: 2, B_0_2: -2e-6, B_1_1: 1.5e-6, B_2_0: 1e-6,
  } },
  { name: 'TAN across RA = 0 with CROTA2', cards: {
    CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CRVAL1: 359.99, CRVAL2: -30, CRPIX1: 10, CRPIX2: 20, CDELT1: -2e-4, CDELT2: 2e-4, CROTA2: 30, EQUINOX: 2000,
  } },
  { name: 'swapped axes (DEC first)', cards: {
    CTYPE1: 'DEC--TAN', CTYPE2: 'RA---TAN', CRVAL1: -45.5, CRVAL2: 210.25, CRPIX1: 100, CRPIX2: 150, CD1_1: 1e-4, CD1_2: 2e-5, CD2_1: -3e-5, CD2_2: -1.1e-4,
  } },
  { name: 'galactic TAN', cards: {
    CTYPE1: 'GLON-TAN', CTYPE2: 'GLAT-TAN', CRVAL1: 120, CRVAL2: -60, CRPIX1: 1, CRPIX2: 1, CD1_1: -0.001, CD1_2: 0, CD2_1: 0, CD2_2: 0.001,
  } },
  { name: 'HST STIS SCI: linear LAMBDA/ANGLE axes (real header)', file: HST, hdu: 1 },
  ...(['SIN', 'ARC', 'STG', 'ZEA'] as const).map((p) => ({ name: `zenithal ${p} (wide field, rotated, LONPOLE 150)`, cards: {
    CTYPE1: `RA---${p}`, CTYPE2: `DEC--${p}`, CRVAL1: 83.6, CRVAL2: 22.0, CRPIX1: 512, CRPIX2: 400, LONPOLE: 150,
    CD1_1: -0.004, CD1_2: 0.0011, CD2_1: 0.001, CD2_2: 0.0041,
  } as Cards })),
  { name: 'TPV (SCAMP distortion up to 7th order, r terms)', cards: {
    CTYPE1: 'RA---TPV', CTYPE2: 'DEC--TPV', CRVAL1: 214.9, CRVAL2: 52.7, CRPIX1: 1100, CRPIX2: 2300, CD1_1: -5.1e-5, CD1_2: 2e-7, CD2_1: -1e-7, CD2_2: 5.1e-5,
    PV1_0: 1e-5, PV1_1: 1.0002, PV1_2: 3e-4, PV1_3: 1e-4, PV1_4: 2e-3, PV1_5: -1e-3, PV1_6: 5e-4, PV1_7: -2e-2, PV1_9: 1e-2, PV1_11: 3e-3, PV1_16: 0.1, PV1_23: 0.5, PV1_39: 3,
    PV2_0: -2e-5, PV2_1: 0.9998, PV2_2: -2e-4, PV2_4: -1e-3, PV2_5: 2e-3, PV2_8: 1.5e-2, PV2_10: -1e-2, PV2_11: -2e-3, PV2_20: 0.2, PV2_31: 2,
  } },
  { name: 'ZEA-SIP near the south pole', cards: {
    CTYPE1: 'RA---ZEA-SIP', CTYPE2: 'DEC--ZEA-SIP', CRVAL1: 10, CRVAL2: -88, CRPIX1: 100, CRPIX2: 100, CD1_1: -1e-3, CD1_2: 0, CD2_1: 0, CD2_2: 1e-3,
    A_ORDER: 2, A_2_0: 1e-6, B_ORDER: 2, B_0_2: -1e-6,
  } },
];

let results: AstropyResult[];

beforeAll(() => {
  const batch: AstropyCase[] = [];
  for (const c of cases) {
    const wcs = c.file ? SkyWcs.fromHeader(headerOf(c.file, c.hdu ?? 0)) : SkyWcs.fromHeader(source(c.cards ?? {}));
    c.world = grid.map(([x, y]) => wcs.pixelToWorld(x, y));
    batch.push({ ...(c.file ? { file: c.file, hdu: c.hdu } : { cards: c.cards }), pix: grid, world: c.world });
  }
  batch.push({ file: SAAO, hdu: 0, pix: [], world: [] });
  results = runAstropy(batch);
});

describe('SkyWcs agrees with astropy.wcs', () => {
  for (const [i, c] of cases.entries()) {
    it(`${c.name}: pixel → world ≤ 1e-8°, world → pixel ≤ 1e-7 px`, () => {
      const wcs = c.file ? SkyWcs.fromHeader(headerOf(c.file, c.hdu ?? 0)) : SkyWcs.fromHeader(source(c.cards ?? {}));
      const ref = results[i];
      expect(ref.celestial).toBe(wcs.isCelestial);
      const ours = c.world ?? [];
      let worst = 0;
      for (let k = 0; k < grid.length; k++) {
        const r = ref.world?.[k] as [number, number];
        if (wcs.isCelestial) {
          const [lngAxis, latAxis] = wcs.params.lngAxis === 0 ? [0, 1] : [1, 0];
          worst = Math.max(worst, separation([ours[k][lngAxis], ours[k][latAxis]], [r[lngAxis], r[latAxis]]));
          expect(Math.abs(ours[k][latAxis] - r[latAxis])).toBeLessThanOrEqual(1e-8);
        } else {
          worst = Math.max(worst, Math.abs(ours[k][0] - r[0]), Math.abs(ours[k][1] - r[1]));
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-8);
      // Inverse: the world positions we produced go back to the grid, as astropy's all_world2pix does.
      for (let k = 0; k < grid.length; k++) {
        const back = wcs.worldToPixel(ours[k][0], ours[k][1]);
        const r = ref.pix?.[k] as [number, number];
        expect(Math.abs(back[0] - r[0])).toBeLessThanOrEqual(1e-7);
        expect(Math.abs(back[1] - r[1])).toBeLessThanOrEqual(1e-7);
        expect(Math.abs(back[0] - grid[k][0])).toBeLessThanOrEqual(1e-7);
        expect(Math.abs(back[1] - grid[k][1])).toBeLessThanOrEqual(1e-7);
      }
    });
  }

  it('SAAO raw has no WCS: astropy finds nothing celestial, we say so by name', () => {
    const ref = results[cases.length];
    expect(ref.celestial).toBe(false);
    const h = headerOf(SAAO, 0);
    expect(hasWcs(h)).toBe(false);
    expect(() => SkyWcs.fromHeader(h, { where: 'saao_raw_a8280271.fits[0]' })).toThrow(/saao_raw_a8280271\.fits\[0\]: no WCS/);
  });
});

describe('SkyWcs details', () => {
  it('reads the real MegaCam header: FK5 J2000, CD matrix, 0.187"/px', () => {
    const wcs = SkyWcs.fromHeader(headerOf(MEGACAM, 0));
    expect(wcs.params.radesys).toBe('FK5');
    expect(wcs.params.equinox).toBe(2000);
    expect(wcs.params.lonpole).toBe(180);
    // At the tangent point the scale is the CD scale; 0.28° away TAN stretches it by ~3e-5.
    expect(wcs.pixelScaleArcsec(-5357.2, 4549.7)).toBeCloseTo(5.194e-5 * 3600, 9);
    expect(wcs.pixelScaleArcsec(50, 50) / (5.194e-5 * 3600)).toBeCloseTo(1 - 3.05e-5, 6);
    // 0-based pixel (CRPIX − 1) is the reference point.
    const ref = wcs.pixelToSky(-5356.2 - 1, 4550.7 - 1);
    expect(ref.ra).toBeCloseTo(280.55733, 12);
    expect(ref.dec).toBeCloseTo(0.15653, 12);
  });

  it('an origin (xy0) shifts pixel coordinates to the parent frame', () => {
    const wcs = SkyWcs.fromHeader(source(sip3));
    const shifted = wcs.withOrigin(100, 200);
    const a = wcs.pixelToSky(10, 20);
    const b = shifted.pixelToSky(110, 220);
    expect(b).toEqual(a);
    const [x, y] = shifted.skyToPixel(a.ra, a.dec);
    expect(x).toBeCloseTo(110, 9);
    expect(y).toBeCloseTo(220, 9);
  });

  it('rejects what it cannot do with messages that name the keyword', () => {
    expect(() => readWcsParams(source({ CTYPE1: 'RA---AIT', CTYPE2: 'DEC--AIT', CD1_1: 1, CD2_2: 1 }), '', 'x.fits')).toThrow(/x\.fits: projection AIT in CTYPE1='RA---AIT' is not supported/);
    expect(() => readWcsParams(source({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--SIN', CD1_1: 1, CD2_2: 1 }))).toThrow(/different projections/);
    expect(() => readWcsParams(source({ CTYPE1: 'RA---SIN', CTYPE2: 'DEC--SIN', CD1_1: 1, CD2_2: 1, PV2_1: 0.1 }))).toThrow(/PV2_1 = 0.1 \(slant orthographic\) is not supported/);
    expect(() => readWcsParams(source({ CTYPE1: 'RA---TAN-SIP', CTYPE2: 'DEC--TAN-SIP', CD1_1: 1, CD2_2: 1 }))).toThrow(/-SIP but A_ORDER is missing/);
    expect(() => readWcsParams(source({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CD1_1: 1, CD1_2: 1, CD2_1: 1, CD2_2: 1 }))).toThrow(/singular/);
    expect(() => readWcsParams(source({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CRVAL1: 'abc' }))).toThrow(/CRVAL1 = "abc" is not a number/);
    expect(() => readWcsParams(source({ CTYPE1: 'RA---TAN', CTYPE2: 'WAVE' }))).toThrow(/do not form a celestial pair/);
    expect(SkyWcs.fromHeader(source({ ...sip3, NAXIS: 0 })).isCelestial).toBe(true);
    expect(() => readWcsParams(source({ NAXIS: 1, CTYPE1: 'WAVE', CRVAL1: 5000, CD1_1: 1 }))).toThrow(/the WCS has 1 axis; an image WCS needs 2/);
    const lin = SkyWcs.fromHeader(source({ CTYPE1: 'LINEAR', CTYPE2: 'LINEAR', CRVAL1: 5, CRPIX1: 1, CD1_1: 1, CD2_2: 1 }));
    expect(() => lin.pixelToSky(0, 0)).toThrow(/not celestial/);
    const warn = readWcsParams(source({ ...sip3, CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN' }));
    expect(warn.sip).toBeDefined();
    expect(warn.warnings.join()).toMatch(/-SIP suffix/);
  });

  it('writes its parameters back as cards that read to the same transform (TAN-SIP, TPV, shifted origin)', () => {
    const tpvCase = cases.find((c) => c.name.startsWith('TPV'));
    for (const cards of [sip3, tpvCase?.cards ?? {}]) {
      const a = SkyWcs.fromHeader(source(cards));
      const written = Object.fromEntries(wcsToCards(a.params, { dx: 10, dy: -5 }).map(([k, v]) => [k, v]));
      const b = SkyWcs.fromHeader(source(written as Cards));
      for (const [x, y] of [[0, 0], [500, 1500], [-100, 3000]]) {
        const p = a.pixelToSky(x, y);
        const q = b.pixelToSky(x - 10, y + 5);
        expect(Math.abs(p.ra - q.ra)).toBeLessThan(1e-12);
        expect(Math.abs(p.dec - q.dec)).toBeLessThan(1e-12);
      }
    }
  });

  it('reads an alternate WCS (afw writes the xy0 as the A WCS)', () => {
    const h = source({ CTYPE1A: 'LINEAR', CTYPE2A: 'LINEAR', CRPIX1A: 1, CRPIX2A: 1, CRVAL1A: 100, CRVAL2A: 200, CUNIT1A: 'PIXEL', CUNIT2A: 'PIXEL' });
    const w = SkyWcs.fromHeader(h, { key: 'A' });
    expect(w.pixelToWorld(0, 0)).toEqual([100, 200]);
    expect(w.pixelToWorld(5, 7)).toEqual([105, 207]);
  });
});
