// Spatial regions of visits (obs_base's ComputeVisitRegionsTask): a convex polygon per detector
// from the raw's own WCS over its imaging area (padded), or from the camera model and the
// boresight when the raw has no WCS; the visit's region bounds all its detectors; and the htm7
// pixels each region overlaps, the rows daf_butler keeps in <element>_skypix_overlap.
import type { Camera, Detector } from '../camera/geometry.js';
import { rawGeometry } from '../calib/ampGeometry.js';
import { FitsFile } from '../fits/fits-file.js';
import type { Header } from '../fits/header.js';
import { ConvexPolygon, COMMON_SKYPIX_LEVEL, expandRanges, fromLonLatDegrees, htmEnvelope, type Region, type Vec3 } from '../sphgeom/index.js';
import { hasWcs } from '../wcs/headerWcs.js';
import { SkyWcs } from '../wcs/skyWcs.js';
import { cameraPixelToSky } from './cameraSky.js';

/** Points per box edge: exact for TAN (straight edges), close for distorted WCSs. */
const EDGE_SAMPLES = 4;

function boxOutline(minX: number, minY: number, maxX: number, maxY: number): Array<[number, number]> {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < EDGE_SAMPLES; i++) {
    const t = i / EDGE_SAMPLES;
    pts.push([minX + t * (maxX - minX), minY], [maxX, minY + t * (maxY - minY)], [maxX - t * (maxX - minX), maxY], [minX, maxY - t * (maxY - minY)]);
  }
  return pts;
}

/** The header of the HDU holding a detector in a raw file. */
export function rawDetectorHeader(path: string, detector: number): Header {
  const file = FitsFile.open(path);
  try {
    for (const h of file.hdus) {
      if (h.kind !== 'image' && h.kind !== 'compressed-image') continue;
      const header = h.kind === 'compressed-image' ? file.imageHeader(h.index) : h.header;
      const name = header.getString('EXTNAME') ?? h.name;
      if (new RegExp(`^ccd0*${detector}$`, 'i').test(name.trim()) || (h.kind === 'compressed-image' && h.index > 0 && h.version === detector && h.name.toUpperCase() === 'COMPRESSED_IMAGE')) return header;
    }
    throw new Error(`${path}: no HDU holds detector ${detector}`);
  } finally {
    file.close();
  }
}

/** Region of one detector from its raw header's WCS over the imaging area, padded by `padding` unbinned pixels. */
export function detectorRegionFromHeader(header: Header, detector: Detector, where: string, padding = 0): ConvexPolygon {
  const wcs = SkyWcs.fromHeader(header, { where });
  const geom = rawGeometry(header, detector, where);
  // Padding is given in unbinned pixels, as obs_base configures it.
  const pad = padding / geom.binning;
  const minX = Math.min(...geom.amps.map((a) => a.data.minX)) - 0.5 - pad;
  const minY = Math.min(...geom.amps.map((a) => a.data.minY)) - 0.5 - pad;
  const maxX = Math.max(...geom.amps.map((a) => a.data.maxX)) + 0.5 + pad;
  const maxY = Math.max(...geom.amps.map((a) => a.data.maxY)) + 0.5 + pad;
  const points: Vec3[] = boxOutline(minX, minY, maxX, maxY).map(([x, y]) => {
    const s = wcs.pixelToSky(x, y);
    return fromLonLatDegrees(s.ra, s.dec);
  });
  return ConvexPolygon.convexHull(points);
}

/** Region of a detector from the camera model and boresight (rotation 0), padded by `padding` unbinned pixels. */
export function detectorRegionFromCamera(camera: Camera, detector: Detector, boresight: { ra: number; dec: number }, padding = 0): ConvexPolygon {
  const b = detector.bbox;
  const points = boxOutline(b.minX - 0.5 - padding, b.minY - 0.5 - padding, b.maxX + 0.5 + padding, b.maxY + 0.5 + padding).map(([x, y]) => {
    const s = cameraPixelToSky(camera, detector, boresight, x, y);
    return fromLonLatDegrees(s.ra, s.dec);
  });
  return ConvexPolygon.convexHull(points);
}

/** A detector region from a raw file: its WCS if it has one, else the camera and the boresight. */
export function detectorRegion(path: string, camera: Camera, detector: Detector, boresight: { ra: number; dec: number } | null, padding = 0): { region: ConvexPolygon; source: 'wcs' | 'camera' } {
  const header = rawDetectorHeader(path, detector.id);
  const where = `${path}[${detector.name}]`;
  if (hasWcs(header)) return { region: detectorRegionFromHeader(header, detector, where, padding), source: 'wcs' };
  if (!boresight) throw new Error(`${where}: has no WCS and the exposure has no tracking RA/Dec; cannot compute its sky region`);
  return { region: detectorRegionFromCamera(camera, detector, boresight, padding), source: 'camera' };
}

/** The htm pixels (level 7 by default, daf_butler's common skypix) a region overlaps. */
export function skypixOverlaps(region: Region, level = COMMON_SKYPIX_LEVEL): number[] {
  return expandRanges(htmEnvelope(region, level));
}
