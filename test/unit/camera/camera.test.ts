import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { FitsFile } from '../../../core/fits/fits-file.js';
import { detectorFromHeader } from '../../../core/camera/headerGeometry.js';
import { detectorSkyCorners, pixelToSkyApprox } from '../../../core/camera/skyProjection.js';
import { loadCamera, shippedCameras } from '../../../core/camera/cameraData.js';
import { parseCameraYaml } from '../../../core/camera/cameraYaml.js';
import { detectorFocalPlaneCorners, fieldAngleToFocalPlane, focalPlaneToFieldAngle, focalPlaneToPixel, getAmplifier, getDetector, pixelToFocalPlane } from '../../../core/camera/geometry.js';

describe('MegaPrime camera (YAML data)', () => {
  const cam = loadCamera('megaprime');

  it('ships 40 detectors: ccd00–ccd35 from obs_cfht plus the 40-CCD era ccd36–ccd39', () => {
    expect(shippedCameras()).toContain('megaprime');
    expect(cam.name).toBe('MegaPrime');
    expect(cam.plateScale).toBe(13.7);
    expect(cam.detectors).toHaveLength(40);
    expect(cam.detectors.map((d) => d.name)).toEqual(Array.from({ length: 40 }, (_, i) => `ccd${String(i).padStart(2, '0')}`));
    expect(cam.detectors.filter((d) => d.era === '40-ccd').map((d) => d.id)).toEqual([36, 37, 38, 39]);
  });

  it('has the amplifier geometry of isr.md §2.2', () => {
    const d = getDetector(cam, 'ccd10');
    expect(d.bbox.toJSON()).toEqual({ minX: 0, minY: 0, width: 2048, height: 4612 });
    expect([d.rawWidth, d.rawHeight]).toEqual([2112, 4644]);
    const a = getAmplifier(d, 'A');
    const b = getAmplifier(d, 'B');
    // Header sections of real raws: DSECA [33:1056,1:4612], BSECA [1:32,...], DSECB [1057:2080,...], BSECB [2081:2112,...].
    expect(a.rawDataBBox.toFitsSection()).toBe('[33:1056,1:4612]');
    expect(a.rawSerialOverscanBBox.toFitsSection()).toBe('[1:32,1:4613]');
    expect(a.rawParallelOverscanBBox.toFitsSection()).toBe('[33:1055,4613:4643]');
    expect(a.rawSerialPrescanBBox.isEmpty()).toBe(true);
    expect(a.bbox.toFitsSection()).toBe('[1:1024,1:4612]');
    expect(b.rawDataBBox.toFitsSection()).toBe('[1057:2080,1:4612]');
    expect(b.rawSerialOverscanBBox.toFitsSection()).toBe('[2081:2112,1:4613]');
    expect(b.bbox.toFitsSection()).toBe('[1025:2048,1:4612]');
    expect([a.readoutCorner, b.readoutCorner]).toEqual(['LL', 'LR']);
    expect([a.rawFlipX, a.rawFlipY, b.rawFlipX, b.rawFlipY]).toEqual([false, false, false, false]);
    expect(a.saturation).toBe(65535);
    expect(Number.isNaN(a.suspectLevel)).toBe(true);
    expect(a.linearityType).toBe('None');
    // Per-CCD gains from obs_cfht (ccd10 header says GAINA 1.58, GAINB 1.71, RDNOISEA/B 3/4).
    expect([a.gain, b.gain, a.readNoise, b.readNoise]).toEqual([1.58, 1.71, 3, 4]);
    const c0 = getDetector(cam, 0);
    expect([c0.amplifiers[0].gain, c0.amplifiers[1].gain, c0.amplifiers[0].readNoise, c0.amplifiers[1].readNoise]).toEqual([1.54, 1.63, 3, 6]);
    const c17 = getDetector(cam, 17);
    expect([c17.amplifiers[0].gain, c17.amplifiers[1].gain]).toEqual([1.88, 2.07]);
  });

  it('places detectors on the focal plane: top two rows yawed 180°, bottom two 0°', () => {
    expect(getDetector(cam, 'ccd00').orientation.yawDeg).toBe(180);
    expect(getDetector(cam, 'ccd18').orientation.yawDeg).toBe(0);
    const d = getDetector(cam, 'ccd00');
    const centre = pixelToFocalPlane(d, 1023.5, 2305.5);
    expect(centre).toEqual({ x: -114.399, y: 99.46125 });
    // Yaw 180°: +x in pixels runs to −x on the focal plane.
    const right = pixelToFocalPlane(d, 1023.5 + 100, 2305.5);
    expect(right.x).toBeCloseTo(-114.399 - 1.35, 10);
    const back = focalPlaneToPixel(d, right.x, right.y);
    expect(back.x).toBeCloseTo(1123.5, 9);
    expect(back.y).toBeCloseTo(2305.5, 9);
    const corners = detectorFocalPlaneCorners(getDetector(cam, 'ccd22'));
    const xs = corners.map((c) => c.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(2048 * 0.0135, 9);
    // The 40-CCD-era ears sit left and right of the middle rows.
    expect(getDetector(cam, 'ccd36').orientation.fpPosition.x).toBeLessThan(getDetector(cam, 'ccd09').orientation.fpPosition.x - 27);
    expect(getDetector(cam, 'ccd39').orientation.fpPosition.x).toBeGreaterThan(getDetector(cam, 'ccd26').orientation.fpPosition.x + 27);
  });

  it('maps the focal plane to field angles with obs_cfht\'s radial polynomial and back', () => {
    // 1 mm at the centre is 1/14805.4 rad = 13.93"; the edge of the mosaic (~143 mm) is ~0.55°.
    const a = focalPlaneToFieldAngle(cam, 1, 0);
    expect(a.x * 206264.806).toBeCloseTo(206264.806 / 14805.4, 2);
    const edge = focalPlaneToFieldAngle(cam, 142.9, 99.5);
    const deg = (Math.hypot(edge.x, edge.y) * 180) / Math.PI;
    expect(deg).toBeGreaterThan(0.6);
    expect(deg).toBeLessThan(0.7);
    const back = fieldAngleToFocalPlane(cam, edge.x, edge.y);
    expect(back.x).toBeCloseTo(142.9, 9);
    expect(back.y).toBeCloseTo(99.5, 9);
    // r = Σ cᵢ θⁱ exactly at θ = 0.01 rad.
    const fp = fieldAngleToFocalPlane(cam, 0.01, 0);
    expect(fp.x).toBeCloseTo(14805.4 * 0.01 + 13619.3 * 1e-4 + 426637.0 * 1e-6, 9);
  });

  it('names the valid detectors when asked for a missing one', () => {
    expect(() => getDetector(cam, 'ccd40')).toThrow(/MegaPrime has no detector "ccd40".*ccd00…ccd39/);
    expect(() => getAmplifier(getDetector(cam, 1), 'C')).toThrow(/no amplifier 'C' \(amplifiers: A, B\)/);
    expect(() => loadCamera('nocam')).toThrow(/no camera 'nocam' \(shipped cameras: .*megaprime/);
  });
});

describe('camera YAML validation', () => {
  const base = `
name: Test
plateScale: 10
pixelSize: [0.01, 0.01]
detectorDefaults:
  bbox: [0, 0, 9, 9]
  rawSize: [12, 10]
  amplifiers:
    - { name: A, bbox: [0, 0, 9, 9], rawBBox: [0, 0, 11, 9], rawDataBBox: [2, 0, 11, 9], rawSerialOverscanBBox: [0, 0, 1, 9], readoutCorner: LL, gain: 2, readNoise: 5, saturation: 1000 }
detectors:
  - { id: 0, name: d0, serial: x, offset: [0, 0], yaw: 0 }
`;
  it('parses a minimal camera', () => {
    const cam = parseCameraYaml(base, 'test.yaml');
    expect(cam.detectors[0].amplifiers[0].rawSerialOverscanBBox.width).toBe(2);
    expect(cam.detectors[0].orientation.referencePoint).toEqual({ x: 4.5, y: 4.5 });
  });

  it('names the file, field and problem', () => {
    expect(() => parseCameraYaml(base.replace('gain: 2', 'gain: -2'), 'test.yaml')).toThrow(/test\.yaml: detectorDefaults\.amplifiers\.0\.gain/);
    expect(() => parseCameraYaml(base.replace('rawDataBBox: [2, 0, 11, 9]', 'rawDataBBox: [2, 0, 12, 9]'), 't.yaml')).toThrow(/amplifier A rawDataBBox .* outside the raw frame/);
    expect(() => parseCameraYaml(base.replace('bbox: [0, 0, 9, 9], rawBBox', 'bbox: [0, 0, 8, 9], rawBBox'), 't.yaml')).toThrow(/rawDataBBox 10×10 differs from bbox 9×10/);
    expect(() => parseCameraYaml(base + '  - { id: 0, name: d1, serial: y, offset: [0, 0], yaw: 0 }\n', 't.yaml')).toThrow(/duplicate detector id 0/);
    expect(() => parseCameraYaml('name: [', 't.yaml')).toThrow(/t\.yaml: not valid YAML/);
  });
});

describe('detector geometry from raw headers', () => {
  const fitsDir = resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'fits');
  function header(file: string) {
    const f = FitsFile.open(resolve(fitsDir, file));
    try {
      return f.hdu(0).header;
    } finally {
      f.close();
    }
  }

  it('reads the SAAO raw sections (TRIMSEC, BIASSEC, GAIN, RDNOISE)', () => {
    const d = detectorFromHeader(header('saao_raw_a8280271.fits'), { where: 'saao' });
    expect([d.rawWidth, d.rawHeight]).toEqual([536, 520]);
    const a = d.amplifiers[0];
    expect(a.rawDataBBox.toFitsSection()).toBe('[17:528,1:520]');
    expect(a.rawSerialOverscanBBox.toFitsSection()).toBe('[4:13,1:520]');
    expect(a.bbox.toJSON()).toEqual({ minX: 0, minY: 0, width: 512, height: 520 });
    expect([a.gain, a.readNoise]).toEqual([1.9, 5]);
    expect(Number.isNaN(a.saturation)).toBe(true);
  });

  it('reads the per-amplifier sections of the real MegaCam header and agrees with the shipped camera', () => {
    const d = detectorFromHeader(header('megacam_cutout_806045o_ccd10.fits'));
    const cam = getDetector(loadCamera('megaprime'), 'ccd10');
    expect(d.name).toBe('ccd10');
    expect(d.serial).toBe('8352-4-4');
    expect([d.rawWidth, d.rawHeight]).toEqual([2112, 4644]);
    expect(d.bbox.equals(cam.bbox)).toBe(true);
    for (const [i, a] of d.amplifiers.entries()) {
      const c = cam.amplifiers[i];
      expect(a.name).toBe(c.name);
      expect(a.bbox.equals(c.bbox)).toBe(true);
      expect(a.rawDataBBox.equals(c.rawDataBBox)).toBe(true);
      expect([a.gain, a.readNoise, a.saturation, a.readoutCorner]).toEqual([c.gain, c.readNoise, c.saturation, c.readoutCorner]);
      // The header's overscan runs over all 4644 rows; obs_cfht's amp table stops at row 4612.
      expect(a.rawSerialOverscanBBox.minX).toBe(c.rawSerialOverscanBBox.minX);
      expect(a.rawSerialOverscanBBox.width).toBe(c.rawSerialOverscanBBox.width);
      expect([a.rawSerialOverscanBBox.height, c.rawSerialOverscanBBox.height]).toEqual([4644, 4613]);
    }
  });

  it('names the keyword that is wrong', () => {
    const src = (cards: Record<string, unknown>) => ({ get: (k: string) => cards[k] });
    expect(() => detectorFromHeader(src({ NAXIS1: 10, NAXIS2: 10, DATASEC: '[1:5,1:10' }), { where: 'f.fits' })).toThrow(/f\.fits: DATASEC: not a FITS section/);
    expect(() => detectorFromHeader(src({ NAXIS1: 10, NAXIS2: 10 }), { where: 'f.fits' })).toThrow(/f\.fits: no GAIN keyword/);
    expect(() => detectorFromHeader(src({ AMPLIST: 'A B', DSECA: '[1:5,1:5]', GAINA: 1 }), { where: 'g' })).toThrow(/AMPLIST names amplifier B but DSECB\/TSECB is missing/);
    expect(() => detectorFromHeader(src({ NAXIS1: 10, NAXIS2: 10, GAIN: 'x' }), { where: 'h' })).toThrow(/h: GAIN = "x" is not a number/);
  });
});

describe('detectors on the sky', () => {
  const cam = loadCamera('megaprime');
  const d2r = Math.PI / 180;
  const sep = (a: { ra: number; dec: number }, b: { ra: number; dec: number }) => {
    const s = Math.sin(((b.dec - a.dec) * d2r) / 2) ** 2 + Math.cos(a.dec * d2r) * Math.cos(b.dec * d2r) * Math.sin(((b.ra - a.ra) * d2r) / 2) ** 2;
    return (2 * Math.asin(Math.sqrt(s))) / d2r;
  };

  it('puts ccd10 where the real 806045o header WCS says, with its orientation and scale', () => {
    const f = FitsFile.open(resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'fits', 'megacam_cutout_806045o_ccd10.fits'));
    const h = f.hdu(0).header;
    f.close();
    const bore = { ra: h.getNumber('RA_DEG') ?? 0, dec: h.getNumber('DEC_DEG') ?? 0 };
    const det = getDetector(cam, 'ccd10');
    // The header's reference pixel is the boresight, in raw pixels (amp A data start at raw x = 32).
    const crpix = [(h.getNumber('CRPIX1') ?? 0) - 1 - 32, (h.getNumber('CRPIX2') ?? 0) - 1];
    const here = pixelToSkyApprox(cam, det, bore, crpix[0], crpix[1]);
    // Within 150 px (28″): the telescope axis is not exactly at the focal-plane origin.
    expect(sep(here, bore) * 3600).toBeLessThan(150 * 0.187);
    // Orientation and scale match the header CD (CD1_1 = +5.194e-5, CD2_2 = −5.194e-5 deg/px).
    const c = pixelToSkyApprox(cam, det, bore, 1000, 2000);
    const dx = pixelToSkyApprox(cam, det, bore, 1100, 2000);
    const dy = pixelToSkyApprox(cam, det, bore, 1000, 2100);
    const cd11 = ((dx.ra - c.ra) * Math.cos(c.dec * d2r)) / 100;
    const cd22 = (dy.dec - c.dec) / 100;
    expect(cd11 / 5.194e-5).toBeGreaterThan(0.98);
    expect(cd11 / 5.194e-5).toBeLessThan(1.02);
    expect(cd22 / -5.194e-5).toBeGreaterThan(0.98);
    expect(cd22 / -5.194e-5).toBeLessThan(1.02);
    // Off-axis the radial distortion (radial ≠ tangential scale) adds a small skew, well under 1 %.
    expect(Math.abs((dx.dec - c.dec) / 100)).toBeLessThan(0.005 * 5.194e-5);
  });

  it('spans the MegaCam field (~1°) and turns with the rotation angle', () => {
    const bore = { ra: 150, dec: 2 };
    const c0 = detectorSkyCorners(cam, getDetector(cam, 'ccd00'), bore);
    const c35 = detectorSkyCorners(cam, getDetector(cam, 'ccd35'), bore);
    const width = sep(c0[0], c35[0]);
    expect(width).toBeGreaterThan(1.1);
    expect(width).toBeLessThan(1.4);
    // ccd00 is in the top row (+Y = North at rotation 0), ccd35 in the bottom one.
    expect(c0[0].dec).toBeGreaterThan(bore.dec);
    expect(c35[0].dec).toBeLessThan(bore.dec);
    const turned = detectorSkyCorners(cam, getDetector(cam, 'ccd00'), { ...bore, rotationDeg: 180 });
    expect(turned[0].dec).toBeLessThan(bore.dec);
    expect(sep(turned[0], bore)).toBeCloseTo(sep(c0[0], bore), 9);
  });
});
