// Linearity correction (ip_isr Linearizer, isr.md §1.8): per amplifier, on its trimmed region, image
// plane only, in ADU: corrected = uncorrected + f(uncorrected) for the types LookupTable,
// Polynomial, Squared, Spline (scipy Akima) and DoubleSpline; Proportional and None do nothing.

import type { Detector } from '../camera/geometry.js';
import type { MaskedImage } from '../image/index.js';
import { akimaScipy } from './math/interpolate.js';

export const LINEARITY_TYPES = ['None', 'Proportional', 'LookupTable', 'Polynomial', 'Squared', 'Spline', 'DoubleSpline'] as const;
export type LinearityType = (typeof LINEARITY_TYPES)[number];

export interface AmpLinearity {
  type: LinearityType;
  /** LookupTable: [rowIndex, columnOffset]; Polynomial: c0, c1… for v², v³…; Squared: [c0];
   *  Spline: [centers…, values…]; DoubleSpline: [n1, n2, centers1…, values1…, centers2…, values2…]. */
  coeffs: number[];
}

export interface LinearityResult {
  /** Amplifiers corrected. */
  nLinearized: number;
  /** LookupTable pixels whose index fell outside the table (clamped). */
  nOutOfRange: number;
}

function trunc32(v: number): number {
  // C++ (int) conversion of a float: truncation toward zero (saturating here instead of UB).
  return v >= 2147483647 ? 2147483647 : v <= -2147483648 ? -2147483648 : Math.trunc(v);
}

export class Linearizer {
  readonly amps: ReadonlyMap<string, AmpLinearity>;
  /** Rows of the lookup table (LookupTable type). */
  readonly table: readonly Float32Array[];

  constructor(amps: Record<string, AmpLinearity>, table: readonly ArrayLike<number>[] = []) {
    const m = new Map<string, AmpLinearity>();
    for (const [name, a] of Object.entries(amps)) {
      if (!LINEARITY_TYPES.includes(a.type)) throw new Error(`linearizer: amplifier ${name} has unknown linearity type '${a.type}' (known: ${LINEARITY_TYPES.join(', ')})`);
      if (!a.coeffs.every((c) => typeof c === 'number')) throw new Error(`linearizer: amplifier ${name} has non-numeric coefficients`);
      m.set(name, a);
    }
    this.amps = m;
    this.table = table.map((row) => Float32Array.from(row));
  }

  /** Applies every amplifier's correction to the assembled image; amplifiers it does not know are an error. */
  applyLinearity(mi: MaskedImage, detector: Detector): LinearityResult {
    let nLinearized = 0;
    let nOutOfRange = 0;
    for (const amp of detector.amplifiers) {
      const lin = this.amps.get(amp.name);
      if (!lin) throw new Error(`linearizer has no entry for amplifier ${amp.name} of detector ${detector.name}`);
      const view = mi.image.subImage(amp.bbox);
      const apply = (fn: (v: number) => number): void => {
        for (let y = 0; y < view.height; y++) {
          const r = view.row(y);
          for (let x = 0; x < r.length; x++) r[x] = fn(r[x]);
        }
      };
      switch (lin.type) {
        case 'None':
        case 'Proportional':
          continue;
        case 'LookupTable': {
          const [rowInd, colOffset] = lin.coeffs;
          const row = this.table[trunc32(rowInd)];
          if (!row) throw new Error(`linearizer: amplifier ${amp.name} uses table row ${rowInd}, but the table has ${this.table.length} rows`);
          const last = row.length - 1;
          apply((v) => {
            let col = trunc32(colOffset + v);
            if (col < 0 || col > last) {
              nOutOfRange++;
              col = col < 0 ? 0 : last;
            }
            return v + row[col];
          });
          break;
        }
        case 'Polynomial': {
          const c = lin.coeffs;
          if (c.every((x) => x === 0 || !Number.isFinite(x))) continue;
          apply((v) => {
            let s = 0;
            let p = v * v;
            for (let i = 0; i < c.length; i++, p *= v) s += c[i] * p;
            return v + s;
          });
          break;
        }
        case 'Squared': {
          const c0 = lin.coeffs[0] ?? 0;
          if (c0 === 0) continue;
          apply((v) => v + c0 * v * v);
          break;
        }
        case 'Spline':
          applySpline(apply, lin.coeffs, 0.1);
          break;
        case 'DoubleSpline': {
          const [n1, n2] = lin.coeffs;
          const first = lin.coeffs.slice(2, 2 + 2 * n1);
          const second = lin.coeffs.slice(2 + 2 * n1, 2 + 2 * n1 + 2 * n2);
          applySpline(apply, first, 0.01);
          applySpline(apply, second, 0.01);
          break;
        }
      }
      nLinearized++;
    }
    return { nLinearized, nOutOfRange };
  }
}

/** v -= Akima(centers, values)(clip(v, c0, c_last − margin)); values offset so the first is 0; a (0,0) node is prepended if missing. */
function applySpline(apply: (fn: (v: number) => number) => void, coeffs: readonly number[], margin: number): void {
  if (coeffs.length % 2 !== 0 || coeffs.length < 4) throw new Error(`Spline linearity needs [centers…, values…] of equal length ≥ 2, got ${coeffs.length} numbers`);
  const half = coeffs.length / 2;
  let centers = coeffs.slice(0, half);
  let values = coeffs.slice(half);
  if (![...centers, ...values].every(Number.isFinite)) {
    apply(() => NaN);
    return;
  }
  if (values[0] !== 0) values = values.map((v) => v - values[0]);
  if (centers[0] !== 0) {
    centers = [0, ...centers];
    values = [0, ...values];
  }
  const interp = akimaScipy(centers, values);
  const lo = centers[0];
  const hi = centers[centers.length - 1] - margin;
  apply((v) => v - interp.eval(Math.min(Math.max(v, lo), hi)));
}
