// A convex spherical polygon (lsst.sphgeom ConvexPolygon): vertices in
// counter-clockwise order seen from outside the sphere, edges are great-circle arcs.
import { Box, FULL_LON, normalizeAngle } from './box.js';
import { Circle } from './circle.js';
import {
  add, cross, dot, neg, norm, normalize, orientation, robustCross, scale, squaredDistance, toLonLat, type Vec3,
} from './vector.js';
import { CONTAINS, DISJOINT, INTERSECTS, MAX_SQUARED_CHORD_LENGTH_ERROR, WITHIN, type Relationship } from './relationship.js';
import { maxSquaredChordToEdge, minSquaredChordToEdge } from './chords.js';

const BOX_EPS = 5.0e-10; // ~0.1 mas, sphgeom's padding of polygon bounding boxes

export class ConvexPolygon {
  readonly kind = 'polygon';

  private constructor(readonly vertices: readonly Vec3[]) {}

  /** Trusted vertices already in counter-clockwise order (decoding, HTM trixels). */
  static fromOrderedVertices(vertices: readonly Vec3[]): ConvexPolygon {
    if (vertices.length < 3) throw new RangeError(`a ConvexPolygon needs at least 3 vertices, got ${vertices.length}`);
    return new ConvexPolygon(vertices);
  }

