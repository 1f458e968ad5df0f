import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header } from '../../../core/fits/header.js';
import { imageFitsSerializer, maskedImageFitsSerializer, maskFitsSerializer, readImageFits, readMaskedImageFits, readMaskFits, writeExposureFits, writeImageFits, writeMaskedImageFits, writeMaskFits } from '../../../core/formatters/fits/index.js';
import { serializers } from '../../../core/formatters/index.js';
import { Box2I } from '../../../core/image/box.js';
import { Exposure } from '../../../core/image/exposure.js';
import { Image } from '../../../core/image/image.js';
import { Mask } from '../../../core/image/mask.js';
import { MaskedImage } from '../../../core/image/maskedImage.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'h5-img-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Image, Mask and MaskedImage FITS files (afw layout)', () => {
  it('writes an Image in the primary HDU with xy0 and reads it (or a bbox) back; astropy agrees', () => {
    const img = Image.create(9, 5, { x0: -3, y0: 7 });
    img.transform((_v, x, y) => x * 10 + y + 0.5);
    const meta = new Header();
    meta.set('BUNIT', 'adu');
    const path = join(dir, 'bias.fits');
    writeImageFits(path, img, meta);
    const back = readImageFits(path);
    expect(back.bbox.equals(img.bbox)).toBe(true);
    expect(Array.from(back.array)).toEqual(Array.from(img.array));
    const part = readImageFits(path, { bbox: new Box2I(0, 8, 2, 2) });
    expect(part.get(1, 9)).toBe(img.get(1, 9));
    expect(() => readImageFits(path, { bbox: new Box2I(-4, 7, 2, 2) })).toThrow(/bias\.fits: bbox .* is not inside the image/);
    const out = execFileSync('/usr/bin/python3', ['-c', 'import sys; from astropy.io import fits; h=fits.open(sys.argv[1]); print(h[0].header["LTV1"], h[0].header["LTV2"], h[0].header["BUNIT"], float(h[0].data[2,4]))', path], { encoding: 'utf8' });
    expect(out.trim()).toBe(`3 -7 adu ${img.get(1, 9)}`);
  });

  it('writes a Mask with its planes and reads it back; reads planes out of an Exposure file', () => {
    const mask = Mask.createMask(4, 3, { x0: 10, y0: 20 });
    const bit = mask.addMaskPlane('CROSSTALK');
    mask.set(12, 21, 1 << bit);
    const path = join(dir, 'mask.fits');
    writeMaskFits(path, mask);
    const back = readMaskFits(path);
    expect(back.planes.equals(mask.planes)).toBe(true);
    expect(back.planes.interpret(back.get(12, 21))).toEqual(['CROSSTALK']);
    expect(back.bbox.equals(mask.bbox)).toBe(true);

    const exp = Exposure.create(6, 4, { x0: 1, y0: 2 });
    exp.image.fill(5);
    exp.mask.set(3, 3, exp.mask.getPlaneBitMask('SAT'));
    const expPath = join(dir, 'exp.fits');
    writeExposureFits(expPath, exp);
    expect(readImageFits(expPath).get(6, 5)).toBe(5);
    expect(readMaskFits(expPath).planes.interpret(readMaskFits(expPath).get(3, 3))).toEqual(['SAT']);
  });

  it('round-trips a MaskedImage', () => {
    const mi = MaskedImage.create(3, 3, { x0: 5, y0: 6 });
    mi.image.fill(2);
    mi.variance.fill(0.25);
    mi.mask.fill(4);
    const path = join(dir, 'mi.fits');
    writeMaskedImageFits(path, mi);
    const back = readMaskedImageFits(path);
    expect(back.bbox.equals(mi.bbox)).toBe(true);
    expect([back.image.get(7, 8), back.variance.get(5, 6), back.mask.get(6, 7)]).toEqual([2, 0.25, 4]);
  });

  it('is registered per type (a Mask finds the Mask serializer, not Image\'s)', () => {
    expect(serializers.get(Image, 'fits', 'posix')).toBe(imageFitsSerializer);
    expect(serializers.get(Mask, 'fits', 'posix')).toBe(maskFitsSerializer);
    expect(serializers.get(MaskedImage, 'fits', 'posix')).toBe(maskedImageFitsSerializer);
  });
});
