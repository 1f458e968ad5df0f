// Intra-detector crosstalk correction (ip_isr CrosstalkCalib.subtractCrosstalk, isr.md §1.9): for
// every target amplifier T, subtract Σ_S coeff[S][T] · (image_S − bkg_S) (+ coeffSqr · (…)²), the
// source read out as if from the target's corner; source pixels above a threshold flag the
// CROSSTALK mask plane on the pixels they contaminate.

import type { Amplifier, Detector, ReadoutCorner } from '../camera/geometry.js';
import type { MaskedImage } from '../image/index.js';
import { defineConfig, f } from '../pipe/config/index.js';
import { goodValues, medianInPlace } from './stats.js';

export const CrosstalkConfig = defineConfig('CrosstalkConfig', 'Crosstalk correction.', {
  minPixelToMask: f.float({ doc: 'Source pixels at or above this level (ADU, above background) flag CROSSTALK on the pixels they affect.', default: 45000 }),
  crosstalkMaskPlane: f.string({ doc: 'Mask plane for pixels affected by bright crosstalk sources.', default: 'CROSSTALK' }),
  crosstalkBackgroundMethod: f.choice({
    doc: 'Background subtracted from each source before scaling.',
    default: 'None',
    allowed: { None: 'No background subtraction.', AMP: 'Median of each source amplifier.', DETECTOR: 'Median of the whole detector.' },
  }),
  useConfigCoefficients: f.bool({ doc: 'Use crosstalkValues from this config instead of a crosstalk calibration.', default: false }),
  crosstalkValues: f.list({ doc: 'Coefficients [source][target] flattened row-major (with useConfigCoefficients).', item: 'float', default: [0.0] }),
  crosstalkShape: f.list({ doc: 'Shape [nSource, nTarget] of crosstalkValues.', item: 'int', default: [1] }),
  doQuadraticCrosstalkCorrection: f.bool({ doc: 'Also subtract the quadratic terms (coeffsSqr).', default: false }),
});
export type CrosstalkFields = typeof CrosstalkConfig.fields;

export interface CrosstalkCalib {
  /** coeffs[source][target], in the detector's amplifier order. */
  coeffs: number[][];
  coeffsSqr?: number[][];
}

/** The calibration from config values (useConfigCoefficients). */
export function crosstalkFromConfig(values: readonly number[], shape: readonly number[], nAmp: number): CrosstalkCalib {
  const [ns, nt] = shape.length === 2 ? shape : [Math.sqrt(values.length), Math.sqrt(values.length)];
  if (ns !== nAmp || nt !== nAmp || values.length !== ns * nt) {
    throw new Error(`crosstalk.crosstalkValues: ${values.length} values with shape [${shape.join(', ')}] do not make a ${nAmp}×${nAmp} matrix for this detector`);
  }
  const coeffs: number[][] = [];
  for (let s = 0; s < ns; s++) coeffs.push(values.slice(s * nt, (s + 1) * nt));
  return { coeffs };
}

const right = (c: ReadoutCorner): boolean => c === 'LR' || c === 'UR';
const upper = (c: ReadoutCorner): boolean => c === 'UL' || c === 'UR';

/** Subtracts crosstalk in place on an assembled image; returns the number of CROSSTALK-flagged pixels. */
export function subtractCrosstalk(
  mi: MaskedImage,
  detector: Detector,
  calib: CrosstalkCalib,
  options: { minPixelToMask: number; maskPlane: string; backgroundMethod: 'None' | 'AMP' | 'DETECTOR'; doQuadratic: boolean },
): number {
  const amps = detector.amplifiers;
  const n = amps.length;
  if (calib.coeffs.length !== n || calib.coeffs.some((r) => r.length !== n)) {
    throw new Error(`crosstalk coefficients are ${calib.coeffs.length}×${calib.coeffs[0]?.length ?? 0} but detector ${detector.name} has ${n} amplifiers`);
  }
  const original = mi.image.clone();
  const bkg = amps.map((a) => background(original, a, options.backgroundMethod));
  const xtBit = 1 << mi.mask.addMaskPlane(options.maskPlane, 'Pixel affected by crosstalk from a bright source.');
  let flagged = 0;
  for (let t = 0; t < n; t++) {
    const T = amps[t];
    const { width, height } = T.bbox;
    const sub = new Float64Array(width * height);
    const flag = new Uint8Array(width * height);
    for (let s = 0; s < n; s++) {
      const S = amps[s];
      const c = calib.coeffs[s][t];
      const c2 = options.doQuadratic ? (calib.coeffsSqr?.[s]?.[t] ?? 0) : 0;
      if ((c === 0 || !Number.isFinite(c)) && (c2 === 0 || !Number.isFinite(c2))) continue;
      if (s === t) continue;
      if (S.bbox.width !== width || S.bbox.height !== height) throw new Error(`crosstalk: amplifiers ${S.name} and ${T.name} differ in size`);
      const flipX = right(S.readoutCorner) !== right(T.readoutCorner);
      const flipY = upper(S.readoutCorner) !== upper(T.readoutCorner);
      const src = original.subImage(S.bbox);
      for (let y = 0; y < height; y++) {
        const row = src.row(flipY ? height - 1 - y : y);
        for (let x = 0; x < width; x++) {
          const v = row[flipX ? width - 1 - x : x] - bkg[s];
          if (v >= options.minPixelToMask) flag[y * width + x] = 1;
          sub[y * width + x] += (Number.isFinite(c) ? c * v : 0) + (Number.isFinite(c2) ? c2 * v * v : 0);
        }
      }
    }
    const tgt = mi.subImage(T.bbox);
    for (let y = 0; y < height; y++) {
      const ir = tgt.image.row(y);
      const mr = tgt.mask.row(y);
      for (let x = 0; x < width; x++) {
        ir[x] = ir[x] - Math.fround(sub[y * width + x]);
        if (flag[y * width + x]) {
          mr[x] |= xtBit;
          flagged++;
        }
      }
    }
  }
  return flagged;
}

function background(img: MaskedImage['image'], amp: Amplifier, method: 'None' | 'AMP' | 'DETECTOR'): number {
  if (method === 'None') return 0;
  const view = method === 'AMP' ? img.subImage(amp.bbox) : img;
  return medianInPlace(goodValues(view.array, view.width, view.height, { offset: view.offset, stride: view.stride }));
}