  /**
   * The convex hull of points (order ignored, as sphgeom's ConvexPolygon(points)).
   * Throws when the points are not within one hemisphere or are all on one great circle.
   */
  static convexHull(points: readonly Vec3[]): ConvexPolygon {
    if (points.length < 3) throw new RangeError(`a polygon needs at least 3 distinct vertices, got ${points.length}`);
    let sum: Vec3 = [0, 0, 0];
    for (const p of points) sum = add(sum, p);
    if (norm(sum) < 1e-12) throw new RangeError('polygon vertices are not contained in a hemisphere');
    const c = normalize(sum);
    for (const p of points) {
      if (dot(p, c) <= 1e-12) throw new RangeError('polygon vertices are not contained in a hemisphere');
    }
    // Gnomonic projection onto the tangent plane at c maps great circles to lines,
    // so the planar hull there is the spherical hull.
    const seed: Vec3 = Math.abs(c[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    const u = normalize(cross(c, seed));
    const w = cross(c, u);
    const projected = points.map((p, index) => {
      const s = 1 / dot(p, c);
      return { x: dot(p, u) * s, y: dot(p, w) * s, index };
    });
    projected.sort((p, q) => p.x - q.x || p.y - q.y);
    const turn = (o: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): number =>
      (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    const hull: typeof projected = [];
    for (const pass of [projected, [...projected].reverse()]) {
      const start = hull.length;
      for (const p of pass) {
        while (hull.length >= start + 2 && turn(hull[hull.length - 2], hull[hull.length - 1], p) <= 1e-15) hull.pop();
        hull.push(p);
      }
      hull.pop();
    }
    if (hull.length < 3) throw new RangeError('polygon vertices are degenerate (all on one great circle or coincident)');
    // In (u, w) with u×w = c, counter-clockwise in the plane is counter-clockwise seen from outside.
    return new ConvexPolygon(hull.map((p) => points[p.index]));
  }

  contains(v: Vec3): boolean {
    return containsPoint(this.vertices, v);
  }

  relatePolygon(other: ConvexPolygon): Relationship {
    return relatePolygons(this.vertices, other.vertices);
  }

  relateCircle(c: Circle): Relationship {
    return relatePolygonCircle(this.vertices, c);
  }

  relateBox(b: Box): Relationship {
    return polygonBoundingBox(this.vertices).relateBox(b) & (DISJOINT | WITHIN);
  }

  boundingBox(): Box {
    return polygonBoundingBox(this.vertices);
  }

  centroid(): Vec3 {
    let cm: Vec3 = [0, 0, 0];
    const n = this.vertices.length;
    for (let i = n - 1, j = 0; j < n; i = j, j += 1) {
      const v = robustCross(this.vertices[i], this.vertices[j]);
      const vn = norm(v);
      const s = 0.5 * vn;
      const cosine = dot(this.vertices[i], this.vertices[j]);
      const angle = s === 0 && cosine === 0 ? 0 : Math.atan2(s, cosine);
      if (vn > 0) cm = add(cm, scale(v, angle / vn));
    }
    return normalize(cm);
  }

  boundingCircle(): Circle {
    const c = this.centroid();
    let cl2 = 0;
    for (const v of this.vertices) cl2 = Math.max(cl2, squaredDistance(v, c));
    cl2 += 2 * MAX_SQUARED_CHORD_LENGTH_ERROR;
    return new Circle(c, cl2, 2 * Math.asin(Math.min(1, Math.sqrt(cl2) / 2)));
  }
}

export function containsPoint(vertices: readonly Vec3[], v: Vec3): boolean {
  const n = vertices.length;
  for (let i = n - 1, j = 0; j < n; i = j, j += 1) {
    if (orientation(v, vertices[i], vertices[j]) < 0) return false;
  }
  return true;
}

export function relatePolygons(a: readonly Vec3[], b: readonly Vec3[]): Relationship {
  let all1 = true;
  let any1 = false;
  let all2 = true;
  let any2 = false;
  for (const v of a) {
    const inside = containsPoint(b, v);
    all1 = all1 && inside;
    any1 = any1 || inside;
  }
  for (const v of b) {
    const inside = containsPoint(a, v);
    all2 = all2 && inside;
    any2 = any2 || inside;
  }
  if (all1 || all2) return (all1 ? WITHIN : INTERSECTS) | (all2 ? CONTAINS : INTERSECTS);
  if (any1 || any2) return INTERSECTS;
  // No vertex inside the other: look for a proper edge crossing.
  for (let i = a.length - 1, j = 0; j < a.length; i = j, j += 1) {
    for (let k = b.length - 1, l = 0; l < b.length; k = l, l += 1) {
      const acd = orientation(a[i], b[k], b[l]);
      const bdc = orientation(a[j], b[l], b[k]);
      if (acd === bdc && acd !== 0) {
        const cba = orientation(b[k], a[j], a[i]);
        const dab = orientation(b[l], a[i], a[j]);
        if (cba === dab && cba === acd) return INTERSECTS;
      }
    }
  }
  return DISJOINT;
}

export function relatePolygonCircle(vertices: readonly Vec3[], c: Circle): Relationship {
  if (c.isEmpty()) return CONTAINS | DISJOINT;
  if (c.isFull()) return WITHIN;
  let inside = false;
  for (let i = 0; i < vertices.length; i += 1) {
    const d = squaredDistance(vertices[i], c.center);
    if (Math.abs(d - c.squaredChordLength) < MAX_SQUARED_CHORD_LENGTH_ERROR) return INTERSECTS;
    const b = d < c.squaredChordLength;
    if (i === 0) inside = b;
    else if (inside !== b) return INTERSECTS;
  }
  const n = vertices.length;
  if (inside) {
    for (let i = n - 1, j = 0; j < n; i = j, j += 1) {
      const normal = robustCross(vertices[i], vertices[j]);
      if (maxSquaredChordToEdge(c.center, vertices[i], vertices[j], normal) > c.squaredChordLength - MAX_SQUARED_CHORD_LENGTH_ERROR) {
        return INTERSECTS;
      }
    }
    // The circle may still punch a hole through the polygon.
    if (containsPoint(vertices, neg(c.center))) return INTERSECTS;
    return WITHIN;
  }
  for (let i = n - 1, j = 0; j < n; i = j, j += 1) {
    const normal = robustCross(vertices[i], vertices[j]);
    if (minSquaredChordToEdge(c.center, vertices[i], vertices[j], normal) < c.squaredChordLength + MAX_SQUARED_CHORD_LENGTH_ERROR) {
      return INTERSECTS;
    }
  }
  return containsPoint(vertices, c.center) ? CONTAINS : DISJOINT;
}

export function polygonBoundingBox(vertices: readonly Vec3[]): Box {
  let latMin = Infinity;
  let latMax = -Infinity;
  const lons: number[] = [];
  const n = vertices.length;
  for (let i = n - 1, j = 0; j < n; i = j, j += 1) {
    const vi = vertices[i];
    const vj = vertices[j];
    const { lon, lat } = toLonLat(vj);
    lons.push(lon);
    latMin = Math.min(latMin, lat - BOX_EPS);
    latMax = Math.max(latMax, lat + BOX_EPS);
    // The edge's great circle may reach beyond its endpoints' latitudes.
    const nrm = robustCross(vi, vj);
    const v: Vec3 = [-nrm[0] * nrm[2], -nrm[1] * nrm[2], nrm[0] * nrm[0] + nrm[1] * nrm[1]];
    if (v[0] !== 0 || v[1] !== 0 || v[2] !== 0) {
      const zni = vi[1] * nrm[0] - vi[0] * nrm[1];
      const znj = vj[1] * nrm[0] - vj[0] * nrm[1];
      if (zni > 0 && znj < 0) latMax = Math.max(latMax, toLonLat(v).lat + BOX_EPS);
      else if (zni < 0 && znj > 0) latMin = Math.min(latMin, toLonLat(neg(v)).lat - BOX_EPS);
    }
  }
  if (containsPoint(vertices, [0, 0, 1])) return Box.fromIntervals(FULL_LON, { a: latMin, b: Math.PI / 2 });
  if (containsPoint(vertices, [0, 0, -1])) return Box.fromIntervals(FULL_LON, { a: -Math.PI / 2, b: latMax });
  // Without a pole inside, the edges sweep a longitude interval of total winding zero:
  // follow the signed short-arc steps and keep the extremes.
  let offset = 0;
  let lo = 0;
  let hi = 0;
  for (let k = 1; k <= n; k += 1) {
    let step = lons[k % n] - lons[k - 1];
    if (step > Math.PI) step -= 2 * Math.PI;
    if (step < -Math.PI) step += 2 * Math.PI;
    offset += step;
    lo = Math.min(lo, offset);
    hi = Math.max(hi, offset);
  }
  if (hi - lo + 2 * BOX_EPS >= 2 * Math.PI) return Box.fromIntervals(FULL_LON, { a: latMin, b: latMax });
  return Box.fromIntervals({ a: normalizeAngle(lons[0] + lo - BOX_EPS), b: normalizeAngle(lons[0] + hi + BOX_EPS) }, { a: latMin, b: latMax });
}
