// What the viewer needs to know from FITS headers, besides pixels: each HDU's role in an LSST Exposure
// (IMAGE/MASK/VARIANCE), the parent-frame origin xy0, the header as JSON cards, the amplifier sections of raws,
// and whether there is a celestial WCS (the renderer evaluates it from the header under the cursor).
import type { Header } from '../../core/fits/header.js';
import type { HduInfo } from '../../core/fits/fits-file.js';
import type { FitsValue } from '../../core/fits/card.js';
import type { HduRole, HduSummary } from '../../core/api/sections/viewer.js';
import { hasWcs } from '../../core/wcs/headerWcs.js';
import { SkyWcs } from '../../core/wcs/skyWcs.js';
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

/** Whether the header has a celestial WCS core/wcs can evaluate, or why not (for the readout). */
export function wcsStatus(h: Header): { celestial: boolean; note: string | null } {
  if (!hasWcs(h)) return { celestial: false, note: 'no celestial WCS in this header' };
  try {
    const wcs = SkyWcs.fromHeader(h);
    return wcs.isCelestial ? { celestial: true, note: null } : { celestial: false, note: 'the WCS is not celestial (linear axes)' };
  } catch (err) {
    return { celestial: false, note: (err as Error).message };
  }
}
