// Pixel → sky from the camera model and a boresight (obs_base's "initial WCS" idea): detector
// pixels → focal plane (mm) → field angle (the camera's radial polynomial) → tangent plane around
// the boresight. MegaCam raws put focal-plane +x East and +y South at rotation 0 (ccd10 of a real
// raw has CD1_1 > 0, CD2_2 < 0). Used where a raw has no WCS, and by the simulator as its truth.
import type { Camera, Detector } from '../camera/geometry.js';
import { focalPlaneToFieldAngle, pixelToFocalPlane } from '../camera/geometry.js';

const DEG = Math.PI / 180;

/** Tangent-plane offset (ξ East, η North; degrees) of an unbinned trimmed pixel. */
export function tangentOffset(camera: Camera, detector: Detector, x: number, y: number): [number, number] {
  const fp = pixelToFocalPlane(detector, x, y);
  const fa = focalPlaneToFieldAngle(camera, fp.x, fp.y);
  return [fa.x / DEG, -fa.y / DEG];
}

/** Gnomonic deprojection: tangent-plane (ξ, η) degrees around (ra0, dec0) → RA/Dec degrees. */
export function deprojectTan(ra0: number, dec0: number, xi: number, eta: number): { ra: number; dec: number } {
  const x = xi * DEG;
  const y = eta * DEG;
  const cd = Math.cos(dec0 * DEG);
  const sd = Math.sin(dec0 * DEG);
  const denom = cd - y * sd;
  const ra = ra0 + Math.atan2(x, denom) / DEG;
  const dec = Math.atan2(sd + y * cd, Math.hypot(x, denom)) / DEG;
  return { ra: ((ra % 360) + 360) % 360, dec };
}

/** Sky position of an unbinned trimmed pixel of a detector for a boresight. */
export function cameraPixelToSky(camera: Camera, detector: Detector, boresight: { ra: number; dec: number }, x: number, y: number): { ra: number; dec: number } {
  const [xi, eta] = tangentOffset(camera, detector, x, y);
  return deprojectTan(boresight.ra, boresight.dec, xi, eta);
}
