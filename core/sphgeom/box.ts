// A longitude/latitude box (lsst.sphgeom Box): longitudes form a normalized
// interval that may wrap through 0; latitudes a closed interval within ±π/2.
import { toLonLat, type Vec3 } from './vector.js';
import { CONTAINS, DISJOINT, INTERSECTS, WITHIN, type Relationship } from './relationship.js';

const TWO_PI = 2 * Math.PI;
const HALF_PI = Math.PI / 2;

export function normalizeAngle(a: number): number {
  let r = a % TWO_PI;
  if (r < 0) r += TWO_PI;
  return r;
}

/** Longitude interval [a, b] in [0, 2π]; a > b wraps through 0; NaN bounds mean empty. */
export interface LonInterval { readonly a: number; readonly b: number }
/** Latitude interval [a, b]; a > b means empty. */
export interface LatInterval { readonly a: number; readonly b: number }

export const FULL_LON: LonInterval = { a: 0, b: TWO_PI };

function lonIsEmpty(i: LonInterval): boolean {
  return Number.isNaN(i.a);
}

function lonIsFull(i: LonInterval): boolean {
  return i.a === 0 && i.b === TWO_PI;
}

function lonContainsAngle(i: LonInterval, x: number): boolean {
  if (lonIsEmpty(i)) return false;
  return i.a <= i.b ? i.a <= x && x <= i.b : x >= i.a || x <= i.b;
}

export function lonContains(i: LonInterval, j: LonInterval): boolean {
  if (lonIsEmpty(j)) return true;
  if (lonIsEmpty(i)) return false;
  if (lonIsFull(i)) return true;
  if (lonIsFull(j)) return false;
  const iWraps = i.a > i.b;
  const jWraps = j.a > j.b;
  if (iWraps) return jWraps ? j.a >= i.a && j.b <= i.b : j.a >= i.a || j.b <= i.b;
  return !jWraps && i.a <= j.a && j.b <= i.b;
}

function lonIntersects(i: LonInterval, j: LonInterval): boolean {
  if (lonIsEmpty(i) || lonIsEmpty(j)) return false;
  return lonContainsAngle(i, j.a) || lonContainsAngle(j, i.a);
}

function latIsEmpty(i: LatInterval): boolean {
  return !(i.a <= i.b);
}

function relateIntervals(containsAB: boolean, containsBA: boolean, intersects: boolean): Relationship {
  if (!intersects) return DISJOINT;
  return (containsAB ? CONTAINS : INTERSECTS) | (containsBA ? WITHIN : INTERSECTS);
}

export class Box {
  readonly kind = 'box';

  constructor(readonly lon: LonInterval, readonly lat: LatInterval) {}

  static empty(): Box {
    return new Box({ a: NaN, b: NaN }, { a: 1, b: 0 });
  }

  static full(): Box {
    return new Box(FULL_LON, { a: -HALF_PI, b: HALF_PI });
  }

  /** A box centred on (lon, lat) with half-width and half-height (radians), as sphgeom's Box(LonLat, Angle, Angle). */
  static fromCenter(lon: number, lat: number, halfWidth: number, halfHeight: number): Box {
    if (!(halfWidth >= 0) || !(halfHeight >= 0)) throw new RangeError(`box half-width/height must be non-negative, got ${halfWidth}, ${halfHeight}`);
    const lonInterval: LonInterval = halfWidth >= Math.PI ? FULL_LON : { a: normalizeAngle(lon - halfWidth), b: normalizeAngle(lon + halfWidth) };
    return Box.fromIntervals(lonInterval, { a: lat - halfHeight, b: lat + halfHeight });
  }

  /** Enforce sphgeom's invariants: latitudes clipped to ±π/2, empty in one coordinate means empty. */
  static fromIntervals(lon: LonInterval, lat: LatInterval): Box {
    const clipped = { a: Math.max(lat.a, -HALF_PI), b: Math.min(lat.b, HALF_PI) };
    if (latIsEmpty(clipped) || lonIsEmpty(lon)) return Box.empty();
    return new Box(lon, clipped);
  }

  isEmpty(): boolean {
    return latIsEmpty(this.lat) || lonIsEmpty(this.lon);
  }

  isFull(): boolean {
    return lonIsFull(this.lon) && this.lat.a <= -HALF_PI && this.lat.b >= HALF_PI;
  }

  contains(v: Vec3): boolean {
    if (this.isEmpty()) return false;
    const { lon, lat } = toLonLat(v);
    return this.lat.a <= lat && lat <= this.lat.b && lonContainsAngle(this.lon, lon);
  }

  relateBox(other: Box): Relationship {
    if (this.isEmpty()) return other.isEmpty() ? CONTAINS | DISJOINT | WITHIN : DISJOINT | WITHIN;
    if (other.isEmpty()) return CONTAINS | DISJOINT;
    const latIntersects = this.lat.a <= other.lat.b && other.lat.a <= this.lat.b;
    const intersects = latIntersects && lonIntersects(this.lon, other.lon);
    const contains = this.lat.a <= other.lat.a && other.lat.b <= this.lat.b && lonContains(this.lon, other.lon);
    const within = other.lat.a <= this.lat.a && this.lat.b <= other.lat.b && lonContains(other.lon, this.lon);
    return relateIntervals(contains, within, intersects);
  }

  boundingBox(): Box {
    return this;
  }
}

/** Half-width in longitude of the box bounding a circle of opening angle r centred at latitude lat. */
export function halfWidthForCircle(r: number, lat: number): number {
  if (r <= 0) return 0;
  const cosLat = Math.cos(lat);
  if (Math.abs(lat) + r >= HALF_PI || Math.sin(r) >= cosLat) return Math.PI;
  return Math.asin(Math.sin(r) / cosLat);
}
