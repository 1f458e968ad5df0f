// 1-D interpolants used by ISR: afw's Interpolate styles (NATURAL_SPLINE and CUBIC_SPLINE are both
// GSL's natural cubic spline; AKIMA_SPLINE is GSL's non-periodic Akima), with afw's quadratic
// extrapolation beyond the end points (value + first and second derivative there), and scipy's
// Akima1DInterpolator (used by the Spline linearizer), which differs from GSL's in how it treats
// equal neighbouring slopes.

export type InterpStyle = 'NATURAL_SPLINE' | 'CUBIC_SPLINE' | 'AKIMA_SPLINE';

/** A piecewise cubic: on [x_i, x_{i+1}], y_i + b_i d + c_i d² + d_i d³ with d = x − x_i. */
export class PiecewiseCubic {
  constructor(
    readonly x: Float64Array,
    readonly y: Float64Array,
    readonly b: Float64Array,
    readonly c: Float64Array,
    readonly d: Float64Array,
  ) {}

  private segment(t: number): number {
    const x = this.x;
    let lo = 0;
    let hi = x.length - 1;
    if (t <= x[0]) return 0;
    if (t >= x[hi]) return hi - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (x[mid] > t) hi = mid;
      else lo = mid;
    }
    return lo;
  }

  eval(t: number): number {
    const i = this.segment(t);
    const dx = t - this.x[i];
    return this.y[i] + dx * (this.b[i] + dx * (this.c[i] + dx * this.d[i]));
  }

  deriv(t: number): number {
    const i = this.segment(t);
    const dx = t - this.x[i];
    return this.b[i] + dx * (2 * this.c[i] + 3 * dx * this.d[i]);
  }

  deriv2(t: number): number {
    const i = this.segment(t);
    const dx = t - this.x[i];
    return 2 * this.c[i] + 6 * dx * this.d[i];
  }

  /** afw Interpolate::interpolate: inside the nodes the cubic, outside a quadratic continuation. */
  evalAfw(t: number): number {
    const x = this.x;
    const n = x.length;
    if (t < x[0] || t > x[n - 1]) {
      const x0 = t < x[0] ? x[0] : x[n - 1];
      const y0 = t < x[0] ? this.y[0] : this.y[n - 1];
      const d1 = this.deriv(x0);
      const d2 = this.deriv2(x0);
      return y0 + (t - x0) * d1 + 0.5 * (t - x0) * (t - x0) * d2;
    }
    return this.eval(t);
  }
}

function checkNodes(x: ArrayLike<number>, y: ArrayLike<number>, min: number, what: string): void {
  if (x.length !== y.length) throw new Error(`${what}: ${x.length} x values but ${y.length} y values`);
  if (x.length < min) throw new Error(`${what}: needs at least ${min} points, got ${x.length}`);
  for (let i = 1; i < x.length; i++) {
    if (!(x[i] > x[i - 1])) throw new Error(`${what}: x values must increase strictly (x[${i - 1}]=${x[i - 1]}, x[${i}]=${x[i]})`);
  }
}

/** Natural cubic spline (second derivative 0 at both ends), as GSL cspline. */
export function naturalSpline(xs: ArrayLike<number>, ys: ArrayLike<number>): PiecewiseCubic {
  checkNodes(xs, ys, 3, 'natural spline');
  const n = xs.length;
  const x = Float64Array.from(xs);
  const y = Float64Array.from(ys);
  const h = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) h[i] = x[i + 1] - x[i];
  // Tridiagonal system for the second derivatives M_1..M_{n-2} (M_0 = M_{n-1} = 0).
  const m = new Float64Array(n);
  const sys = n - 2;
  const diag = new Float64Array(sys);
  const rhs = new Float64Array(sys);
  for (let i = 0; i < sys; i++) {
    diag[i] = 2 * (h[i] + h[i + 1]);
    rhs[i] = 6 * ((y[i + 2] - y[i + 1]) / h[i + 1] - (y[i + 1] - y[i]) / h[i]);
  }
  for (let i = 1; i < sys; i++) {
    const w = h[i] / diag[i - 1];
    diag[i] -= w * h[i];
    rhs[i] -= w * rhs[i - 1];
  }
  for (let i = sys - 1; i >= 0; i--) m[i + 1] = (rhs[i] - (i + 1 < sys ? h[i + 1] * m[i + 2] : 0)) / diag[i];
  const b = new Float64Array(n - 1);
  const c = new Float64Array(n - 1);
  const d = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    b[i] = (y[i + 1] - y[i]) / h[i] - (h[i] * (2 * m[i] + m[i + 1])) / 6;
    c[i] = m[i] / 2;
    d[i] = (m[i + 1] - m[i]) / (6 * h[i]);
  }
  return new PiecewiseCubic(x, y, b, c, d);
}

