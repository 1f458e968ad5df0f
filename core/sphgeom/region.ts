// The Region union and the relate/overlaps dispatch between region types,
// following lsst.sphgeom (compound regions combine their operands' relations).
import { Box, FULL_LON, lonContains, type LonInterval } from './box.js';
import type { Circle } from './circle.js';
import type { ConvexPolygon } from './convexPolygon.js';
import { relateBoxCircle } from './boxCircle.js';
import { CONTAINS, DISJOINT, INTERSECTS, WITHIN, invert, type Relationship } from './relationship.js';
import type { Vec3 } from './vector.js';

export class UnionRegion {
  readonly kind = 'union';
  readonly operands: readonly Region[];
  constructor(operands: readonly Region[]) {
    // Nested unions are flattened, as sphgeom does.
    this.operands = operands.flatMap((r) => (r.kind === 'union' ? r.operands : [r]));
  }
}

export class IntersectionRegion {
  readonly kind = 'intersection';
  readonly operands: readonly Region[];
  constructor(operands: readonly Region[]) {
    this.operands = operands.flatMap((r) => (r.kind === 'intersection' ? r.operands : [r]));
  }
}

export type Region = ConvexPolygon | Circle | Box | UnionRegion | IntersectionRegion;

export function regionContains(region: Region, v: Vec3): boolean {
  switch (region.kind) {
    case 'union': return region.operands.some((r) => regionContains(r, v));
    case 'intersection': return region.operands.every((r) => regionContains(r, v));
    default: return region.contains(v);
  }
}

function relateCompound(region: UnionRegion | IntersectionRegion, other: Region): Relationship {
  const relations = region.operands.map((r) => relate(r, other));
  if (region.kind === 'union') {
    if (relations.length === 0) return DISJOINT | WITHIN;
    const disjoint = relations.every((r) => (r & DISJOINT) !== 0);
    const contains = relations.some((r) => (r & CONTAINS) !== 0);
    const within = relations.every((r) => (r & WITHIN) !== 0);
    return (disjoint ? DISJOINT : INTERSECTS) | (contains ? CONTAINS : INTERSECTS) | (within ? WITHIN : INTERSECTS);
  }
  if (relations.length === 0) return CONTAINS;
  const disjoint = relations.some((r) => (r & DISJOINT) !== 0);
  const contains = relations.every((r) => (r & CONTAINS) !== 0);
  const within = relations.some((r) => (r & WITHIN) !== 0);
  return (disjoint ? DISJOINT : INTERSECTS) | (contains ? CONTAINS : INTERSECTS) | (within ? WITHIN : INTERSECTS);
}

/** How `a` relates to `b` (flags may be conservative: no DISJOINT means "may overlap"). */
export function relate(a: Region, b: Region): Relationship {
  if (a.kind === 'union' || a.kind === 'intersection') return relateCompound(a, b);
  if (b.kind === 'union' || b.kind === 'intersection') return invert(relateCompound(b, a));
  switch (a.kind) {
    case 'polygon':
      if (b.kind === 'polygon') return a.relatePolygon(b);
      if (b.kind === 'circle') return a.relateCircle(b);
      return a.relateBox(b);
    case 'circle':
      if (b.kind === 'circle') return a.relateCircle(b);
      if (b.kind === 'polygon') return invert(b.relateCircle(a));
      return invert(relateBoxCircle(b, a));
    case 'box':
      if (b.kind === 'box') return a.relateBox(b);
      if (b.kind === 'polygon') return invert(b.relateBox(a));
      return relateBoxCircle(a, b);
  }
}

/** True when the regions may share a point (sphgeom: not provably disjoint). */
export function overlaps(a: Region, b: Region): boolean {
  return (relate(a, b) & DISJOINT) === 0;
}

export function boundingBox(region: Region): Box {
  switch (region.kind) {
    case 'union': {
      if (region.operands.length === 0) return Box.empty();
      return region.operands.map(boundingBox).reduce(unionBox);
    }
    case 'intersection':
      // A valid (if loose) bound: the smallest operand box by area proxy.
      return region.operands.map(boundingBox).reduce((x, y) => (boxArea(x) <= boxArea(y) ? x : y), Box.full());
    default:
      return region.boundingBox();
  }
}

function boxArea(b: Box): number {
  if (b.isEmpty()) return 0;
  const width = b.lon.a <= b.lon.b ? b.lon.b - b.lon.a : 2 * Math.PI - b.lon.a + b.lon.b;
  return width * (Math.sin(b.lat.b) - Math.sin(b.lat.a));
}

/** Smallest box containing both (longitudes joined through the shorter gap). */
export function unionBox(x: Box, y: Box): Box {
  if (x.isEmpty()) return y;
  if (y.isEmpty()) return x;
  const lat = { a: Math.min(x.lat.a, y.lat.a), b: Math.max(x.lat.b, y.lat.b) };
  const width = (i: LonInterval): number => (i.a <= i.b ? i.b - i.a : 2 * Math.PI - i.a + i.b);
  const candidates: LonInterval[] = [{ a: x.lon.a, b: y.lon.b }, { a: y.lon.a, b: x.lon.b }, x.lon, y.lon, FULL_LON];
  const best = candidates
    .filter((c) => lonContains(c, x.lon) && lonContains(c, y.lon))
    .sort((p, q) => width(p) - width(q))[0];
  return Box.fromIntervals(best ?? { a: 0, b: 2 * Math.PI }, lat);
}
