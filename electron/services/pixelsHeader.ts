// What the viewer needs to know from FITS headers, besides pixels: each HDU's role in an LSST Exposure
// (IMAGE/MASK/VARIANCE), the parent-frame origin xy0, the header as JSON cards, the amplifier sections of raws,
// and the celestial WCS (TAN / TAN-SIP) parameters the renderer evaluates under the cursor.
import type { Header } from '../../core/fits/header.js';
import type { HduInfo } from '../../core/fits/fits-file.js';
import type { FitsValue } from '../../core/fits/card.js';
import type { HduRole, HduSummary, WcsParams } from '../../core/api/sections/viewer.js';
import type { HeaderRecord, HeaderValue } from '../../core/display/maskPlanes.js';

export function hduRole(h: HduInfo): HduRole {
  if (h.kind === 'bintable' || h.kind === 'table') return 'table';
  if (h.kind !== 'image' && h.kind !== 'compressed-image') return 'empty';
  const pixels = h.axes.length >= 2 && h.axes[0] > 0 && h.axes[1] > 0;
  if (!pixels) return 'empty';
  const name = h.name.toUpperCase();
  if (name === 'MASK') return 'mask';
  if (name === 'VARIANCE') return 'variance';
  return 'image';
}

export function hduSummary(h: HduInfo): HduSummary {
  const role = hduRole(h);
  const image = role === 'image' || role === 'mask' || role === 'variance';
  return {
    index: h.index,
    name: h.name,
    role,
    width: image ? h.axes[0] : 0,
    height: image ? h.axes[1] : 0,
    bitpix: h.bitpix,
    compression: h.compression ?? null,
  };
}

/** A header value as JSON: bigints beyond 2^53 and complex values become text so nothing is silently rounded. */
export function jsonValue(v: FitsValue): HeaderValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return `(${v.re}, ${v.im})`;
}

export function headerCards(header: Header): Array<{ keyword: string; value: HeaderValue; comment: string }> {
  return header.cards.map((c) => ({ keyword: c.keyword, value: jsonValue(c.value), comment: c.comment }));
}

/** keyword → value for the first card of each keyword (commentary cards skipped). */
export function headerRecord(header: Header): HeaderRecord {
  const out: Record<string, HeaderValue> = {};
  for (const c of header.cards) {
    if (c.kind === 'commentary' || c.keyword === '' || c.keyword in out) continue;
    out[c.keyword] = jsonValue(c.value);
  }
  return out;
}

/** afw writes xy0 as the alternate "A" WCS (CTYPE1A = LINEAR, CRPIX = 1, CRVAL = xy0) and as LTV = −xy0 for ds9. */
export function xy0FromHeader(h: Header): { x: number; y: number } {
  const ctype = h.getString('CTYPE1A');
  const cx = h.getNumber('CRVAL1A');
  const cy = h.getNumber('CRVAL2A');
  if (ctype !== undefined && ctype.trim().toUpperCase() === 'LINEAR' && cx !== undefined && cy !== undefined) {
    const px = h.getNumber('CRPIX1A') ?? 1;
    const py = h.getNumber('CRPIX2A') ?? 1;
    return { x: Math.round(cx - (px - 1)), y: Math.round(cy - (py - 1)) };
  }
  const ltv1 = h.getNumber('LTV1');
  const ltv2 = h.getNumber('LTV2');
  if (ltv1 !== undefined || ltv2 !== undefined) return { x: Math.round(-(ltv1 ?? 0)) || 0, y: Math.round(-(ltv2 ?? 0)) || 0 };
  return { x: 0, y: 0 };
}

/** The TAN / TAN-SIP celestial WCS of a header, or a note saying why there is none usable. */
export function wcsFromHeader(h: Header): { wcs: WcsParams | null; note: string | null } {
  const c1 = h.getString('CTYPE1');
  const c2 = h.getString('CTYPE2');
  if (c1 === undefined || c2 === undefined) return { wcs: null, note: 'no celestial WCS in this header' };
  const t1 = c1.trim().toUpperCase();
  const t2 = c2.trim().toUpperCase();
  const celestial = /^(RA--|DEC-)/.test(t1) && /^(RA--|DEC-)/.test(t2);
  if (!celestial) return { wcs: null, note: `CTYPE1/2 = ${c1}/${c2} is not a celestial RA/Dec WCS` };
  const proj1 = t1.slice(5);
  if (proj1 !== 'TAN' && proj1 !== 'TAN-SIP') return { wcs: null, note: `projection ${proj1 || '(none)'} is not supported (TAN and TAN-SIP are)` };
  if (t1.startsWith('DEC')) return { wcs: null, note: 'swapped axes (CTYPE1 = DEC) are not supported' };
  const num = (k: string, fallback?: number): number => {
    const v = h.getNumber(k);
    if (v === undefined) {
      if (fallback === undefined) throw new Error(`WCS keyword ${k} is missing`);
      return fallback;
    }
    return v;
  };
  try {
    let cd: WcsParams['cd'];
    if (h.has('CD1_1') || h.has('CD2_2') || h.has('CD1_2') || h.has('CD2_1')) {
      cd = [[num('CD1_1', 0), num('CD1_2', 0)], [num('CD2_1', 0), num('CD2_2', 0)]];
    } else {
      const d1 = num('CDELT1');
      const d2 = num('CDELT2');
      cd = [[num('PC1_1', 1) * d1, num('PC1_2', 0) * d1], [num('PC2_1', 0) * d2, num('PC2_2', 1) * d2]];
    }
    const sip = (prefix: 'A' | 'B'): Array<[number, number, number]> => {
      if (proj1 !== 'TAN-SIP') return [];
      const order = num(`${prefix}_ORDER`);
      const out: Array<[number, number, number]> = [];
      for (let p = 0; p <= order; p++) for (let q = 0; q + p <= order; q++) {
        const v = h.getNumber(`${prefix}_${p}_${q}`);
        if (v !== undefined && v !== 0) out.push([p, q, v]);
      }
      return out;
    };
    return {
      wcs: { ctype: [c1.trim(), c2.trim()], crpix: [num('CRPIX1'), num('CRPIX2')], crval: [num('CRVAL1'), num('CRVAL2')], cd, sipA: sip('A'), sipB: sip('B') },
      note: null,
    };
  } catch (err) {
    return { wcs: null, note: (err as Error).message };
  }
}
