import { describe, expect, it } from 'vitest';
import {
  decodeRegion, encodeRegion, encodeRegionBase64, decodeRegionBase64, ConvexPolygon, Circle, Box, UnionRegion,
  IntersectionRegion, relate, overlaps, toLonLatDegrees, fromLonLatDegrees, circleRegion, boxRegion, RegionDecodeError,
  CONTAINS, DISJOINT, WITHIN, type Region,
} from '../../../core/sphgeom/index.js';

// Regions encoded by the real lsst.sphgeom, from daf_butler's public test registry
// (tests/data/registry/hsc-rc2-subset.yaml, skymap hsc_rings_v1).
const TRACT_9615 = '70cfa95156d710eabf1f176fc00990e2bfa9d5478c457b5bbfc902fc7aae82e9bfde6fb7609751e3bf39a6c891457b5bbf1466693c2b80e9bf9e286deebe4fe3bf0a8a61be754c9c3f3616a317540eeabfd2f04b4e318ee2bfc3d4b6b8754c9c3f';
const TRACT_9813 = '706d49172fb089ebbf7a416963e047e03f04da8d4822dd983f748955c6dc00ecbfd7f213e3c3eede3f6f79884d22dd983f55833497bef8ebbf15b3fe207ce5de3fae43c0300f6eab3fd5c00f009281ebbf37cf35823c43e03f9417422b0f6eab3f';
const PATCH_9615_14 = '7013c53e857be2e9bfa64c2ee879d0e2bfd0b07c20ce8c583f5de995f6f7d1e9bff202744a1de7e2bf9066ce0ee08c583f3b6ef779e5d1e9bff66300940fe7e2bf182e2051dd25743fdb74b22c69e2e9bf7d930d006cd0e2bf041cb299ce25743f';
const PATCH_9813_72 = '70cc2b4a68b7ecebbf32d931ecb816df3fffe573df5ab9a93f6d2ac3c7faf9ebbf39dad585e2e6de3fa88934c311b9a93f55833497bef8ebbf15b3fe207ce5de3fae43c0300f6eab3f3e8709597bebebbf77d66efa5115df3f05874a255d6eab3f';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('sphgeom encoding of real daf_butler regions', () => {
  it('decodes and re-encodes tract and patch polygons byte for byte', () => {
    for (const hex of [TRACT_9615, TRACT_9813, PATCH_9615_14, PATCH_9813_72]) {
      const region = decodeRegion(fromHex(hex));
      expect(region.kind).toBe('polygon');
      expect(toHex(encodeRegion(region))).toBe(hex);
      // base64 as stored in SQLite round-trips too.
      const b64 = Buffer.from(hex, 'hex').toString('base64');
      expect(encodeRegionBase64(decodeRegionBase64(b64))).toBe(b64);
    }
  });

  it('tract 9813 is the COSMOS tract and overlaps its patch 72; tracts do not overlap each other', () => {
    const tract = decodeRegion(fromHex(TRACT_9813)) as ConvexPolygon;
    const c = toLonLatDegrees(tract.centroid());
    expect(c.ra).toBeCloseTo(150.25, 1);
    expect(c.dec).toBeCloseTo(2.23, 1);
    for (const v of tract.vertices) expect(Math.hypot(...v)).toBeCloseTo(1, 15);
    const patch = decodeRegion(fromHex(PATCH_9813_72));
    expect(overlaps(tract, patch)).toBe(true);
    const other = decodeRegion(fromHex(TRACT_9615));
    expect(relate(other, patch) & DISJOINT).toBe(DISJOINT);
    expect(overlaps(other, decodeRegion(fromHex(PATCH_9615_14)))).toBe(true);
    expect(overlaps(tract, other)).toBe(false);
    expect(tract.contains(fromLonLatDegrees(150.1, 2.2))).toBe(true);
    expect(tract.contains(fromLonLatDegrees(216, 0.7))).toBe(false);
  });
});

