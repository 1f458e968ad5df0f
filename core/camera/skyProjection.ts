// Where a detector lands on the sky for a given boresight: pixel → focal plane → field angle →
// sky, with the camera's radial distortion. Conventions: at rotation angle 0, focal-plane +Y points
// North and +X West (CFHT MegaCam's definition, and what its raw WCSs show); a positive rotation
// angle turns the focal plane from North through East. Used for visit regions, not astrometry.
import { detectorFocalPlaneCorners, focalPlaneToFieldAngle, pixelToFocalPlane, type Camera, type Detector } from './geometry.js';

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

export interface Boresight {
  ra: number;
  dec: number;
  /** Rotation angle of the focal plane on the sky, degrees. */
  rotationDeg?: number;
}

/** Focal-plane position (mm) → RA/Dec (degrees). */
export function focalPlaneToSky(camera: Camera, boresight: Boresight, fx: number, fy: number): { ra: number; dec: number } {
  const a = focalPlaneToFieldAngle(camera, fx, fy);
  const theta = Math.hypot(a.x, a.y);
  if (theta === 0) return { ra: boresight.ra, dec: boresight.dec };
  // Position angle (North through East) of the direction: +X is West, so East is −X.
  const pa = Math.atan2(-a.x, a.y) + (boresight.rotationDeg ?? 0) * D2R;
  const d0 = boresight.dec * D2R;
  const sinDec = Math.sin(d0) * Math.cos(theta) + Math.cos(d0) * Math.sin(theta) * Math.cos(pa);
  const dec = Math.asin(Math.max(-1, Math.min(1, sinDec)));
  const dra = Math.atan2(Math.sin(pa) * Math.sin(theta) * Math.cos(d0), Math.cos(theta) - Math.sin(d0) * sinDec);
  let ra = (boresight.ra + dra * R2D) % 360;
  if (ra < 0) ra += 360;
  return { ra, dec: dec * R2D };
}

/** Pixel of a detector → RA/Dec. */
export function pixelToSkyApprox(camera: Camera, detector: Detector, boresight: Boresight, x: number, y: number): { ra: number; dec: number } {
  const fp = pixelToFocalPlane(detector, x, y);
  return focalPlaneToSky(camera, boresight, fp.x, fp.y);
}

/** The detector's four corners on the sky (pixel-edge corners), e.g. for a visit/detector region. */
export function detectorSkyCorners(camera: Camera, detector: Detector, boresight: Boresight): Array<{ ra: number; dec: number }> {
  return detectorFocalPlaneCorners(detector).map((c) => focalPlaneToSky(camera, boresight, c.x, c.y));
}
