// An SQL function so registry queries can test region overlap exactly inside
// SQLite (composable under AND/OR/NOT), after an HTM prefilter narrows rows.
import { decodeRegionBase64 } from './codec.js';
import { overlaps, type Region } from './region.js';

export const REGION_OVERLAPS_FUNCTION = 'butler_region_overlaps';

/** The part of better-sqlite3's Database this needs (kept structural: core/sphgeom has no driver dependency). */
export interface SqliteFunctionHost {
  function(name: string, options: { deterministic: boolean }, fn: (a: unknown, b: unknown) => number | null): unknown;
}

/**
 * Registers `butler_region_overlaps(a, b)`: 1 when two base64 region values may
 * overlap, 0 when disjoint, NULL when either is NULL. Literal regions repeat on every
 * row, so decoded regions are cached by text.
 */
export function registerRegionFunctions(db: SqliteFunctionHost): void {
  const cache = new Map<string, Region>();
  const decode = (value: unknown): Region => {
    if (typeof value !== 'string') throw new TypeError(`${REGION_OVERLAPS_FUNCTION}: region values must be base64 text, got ${typeof value}`);
    let region = cache.get(value);
    if (region === undefined) {
      region = decodeRegionBase64(value);
      if (cache.size > 10_000) cache.clear();
      cache.set(value, region);
    }
    return region;
  };
  db.function(REGION_OVERLAPS_FUNCTION, { deterministic: true }, (a, b) => {
    if (a === null || b === null) return null;
    return overlaps(decode(a), decode(b)) ? 1 : 0;
  });
}
