import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCamera } from '../../../core/camera/cameraData.js';
import { getDetector } from '../../../core/camera/geometry.js';
import { Header } from '../../../core/fits/header.js';
import { FileSource } from '../../../core/fits/source.js';
import { FitsFile } from '../../../core/fits/fits-file.js';
import { writeFits } from '../../../core/fits/writer.js';
import { ExposureFitsReader, readExposureComponent, readExposureFits, writeExposureFits } from '../../../core/formatters/fits/exposureFits.js';
import { Box2I } from '../../../core/image/box.js';
import { Exposure } from '../../../core/image/exposure.js';
import { Image } from '../../../core/image/image.js';
import type { Mask } from '../../../core/image/mask.js';
import { SkyWcs } from '../../../core/wcs/skyWcs.js';

const PYTHON = '/usr/bin/python3';
let dir: string;
let file: string;
let exposure: Exposure;

function makeExposure(): Exposure {
  const exp = Exposure.create(40, 30, { x0: 1000, y0: 2000 });
  exp.image.transform((_v, x, y) => (x - 1000) * 0.5 + (y - 2000) * 100 + 0.25);
  exp.variance.transform((_v, x, y) => 1 + ((x + y) % 7));
  const crBit = exp.mask.getPlaneBitMask('CR');
  const extra = exp.mask.addMaskPlane('UNMASKEDNAN', 'NaN not masked otherwise');
  exp.mask.set(1005, 2003, crBit);
  exp.mask.set(1039, 2029, crBit | (1 << extra));
  const meta = new Header();
  meta.set('OBSERVER', 'Tester', 'who observed');
  meta.set('EXPTIME', 99, 'stale copy that visitInfo must override');
  meta.addHistory('made by a unit test');
  exp.metadata = meta;
  exp.visitInfo = { exposureTime: 615.037, darkTime: 615, date: '2008-11-01T14:39:40.180000000 TAI', id: 1038843, boresightRaDec: { ra: 135.4, dec: -2.4 }, boresightAirmass: 1.269, observationType: 'science', instrumentLabel: 'MegaPrime' };
  exp.filter = { physicalLabel: 'i.MP9702', band: 'i' };
  exp.detector = getDetector(loadCamera('megaprime'), 'ccd02');
  exp.id = 37398350;
  // A SIP WCS defined on parent pixels (its own pixel 0 is parent 0).
  exp.wcs = SkyWcs.fromHeader({
    get: (k: string) => ({
      CTYPE1: 'RA---TAN-SIP', CTYPE2: 'DEC--TAN-SIP', CRVAL1: 135.4, CRVAL2: -2.4, CRPIX1: 1024.5, CRPIX2: 2306.5,
      CD1_1: -5.18e-5, CD1_2: 0, CD2_1: 0, CD2_2: 5.18e-5, RADESYS: 'ICRS',
      A_ORDER: 2, A_2_0: 1e-6, A_0_2: -2e-6, B_ORDER: 2, B_1_1: 3e-6,
    } as Record<string, string | number>)[k],
  });
  return exp;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'h5-expfits-'));
  file = join(dir, 'calexp.fits');
  exposure = makeExposure();
  writeExposureFits(file, exposure, { checksum: true });
});

afterAll(() => { if (!process.env.KEEP_H5) rmSync(dir, { recursive: true, force: true }); });

