// Extreme squared chord lengths between a point and the interior of a great-circle
// edge (lsst.sphgeom utils): the exact tests behind circle/polygon and circle/box relations.
import { cross, dot, norm, type Vec3 } from './vector.js';

/** Smallest squared chord from v to the interior of edge a→b (normal n = a×b); 4 when the closest point is an endpoint. */
export function minSquaredChordToEdge(v: Vec3, a: Vec3, b: Vec3, n: Vec3): number {
  const vxn = cross(v, n);
  if (dot(vxn, a) > 0 && dot(vxn, b) < 0) {
    const s = Math.abs(dot(v, n));
    const c = norm(vxn);
    const theta = c === 0 ? 0.5 * Math.PI : Math.atan(s / c);
    const d = Math.sin(0.5 * theta);
    return 4 * d * d;
  }
  return 4;
}

/** Largest squared chord from v to the interior of edge a→b; 0 when the farthest point is an endpoint. */
export function maxSquaredChordToEdge(v: Vec3, a: Vec3, b: Vec3, n: Vec3): number {
  const vxn = cross(v, n);
  if (dot(vxn, a) < 0 && dot(vxn, b) > 0) {
    const s = Math.abs(dot(v, n));
    const c = norm(vxn);
    const theta = c === 0 ? 0.5 * Math.PI : Math.atan(s / c);
    const d = Math.cos(0.5 * theta);
    return 4 * d * d;
  }
  return 0;
}
