import { describe, expect, it } from 'vitest';
import {
  htmIndex, htmLevel, htmTriangle, htmToString, htmEnvelope, expandRanges, fromLonLatDegrees, circleRegion,
  polygonRegion, unionBoundingPolygon, relate, DISJOINT, decodeRegionBase64, encodeRegionBase64, type Vec3,
} from '../../../core/sphgeom/index.js';

// An independent HTM: the published root triangles (Kunszt, Szalay & Thakar) and
// point location by explicit barycentric containment, recursing from the roots.
type Tri = [Vec3, Vec3, Vec3];
const unit = (v: Vec3): Vec3 => { const n = Math.hypot(...v); return [v[0] / n, v[1] / n, v[2] / n]; };
const mid = (a: Vec3, b: Vec3): Vec3 => unit([a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
const det = (a: Vec3, b: Vec3, c: Vec3): number =>
  a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
// p is inside the spherical triangle iff p = αa + βb + γc with α, β, γ ≥ 0 (Cramer's rule).
const inside = ([a, b, c]: Tri, p: Vec3): boolean => {
  const d = det(a, b, c);
  return det(p, b, c) / d >= -1e-15 && det(a, p, c) / d >= -1e-15 && det(a, b, p) / d >= -1e-15;
};
const ROOTS: Array<[string, Tri]> = [
  ['S0', [[1, 0, 0], [0, 0, -1], [0, 1, 0]]], ['S1', [[0, 1, 0], [0, 0, -1], [-1, 0, 0]]],
  ['S2', [[-1, 0, 0], [0, 0, -1], [0, -1, 0]]], ['S3', [[0, -1, 0], [0, 0, -1], [1, 0, 0]]],
  ['N0', [[1, 0, 0], [0, 0, 1], [0, -1, 0]]], ['N1', [[0, -1, 0], [0, 0, 1], [-1, 0, 0]]],
  ['N2', [[-1, 0, 0], [0, 0, 1], [0, 1, 0]]], ['N3', [[0, 1, 0], [0, 0, 1], [1, 0, 0]]],
];
function children([v0, v1, v2]: Tri): Tri[] {
  const w0 = mid(v1, v2);
  const w1 = mid(v0, v2);
  const w2 = mid(v0, v1);
  return [[v0, w2, w1], [v1, w0, w2], [v2, w1, w0], [w0, w1, w2]];
}
function referenceName(p: Vec3, level: number): string | null {
  for (const [name, tri] of ROOTS) {
    if (!inside(tri, p)) continue;
    let current = tri;
    let path = name;
    for (let l = 0; l < level; l += 1) {
      const k = children(current).findIndex((child) => inside(child, p));
      if (k < 0) return null;
      path += String(k);
      current = children(current)[k];
    }
    return path;
  }
  return null;
}
function nameToIndex(name: string): number {
  let index = name[0] === 'N' ? 3 : 2;
  for (const digit of name.slice(1)) index = index * 4 + Number(digit);
  return index;
}

let seed = 42;
const random = (): number => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};
const randomPoint = (): Vec3 => {
  const z = 2 * random() - 1;
  const phi = 2 * Math.PI * random();
  const r = Math.sqrt(1 - z * z);
  return [r * Math.cos(phi), r * Math.sin(phi), z];
};

describe('HTM pixelization', () => {
  it('indexes random points exactly as the independent recursive containment does', () => {
    const mismatches: string[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const p = randomPoint();
      const level = i % 11;
      const expected = referenceName(p, level);
      if (expected === null) continue; // on an edge within rounding: either side is right
      const index = htmIndex(p, level);
      if (index !== nameToIndex(expected) || htmToString(index) !== expected) mismatches.push(`${p.join(',')} L${level}: ${htmToString(index)} vs ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('knows the index structure: levels, names, root trixels', () => {
    expect(htmIndex(fromLonLatDegrees(45, 45), 0)).toBe(15); // N3: x, y, +z octant
    expect(htmToString(15)).toBe('N3');
    expect(htmIndex(fromLonLatDegrees(45, -45), 0)).toBe(8); // S0
    expect(htmLevel(8)).toBe(0);
    expect(htmLevel(8 * 4 ** 7)).toBe(7);
    expect(htmLevel(16 * 4 ** 7 - 1)).toBe(7);
    expect(htmLevel(4)).toBe(-1);
    expect(htmLevel(16)).toBe(-1);
    expect(htmLevel(8 * 4 ** 24)).toBe(24);
    // daf_butler's example overlap row (htm level 7 index 205939) is a valid level-7 trixel.
    expect(htmLevel(205939)).toBe(7);
    expect(() => htmIndex([1, 0, 0], 25)).toThrow(/HTM level must be an integer 0-24/);
    expect(() => htmTriangle(5)).toThrow(/Invalid HTM index 5/);
  });

  it('every trixel contains the points that index into it', () => {
    for (let i = 0; i < 300; i += 1) {
      const p = randomPoint();
      expect(htmTriangle(htmIndex(p, 7)).contains(p)).toBe(true);
    }
  });

  it('envelope: covers every point of the region and equals the brute-force set of non-disjoint trixels', () => {
    const level = 5;
    for (const region of [circleRegion(150.1, 2.2, 3), polygonRegion([[10, -70], [40, -75], [25, -60]]), circleRegion(0, 90, 4)]) {
      const envelope = new Set(expandRanges(htmEnvelope(region, level)));
      const brute = new Set<number>();
      for (let index = 8 * 4 ** level; index < 16 * 4 ** level; index += 1) {
        if ((relate(htmTriangle(index), region) & DISJOINT) === 0) brute.add(index);
      }
      expect([...envelope].sort((a, b) => a - b)).toEqual([...brute].sort((a, b) => a - b));
      const bound = region.boundingBox();
      for (let i = 0; i < 400; i += 1) {
        const p = randomPoint();
        if (bound.contains(p) && region.contains(p)) {
          expect(envelope.has(htmIndex(p, level))).toBe(true);
        }
      }
      // Ranges are sorted, merged, half-open.
      const ranges = htmEnvelope(region, level);
      for (let i = 1; i < ranges.length; i += 1) expect(ranges[i][0]).toBeGreaterThan(ranges[i - 1][1]);
    }
  });

  it('maxRanges coarsens the envelope to a superset with few ranges', () => {
    const region = circleRegion(30, 40, 20);
    const full = htmEnvelope(region, 7);
    expect(full.length).toBeGreaterThan(50);
    const coarse = htmEnvelope(region, 7, 10);
    expect(coarse.length).toBeLessThanOrEqual(10);
    const covered = (i: number): boolean => coarse.some(([b, e]) => b <= i && i < e);
    expect(expandRanges(full).every(covered)).toBe(true);
    expect(() => htmEnvelope(region, 7, -1)).toThrow(/maxRanges/);
  });

  it('envelope at the common level 7 of a small circle is a handful of trixels around its centre', () => {
    const centre = fromLonLatDegrees(53.6, -32.7);
    const indices = expandRanges(htmEnvelope(circleRegion(53.6, -32.7, 0.01)));
    expect(indices).toContain(htmIndex(centre, 7));
    expect(indices.length).toBeLessThanOrEqual(6);
  });
});

describe('unionBoundingPolygon', () => {
  it('bounds several detector-like polygons with their hull', () => {
    const detectors = [0, 1, 2].map((k) => polygonRegion([[10 + k, 0], [10.9 + k, 0], [10.9 + k, 0.9], [10 + k, 0.9]]));
    const hull = unionBoundingPolygon(detectors);
    expect(hull.vertices).toHaveLength(4);
    for (const d of detectors) for (const v of d.vertices) expect(hull.contains(v)).toBe(true);
    expect(() => unionBoundingPolygon([circleRegion(0, 0, 1)])).toThrow(/polygons only/);
  });
});

describe('agreement with lsst.sphgeom on real registry rows', () => {
  // LATISS visit_detector_region rows and their visit_detector_region_skypix_overlap rows
  // (htm, level 7) as written by daf_butler/sphgeom, from the public lsst-dm/transfer_embargo
  // test repository (tests/data/test_from/gen3.sqlite3).
  const rows: Array<[string, number[]]> = [
    ['cOFMyMXbXeM/HDTdxOUp6b+Tt/pv7Li/P9AbHm0eaOM/E9/JIvsj6b9w9fYeNVO/P3WQ+Co6ceM/nPBfTyQb6b9sA2FO6q6/P/bGmYP3ZuM/AI978Q4h6b8eA5DPUArAPw==', [205939]],
    ['cLjNJ50yU+M/hCuRKxIy6b9K63Q2zrm/P31XRcdkXeM/gotcOT4s6b9AE3mkWVO/P8Cbfc2YZuM/uuhSel8j6b8LkpXVQa6/PxQEV6NmXOM/l9aPbDMp6b82uKYzWwrAPw==', [205939]],
    ['cFMSqPz3EeM/cJ+n3oRh6b9diJamYBHAP9SvukdkHOM/FnGB66hb6b8nsDNy472/P9OZmQCAJeM/PXWxXfZS6b8FI2bVOg3AP1b9fbUTG+M//MvfUNJY6b9cCMDCqT/APw==', [205909, 205938]],
  ];
  it.each(rows)('region %s has the stored htm7 overlap rows', (base64, indices) => {
    const region = decodeRegionBase64(base64);
    expect(encodeRegionBase64(region)).toBe(base64);
    expect(expandRanges(htmEnvelope(region, 7))).toEqual(indices);
  });
});