describe('Exposure FITS formatter', () => {
  it('round-trips pixels, mask planes, xy0, visit info, filter, detector, id and metadata', () => {
    const back = readExposureFits(file);
    expect(back.bbox.equals(exposure.bbox)).toBe(true);
    expect(Array.from(back.image.array)).toEqual(Array.from(exposure.image.array));
    expect(Array.from(back.variance.array)).toEqual(Array.from(exposure.variance.array));
    expect(Array.from(back.mask.array)).toEqual(Array.from(exposure.mask.array));
    expect(back.mask.planes.equals(exposure.mask.planes)).toBe(true);
    expect(back.mask.planes.interpret(back.mask.get(1039, 2029))).toEqual(['CR', 'UNMASKEDNAN']);
    expect(back.visitInfo).toEqual(exposure.visitInfo);
    expect(back.filter).toEqual(exposure.filter);
    expect(back.id).toBe(37398350);
    expect(back.detector?.name).toBe('ccd02');
    expect(back.detector?.amplifiers.map((a) => [a.name, a.gain, a.readNoise, a.rawDataBBox.toFitsSection()])).toEqual([
      ['A', 1.57, 3, '[33:1056,1:4612]'],
      ['B', 1.67, 5, '[1057:2080,1:4612]'],
    ]);
    expect(Number.isNaN(back.detector?.amplifiers[0].suspectLevel)).toBe(true);
    expect(back.metadata?.getString('OBSERVER')).toBe('Tester');
    expect(back.metadata?.commentary('HISTORY')).toContain('made by a unit test');
    // The stale EXPTIME in the metadata is overwritten: visit info owns it.
    expect(back.metadata?.has('EXPTIME')).toBe(false);
    expect(back.visitInfo?.exposureTime).toBe(615.037);
    // The WCS works in parent coordinates after the round trip.
    for (const [x, y] of [[1000, 2000], [1039.5, 2029], [0, 0]]) {
      const a = exposure.wcs?.pixelToSky(x, y);
      const b = back.wcs?.pixelToSky(x, y);
      expect(Math.abs((a?.ra ?? 0) - (b?.ra ?? 1))).toBeLessThan(1e-12);
      expect(Math.abs((a?.dec ?? 0) - (b?.dec ?? 1))).toBeLessThan(1e-12);
    }
  });

  it('reads each component alone, and a bbox reads just that region', () => {
    expect((readExposureComponent(file, 'bbox') as Box2I).toJSON()).toEqual({ minX: 1000, minY: 2000, width: 40, height: 30 });
    expect(readExposureComponent(file, 'filter')).toEqual({ physicalLabel: 'i.MP9702', band: 'i' });
    const box = new Box2I(1010, 2005, 7, 4);
    const img = readExposureComponent(file, 'image', { bbox: box }) as Image<Float32Array>;
    expect(img.bbox.equals(box)).toBe(true);
    expect(img.get(1012, 2007)).toBe(exposure.image.get(1012, 2007));
    const mask = readExposureComponent(file, 'mask', { bbox: new Box2I(1005, 2003, 1, 1) }) as Mask;
    expect(mask.planes.interpret(mask.get(1005, 2003))).toEqual(['CR']);
    const sub = readExposureFits(file, { bbox: box });
    expect(Array.from(sub.variance.pixels())).toEqual(Array.from(exposure.variance.subImage(box).pixels()));
    expect(() => readExposureComponent(file, 'image', { bbox: new Box2I(990, 2000, 20, 2) })).toThrow(/calexp\.fits: bbox .* is not inside the exposure/);
    const r = new ExposureFitsReader(file);
    try {
      expect(r.readVisitInfo()?.darkTime).toBe(615);
      expect(r.readWcs()?.hasSip).toBe(true);
    } finally {
      r.close();
    }
  });

  it('reads only the rows a bbox needs, and no pixels for header components', () => {
    const r = new ExposureFitsReader(file);
    const spy = vi.spyOn(FileSource.prototype, 'read');
    try {
      r.readImage({ bbox: new Box2I(1010, 2005, 7, 4) });
      // 4 rows of 40 float32 pixels: the rows of the bbox, nothing else.
      expect(spy.mock.calls.reduce((n, [, len]) => n + len, 0)).toBe(4 * 40 * 4);
      spy.mockClear();
      r.readBBox();
      r.readWcs();
      r.readVisitInfo();
      r.readFilter();
      r.readMetadata();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      r.close();
    }
  });

  it('writes what astropy reads as afw does: HDU names, INHERIT, LTV, the A WCS, MP_ keywords, pixels and WCS', () => {
    const script = `
import json, sys, warnings
from astropy import log
log.setLevel("ERROR")
warnings.simplefilter("ignore")
from astropy.io import fits
from astropy.wcs import WCS
import numpy as np
with fits.open(sys.argv[1], checksum=True) as h:
    out = {"names": [x.name for x in h], "inherit": h[1].header.get("INHERIT"), "ltv": [h[1].header["LTV1"], h[1].header["LTV2"]],
           "crval_a": [h[1].header["CRVAL1A"], h[1].header["CRVAL2A"]], "ctype_a": h[2].header["CTYPE1A"],
           "mp": {k: h["MASK"].header[k] for k in h["MASK"].header if k.startswith("MP_")},
           "image_sum": float(np.sum(h["IMAGE"].data.astype(np.float64))), "mask_dtype": str(h["MASK"].data.dtype),
           "mask_at": int(h["MASK"].data[3, 5]), "exptime": h[0].header["EXPTIME"], "filter": h[0].header["FILTER"]}
    w = WCS(h["IMAGE"].header)
    out["sky"] = w.all_pix2world([[0, 0], [39.5, 29]], 0).tolist()
    wa = WCS(h["IMAGE"].header, key="A")
    out["parent"] = wa.wcs_pix2world([[0, 0], [3, 4]], 0).tolist()
print(json.dumps(out))
`;
    let stdout: string;
    try {
      stdout = execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
    } catch (err) {
      throw new Error(`astropy check failed (needs Debian python3-astropy: apt-get install python3-astropy): ${String(err)}`, { cause: err });
    }
    const a = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { names: string[]; inherit: boolean; ltv: number[]; crval_a: number[]; ctype_a: string; mp: Record<string, number>; image_sum: number; mask_dtype: string; mask_at: number; exptime: number; filter: string; sky: number[][]; parent: number[][] };
    expect(a.names).toEqual(['PRIMARY', 'IMAGE', 'MASK', 'VARIANCE', 'DETECTOR']);
    expect(a.inherit).toBe(true);
    expect(a.ltv).toEqual([-1000, -2000]);
    expect(a.crval_a).toEqual([1000, 2000]);
    expect(a.ctype_a).toBe('LINEAR');
    expect(a.mp).toEqual(Object.fromEntries(exposure.mask.planes.toHeaderEntries()));
    expect(a.image_sum).toBeCloseTo(exposure.image.summary().sum, 6);
    expect(a.mask_dtype).toMatch(/^(>i4|int32)$/);
    expect(a.mask_at).toBe(exposure.mask.getPlaneBitMask('CR'));
    expect(a.exptime).toBe(615.037);
    expect(a.filter).toBe('i.MP9702');
    expect(a.parent).toEqual([[1000, 2000], [1003, 2004]]);
    const s0 = exposure.wcs?.pixelToSky(1000, 2000);
    const s1 = exposure.wcs?.pixelToSky(1039.5, 2029);
    expect(Math.abs(a.sky[0][0] - (s0?.ra ?? 0))).toBeLessThan(1e-9);
    expect(Math.abs(a.sky[0][1] - (s0?.dec ?? 0))).toBeLessThan(1e-9);
    expect(Math.abs(a.sky[1][0] - (s1?.ra ?? 0))).toBeLessThan(1e-9);
    expect(Math.abs(a.sky[1][1] - (s1?.dec ?? 0))).toBeLessThan(1e-9);
  });

  it('takes the detector from the shipped camera when the file has no DETECTOR table (afw-written files)', () => {
    // Same file without its DETECTOR HDU: the primary still has DETNAME and INSTRUMENT, as afw writes.
    const afwLike = join(dir, 'afwlike.fits');
    const src = FitsFile.open(file);
    try {
      writeFits(afwLike, src.hdus.slice(0, 4).map((h) => ({ type: 'raw' as const, header: h.header, data: src.readData(h) })));
    } finally {
      src.close();
    }
    const det = readExposureComponent(afwLike, 'detector') as { name: string; amplifiers: Array<{ gain: number }> };
    expect(det.name).toBe('ccd02');
    expect(det.amplifiers.map((a) => a.gain)).toEqual([1.57, 1.67]);
  });

  it('keeps metadata it cannot turn into objects (a WCS without a SkyWcs, OBJECT without visit info)', () => {
    const exp = Exposure.create(4, 4);
    const meta = new Header();
    meta.set('CTYPE1', 'RA---TAN');
    meta.set('CTYPE2', 'DEC--TAN');
    meta.set('CRVAL1', 10.5);
    meta.set('OBJECT', 'M31');
    exp.metadata = meta;
    const path = join(dir, 'keep.fits');
    writeExposureFits(path, exp);
    const r = new ExposureFitsReader(path);
    try {
      expect(r.readVisitInfo()).toBeUndefined();
      expect(r.readMetadata().getString('OBJECT')).toBe('M31');
      expect(r.readMetadata().getNumber('CRVAL1')).toBe(10.5);
      const f = FitsFile.open(path);
      try {
        expect(f.hdu(0).header.getNumber('CRVAL1')).toBe(10.5);
        expect(f.hdu(0).header.getString('OBJECT')).toBe('M31');
      } finally {
        f.close();
      }
    } finally {
      r.close();
    }
  });

  it('names the file and HDU when something is missing', () => {
    expect(() => readExposureComponent(file, 'nope' as 'image')).toThrow(/unknown Exposure component 'nope'/);
    expect(() => new ExposureFitsReader(join(dir, 'absent.fits'))).toThrow(/absent\.fits/);
  });
});
