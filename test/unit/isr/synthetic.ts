// A small two-amplifier detector and raw frames for fast step tests: amp A reads out at the lower
// left with its serial overscan on the left, amp B at the lower right with its overscan on the right,
// both with parallel overscan rows on top (MegaCam's layout at 1/16 scale).
import type { Amplifier, Detector } from '../../../core/camera/geometry.js';
import { Box2I, Exposure, Image, MaskedImage, makeVisitInfo } from '../../../core/image/index.js';
import { Header } from '../../../core/fits/header.js';

export const DATA_W = 64;
export const DATA_H = 40;
export const OS_W = 8;
export const PAR_H = 4;
export const RAW_W = 2 * (DATA_W + OS_W);
export const RAW_H = DATA_H + PAR_H;

function amp(name: 'A' | 'B', overrides: Partial<Amplifier> = {}): Amplifier {
  const isA = name === 'A';
  const x0 = isA ? 0 : DATA_W + OS_W;
  return {
    name,
    bbox: new Box2I(isA ? 0 : DATA_W, 0, DATA_W, DATA_H),
    gain: isA ? 1.5 : 2.0,
    readNoise: isA ? 3 : 5,
    saturation: 60000,
    suspectLevel: NaN,
    readoutCorner: isA ? 'LL' : 'LR',
    linearityType: 'None',
    linearityCoeffs: [],
    linearityThreshold: 0,
    linearityMaximum: 0,
    rawBBox: new Box2I(x0, 0, DATA_W + OS_W, RAW_H),
    rawDataBBox: new Box2I(isA ? OS_W : x0, 0, DATA_W, DATA_H),
    rawSerialOverscanBBox: new Box2I(isA ? 0 : x0 + DATA_W, 0, OS_W, DATA_H + 1),
    rawParallelOverscanBBox: new Box2I(isA ? OS_W : x0, DATA_H, DATA_W, PAR_H),
    rawSerialPrescanBBox: Box2I.empty(),
    rawFlipX: false,
    rawFlipY: false,
    rawXYOffset: { x: 0, y: 0 },
    ...overrides,
  };
}

export function makeDetector(overrides: { A?: Partial<Amplifier>; B?: Partial<Amplifier> } = {}): Detector {
  return {
    id: 0,
    name: 'test00',
    serial: 'T0',
    type: 'SCIENCE',
    physicalType: 'CCD',
    bbox: new Box2I(0, 0, 2 * DATA_W, DATA_H),
    rawWidth: RAW_W,
    rawHeight: RAW_H,
    pixelSize: { x: 0.0135, y: 0.0135 },
    orientation: { fpPosition: { x: 0, y: 0 }, referencePoint: { x: 0, y: 0 }, yawDeg: 0, pitchDeg: 0, rollDeg: 0 },
    amplifiers: [amp('A', overrides.A), amp('B', overrides.B)],
  };
}

/** Deterministic pseudo-random numbers (xorshift) so tests need no seed plumbing. */
export function rng(seed = 12345): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export function gaussian(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/**
 * A raw frame: per-amp bias level + per-row ramp in data and overscan, sky in the data, integer
 * values; `edit` may change pixels (raw coordinates) before rounding.
 */
export function makeRaw(detector: Detector, options: { sky?: number; edit?: (img: Image<Float32Array>) => void; darkTime?: number; exposureTime?: number } = {}): Exposure {
  const img = Image.create(RAW_W, RAW_H);
  const r = rng(7);
  for (const a of detector.amplifiers) {
    const level = a.name === 'A' ? 1000 : 1100;
    for (let y = a.rawBBox.minY; y <= a.rawBBox.maxY; y++) {
      for (let x = a.rawBBox.minX; x <= a.rawBBox.maxX; x++) {
        const inData = a.rawDataBBox.contains(x, y);
        const v = level + 0.05 * y + 2 * gaussian(r) + (inData ? (options.sky ?? 500) + Math.sqrt(options.sky ?? 500) * gaussian(r) : 0);
        img.set(x, y, v);
      }
    }
  }
  options.edit?.(img);
  img.transform((v) => Math.round(v));
  const header = new Header();
  header.set('GAINA', 1.5);
  header.set('GAINB', 2.0);
  header.set('RDNOISEA', 3);
  header.set('RDNOISEB', 5);
  header.set('SATURATE', 65535);
  return new Exposure(new MaskedImage(img), {
    metadata: header,
    detector,
    visitInfo: makeVisitInfo(options.exposureTime ?? 100, options.darkTime ?? 100),
    filter: { physicalLabel: 'r.MP9601', band: 'r' },
    id: 42,
  });
}

/** A trimmed calibration image with values from fn(x, y). */
export function makeCalib(detector: Detector, fn: (x: number, y: number) => number, darkTime?: number): Exposure {
  const img = Image.create(detector.bbox.width, detector.bbox.height);
  img.transform((_v, x, y) => fn(x, y));
  return new Exposure(new MaskedImage(img), darkTime === undefined ? {} : { visitInfo: makeVisitInfo(darkTime, darkTime) });
}
