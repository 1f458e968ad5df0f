// Unit vectors on the sphere and the orientation predicate that all region
// tests rest on (lsst.sphgeom conventions: x toward (ra 0, dec 0), z toward the north pole).

export type Vec3 = readonly [number, number, number];

export const DEG = Math.PI / 180;

export function vec(x: number, y: number, z: number): Vec3 {
  return [x, y, z];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** 2(a×b) computed as (b+a)×(b−a): more accurate for nearly equal vectors (sphgeom's robustCross). */
export function robustCross(a: Vec3, b: Vec3): Vec3 {
  return cross([b[0] + a[0], b[1] + a[1], b[2] + a[2]], [b[0] - a[0], b[1] - a[1], b[2] - a[2]]);
}

export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function scale(a: Vec3, s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

export function neg(a: Vec3): Vec3 {
  return [-a[0], -a[1], -a[2]];
}

export function norm(a: Vec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

export function squaredDistance(a: Vec3, b: Vec3): number {
  const dx = a[0] - b[0];
  const dy = a[1] - b[1];
  const dz = a[2] - b[2];
  return dx * dx + dy * dy + dz * dz;
}

/**
 * Unit vector in the direction of `a`, computed exactly as lsst.sphgeom's
 * Vector3d::normalize (scale by the largest component first), so that HTM
 * midpoints, and hence trixel membership, match sphgeom bit for bit.
 */
export function normalize(a: Vec3): Vec3 {
  const ax = Math.abs(a[0]);
  const ay = Math.abs(a[1]);
  const az = Math.abs(a[2]);
  // Indices of the components from smallest to largest magnitude.
  const order: readonly [number, number, number] =
    ax > az ? (ax > ay ? (ay > az ? [2, 1, 0] : [1, 2, 0]) : [2, 0, 1]) : ax > ay ? [1, 0, 2] : ay > az ? [0, 2, 1] : [0, 1, 2];
  const w = a[order[2]];
  if (w === 0 || !Number.isFinite(w)) throw new RangeError(`cannot normalize vector (${a.join(', ')})`);
  const maxabs = Math.abs(w);
  const u = a[order[0]] / maxabs;
  const v = a[order[1]] / maxabs;
  const n = Math.sqrt(1.0 + (u * u + v * v));
  const out: [number, number, number] = [0, 0, 0];
  out[order[0]] = u / n;
  out[order[1]] = v / n;
  out[order[2]] = (w < 0 ? -1 : 1) / n;
  return out;
}

/** Unit vector of a sky position in degrees (ra = longitude, dec = latitude). */
export function fromLonLatDegrees(lonDeg: number, latDeg: number): Vec3 {
  return fromLonLat(lonDeg * DEG, latDeg * DEG);
}

export function fromLonLat(lon: number, lat: number): Vec3 {
  const cosLat = Math.cos(lat);
  return [cosLat * Math.cos(lon), cosLat * Math.sin(lon), Math.sin(lat)];
}

/** Longitude in [0, 2π) and latitude in [-π/2, π/2], radians. */
export function toLonLat(v: Vec3): { lon: number; lat: number } {
  let lon = Math.atan2(v[1], v[0]);
  if (lon < 0) lon += 2 * Math.PI;
  if (lon >= 2 * Math.PI) lon = 0;
  return { lon, lat: Math.atan2(v[2], Math.sqrt(v[0] * v[0] + v[1] * v[1])) };
}

export function toLonLatDegrees(v: Vec3): { ra: number; dec: number } {
  const { lon, lat } = toLonLat(v);
  return { ra: lon / DEG, dec: lat / DEG };
}

/** Angle between two unit vectors, radians, accurate at all separations. */
export function angleBetween(a: Vec3, b: Vec3): number {
  return Math.atan2(norm(cross(a, b)), dot(a, b));
}

/**
 * Sign of det[a, b, c] = a·(b×c): +1 when a, b, c wind counter-clockwise seen from
 * outside the sphere. Uses an error bound and falls back to an exact expansion so
 * that points on trixel edges are classified consistently.
 */
export function orientation(a: Vec3, b: Vec3, c: Vec3): number {
  const t1 = a[0] * (b[1] * c[2]);
  const t2 = a[0] * (b[2] * c[1]);
  const t3 = a[1] * (b[2] * c[0]);
  const t4 = a[1] * (b[0] * c[2]);
  const t5 = a[2] * (b[0] * c[1]);
  const t6 = a[2] * (b[1] * c[0]);
  const det = t1 - t2 + t3 - t4 + t5 - t6;
  const bound = 4.0e-15 * (Math.abs(t1) + Math.abs(t2) + Math.abs(t3) + Math.abs(t4) + Math.abs(t5) + Math.abs(t6));
  if (det > bound) return 1;
  if (det < -bound) return -1;
  return exactOrientation(a, b, c);
}

// Exact sign via bigint: every double is an integer multiple of 2^-1074.
function big(x: number): bigint {
  if (x === 0) return 0n;
  const buffer = new DataView(new ArrayBuffer(8));
  buffer.setFloat64(0, x);
  const hi = buffer.getUint32(0);
  const lo = buffer.getUint32(4);
  const exponent = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exponent !== 0) mantissa |= 1n << 52n;
  const shift = BigInt(Math.max(exponent, 1) - 1);
  const value = mantissa << shift;
  return hi >>> 31 ? -value : value;
}

function exactOrientation(a: Vec3, b: Vec3, c: Vec3): number {
  const [ax, ay, az] = a.map(big);
  const [bx, by, bz] = b.map(big);
  const [cx, cy, cz] = c.map(big);
  const det = ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
  return det > 0n ? 1 : det < 0n ? -1 : 0;
}
