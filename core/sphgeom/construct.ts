// Regions from sky coordinates in degrees, as daf_butler's query functions build them.
import { Box } from './box.js';
import { Circle } from './circle.js';
import { ConvexPolygon } from './convexPolygon.js';
import type { Region } from './region.js';
import { DEG, fromLonLatDegrees, type Vec3 } from './vector.js';

function checkCoordinates(ra: number, dec: number, what: string): void {
  if (!Number.isFinite(ra) || !Number.isFinite(dec)) throw new RangeError(`${what}: coordinates must be finite numbers, got (${ra}, ${dec})`);
  if (dec < -90 || dec > 90) throw new RangeError(`${what}: dec ${dec} is outside [-90, 90] degrees`);
}

/** POINT(ra, dec): a zero-radius circle, as daf_butler represents a point region. */
export function pointRegion(ra: number, dec: number): Circle {
  checkCoordinates(ra, dec, 'POINT');
  return Circle.fromAngle(fromLonLatDegrees(ra, dec), 0);
}

/** CIRCLE(ra, dec, radius), all in degrees. */
export function circleRegion(ra: number, dec: number, radius: number): Circle {
  checkCoordinates(ra, dec, 'CIRCLE');
  if (!(radius >= 0) || !Number.isFinite(radius)) throw new RangeError(`CIRCLE: radius must be a non-negative number of degrees, got ${radius}`);
  return Circle.fromAngle(fromLonLatDegrees(ra, dec), radius * DEG);
}

/** BOX(ra, dec, width, height): centre and full width/height in degrees. */
export function boxRegion(ra: number, dec: number, width: number, height: number): Box {
  checkCoordinates(ra, dec, 'BOX');
  if (!(width >= 0) || !(height >= 0)) throw new RangeError(`BOX: width and height must be non-negative degrees, got ${width}, ${height}`);
  return Box.fromCenter(ra * DEG, dec * DEG, (width / 2) * DEG, (height / 2) * DEG);
}

/** POLYGON(ra1, dec1, ...): the convex hull of the vertices (order ignored, as sphgeom). */
export function polygonRegion(vertices: ReadonlyArray<readonly [number, number]>): ConvexPolygon {
  vertices.forEach(([ra, dec], i) => checkCoordinates(ra, dec, `POLYGON vertex ${i + 1}`));
  try {
    return ConvexPolygon.convexHull(vertices.map(([ra, dec]) => fromLonLatDegrees(ra, dec)));
  } catch (error) {
    throw new RangeError(`POLYGON: ${(error as Error).message}`, { cause: error });
  }
}

/** A convex polygon bounding several regions (e.g. a visit from its detectors): the hull of their vertices. */
export function unionBoundingPolygon(regions: readonly Region[]): ConvexPolygon {
  const points: Vec3[] = [];
  const collect = (r: Region): void => {
    switch (r.kind) {
      case 'polygon': points.push(...r.vertices); break;
      case 'union': case 'intersection': r.operands.forEach(collect); break;
      default: {
        throw new RangeError(`unionBoundingPolygon supports polygons only, got a ${r.kind}`);
      }
    }
  };
  regions.forEach(collect);
  return ConvexPolygon.convexHull(points);
}
