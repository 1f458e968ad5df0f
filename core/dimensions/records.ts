// Dimension records: one row of a dimension element's table, as a plain object keyed by
// daf_butler's record field names (e.g. exposure: instrument, id, day_obs, group, ...).

export type DataIdValue = string | number;

/** A half-open validity or observation interval in TAI nanoseconds since 1970-01-01 TAI; null = unbounded. */
export interface TimespanNs {
  begin: bigint | null;
  end: bigint | null;
}

export type RecordValue = string | number | boolean | bigint | null | TimespanNs;

export type DimensionRecord = Record<string, RecordValue>;

export function isTimespanNs(v: unknown): v is TimespanNs {
  return typeof v === 'object' && v !== null && 'begin' in v && 'end' in v;
}
