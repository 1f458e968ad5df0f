// daf_butler's YAML forms of times and timespans (registry export/import files):
// `!butler_time/tai/iso '2013-06-17 13:34:45.775000000'` and
// `!lsst.daf.butler.Timespan {begin: <time or null>, end: <time or null>}` or `'EMPTY'`.
import { formatTime } from './format.js';
import { MAX_TAI_NS, MIN_TAI_NS } from './scales.js';
import { parseTimeLiteral } from './timeLiteral.js';
import { Timespan } from './timespan.js';

export const BUTLER_TIME_YAML_TAG = '!butler_time/tai/iso';
export const TIMESPAN_YAML_TAG = '!lsst.daf.butler.Timespan';

/** ISO TAI text with nanoseconds, as daf_butler writes under !butler_time/tai/iso. */
export function formatButlerYamlTime(taiNs: bigint): string {
  return formatTime(taiNs, { separator: ' ', precision: 9 });
}

/** TAI ns of a !butler_time/tai/iso value. */
export function parseButlerYamlTime(text: string): bigint {
  return parseTimeLiteral(`iso/${text.trim()}/tai`).exactTaiNs;
}

export type TimespanYaml = 'EMPTY' | { begin: string | null; end: string | null };

export function timespanToYaml(ts: Timespan): TimespanYaml {
  if (ts.isEmpty()) return 'EMPTY';
  return {
    begin: ts.begin === MIN_TAI_NS ? null : formatButlerYamlTime(ts.begin),
    end: ts.end === MAX_TAI_NS ? null : formatButlerYamlTime(ts.end),
  };
}

export function timespanFromYaml(value: TimespanYaml): Timespan {
  if (value === 'EMPTY') return Timespan.EMPTY;
  return Timespan.of(
    value.begin === null ? null : parseButlerYamlTime(value.begin),
    value.end === null ? null : parseButlerYamlTime(value.end),
  );
}
