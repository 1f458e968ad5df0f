// The legacy 1-D defect interpolator (meas_algorithms interpolateOverDefects with
// useLegacyInterp=True): along rows only; each maximal run of bad pixels in a row is classified by
// where it sits (touching the left/right edge, one pixel from it, in the middle; WIDE when
// ≥ 11 px) and by which of the two pixels on each side are good, then filled with fixed linear
// combinations of up to two good pixels per side (legacyCoefficients.ts). Image and variance get
// the same treatment; INTRP is set on every pixel of every run.

import type { MaskedImage } from '../../image/index.js';
import { type Anchor, type Fallback, LEGACY_INTERP_TABLE, type LegacyOp, type PositionGroup } from './legacyCoefficients.js';

const WIDE_DEFECT = 11;
/** Runs touching an edge and longer than this are filled with the fallback value, except for this many pixels. */
const N_USE_INTERP = 6;
const FLT_MAX = 3.4028234663852886e38;
const f32 = Math.fround;

export type DefectPosition =
  | 'LEFT'
  | 'NEAR_LEFT'
  | 'WIDE_LEFT'
  | 'WIDE_NEAR_LEFT'
  | 'MIDDLE'
  | 'WIDE'
  | 'WIDE_NEAR_RIGHT'
  | 'NEAR_RIGHT'
  | 'WIDE_RIGHT'
  | 'RIGHT';

/** A run of bad pixels in one row, classified. */
export interface RowDefect {
  x0: number;
  x1: number;
  pos: DefectPosition;
  /** Bit pattern of good neighbours (and, for narrow runs, of the run length), as Interp.cc encodes it. */
  type: number;
}

/** Classifies the (sorted, non-touching) runs [x0, x1] of one row of width `ncol`. */
export function classifyRuns(runs: ReadonlyArray<readonly [number, number]>, ncol: number): RowDefect[] {
  const out: RowDefect[] = [];
  for (const [x0, x1] of runs) {
    const nbad = x1 - x0 + 1;
    const wide = nbad >= WIDE_DEFECT;
    let pos: DefectPosition;
    let type: number;
    if (x0 === 0) [pos, type] = wide ? ['WIDE_LEFT', 0o3] : ['LEFT', 0o3 << nbad];
    else if (x0 === 1) [pos, type] = wide ? ['WIDE_NEAR_LEFT', (0o1 << 2) | 0o3] : ['NEAR_LEFT', (0o1 << (nbad + 2)) | 0o3];
    else if (x1 === ncol - 2) [pos, type] = wide ? ['WIDE_NEAR_RIGHT', (0o3 << 2) | 0o2] : ['NEAR_RIGHT', (0o3 << (nbad + 2)) | 0o2];
    else if (x1 === ncol - 1) [pos, type] = wide ? ['WIDE_RIGHT', 0o3] : ['RIGHT', 0o3 << nbad];
    else [pos, type] = wide ? ['WIDE', (0o3 << 2) | 0o3] : ['MIDDLE', (0o3 << (nbad + 2)) | 0o3];
    out.push({ x0, x1, pos, type });
  }
  // A neighbouring run two pixels away makes the outer neighbour on that side unusable.
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    const nshift = d.pos === 'WIDE' || d.pos === 'WIDE_NEAR_LEFT' || d.pos === 'WIDE_NEAR_RIGHT' ? 0 : d.x1 - d.x0 + 1;
    if (i > 0 && out[i - 1].x1 === d.x0 - 2) d.type &= ~(0o2 << (nshift + 2));
    if (i + 1 < out.length && d.x1 === out[i + 1].x0 - 2) {
      if (d.pos === 'LEFT' || d.pos === 'NEAR_LEFT') d.type &= ~(0o2 << nshift);
      else d.type &= ~0o1;
    }
  }
  return out;
}

