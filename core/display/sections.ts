// Amplifier geometry of raw CCDs from FITS section keywords ("[x1:x2,y1:y2]", 1-based inclusive), used to keep
// overscan/prescan out of the display statistics and to draw amplifier boundaries. Handles the per-amplifier
// keywords of spliced multi-amp raws (AMPLIST + DSEC<amp>/BSEC<amp>/ASEC<amp>, e.g. CFHT MegaCam) and the
// single DATASEC (or TRIMSEC) / BIASSEC pair of one-amp extensions.

import type { PixelRect } from './selection.js';
import type { HeaderRecord } from './maskPlanes.js';

/** Parses "[x1:x2,y1:y2]" into a 0-based inclusive rectangle; a reversed range (DETSEC can run backwards) is normalised. */
export function parseSection(text: string, keyword = 'section'): PixelRect | null {
  const m = /^\s*\[\s*(\d+)\s*:\s*(\d+)\s*,\s*(\d+)\s*:\s*(\d+)\s*\]\s*$/.exec(text);
  if (!m) throw new Error(`${keyword} = '${text}' is not a FITS section "[x1:x2,y1:y2]"`);
  const [x1, x2, y1, y2] = m.slice(1, 5).map(Number);
  // "[0:0,0:0]" is how MegaCam says "no such section".
  if (x1 === 0 || x2 === 0 || y1 === 0 || y2 === 0) return null;
  return { x0: Math.min(x1, x2) - 1, x1: Math.max(x1, x2) - 1, y0: Math.min(y1, y2) - 1, y1: Math.max(y1, y2) - 1 };
}

export interface AmpGeometry {
  name: string;
  /** Whole amplifier area in this extension, when known (ASEC). */
  amp: PixelRect | null;
  /** Light-sensitive pixels (DSEC/DATASEC). */
  data: PixelRect;
  /** Overscan/bias strip (BSEC/BIASSEC), when present. */
  bias: PixelRect | null;
}

function sectionOf(header: HeaderRecord, key: string): PixelRect | null {
  const v = header[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Error(`${key} = ${JSON.stringify(v)} is not a section string`);
  return parseSection(v, key);
}

/** Amplifiers described by the header, or [] when it has no section keywords (e.g. a processed calexp). */
export function ampGeometryFromHeader(header: HeaderRecord): AmpGeometry[] {
  const ampList = header['AMPLIST'];
  const names = typeof ampList === 'string' ? ampList.trim().split(/\s+/).filter(Boolean) : [];
  const amps: AmpGeometry[] = [];
  for (const name of names) {
    const data = sectionOf(header, `DSEC${name}`) ?? sectionOf(header, `TSEC${name}`);
    if (!data) continue;
    amps.push({ name, amp: sectionOf(header, `ASEC${name}`), data, bias: sectionOf(header, `BSEC${name}`) });
  }
  if (amps.length > 0) return amps;
  // DATASEC is what DS9 uses; IRAF-style raws (e.g. SAAO) give the useful area as TRIMSEC instead.
  const data = sectionOf(header, 'DATASEC') ?? sectionOf(header, 'TRIMSEC');
  if (!data) return [];
  const ampName = header['AMPNAME'];
  return [{ name: typeof ampName === 'string' ? ampName : 'amp', amp: null, data, bias: sectionOf(header, 'BIASSEC') }];
}

/** The data sections to compute statistics from, or null when the header does not describe any. */
export function dataSections(header: HeaderRecord): PixelRect[] | null {
  const amps = ampGeometryFromHeader(header);
  return amps.length > 0 ? amps.map((a) => a.data) : null;
}
