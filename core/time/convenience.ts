// Short-hands for code that holds UTC clock readings (file headers, Date.now()).
import { MJD_1970 } from './calendar.js';
import { rational } from './rational.js';
import { toNs, utcToTai } from './scales.js';
import { parseTimeLiteral } from './timeLiteral.js';

/** TAI ns (unclamped) of an ISO UTC string such as "2025-04-16T00:25:46.032", "2025-04-16 00:25" or with a trailing Z. */
export function utcIsoToTaiNs(iso: string): bigint {
  const text = iso.trim().replace(/Z$/i, '');
  const format = /t/i.test(text) ? 'isot' : 'iso';
  return parseTimeLiteral(`${format}/${text}/utc`).exactTaiNs;
}

/**
 * TAI ns of a POSIX clock reading in milliseconds (Date.now()): POSIX days have
 * 86400 s, so the reading is a UTC civil time; leap seconds are then applied.
 */
export function unixMsToTaiNs(unixMs: number): bigint {
  if (!Number.isFinite(unixMs)) throw new RangeError(`not a finite time: ${unixMs}`);
  const day = Math.floor(unixMs / 86_400_000);
  const msOfDay = unixMs - day * 86_400_000;
  return toNs(utcToTai(MJD_1970 + day, rational(BigInt(Math.round(msOfDay * 1e6)))));
}