function groupOf(pos: DefectPosition): PositionGroup {
  switch (pos) {
    case 'MIDDLE':
    case 'NEAR_LEFT':
    case 'NEAR_RIGHT':
      return 'MIDDLE';
    case 'WIDE':
    case 'WIDE_NEAR_LEFT':
    case 'WIDE_NEAR_RIGHT':
      return 'WIDE';
    default:
      return pos;
  }
}

/**
 * Fills the runs of one row in place (image or variance row: same code), as Interp.cc's
 * do_defects with min = −FLT_MAX.
 */
export function interpolateRow(out: Float32Array, defects: readonly RowDefect[], fallbackValue: number, useFallbackValueAtEdge = true): void {
  const ncol = out.length;
  const min = -FLT_MAX;
  const fb = f32(fallbackValue);
  for (const defect of defects) {
    let badX0 = defect.x0;
    let badX1 = defect.x1;
    let pos = defect.pos;
    let type = defect.type;
    let nbad = badX1 - badX0 + 1;

    if (nbad > N_USE_INTERP && useFallbackValueAtEdge) {
      if (pos === 'LEFT' || pos === 'WIDE_LEFT') {
        if (badX1 === ncol - 1) {
          out.fill(fb);
          continue;
        }
        for (; badX0 <= badX1 - N_USE_INTERP; ++badX0) out[badX0] = fb;
        if (pos === 'LEFT') {
          type >>= nbad;
          if (type === 0o1) type = 0o2;
          else if (type !== 0o3) throw new Error(`legacy interpolation: impossible defect type 0${type.toString(8)} for a LEFT run`);
        }
        nbad = badX1 - badX0 + 1;
        type = (0o3 << (nbad + 2)) | type;
        pos = badX0 > 1 ? (badX1 < ncol - 2 ? 'MIDDLE' : 'NEAR_RIGHT') : 'NEAR_LEFT';
      } else if (pos === 'RIGHT' || pos === 'WIDE_RIGHT') {
        for (; badX1 >= badX0 + N_USE_INTERP; --badX1) out[badX1] = fb;
        nbad = badX1 - badX0 + 1;
        type = (0o3 << (nbad + 2)) | 0o3;
        pos = badX1 < ncol - 2 ? 'MIDDLE' : 'NEAR_RIGHT';
      }
    }

    // Neighbours: x[-2], x[-1] left of the run, x[+1], x[+2] right of it; −1 where unused.
    let o12 = -1;
    let o11 = -1;
    let o21 = -1;
    let o22 = -1;
    const fillRun = (v: number): void => {
      for (let j = badX0; j <= badX1; j++) out[j] = v;
    };
    switch (pos) {
      case 'LEFT':
        o21 = out[badX1 + 1];
        o22 = out[badX1 + 2];
        break;
      case 'WIDE_LEFT':
        if (badX1 + 2 >= ncol) {
          fillRun(badX1 === ncol - 2 ? out[ncol - 1] : fb);
          continue;
        }
        o21 = out[badX1 + 1];
        o22 = out[badX1 + 2];
        break;
      case 'RIGHT':
        o12 = out[badX0 - 2];
        o11 = out[badX0 - 1];
        break;
      case 'WIDE_RIGHT':
        if (badX0 < 2) {
          fillRun(badX0 === 1 ? out[0] : fb);
          continue;
        }
        o12 = out[badX0 - 2];
        o11 = out[badX0 - 1];
        break;
      case 'MIDDLE':
      case 'NEAR_LEFT':
      case 'NEAR_RIGHT':
        if (pos !== 'NEAR_LEFT') o12 = out[badX0 - 2];
        if (pos !== 'NEAR_RIGHT') o22 = out[badX1 + 2];
        o11 = out[badX0 - 1];
        o21 = out[badX1 + 1];
        break;
      case 'WIDE':
      case 'WIDE_NEAR_LEFT':
      case 'WIDE_NEAR_RIGHT':
        if (pos === 'WIDE_NEAR_LEFT' && badX1 + 2 >= ncol) {
          fillRun(badX1 === ncol - 2 ? out[ncol - 1] : fb);
          continue;
        }
        if (pos === 'WIDE_NEAR_RIGHT' && badX0 < 2) {
          fillRun(badX0 === 1 ? out[0] : fb);
          continue;
        }
        if (pos !== 'WIDE_NEAR_LEFT') o12 = out[badX0 - 2];
        if (pos !== 'WIDE_NEAR_RIGHT') o22 = out[badX1 + 2];
        o11 = out[badX0 - 1];
        o21 = out[badX1 + 1];
        break;
    }
    const program = LEGACY_INTERP_TABLE[groupOf(pos)].get(type);
    // Patterns the original has no case for are left untouched there too (INTRP is still set).
    if (program) runProgram(out, program, badX0, badX1, o12, o11, o21, o22, min);
  }
}

