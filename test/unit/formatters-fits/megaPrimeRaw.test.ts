import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FitsFile } from '../../../core/fits/fits-file.js';
import { Header } from '../../../core/fits/header.js';
import { writeFits, type HduSpec } from '../../../core/fits/writer.js';
import { megaPrimeDetectorsIn, readMegaPrimeRaw } from '../../../core/formatters/fits/megaPrimeRaw.js';
import { exposureFitsSerializer, megaPrimeRawSerializer } from '../../../core/formatters/fits/index.js';
import { serializers, type ReadContext } from '../../../core/formatters/index.js';
import { Box2I } from '../../../core/image/box.js';
import { Exposure } from '../../../core/image/exposure.js';
import { getInstrument } from '../../../core/instrument/index.js';
import type { SkyWcs } from '../../../core/wcs/skyWcs.js';

const fitsDir = resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'fits');
const CUTOUT = join(fitsDir, 'megacam_cutout_806045o_ccd10.fits');
const RICE = join(fitsDir, 'megacam_double_ext_rice.fits');
let dir: string;
let mef: string;
let astropy: { sum: number; min: number; max: number; p: number[] };

function cutoutHeader(): Header {
  const f = FitsFile.open(CUTOUT);
  try {
    return f.hdu(0).header.clone();
  } finally {
    f.close();
  }
}

