// Celestial frame conversion needed for tracking positions: FK5 (equinox J2000) → ICRS is a fixed
// rotation, the frame-bias matrix of USNO Circular 179 (the one astropy applies).

const MAS = Math.PI / (180 * 3600 * 1000);
const ETA0 = -19.9 * MAS;
const XI0 = 9.1 * MAS;
const DA0 = -22.9 * MAS;

type Mat = number[][];

function rot(axis: 'x' | 'y' | 'z', angle: number): Mat {
  // Astropy's rotation_matrix convention: rotates the coordinate frame by +angle.
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  if (axis === 'x') return [[1, 0, 0], [0, c, s], [0, -s, c]];
  if (axis === 'y') return [[c, 0, -s], [0, 1, 0], [s, 0, c]];
  return [[c, s, 0], [-s, c, 0], [0, 0, 1]];
}

function mul(a: Mat, b: Mat): Mat {
  return a.map((row) => [0, 1, 2].map((j) => row[0] * b[0][j] + row[1] * b[1][j] + row[2] * b[2][j]));
}

// ICRS → FK5 J2000; FK5 → ICRS is its transpose.
const ICRS_TO_FK5 = mul(mul(rot('x', -ETA0), rot('y', XI0)), rot('z', DA0));

/** FK5 (J2000 equinox) RA/Dec in degrees → ICRS. */
export function fk5J2000ToIcrs(ra: number, dec: number): { ra: number; dec: number } {
  const a = (ra * Math.PI) / 180;
  const d = (dec * Math.PI) / 180;
  const v = [Math.cos(d) * Math.cos(a), Math.cos(d) * Math.sin(a), Math.sin(d)];
  const m = ICRS_TO_FK5;
  // transpose(m) · v
  const x = m[0][0] * v[0] + m[1][0] * v[1] + m[2][0] * v[2];
  const y = m[0][1] * v[0] + m[1][1] * v[1] + m[2][1] * v[2];
  const z = m[0][2] * v[0] + m[1][2] * v[1] + m[2][2] * v[2];
  let raOut = (Math.atan2(y, x) * 180) / Math.PI;
  if (raOut < 0) raOut += 360;
  return { ra: raOut, dec: (Math.atan2(z, Math.hypot(x, y)) * 180) / Math.PI };
}
