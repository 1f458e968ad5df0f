import { describe, expect, it } from 'vitest';
import {
  formatTime, taiMinusUtcNs, mjdFromCivil, civilFromMjd, Timespan, MAX_TAI_NS, LEAP_SECOND_DATES,
  utcIsoToTaiNs, taiToUtc,
} from '../../../core/time/index.js';
import { unixMsToTaiNs } from '../../../core/time/convenience.js';

describe('calendar', () => {
  it('round-trips every day from 1900 to 2200 and knows fixed points', () => {
    expect(mjdFromCivil(1970, 1, 1)).toBe(40587);
    expect(mjdFromCivil(2000, 1, 1)).toBe(51544);
    expect(mjdFromCivil(1858, 11, 17)).toBe(0);
    const mismatches: number[] = [];
    for (let mjd = 15020; mjd < 124_000; mjd += 1) {
      const c = civilFromMjd(mjd);
      if (mjdFromCivil(c.year, c.month, c.day) !== mjd) mismatches.push(mjd);
    }
    expect(mismatches).toEqual([]);
    expect(civilFromMjd(mjdFromCivil(2024, 2, 29))).toEqual({ year: 2024, month: 2, day: 29 });
  });
});

describe('leap seconds', () => {
  it('has the 27 leap seconds since 1972 and TAI-UTC 37 s now', () => {
    // 28 steps from 1972-01-01 (10 s) to 2017-01-01 (37 s).
    expect(LEAP_SECOND_DATES.length).toBe(28);
    expect(taiMinusUtcNs(mjdFromCivil(2016, 12, 31))).toBe(36_000_000_000n);
    expect(taiMinusUtcNs(mjdFromCivil(2017, 1, 1))).toBe(37_000_000_000n);
    expect(taiMinusUtcNs(mjdFromCivil(2030, 1, 1))).toBe(37_000_000_000n);
    expect(taiMinusUtcNs(mjdFromCivil(1955, 1, 1))).toBe(0n);
  });
});

describe('formatTime', () => {
  it('formats TAI and UTC, with 23:59:60 inside a leap second', () => {
    const ns = utcIsoToTaiNs('2016-12-31T23:59:60.25');
    expect(formatTime(ns, { scale: 'utc' })).toBe('2016-12-31T23:59:60.250000000');
    expect(formatTime(ns, { scale: 'utc', precision: 3 })).toBe('2016-12-31T23:59:60.250');
    expect(formatTime(ns)).toBe('2017-01-01T00:00:36.250000000');
    expect(formatTime(0n, { precision: 0, separator: ' ' })).toBe('1970-01-01 00:00:00');
    expect(formatTime(MAX_TAI_NS, { precision: 0 })).toBe('2100-01-01T00:00:00');
    expect(() => formatTime(0n, { precision: 10 })).toThrow(/precision/);
  });

  it('UTC formatting inverts UTC parsing over leap-second boundaries and pre-1972 drift', () => {
    for (const iso of ['2015-06-30T23:59:59.999999999', '2015-06-30T23:59:60.000000000', '2015-07-01T00:00:00.000000000',
      '1971-06-01T00:00:00.000000000', '1999-12-31T12:34:56.789000000', '2025-04-16T00:25:46.032000000']) {
      expect(formatTime(utcIsoToTaiNs(iso), { scale: 'utc' })).toBe(iso);
    }
    expect(taiToUtc(utcIsoToTaiNs('2015-06-30T23:59:60.5')).secondsOfDayNs).toBe(86_400_500_000_000n);
  });

  it('reads the real repository day_obs and exposure timespans', () => {
    // day_obs 20250415 in the real LSSTCam repo: [2025-04-15T12:00 TAI, +1 day).
    expect(formatTime(1744718400000000000n, { precision: 0 })).toBe('2025-04-15T12:00:00');
    // exposure 2025041500052 began 2025-04-16T00:30:59.8166 UTC-ish; TAI is 37 s later than UTC.
    expect(formatTime(1744763459816586971n, { scale: 'utc' })).toBe('2025-04-16T00:30:22.816586971');
  });

  it('converts POSIX milliseconds', () => {
    expect(unixMsToTaiNs(Date.UTC(2020, 0, 1))).toBe(1577836837000000000n);
    expect(unixMsToTaiNs(Date.UTC(1970, 0, 1, 0, 0, 0, 1))).toBe(8000082000n + 1_000_000n);
  });
});

describe('Timespan', () => {
  const t = (iso: string): bigint => utcIsoToTaiNs(iso);
  const a = Timespan.of(t('2020-01-01T00:00'), t('2020-01-02T00:00'));
  const b = Timespan.of(t('2020-01-01T12:00'), t('2020-01-03T00:00'));
  const c = Timespan.of(t('2020-01-02T00:00'), t('2020-01-04T00:00'));

  it('is half-open', () => {
    expect(a.overlaps(b)).toBe(true);
    expect(a.overlaps(c)).toBe(false); // touching ends do not overlap
    expect(a.contains(a.begin)).toBe(true);
    expect(a.contains(a.end)).toBe(false);
    expect(a.overlaps(a.end - 1n)).toBe(true);
  });

  it('handles unbounded and empty like daf_butler', () => {
    const open = Timespan.of(null, t('2020-01-01T06:00'));
    expect(open.begin).toBe(0n);
    expect(open.hasBegin()).toBe(false);
    expect(open.overlaps(a)).toBe(true);
    expect(Timespan.of(null, null).end).toBe(MAX_TAI_NS);
    const empty = Timespan.fromColumns(5n, 5n);
    expect(empty.isEmpty()).toBe(true);
    expect(empty.equals(Timespan.EMPTY)).toBe(true);
    expect(empty.overlaps(empty)).toBe(false);
    expect(a.contains(empty)).toBe(true);
    expect(a.intersection(c).isEmpty()).toBe(true);
    expect(a.intersection(b).begin).toBe(b.begin);
    expect(empty.toString()).toBe('(empty)');
    expect(open.toString('utc')).toBe('(-∞, 2020-01-01T06:00:00)');
  });

  it('pads instantaneous timespans by 1 ns and refuses bounds outside the range', () => {
    const instant = Timespan.of(100n, 100n);
    expect(instant.end - instant.begin).toBe(1n);
    expect(Timespan.of(100n, 100n, false).isEmpty()).toBe(true);
    expect(() => Timespan.of(-1n, 5n)).toThrow(/outside daf_butler's range/);
  });
});