/** A spliced-raw-like MEF: primary without data, ccd00 plain, ccd05 RICE-compressed, ccd37 plain, all uint16. */
function writeMef(path: string): void {
  const primary = new Header();
  primary.set('NEXTEND', 3);
  primary.set('INSTRUME', 'MegaPrime');
  const specs: HduSpec[] = [{ type: 'image', header: primary }];
  for (const [name, compressed] of [['ccd00', false], ['ccd05', true], ['ccd37', false]] as const) {
    const h = cutoutHeader();
    for (const k of ['SIMPLE', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'EXTEND', 'BZERO', 'BSCALE']) h.delete(k);
    h.set('EXTNAME', name);
    const num = Number(name.slice(3));
    const data = new Uint16Array(64 * 48);
    for (let i = 0; i < data.length; i++) data[i] = 1000 + num * 100 + (i % 97);
    specs.push(compressed ? { type: 'compressed-image', header: h, data, axes: [64, 48], compression: { type: 'RICE_1' } } : { type: 'image', header: h, data, axes: [64, 48] });
  }
  writeFits(path, specs);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'h5-raw-'));
  mef = join(dir, '806045o.fits.fz');
  writeMef(mef);
  const script = `
import json, sys
import numpy as np
from astropy.io import fits
d = fits.getdata(sys.argv[1]).astype(np.float64)
print(json.dumps({"sum": float(d.sum()), "min": float(d.min()), "max": float(d.max()), "p": [float(d[0, 0]), float(d[50, 7]), float(d[100, 100])]}))
`;
  try {
    astropy = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, CUTOUT], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '') as typeof astropy;
  } catch (err) {
    throw new Error(`astropy reference failed (install Debian python3-astropy: apt-get install python3-astropy): ${String(err)}`, { cause: err });
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MegaPrime raw formatter', () => {
  it('reads the real 806045o ccd10 cutout with detector, visit info, filter, WCS and pixels as astropy', () => {
    const exp = readMegaPrimeRaw(CUTOUT);
    expect(exp.width).toBe(101);
    expect(exp.height).toBe(101);
    const s = exp.image.summary();
    expect(s.sum).toBe(astropy.sum);
    expect([s.min, s.max]).toEqual([astropy.min, astropy.max]);
    expect([exp.image.get(0, 0), exp.image.get(7, 50), exp.image.get(100, 100)]).toEqual(astropy.p);
    expect(exp.detector?.name).toBe('ccd10');
    expect(exp.detector?.amplifiers.map((a) => a.gain)).toEqual([1.58, 1.71]);
    expect(exp.visitInfo?.exposureTime).toBe(2.046);
    expect(exp.visitInfo?.darkTime).toBe(2.0);
    expect(exp.visitInfo?.id).toBe(806045);
    // Mid-exposure, TAI: (09:55:10.57 + 09:56:01.82)/2 UTC + 32 s.
    expect(exp.visitInfo?.date).toBe('2005-07-31T09:56:08.195000000 TAI');
    expect(exp.filter).toEqual({ physicalLabel: 'g.MP9401', band: 'g' });
    expect(exp.id).toBe(806045 * 36 + 10);
    expect(exp.wcs?.isCelestial).toBe(true);
    expect(exp.metadata?.getString('CCDNAME')).toBe('8352-4-4');
    expect(exp.mask.countSet(-1)).toBe(0);
    expect(readMegaPrimeRaw(CUTOUT, { detector: 'ccd10' }).image.get(3, 4)).toBe(exp.image.get(3, 4));
    expect(() => readMegaPrimeRaw(CUTOUT, { detector: 11 })).toThrow(/no HDU holds detector 11 \(ccd11\); detectors present: 10/);
  });

  it('finds a detector in a multi-extension raw, plain or RICE-compressed, and reads a bbox', () => {
    expect(megaPrimeDetectorsIn(mef)).toEqual([0, 5, 37]);
    const c5 = readMegaPrimeRaw(mef, { detector: 5 });
    expect(c5.detector?.name).toBe('ccd05');
    expect(c5.image.get(0, 0)).toBe(1500);
    expect(c5.image.get(10, 2)).toBe(1500 + ((2 * 64 + 10) % 97));
    const c37 = readMegaPrimeRaw(mef, { detector: 'ccd37' });
    expect(c37.detector?.era).toBe('40-ccd');
    expect(c37.id).toBe(36 * 2 ** 31 + 806045 * 4 + 1);
    const sub = readMegaPrimeRaw(mef, { detector: 0, bbox: new Box2I(10, 20, 5, 3) });
    expect(sub.bbox.toJSON()).toEqual({ minX: 10, minY: 20, width: 5, height: 3 });
    expect(sub.image.get(12, 21)).toBe(1000 + ((21 * 64 + 12) % 97));
    expect(() => readMegaPrimeRaw(mef)).toThrow(/holds 3 detectors; say which/);
    expect(() => readMegaPrimeRaw(mef, { detector: 7 })).toThrow(/no HDU holds detector 7 \(ccd07\); detectors present: 0, 5, 37/);
    expect(() => readMegaPrimeRaw(mef, { detector: 'amp3' })).toThrow(/'amp3' is not a MegaPrime detector name/);
    expect(() => readMegaPrimeRaw(mef, { detector: 0, bbox: new Box2I(60, 0, 10, 2) })).toThrow(/outside the raw frame/);
  });

  it('recognises the CFHT compressed layout (two EXTNAMEs) and names a missing keyword', () => {
    expect(megaPrimeDetectorsIn(RICE)).toEqual([0]);
    expect(() => readMegaPrimeRaw(RICE, { detector: 0 })).toThrow(/megacam_double_ext_rice\.fits\[1 .*\]: keyword EXPNUM is missing/);
  });

  it('is the Instrument\'s raw formatter and is registered for Exposure', () => {
    const mp = getInstrument('MegaPrime');
    expect(mp.rawFormatter.detectorsIn(mef)).toEqual([0, 5, 37]);
    expect(mp.rawFormatter.read(mef, { detector: 37 }).detector?.id).toBe(37);
    const obs = mp.rawFormatter.observations(mef);
    expect(obs.map((o) => [o.detector, o.hdu, o.info.detectorName, o.info.exposureId])).toEqual([
      [0, 1, 'ccd00', 806045], [5, 2, 'ccd05', 806045], [37, 3, 'ccd37', 806045],
    ]);
    expect(obs[1].info.detectorExposureId).toBe(806045 * 36 + 5);
    expect(() => mp.rawFormatter.observations(RICE)).toThrow(/keyword EXPNUM is missing/);
    expect(serializers.get(Exposure, 'fits', 'posix')).toBe(exposureFitsSerializer);
    expect(serializers.get(Exposure, 'megaprime-raw', 'posix')).toBe(megaPrimeRawSerializer);
  });

  it('serves components and a bbox through the serializer interface', async () => {
    const ctx = (component: string | undefined, parameters: Record<string, unknown>): ReadContext => ({
      location: { storageKind: 'posix', path: 'raw/806045o.fits.fz', uri: `file://${mef}`, options: {} },
      storageClass: 'Exposure',
      ...(component ? { component } : {}),
      parameters,
      readBytes: async () => new Uint8Array(0),
      localPath: async () => mef,
    });
    const wcs = (await megaPrimeRawSerializer.read(ctx('wcs', { detector: 5 }))) as SkyWcs;
    expect(wcs.isCelestial).toBe(true);
    // The detector of the dataId, as the datastore passes it.
    const fromDataId = (await megaPrimeRawSerializer.read({ ...ctx('detector', {}), dataset: { datasetType: 'raw', dataId: { instrument: 'MegaPrime', exposure: 806045, detector: 37 }, id: 'x', run: 'r' } } as ReadContext)) as { name: string };
    expect(fromDataId.name).toBe('ccd37');
    const part = (await megaPrimeRawSerializer.read(ctx(undefined, { detector: 5, bbox: [0, 0, 3, 1] }))) as Exposure;
    expect(part.bbox.toJSON()).toEqual({ minX: 0, minY: 0, width: 4, height: 2 });
    await expect(megaPrimeRawSerializer.read(ctx(undefined, { detector: 5, bbox: 'all' }))).rejects.toThrow(/read parameter bbox must be/);
  });
});