describe('encoding layout (checked with Buffer, independently of the codec)', () => {
  const f64le = (...xs: number[]): string => xs.map((x) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    return b.toString('hex');
  }).join('');

  it('ConvexPolygon: "p" + 3 doubles per vertex', () => {
    const p = ConvexPolygon.fromOrderedVertices([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(toHex(encodeRegion(p))).toBe('70' + f64le(1, 0, 0, 0, 1, 0, 0, 0, 1));
  });

  it('Circle: "c" + centre, squared chord, opening angle', () => {
    const c = circleRegion(90, 0, 60);
    const bytes = encodeRegion(c);
    expect(bytes.length).toBe(41);
    expect(toHex(bytes)).toBe('63' + f64le(c.center[0], c.center[1], c.center[2], c.squaredChordLength, Math.PI / 3));
    expect((c.squaredChordLength)).toBeCloseTo(1, 15); // chord of 60° is 1
    expect(decodeRegion(bytes)).toEqual(c);
  });

  it('Box: "b" + lon a, lon b, lat a, lat b (radians), wrapping through 0', () => {
    const b = boxRegion(0, 10, 20, 4);
    expect(b.lon.a).toBeCloseTo((350 * Math.PI) / 180, 12);
    expect(b.lon.b).toBeCloseTo((10 * Math.PI) / 180, 12);
    expect(toHex(encodeRegion(b))).toBe('62' + f64le(b.lon.a, b.lon.b, b.lat.a, b.lat.b));
    expect(decodeRegion(encodeRegion(b))).toEqual(b);
    expect(b.contains(fromLonLatDegrees(355, 9))).toBe(true);
    expect(b.contains(fromLonLatDegrees(15, 9))).toBe(false);
  });

  it('unions and intersections: type byte + (u64 length, bytes) per operand; base64 ":" unions', () => {
    const a = circleRegion(10, 10, 1);
    const b = circleRegion(20, 10, 1);
    const u = new UnionRegion([a, new UnionRegion([b])]);
    expect(u.operands).toHaveLength(2); // flattened
    const bytes = encodeRegion(u);
    expect(bytes[0]).toBe(0x75);
    expect(Buffer.from(bytes).readBigUInt64LE(1)).toBe(41n);
    expect(decodeRegion(bytes)).toEqual(u);
    const joined = `${encodeRegionBase64(a)}:${encodeRegionBase64(b)}`;
    const decoded = decodeRegionBase64(joined) as UnionRegion;
    expect(decoded.kind).toBe('union');
    expect(overlaps(decoded, circleRegion(20, 11.5, 1))).toBe(true);
    expect(overlaps(decoded, circleRegion(15, 10, 1))).toBe(false);
    const i = new IntersectionRegion([circleRegion(10, 10, 5), boxRegion(10, 10, 2, 2)]);
    expect(decodeRegion(encodeRegion(i))).toEqual(i);
    expect((decodeRegionBase64('') as UnionRegion).operands).toEqual([]);
  });

  it('refuses bad bytes with clear errors', () => {
    const cases: Array<[Uint8Array | string, RegExp]> = [
      [new Uint8Array([]), /empty/],
      [new Uint8Array([0x70, 1, 2]), /not an encoded ConvexPolygon: 3 bytes/],
      [new Uint8Array([0x63, 0]), /not an encoded Circle: 2 bytes \(need 41\)/],
      [new Uint8Array([0x62]), /not an encoded Box/],
      [new Uint8Array([0x75, 9, 0, 0, 0, 0, 0, 0, 0, 1]), /truncated/],
      [new Uint8Array([0x65, 0]), /Ellipse regions are not supported/],
      [new Uint8Array([0x7a]), /unknown type byte 0x7a/],
      ['not base64!!', /not valid base64/],
    ];
    for (const [input, message] of cases) {
      const run = (): Region => (typeof input === 'string' ? decodeRegionBase64(input) : decodeRegion(input));
      expect(run).toThrow(RegionDecodeError);
      expect(run).toThrow(message);
    }
  });
});

describe('region relations', () => {
  it('circles', () => {
    const a = circleRegion(0, 0, 2);
    expect(relate(a, circleRegion(0, 0, 1)) & CONTAINS).toBe(CONTAINS);
    expect(overlaps(a, circleRegion(3.9, 0, 2))).toBe(true);
    expect(overlaps(a, circleRegion(4.1, 0, 2))).toBe(false);
    expect(a.contains(fromLonLatDegrees(359, 1))).toBe(true);
    expect(Circle.fromAngle([0, 0, 1], Math.PI).isFull()).toBe(true);
  });

  it('boxes and circles (sphgeom\'s exact box–circle relation)', () => {
    const box = boxRegion(5, 5, 10, 10); // [0, 10] x [0, 10] degrees
    expect(overlaps(box, circleRegion(11, 11, 1.2))).toBe(false); // near the corner, yet outside
    expect(overlaps(circleRegion(11, 11, 1.5), box)).toBe(true);
    expect(overlaps(box, circleRegion(5, 11, 1.1))).toBe(true); // crosses the top edge only
    expect(relate(box, circleRegion(5, 5, 1)) & CONTAINS).toBe(CONTAINS);
    expect(relate(circleRegion(5, 5, 1), box) & WITHIN).toBe(WITHIN);
    expect(relate(box, circleRegion(5, 5, 20)) & WITHIN).toBe(WITHIN);
    expect(relate(box, circleRegion(100, 5, 3)) & DISJOINT).toBe(DISJOINT);
  });

  it('polygon hull ignores vertex order and is counter-clockwise', () => {
    const ordered = ConvexPolygon.convexHull([fromLonLatDegrees(0, 0), fromLonLatDegrees(10, 0), fromLonLatDegrees(10, 10), fromLonLatDegrees(0, 10)]);
    const shuffled = ConvexPolygon.convexHull([fromLonLatDegrees(10, 10), fromLonLatDegrees(0, 0), fromLonLatDegrees(5, 5), fromLonLatDegrees(0, 10), fromLonLatDegrees(10, 0)]);
    expect(shuffled.vertices).toHaveLength(4); // interior point dropped
    expect(shuffled.contains(fromLonLatDegrees(5, 5))).toBe(true);
    expect(ordered.contains(fromLonLatDegrees(11, 5))).toBe(false);
    expect(overlaps(ordered, shuffled)).toBe(true);
    expect(() => ConvexPolygon.convexHull([fromLonLatDegrees(0, 0), fromLonLatDegrees(180, 0), fromLonLatDegrees(90, 0)])).toThrow(/hemisphere|degenerate/);
  });

  it('polygon vs circle and box, including a pole-crossing polygon', () => {
    const square = ConvexPolygon.convexHull([fromLonLatDegrees(0, 0), fromLonLatDegrees(10, 0), fromLonLatDegrees(10, 10), fromLonLatDegrees(0, 10)]);
    expect(overlaps(square, circleRegion(5, 5, 0.1))).toBe(true);
    expect(overlaps(square, circleRegion(12, 5, 1.9))).toBe(false);
    expect(overlaps(square, circleRegion(12, 5, 2.1))).toBe(true);
    expect(relate(square, circleRegion(5, 5, 30)) & CONTAINS).toBe(0);
    expect(overlaps(square, boxRegion(15, 5, 4, 4))).toBe(false);
    expect(overlaps(square, boxRegion(12, 5, 6, 4))).toBe(true);
    const cap = ConvexPolygon.convexHull([0, 90, 180, 270].map((ra) => fromLonLatDegrees(ra, 80)));
    const bbox = cap.boundingBox();
    expect(bbox.lon).toEqual({ a: 0, b: 2 * Math.PI });
    expect(bbox.lat.b).toBe(Math.PI / 2);
    expect(cap.contains([0, 0, 1])).toBe(true);
    expect(overlaps(cap, boxRegion(45, 85, 1, 1))).toBe(true);
    const wrap = ConvexPolygon.convexHull([fromLonLatDegrees(355, -5), fromLonLatDegrees(5, -5), fromLonLatDegrees(5, 5), fromLonLatDegrees(355, 5)]);
    const wb = wrap.boundingBox();
    expect(wb.lon.a).toBeGreaterThan(wb.lon.b); // wraps through ra 0
    expect(overlaps(wrap, boxRegion(0, 0, 1, 1))).toBe(true);
    expect(overlaps(wrap, boxRegion(180, 0, 1, 1))).toBe(false);
  });

  it('the bounding box of a polygon contains every vertex and edge midpoint', () => {
    const poly = ConvexPolygon.convexHull([fromLonLatDegrees(30, 40), fromLonLatDegrees(60, 42), fromLonLatDegrees(50, 70)]);
    const box = poly.boundingBox();
    const vs = poly.vertices;
    for (let i = 0; i < vs.length; i += 1) {
      const a = vs[i];
      const b = vs[(i + 1) % vs.length];
      const m = Math.hypot(a[0] + b[0], a[1] + b[1], a[2] + b[2]);
      expect(box.contains(a)).toBe(true);
      expect(box.contains([(a[0] + b[0]) / m, (a[1] + b[1]) / m, (a[2] + b[2]) / m])).toBe(true);
    }
    expect(Box.empty().isEmpty()).toBe(true);
  });
});
