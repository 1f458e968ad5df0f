// Camera geometry (afw cameraGeom): a Camera holds Detectors, a Detector holds Amplifiers.
// Pure data + the pixel ↔ focal-plane transform; cameras themselves are YAML data files
// (core/camera/data), parsed in cameraYaml.ts.
import { Box2I } from '../image/box.js';

export type ReadoutCorner = 'LL' | 'LR' | 'UR' | 'UL';
export type DetectorType = 'SCIENCE' | 'FOCUS' | 'GUIDER' | 'WAVEFRONT';

export interface Amplifier {
  name: string;
  /** Data region in the assembled (trimmed) detector image. */
  bbox: Box2I;
  gain: number;
  readNoise: number;
  /** ADU above which pixels are saturated; NaN when none applies. */
  saturation: number;
  /** ADU above which pixels are suspect; NaN when none applies. */
  suspectLevel: number;
  readoutCorner: ReadoutCorner;
  linearityType: string;
  linearityCoeffs: number[];
  linearityThreshold: number;
  linearityMaximum: number;
  /** The whole amplifier (data + overscans + prescan) in the raw frame. */
  rawBBox: Box2I;
  rawDataBBox: Box2I;
  /** Serial (horizontal) overscan in the raw frame; empty when there is none. */
  rawSerialOverscanBBox: Box2I;
  /** Parallel (vertical) overscan in the raw frame; empty when there is none. */
  rawParallelOverscanBBox: Box2I;
  rawSerialPrescanBBox: Box2I;
  /** Flip columns (X) / rows (Y) when assembling the raw amplifier. */
  rawFlipX: boolean;
  rawFlipY: boolean;
  /** Desired xy0 minus raw xy0 when assembling; (0, 0) when raw data come assembled. */
  rawXYOffset: { x: number; y: number };
}

export interface Orientation {
  /** Focal-plane position (mm) of the reference point. */
  fpPosition: { x: number; y: number };
  /** Pixel position of the reference point. */
  referencePoint: { x: number; y: number };
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
}

export interface Detector {
  id: number;
  name: string;
  serial: string;
  type: DetectorType;
  physicalType: string;
  /** Trimmed, assembled pixel box. */
  bbox: Box2I;
  /** Size of the raw frame (all amplifiers with overscans). */
  rawWidth: number;
  rawHeight: number;
  /** Pixel size in mm. */
  pixelSize: { x: number; y: number };
  orientation: Orientation;
  amplifiers: Amplifier[];
  /** Set for detectors that only exist in part of the instrument's history (e.g. MegaCam '40-ccd'). */
  era?: string;
}

export interface Camera {
  name: string;
  /** arcsec per mm on the focal plane. */
  plateScale: number;
  detectors: Detector[];
  /** Coefficients of field angle (rad) → focal-plane radius (mm) polynomial, if known. */
  fieldAngleToFocalPlaneRadialCoeffs?: number[];
}

/** Detector by id or name; an unknown one is an error listing the valid names. */
export function getDetector(camera: Camera, key: number | string): Detector {
  const d = camera.detectors.find((det) => (typeof key === 'number' ? det.id === key : det.name === key));
  if (!d) {
    const names = camera.detectors.map((det) => det.name);
    throw new Error(`camera ${camera.name} has no detector ${JSON.stringify(key)} (detectors: ${names[0]}…${names[names.length - 1]}, ids ${camera.detectors[0]?.id}–${camera.detectors[camera.detectors.length - 1]?.id})`);
  }
  return d;
}

export function getAmplifier(detector: Detector, name: string): Amplifier {
  const a = detector.amplifiers.find((amp) => amp.name === name);
  if (!a) throw new Error(`detector ${detector.name} has no amplifier '${name}' (amplifiers: ${detector.amplifiers.map((x) => x.name).join(', ')})`);
  return a;
}

/** Raw-frame box of the whole detector. */
export function rawDetectorBBox(detector: Detector): Box2I {
  return new Box2I(0, 0, detector.rawWidth, detector.rawHeight);
}

function rotation(detector: Detector): { cos: number; sin: number } {
  // Pitch and roll only foreshorten the pixel scale (applied below); the in-plane rotation is the yaw.
  const yaw = (detector.orientation.yawDeg * Math.PI) / 180;
  return { cos: Math.cos(yaw), sin: Math.sin(yaw) };
}

