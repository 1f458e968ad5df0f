// TFORMn parsing for binary (and ASCII) tables, and the column descriptions both readers and the
// writer share.
import { FitsError, type FitsErrorLocation } from './errors.js';
import type { Bitpix } from './layout.js';

/** Binary table element codes (FITS 4.0 Table 18). */
export type BinaryCode = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M';

export interface BinaryFormat {
  repeat: number;
  code: BinaryCode;
  /** For variable-length arrays: 'P' (32-bit descriptors) or 'Q' (64-bit). */
  varlen?: 'P' | 'Q';
  /** Maximum length given in P/Q formats, e.g. 1PB(100). */
  maxLength?: number;
  /** Bytes the field takes in a row. */
  width: number;
}

export const ELEMENT_SIZE: Record<BinaryCode, number> = { L: 1, X: 1, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16 };
export const CODE_BITPIX: Partial<Record<BinaryCode, Bitpix>> = { B: 8, I: 16, J: 32, K: 64, E: -32, D: -64 };

const BINARY_RE = /^\s*(\d*)\s*([LXBIJKAEDCMPQ])\s*([LXBIJKAEDCM])?\s*(?:\((\d+)\))?/i;

export function parseBinaryFormat(tform: string, where: FitsErrorLocation = {}): BinaryFormat {
  const m = BINARY_RE.exec(tform);
  if (!m) throw new FitsError(`bad TFORM '${tform}'`, where);
  const repeat = m[1] === '' ? 1 : Number(m[1]);
  const letter = m[2].toUpperCase();
  if (letter === 'P' || letter === 'Q') {
    if (!m[3]) throw new FitsError(`bad variable-length TFORM '${tform}': missing element type`, where);
    const width = repeat === 0 ? 0 : letter === 'P' ? 8 : 16;
    return { repeat, code: m[3].toUpperCase() as BinaryCode, varlen: letter, maxLength: m[4] ? Number(m[4]) : undefined, width };
  }
  const code = letter as BinaryCode;
  const width = code === 'X' ? Math.ceil(repeat / 8) : repeat * ELEMENT_SIZE[code];
  return { repeat, code, width };
}

export interface AsciiFormat {
  code: 'A' | 'I' | 'F' | 'E' | 'D';
  width: number;
  decimals: number;
}

export function parseAsciiFormat(tform: string, where: FitsErrorLocation = {}): AsciiFormat {
  const m = /^\s*([AIFED])\s*(\d+)(?:\.(\d+))?/i.exec(tform);
  if (!m) throw new FitsError(`bad ASCII table TFORM '${tform}'`, where);
  return { code: m[1].toUpperCase() as AsciiFormat['code'], width: Number(m[2]), decimals: m[3] ? Number(m[3]) : 0 };
}
