// Least-squares polynomial fits in the power, Chebyshev and Legendre bases, as numpy's
// polynomial.{polyfit, chebfit, legfit}(x, y, deg): Vandermonde matrix of the basis, columns scaled
// to unit norm, solved by least squares (here Householder QR in double, which agrees with numpy's
// SVD solve to rounding for these well-conditioned problems), coefficients unscaled.

import { householderSolve } from './lstsq.js';

export type PolyBasis = 'POLY' | 'CHEB' | 'LEG';

/** Basis functions P_0..P_deg at x. */
function basisRow(basis: PolyBasis, x: number, deg: number, out: Float64Array): void {
  out[0] = 1;
  if (deg >= 1) out[1] = x;
  for (let k = 2; k <= deg; k++) {
    if (basis === 'POLY') out[k] = out[k - 1] * x;
    else if (basis === 'CHEB') out[k] = 2 * x * out[k - 1] - out[k - 2];
    else out[k] = ((2 * k - 1) * x * out[k - 1] - (k - 1) * out[k - 2]) / k;
  }
}

/** Coefficients c_0..c_deg minimising Σ (y − Σ c_k P_k(x))². */
export function polyfit(basis: PolyBasis, x: ArrayLike<number>, y: ArrayLike<number>, deg: number): Float64Array {
  const n = x.length;
  const m = deg + 1;
  if (n !== y.length) throw new Error(`polyfit: ${n} x values but ${y.length} y values`);
  if (n < m) throw new Error(`polyfit: degree ${deg} needs at least ${m} points, got ${n}`);
  // Column-major design matrix A (n × m) and right-hand side b.
  const a = new Float64Array(n * m);
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    basisRow(basis, x[i], deg, row);
    for (let k = 0; k < m; k++) a[k * n + i] = row[k];
  }
  const scale = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[k * n + i] * a[k * n + i];
    scale[k] = Math.sqrt(s) || 1;
    for (let i = 0; i < n; i++) a[k * n + i] /= scale[k];
  }
  const b = Float64Array.from(y);
  const c = householderSolve(a, n, m, b, 'polyfit');
  for (let k = 0; k < m; k++) c[k] /= scale[k];
  return c;
}

/** Evaluates Σ c_k P_k(x). */
export function polyval(basis: PolyBasis, x: number, c: ArrayLike<number>): number {
  const m = c.length;
  const row = new Float64Array(m);
  basisRow(basis, x, m - 1, row);
  let s = 0;
  for (let k = 0; k < m; k++) s += c[k] * row[k];
  return s;
}