function runProgram(out: Float32Array, program: readonly LegacyOp[], badX0: number, badX1: number, o12: number, o11: number, o21: number, o22: number, min: number): void {
  const at = (a: Anchor): number => (a[0] === 0 ? badX0 : badX1) + a[1];
  const fallback = (which: Fallback): number => (which === 'o11' ? o11 : which === 'o21' ? o21 : f32(0.5 * f32(o11 + o21)));
  let val = 0;
  for (const op of program) {
    switch (op.k) {
      case 'val': {
        // Terms in source order, zero coefficients skipped (0 × a NaN neighbour must not leak).
        const [c12, c11, c21, c22] = op.c;
        let s = 0;
        let first = true;
        const addTerm = (c: number, x: number): void => {
          if (c === 0) return;
          s = first ? c * x : s + c * x;
          first = false;
        };
        addTerm(c12, o12);
        addTerm(c11, o11);
        addTerm(c21, o21);
        addTerm(c22, o22);
        val = f32(s);
        break;
      }
      case 'guard':
        if (!(val >= min)) val = fallback(op.fb);
        break;
      case 'store':
        if (op.fb === null) out[at(op.at)] = val;
        else if (op.fb === 'clip0') out[at(op.at)] = val < 0 ? 0 : val;
        else out[at(op.at)] = !(val >= min) ? fallback(op.fb) : val;
        break;
      case 'fill': {
        const end = at(op.to);
        for (let j = at(op.from); op.incl ? j <= end : j < end; j++) out[j] = val;
        break;
      }
    }
  }
}

/** Maximal runs of pixels with any of `bits` set in one mask row. */
export function maskedRuns(maskRow: Int32Array, bits: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const n = maskRow.length;
  for (let x = 0; x < n; x++) {
    if ((maskRow[x] & bits) === 0) continue;
    const start = x;
    while (x + 1 < n && (maskRow[x + 1] & bits) !== 0) x++;
    runs.push([start, x]);
  }
  return runs;
}

/**
 * Interpolates over every pixel with any of `bits` in the mask (rows only), image and variance,
 * setting INTRP. Returns the number of pixels interpolated.
 */
export function interpolateOverMask(mi: MaskedImage, bits: number, fallbackValue: number, useFallbackValueAtEdge = true): number {
  const intrp = mi.mask.addMaskPlane('INTRP');
  const intrpBit = 1 << intrp;
  let count = 0;
  for (let y = 0; y < mi.height; y++) {
    const maskRow = mi.mask.row(y);
    const runs = maskedRuns(maskRow, bits);
    if (runs.length === 0) continue;
    const defects = classifyRuns(runs, mi.width);
    interpolateRow(mi.image.row(y), defects, fallbackValue, useFallbackValueAtEdge);
    interpolateRow(mi.variance.row(y), defects, fallbackValue, useFallbackValueAtEdge);
    for (const [x0, x1] of runs) {
      for (let x = x0; x <= x1; x++) maskRow[x] |= intrpBit;
      count += x1 - x0 + 1;
    }
  }
  return count;
}