/** Segment slopes with the two-point extensions both GSL and scipy use at each end. */
function extendedSlopes(x: Float64Array, y: Float64Array): (i: number) => number {
  const n = x.length;
  const m = new Float64Array(n + 3);
  for (let i = 0; i < n - 1; i++) m[i + 2] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
  m[1] = 2 * m[2] - m[3];
  m[0] = 3 * m[2] - 2 * m[3];
  m[n + 1] = 2 * m[n] - m[n - 1];
  m[n + 2] = 3 * m[n] - 2 * m[n - 1];
  return (i: number) => m[i + 2];
}

/** GSL's non-periodic Akima spline (gsl_interp_akima). */
export function akimaGsl(xs: ArrayLike<number>, ys: ArrayLike<number>): PiecewiseCubic {
  checkNodes(xs, ys, 5, 'Akima spline');
  const n = xs.length;
  const x = Float64Array.from(xs);
  const y = Float64Array.from(ys);
  const m = extendedSlopes(x, y);
  const b = new Float64Array(n - 1);
  const c = new Float64Array(n - 1);
  const d = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    const ne = Math.abs(m(i + 1) - m(i)) + Math.abs(m(i - 1) - m(i - 2));
    if (ne === 0) {
      b[i] = m(i);
      continue;
    }
    const h = x[i + 1] - x[i];
    const neNext = Math.abs(m(i + 2) - m(i + 1)) + Math.abs(m(i) - m(i - 1));
    const alpha = Math.abs(m(i - 1) - m(i - 2)) / ne;
    let tNext: number;
    if (neNext === 0) tNext = m(i);
    else {
      const alphaNext = Math.abs(m(i) - m(i - 1)) / neNext;
      tNext = (1 - alphaNext) * m(i) + alphaNext * m(i + 1);
    }
    b[i] = (1 - alpha) * m(i - 1) + alpha * m(i);
    c[i] = (3 * m(i) - 2 * b[i] - tNext) / h;
    d[i] = (b[i] + tNext - 2 * m(i)) / (h * h);
  }
  return new PiecewiseCubic(x, y, b, c, d);
}

/** scipy.interpolate.Akima1DInterpolator (method "akima"): Hermite cubic with Akima node slopes. */
export function akimaScipy(xs: ArrayLike<number>, ys: ArrayLike<number>): PiecewiseCubic {
  checkNodes(xs, ys, 2, 'Akima interpolator');
  const n = xs.length;
  const x = Float64Array.from(xs);
  const y = Float64Array.from(ys);
  const h = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) h[i] = x[i + 1] - x[i];
  const t = new Float64Array(n);
  if (n === 2) {
    t.fill((y[1] - y[0]) / h[0]);
  } else {
    const m = extendedSlopes(x, y);
    const w1 = new Float64Array(n);
    const w2 = new Float64Array(n);
    let maxSum = -Infinity;
    for (let i = 0; i < n; i++) {
      w1[i] = Math.abs(m(i + 1) - m(i));
      w2[i] = Math.abs(m(i - 1) - m(i - 2));
      maxSum = Math.max(maxSum, w1[i] + w2[i]);
    }
    for (let i = 0; i < n; i++) {
      const sum = w1[i] + w2[i];
      // Where the weights vanish (relative to the largest) the slope is undefined; scipy fills
      // it with the mean of the outer slopes.
      t[i] = sum > 1e-9 * maxSum ? (w1[i] * m(i - 1) + w2[i] * m(i)) / sum : 0.5 * (m(i + 1) + m(i - 2));
    }
  }
  const b = new Float64Array(n - 1);
  const c = new Float64Array(n - 1);
  const d = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    const s = (y[i + 1] - y[i]) / h[i];
    b[i] = t[i];
    c[i] = (3 * s - 2 * t[i] - t[i + 1]) / h[i];
    d[i] = (t[i] + t[i + 1] - 2 * s) / (h[i] * h[i]);
  }
  return new PiecewiseCubic(x, y, b, c, d);
}

export function makeInterpolate(style: InterpStyle, x: ArrayLike<number>, y: ArrayLike<number>): PiecewiseCubic {
  return style === 'AKIMA_SPLINE' ? akimaGsl(x, y) : naturalSpline(x, y);
}
