// The Hierarchical Triangular Mesh as lsst.sphgeom's HtmPixelization: 8 root
// triangles (indices 8-15), each split in 4 per level; daf_butler's common
// skypix is level 7 (`htm7`).
import { ConvexPolygon } from './convexPolygon.js';
import { relate, type Region } from './region.js';
import { DISJOINT, WITHIN } from './relationship.js';
import { add, normalize, orientation, type Vec3 } from './vector.js';

export const HTM_MAX_LEVEL = 24;
/** daf_butler's common skypix level. */
export const COMMON_SKYPIX_LEVEL = 7;

const X: Vec3 = [1, 0, 0];
const Y: Vec3 = [0, 1, 0];
const Z: Vec3 = [0, 0, 1];
const NX: Vec3 = [-1, 0, 0];
const NY: Vec3 = [0, -1, 0];
const NZ: Vec3 = [0, 0, -1];

const ROOTS: ReadonlyArray<readonly [Vec3, Vec3, Vec3]> = [
  [X, NZ, Y], [Y, NZ, NX], [NX, NZ, NY], [NY, NZ, X],
  [X, Z, NY], [NY, Z, NX], [NX, Z, Y], [Y, Z, X],
];

function mid(a: Vec3, b: Vec3): Vec3 {
  return normalize(add(a, b));
}

function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > HTM_MAX_LEVEL) {
    throw new RangeError(`HTM level must be an integer 0-${HTM_MAX_LEVEL}, got ${level}`);
  }
}

/** Level of an HTM index, or -1 if it is not a valid index. */
export function htmLevel(index: number): number {
  if (!Number.isSafeInteger(index) || index < 8) return -1;
  const msb = Math.floor(Math.log2(index));
  // Guard against log2 rounding near powers of two.
  const j = 2 ** msb > index ? msb - 1 : 2 ** (msb + 1) <= index ? msb + 1 : msb;
  if ((j & 1) === 0 || j === 1) return -1;
  return (j - 3) >> 1;
}

/** HTM index at `level` of the trixel containing unit vector v. */
export function htmIndex(v: Vec3, level: number): number {
  checkLevel(level);
  let r: number;
  if (v[2] < 0) {
    if (v[1] > 0) r = v[0] > 0 ? 0 : 1;
    else if (v[1] === 0) r = v[0] >= 0 ? 0 : 2;
    else r = v[0] < 0 ? 2 : 3;
  } else {
    if (v[1] > 0) r = v[0] > 0 ? 7 : 6;
    else if (v[1] === 0) r = v[0] >= 0 ? 7 : 5;
    else r = v[0] < 0 ? 5 : 4;
  }
  let [v0, v1, v2] = ROOTS[r];
  let index = r + 8;
  for (let l = 0; l < level; l += 1) {
    const m01 = mid(v0, v1);
    const m20 = mid(v2, v0);
    index *= 4;
    if (orientation(v, m01, m20) >= 0) {
      v1 = m01;
      v2 = m20;
      continue;
    }
    const m12 = mid(v1, v2);
    if (orientation(v, m12, m01) >= 0) {
      v0 = v1; v1 = m12; v2 = m01;
      index += 1;
    } else if (orientation(v, m20, m12) >= 0) {
      v0 = v2; v1 = m20; v2 = m12;
      index += 2;
    } else {
      v0 = m12; v1 = m20; v2 = m01;
      index += 3;
    }
  }
  return index;
}

/** The trixel of an HTM index as a polygon. */
export function htmTriangle(index: number): ConvexPolygon {
  const level = htmLevel(index);
  if (level < 0 || level > HTM_MAX_LEVEL) throw new RangeError(`Invalid HTM index ${index}`);
  const rootIndex = Math.floor(index / 4 ** level) - 8;
  let [v0, v1, v2] = ROOTS[rootIndex];
  for (let l = level - 1; l >= 0; l -= 1) {
    const child = Math.floor(index / 4 ** l) % 4;
    const m12 = mid(v1, v2);
    const m20 = mid(v2, v0);
    const m01 = mid(v0, v1);
    switch (child) {
      case 0: v1 = m01; v2 = m20; break;
      case 1: v0 = v1; v1 = m12; v2 = m01; break;
      case 2: v0 = v2; v1 = m20; v2 = m12; break;
      default: v0 = m12; v1 = m20; v2 = m01; break;
    }
  }
  return ConvexPolygon.fromOrderedVertices([v0, v1, v2]);
}

