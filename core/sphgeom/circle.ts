// A spherical cap (lsst.sphgeom Circle): centre and squared chord length from the
// centre to the boundary, which stays accurate for tiny radii.
import { Box, halfWidthForCircle } from './box.js';
import { toLonLat, squaredDistance, angleBetween, type Vec3 } from './vector.js';
import { CONTAINS, DISJOINT, INTERSECTS, MAX_ASIN_ERROR, WITHIN, type Relationship } from './relationship.js';

export function squaredChordLengthFor(openingAngle: number): number {
  if (openingAngle < 0) return -1;
  if (openingAngle >= Math.PI) return 4;
  const s = Math.sin(0.5 * openingAngle);
  return 4 * s * s;
}

export class Circle {
  readonly kind = 'circle';

  constructor(
    readonly center: Vec3,
    readonly squaredChordLength: number,
    /** Opening angle (radius) in radians. */
    readonly openingAngle: number,
  ) {}

  /** Circle of radius `openingAngle` radians around `center`; 0 gives a point. */
  static fromAngle(center: Vec3, openingAngle: number): Circle {
    return new Circle(center, squaredChordLengthFor(openingAngle), openingAngle >= Math.PI ? Math.PI : openingAngle);
  }

  isEmpty(): boolean {
    return !(this.squaredChordLength >= 0);
  }

  isFull(): boolean {
    return this.squaredChordLength >= 4;
  }

  contains(v: Vec3): boolean {
    return squaredDistance(v, this.center) <= this.squaredChordLength;
  }

  equals(other: Circle): boolean {
    return this.center[0] === other.center[0] && this.center[1] === other.center[1] && this.center[2] === other.center[2] &&
      this.squaredChordLength === other.squaredChordLength;
  }

  relateCircle(c: Circle): Relationship {
    if (this.isEmpty()) return c.isEmpty() ? CONTAINS | DISJOINT | WITHIN : DISJOINT | WITHIN;
    if (c.isEmpty()) return CONTAINS | DISJOINT;
    if (this.isFull()) return c.isFull() ? CONTAINS | WITHIN : CONTAINS;
    if (c.isFull()) return WITHIN;
    if (this.equals(c)) return CONTAINS | WITHIN;
    const cc = angleBetween(this.center, c.center);
    const slack = 4 * MAX_ASIN_ERROR;
    if (cc > this.openingAngle + c.openingAngle + slack) return DISJOINT;
    if (cc + c.openingAngle + slack <= this.openingAngle) return CONTAINS;
    if (cc + this.openingAngle + slack <= c.openingAngle) return WITHIN;
    return INTERSECTS;
  }

  boundingBox(): Box {
    if (this.isEmpty()) return Box.empty();
    if (this.isFull()) return Box.full();
    const r = this.openingAngle + 2 * MAX_ASIN_ERROR;
    const { lon, lat } = toLonLat(this.center);
    const w = halfWidthForCircle(r, lat) + MAX_ASIN_ERROR;
    return Box.fromCenter(lon, lat, w, r + 2 * MAX_ASIN_ERROR);
  }

  boundingCircle(): Circle {
    return this;
  }
}
