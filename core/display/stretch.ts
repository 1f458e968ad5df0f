// Stretches map a value already normalised by the limits (x in [0, 1]) to a colormap position, with astropy's
// formulas (astropy.visualization.*Stretch). The same formulas run in the viewer's fragment shader; this module
// is the reference used by the CPU renderer, the CLI and the tests.

export type StretchName = 'linear' | 'log' | 'sqrt' | 'asinh' | 'power' | 'squared' | 'sinh' | 'histeq';

export const STRETCH_NAMES: readonly StretchName[] = ['linear', 'log', 'sqrt', 'asinh', 'power', 'squared', 'sinh', 'histeq'];

export interface StretchSpec {
  name: StretchName;
  /** The stretch parameter `a` (astropy names): log a=1000, asinh a=0.1, power a=2 (exponent), sinh a=1/3. */
  a?: number;
}

export const DEFAULT_STRETCH_PARAMETER: Record<StretchName, number | undefined> = {
  linear: undefined,
  log: 1000,
  sqrt: undefined,
  asinh: 0.1,
  power: 2,
  squared: undefined,
  sinh: 1 / 3,
  histeq: undefined,
};

export function stretchParameter(spec: StretchSpec): number {
  const a = spec.a ?? DEFAULT_STRETCH_PARAMETER[spec.name] ?? 0;
  if (spec.name !== 'linear' && spec.name !== 'sqrt' && spec.name !== 'squared' && spec.name !== 'histeq') {
    if (!(Number.isFinite(a) && a > 0)) throw new Error(`${spec.name} stretch parameter a must be a positive number, got ${a}`);
  }
  return a;
}

/** Normalises `value` by the limits and clips to [0, 1], like astropy's ImageNormalize(clip=True). */
export function normalize(value: number, min: number, max: number): number {
  const x = (value - min) / (max - min);
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * Applies a formula stretch to x in [0, 1] (clipped first, as astropy does).
 * histeq depends on the data: build it with `histEqFunction` and use its `apply`.
 */
export function applyStretch(x: number, spec: StretchSpec): number {
  const v = x < 0 ? 0 : x > 1 ? 1 : x;
  const a = stretchParameter(spec);
  switch (spec.name) {
    case 'linear': return v;
    case 'sqrt': return Math.sqrt(v);
    case 'squared': return v * v;
    case 'power': return Math.pow(v, a);
    case 'log': return Math.log(v * a + 1.0) / Math.log(a + 1.0);
    case 'asinh': return Math.asinh(v / a) / Math.asinh(1.0 / a);
    case 'sinh': return Math.sinh(v / a) / Math.sinh(1.0 / a);
    case 'histeq': throw new Error('histeq depends on the image: use histEqFunction(values).apply');
  }
}

/** astropy HistEqStretch(data): the empirical CDF of the finite data (normalised to [0, 1]), evaluated by np.interp. */
export interface HistEq {
  apply(x: number): number;
  /** The CDF sampled at `size` evenly spaced x in [0, 1] (for the GPU, which interpolates linearly between them). */
  table(size: number): Float32Array;
}

export function histEqFunction(data: ArrayLike<number>): HistEq {
  const finite: number[] = [];
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i])) finite.push(data[i]);
  if (finite.length < 2) throw new Error('histogram equalisation needs at least two finite values');
  const xp = Float64Array.from(finite).sort();
  const lo = xp[0];
  const hi = xp[xp.length - 1];
  if (lo === hi) throw new Error('histogram equalisation of a constant image is undefined');
  for (let i = 0; i < xp.length; i++) xp[i] = (xp[i] - lo) / (hi - lo);
  const n = xp.length;
  const fp = (i: number): number => i / (n - 1); // np.linspace(0, 1, n)
  const apply = (value: number): number => interp(value < 0 ? 0 : value > 1 ? 1 : value, xp, fp);
  return {
    apply,
    table(size) {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = apply(i / (size - 1));
      return out;
    },
  };
}

/** numpy.interp for increasing (possibly repeated) xp, with fp given as a function of the index. */
function interp(x: number, xp: Float64Array, fp: (i: number) => number): number {
  const n = xp.length;
  if (x < xp[0]) return fp(0);
  if (x >= xp[n - 1]) return fp(n - 1);
  // Largest j with xp[j] <= x (so xp[j] <= x < xp[j + 1]).
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid] <= x) lo = mid; else hi = mid;
  }
  const slope = (fp(lo + 1) - fp(lo)) / (xp[lo + 1] - xp[lo]);
  return slope * (x - xp[lo]) + fp(lo);
}