/** "N012..." / "S3..." name of an index, as sphgeom's asString. */
export function htmToString(index: number): string {
  const level = htmLevel(index);
  if (level < 0) throw new RangeError(`Invalid HTM index ${index}`);
  let digits = '';
  let i = index;
  for (let l = 0; l <= level; l += 1) {
    digits = String(i % 4) + digits;
    i = Math.floor(i / 4);
  }
  return (i % 2 === 0 ? 'S' : 'N') + digits;
}

/** Half-open index ranges [begin, end), sorted and merged. */
export type IndexRanges = Array<[number, number]>;

function insertRange(ranges: IndexRanges, begin: number, end: number): void {
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last[1] === begin) last[1] = end;
  else ranges.push([begin, end]);
}

/**
 * Indices at `level` of every trixel that may overlap `region` (a superset, like
 * sphgeom's envelope): what daf_butler stores in *_skypix_overlap. With `maxRanges`
 * > 0 the ranges are coarsened (still a superset) until there are at most that many,
 * e.g. to bound the size of a SQL prefilter.
 */
export function htmEnvelope(region: Region, level = COMMON_SKYPIX_LEVEL, maxRanges = 0): IndexRanges {
  checkLevel(level);
  if (!Number.isInteger(maxRanges) || maxRanges < 0) throw new RangeError(`maxRanges must be a non-negative integer, got ${maxRanges}`);
  const ranges: IndexRanges = [];
  const visit = (v0: Vec3, v1: Vec3, v2: Vec3, index: number, depth: number): void => {
    const r = relate(ConvexPolygon.fromOrderedVertices([v0, v1, v2]), region);
    if ((r & DISJOINT) !== 0) return;
    if ((r & WITHIN) !== 0 || depth === level) {
      const scale = 4 ** (level - depth);
      insertRange(ranges, index * scale, (index + 1) * scale);
      return;
    }
    const m12 = mid(v1, v2);
    const m20 = mid(v2, v0);
    const m01 = mid(v0, v1);
    const child = index * 4;
    visit(v0, m01, m20, child, depth + 1);
    visit(v1, m12, m01, child + 1, depth + 1);
    visit(v2, m20, m12, child + 2, depth + 1);
    visit(m12, m20, m01, child + 3, depth + 1);
  };
  ROOTS.forEach(([a, b, c], r) => visit(a, b, c, r + 8, 0));
  return maxRanges > 0 ? coarsenRanges(ranges, maxRanges) : ranges;
}

/** Widen ranges to multiples of 4^k (whole coarser trixels) for growing k until at most `maxRanges` remain. */
export function coarsenRanges(ranges: IndexRanges, maxRanges: number): IndexRanges {
  let current = ranges;
  for (let granularity = 4; current.length > maxRanges; granularity *= 4) {
    const next: IndexRanges = [];
    for (const [b, e] of current) insertOrMerge(next, Math.floor(b / granularity) * granularity, Math.ceil(e / granularity) * granularity);
    current = next;
  }
  return current;
}

function insertOrMerge(ranges: IndexRanges, begin: number, end: number): void {
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last[1] >= begin) last[1] = Math.max(last[1], end);
  else ranges.push([begin, end]);
}

/** Every index in the ranges (for IN lists and overlap rows). */
export function expandRanges(ranges: IndexRanges): number[] {
  const out: number[] = [];
  for (const [b, e] of ranges) for (let i = b; i < e; i += 1) out.push(i);
  return out;
}