/** Pixel (trimmed detector coordinates) → focal plane (mm): offset + R(yaw)·((p − ref)·pixelSize). */
export function pixelToFocalPlane(detector: Detector, x: number, y: number): { x: number; y: number } {
  const { cos, sin } = rotation(detector);
  const { orientation: o, pixelSize } = detector;
  const dx = (x - o.referencePoint.x) * pixelSize.x * Math.cos((o.pitchDeg * Math.PI) / 180);
  const dy = (y - o.referencePoint.y) * pixelSize.y * Math.cos((o.rollDeg * Math.PI) / 180);
  return { x: o.fpPosition.x + cos * dx - sin * dy, y: o.fpPosition.y + sin * dx + cos * dy };
}

export function focalPlaneToPixel(detector: Detector, fx: number, fy: number): { x: number; y: number } {
  const { cos, sin } = rotation(detector);
  const { orientation: o, pixelSize } = detector;
  const ux = fx - o.fpPosition.x;
  const uy = fy - o.fpPosition.y;
  const dx = cos * ux + sin * uy;
  const dy = -sin * ux + cos * uy;
  return {
    x: o.referencePoint.x + dx / (pixelSize.x * Math.cos((o.pitchDeg * Math.PI) / 180)),
    y: o.referencePoint.y + dy / (pixelSize.y * Math.cos((o.rollDeg * Math.PI) / 180)),
  };
}

/** The four corners of the detector's pixel box in focal-plane mm (pixel-edge corners, counter-clockwise from the minimum). */
export function detectorFocalPlaneCorners(detector: Detector): Array<{ x: number; y: number }> {
  const b = detector.bbox;
  const xs = [b.minX - 0.5, b.maxX + 0.5];
  const ys = [b.minY - 0.5, b.maxY + 0.5];
  return [
    pixelToFocalPlane(detector, xs[0], ys[0]),
    pixelToFocalPlane(detector, xs[1], ys[0]),
    pixelToFocalPlane(detector, xs[1], ys[1]),
    pixelToFocalPlane(detector, xs[0], ys[1]),
  ];
}

const ARCSEC_PER_RAD = (180 / Math.PI) * 3600;

function radialForward(coeffs: number[], theta: number): number {
  let r = 0;
  for (let i = coeffs.length - 1; i >= 0; i--) r = r * theta + coeffs[i];
  return r;
}

function radialDerivative(coeffs: number[], theta: number): number {
  let d = 0;
  for (let i = coeffs.length - 1; i >= 1; i--) d = d * theta + i * coeffs[i];
  return d;
}

/**
 * Field angle (radians, x/y on the sky plane) → focal plane (mm): the camera's radial polynomial
 * r_mm = Σ cᵢ θⁱ when it has one, else the plate scale.
 */
export function fieldAngleToFocalPlane(camera: Camera, ax: number, ay: number): { x: number; y: number } {
  const theta = Math.hypot(ax, ay);
  if (theta === 0) return { x: 0, y: 0 };
  const coeffs = camera.fieldAngleToFocalPlaneRadialCoeffs;
  const r = coeffs ? radialForward(coeffs, theta) : (theta * ARCSEC_PER_RAD) / camera.plateScale;
  return { x: (ax / theta) * r, y: (ay / theta) * r };
}

/** Focal plane (mm) → field angle (radians), inverting the radial polynomial by Newton's method. */
export function focalPlaneToFieldAngle(camera: Camera, fx: number, fy: number): { x: number; y: number } {
  const r = Math.hypot(fx, fy);
  if (r === 0) return { x: 0, y: 0 };
  const coeffs = camera.fieldAngleToFocalPlaneRadialCoeffs;
  let theta = (r * camera.plateScale) / ARCSEC_PER_RAD;
  if (coeffs) {
    for (let i = 0; i < 50; i++) {
      const step = (radialForward(coeffs, theta) - r) / radialDerivative(coeffs, theta);
      theta -= step;
      if (Math.abs(step) < 1e-15) break;
    }
  }
  return { x: (fx / r) * theta, y: (fy / r) * theta };
}
