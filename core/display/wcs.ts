// The renderer reaches core only through core/api and core/display; core/wcs is pure, so the viewer's cursor
// readout evaluates the very same TAN/TAN-SIP code through this re-export instead of a copy.
export { SkyWcs, type SkyPoint } from '../wcs/skyWcs.js';
export { hasWcs, readWcsParams, type WcsHeaderSource, type WcsParams } from '../wcs/headerWcs.js';

import { SkyWcs } from '../wcs/skyWcs.js';
import type { HeaderValue } from './maskPlanes.js';

/**
 * The celestial WCS of a header delivered as JSON cards, taking parent-frame pixel coordinates (xy0-aware),
 * or null with the reason when there is none usable.
 */
export function skyWcsFromCards(
  cards: ReadonlyArray<{ keyword: string; value: HeaderValue }>,
  xy0: { x: number; y: number },
): { wcs: SkyWcs | null; note: string | null } {
  const first = new Map<string, HeaderValue>();
  for (const c of cards) if (c.keyword && !first.has(c.keyword)) first.set(c.keyword, c.value);
  try {
    const wcs = SkyWcs.fromHeader({ get: (k) => first.get(k) ?? undefined }, { origin: { x0: xy0.x, y0: xy0.y } });
    if (!wcs.isCelestial) return { wcs: null, note: 'the WCS is not celestial' };
    return { wcs, note: null };
  } catch (err) {
    return { wcs: null, note: err instanceof Error ? err.message : String(err) };
  }
}

/** Sexagesimal RA (hours) and Dec (degrees) as astronomers read them: 10:00:24.000 +02:12:00.00. */
export function formatSexagesimal(raDeg: number, decDeg: number): { ra: string; dec: string } {
  const split = (v: number, decimals: number): string => {
    const scale = 10 ** decimals;
    let total = Math.round(Math.abs(v) * 3600 * scale);
    const whole = Math.floor(total / (3600 * scale));
    total -= whole * 3600 * scale;
    const minutes = Math.floor(total / (60 * scale));
    const seconds = (total - minutes * 60 * scale) / scale;
    return `${String(whole).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${seconds.toFixed(decimals).padStart(decimals + 3, '0')}`;
  };
  const ra = ((raDeg % 360) + 360) % 360;
  return { ra: split(ra / 15, 3), dec: (decDeg < 0 ? '-' : '+') + split(decDeg, 2) };
}
