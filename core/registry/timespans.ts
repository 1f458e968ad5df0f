// Timespans as the registry stores them: BIGINT TAI nanoseconds, half-open [begin, end), with
// daf_butler's sentinels (0 and 2100-01-01 TAI) for unbounded ends. The time arithmetic itself
// is core/time's; this file adapts it to the registry's inputs (null = unbounded).
import type { TimespanNs } from '../dimensions/index.js';
import { MAX_TAI_NS, MIN_TAI_NS, Timespan, formatTime, parseTimeLiteral, unixMsToTaiNs } from '../time/index.js';

export const TIMESPAN_MIN_NS = MIN_TAI_NS;
export const TIMESPAN_MAX_NS = MAX_TAI_NS;

/** The current time as TAI nanoseconds (what daf_butler writes to dataset.ingest_date). */
export function nowTaiNs(): bigint {
  return unixMsToTaiNs(Date.now());
}

/** Stored (begin, end) column values for a timespan given with null or sentinel unbounded ends. */
export function toStoredBounds(ts: TimespanNs): [bigint, bigint] {
  return [ts.begin ?? TIMESPAN_MIN_NS, ts.end ?? TIMESPAN_MAX_NS];
}

/** A core/time Timespan from stored columns. */
export function fromStoredBounds(begin: bigint, end: bigint): Timespan {
  return Timespan.fromColumns(begin, end);
}

export function toTimespan(ts: TimespanNs): Timespan {
  const [b, e] = toStoredBounds(ts);
  return Timespan.fromColumns(b, e);
}

/**
 * Parses a date/time read on the TAI clock (daf_butler's CLI passes --begin-date/--end-date to
 * astropy with scale="tai"), e.g. 2025-04-15T12:00:00 or 2025-04-15.
 */
export function parseTaiDate(text: string): bigint {
  const t = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00` : t;
  const format = iso.includes('T') ? 'isot' : 'iso';
  return parseTimeLiteral(`${format}/${iso}/tai`).taiNs;
}

export function formatTimespan(ts: TimespanNs): string {
  const [b, e] = toStoredBounds(ts);
  const fmt = (ns: bigint) => formatTime(ns, { precision: 3 });
  return `[${b <= TIMESPAN_MIN_NS ? '-∞' : fmt(b)}, ${e >= TIMESPAN_MAX_NS ? '∞' : fmt(e)})`;
}
