// Box–circle relation, ported from lsst.sphgeom's Box::relate(Circle) so that
// HTM envelopes and overlap tests of BOX()/CIRCLE() regions match sphgeom.
import type { Box } from './box.js';
import { Circle, squaredChordLengthFor } from './circle.js';
import { maxSquaredChordToEdge, minSquaredChordToEdge } from './chords.js';
import { CONTAINS, DISJOINT, INTERSECTS, MAX_SQUARED_CHORD_LENGTH_ERROR, WITHIN, type Relationship } from './relationship.js';
import { fromLonLat, neg, squaredDistance, toLonLat, type Vec3 } from './vector.js';

function lonContains(b: Box, lon: number): boolean {
  const { a, b: e } = b.lon;
  if (Number.isNaN(a)) return false;
  return a <= e ? a <= lon && lon <= e : lon >= a || lon <= e;
}

/** How box `b` relates to circle `c`. */
export function relateBoxCircle(b: Box, c: Circle): Relationship {
  if (b.isEmpty()) return c.isEmpty() ? CONTAINS | DISJOINT | WITHIN : DISJOINT | WITHIN;
  if (c.isEmpty()) return CONTAINS | DISJOINT;
  if (b.isFull()) return c.isFull() ? CONTAINS | WITHIN : CONTAINS;
  if (c.isFull()) return WITHIN;
  const verts: Vec3[] = [
    fromLonLat(b.lon.a, b.lat.a), fromLonLat(b.lon.a, b.lat.b), fromLonLat(b.lon.b, b.lat.a), fromLonLat(b.lon.b, b.lat.b),
  ];
  let inside = false;
  for (let i = 0; i < 4; i += 1) {
    const d = squaredDistance(verts[i], c.center);
    if (Math.abs(d - c.squaredChordLength) < MAX_SQUARED_CHORD_LENGTH_ERROR) return INTERSECTS;
    const within = d < c.squaredChordLength;
    if (i === 0) inside = within;
    else if (inside !== within) return INTERSECTS;
  }
  // Normals of the meridian planes of the two constant-longitude edges.
  const norms: Vec3[] = [[-Math.sin(b.lon.a), Math.cos(b.lon.a), 0], [-Math.sin(b.lon.b), Math.cos(b.lon.b), 0]];
  const minAngleToLatCircles = (lat: number): number => Math.min(Math.abs(lat - b.lat.a), Math.abs(lat - b.lat.b));
  if (inside) {
    for (let i = 0; i < 2; i += 1) {
      if (maxSquaredChordToEdge(c.center, verts[2 * i + 1], verts[2 * i], norms[i]) > c.squaredChordLength - MAX_SQUARED_CHORD_LENGTH_ERROR) {
        return INTERSECTS;
      }
    }
    const anti = toLonLat(neg(c.center));
    if (lonContains(b, anti.lon)) {
      const d = squaredChordLengthFor(Math.PI - minAngleToLatCircles(anti.lat));
      if (d > c.squaredChordLength - MAX_SQUARED_CHORD_LENGTH_ERROR) return INTERSECTS;
    }
    // The circle may punch a hole in the box.
    return b.contains(neg(c.center)) ? INTERSECTS : WITHIN;
  }
  for (let i = 0; i < 2; i += 1) {
    if (minSquaredChordToEdge(c.center, verts[2 * i + 1], verts[2 * i], norms[i]) < c.squaredChordLength + MAX_SQUARED_CHORD_LENGTH_ERROR) {
      return INTERSECTS;
    }
  }
  const centre = toLonLat(c.center);
  if (lonContains(b, centre.lon)) {
    const d = squaredChordLengthFor(minAngleToLatCircles(centre.lat));
    if (d < c.squaredChordLength + MAX_SQUARED_CHORD_LENGTH_ERROR) return INTERSECTS;
  }
  return b.contains(c.center) ? CONTAINS : DISJOINT;
}
