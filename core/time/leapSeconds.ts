// TAI-UTC as data: the IERS/ERFA table (eraDat). Before 1972 UTC drifted against TAI
// at a fixed rate per day; since 1972 it steps by whole leap seconds.
import { mjdFromCivil } from './calendar.js';

export interface UtcOffsetEntry {
  /** First UTC day (MJD) this entry applies to. */
  readonly mjd: number;
  /** TAI-UTC at 0h of day `driftRefMjd`, in nanoseconds. */
  readonly offsetNs: bigint;
  /** Reference day for the pre-1972 drift. */
  readonly driftRefMjd: number;
  /** Pre-1972 drift of TAI-UTC, in nanoseconds per day (0 since 1972). */
  readonly driftNsPerDay: bigint;
}

// [year, month, TAI-UTC seconds (as ns), drift reference MJD, drift ns/day]
const TABLE: ReadonlyArray<readonly [number, number, bigint, number, bigint]> = [
  [1960, 1, 1_417_818_000n, 37300, 1_296_000n],
  [1961, 1, 1_422_818_000n, 37300, 1_296_000n],
  [1961, 8, 1_372_818_000n, 37300, 1_296_000n],
  [1962, 1, 1_845_858_000n, 37665, 1_123_200n],
  [1963, 11, 1_945_858_000n, 37665, 1_123_200n],
  [1964, 1, 3_240_130_000n, 38761, 1_296_000n],
  [1964, 4, 3_340_130_000n, 38761, 1_296_000n],
  [1964, 9, 3_440_130_000n, 38761, 1_296_000n],
  [1965, 1, 3_540_130_000n, 38761, 1_296_000n],
  [1965, 3, 3_640_130_000n, 38761, 1_296_000n],
  [1965, 7, 3_740_130_000n, 38761, 1_296_000n],
  [1965, 9, 3_840_130_000n, 38761, 1_296_000n],
  [1966, 1, 4_313_170_000n, 39126, 2_592_000n],
  [1968, 2, 4_213_170_000n, 39126, 2_592_000n],
  [1972, 1, 10_000_000_000n, 0, 0n],
  [1972, 7, 11_000_000_000n, 0, 0n],
  [1973, 1, 12_000_000_000n, 0, 0n],
  [1974, 1, 13_000_000_000n, 0, 0n],
  [1975, 1, 14_000_000_000n, 0, 0n],
  [1976, 1, 15_000_000_000n, 0, 0n],
  [1977, 1, 16_000_000_000n, 0, 0n],
  [1978, 1, 17_000_000_000n, 0, 0n],
  [1979, 1, 18_000_000_000n, 0, 0n],
  [1980, 1, 19_000_000_000n, 0, 0n],
  [1981, 7, 20_000_000_000n, 0, 0n],
  [1982, 7, 21_000_000_000n, 0, 0n],
  [1983, 7, 22_000_000_000n, 0, 0n],
  [1985, 7, 23_000_000_000n, 0, 0n],
  [1988, 1, 24_000_000_000n, 0, 0n],
  [1990, 1, 25_000_000_000n, 0, 0n],
  [1991, 1, 26_000_000_000n, 0, 0n],
  [1992, 7, 27_000_000_000n, 0, 0n],
  [1993, 7, 28_000_000_000n, 0, 0n],
  [1994, 7, 29_000_000_000n, 0, 0n],
  [1996, 1, 30_000_000_000n, 0, 0n],
  [1997, 7, 31_000_000_000n, 0, 0n],
  [1999, 1, 32_000_000_000n, 0, 0n],
  [2006, 1, 33_000_000_000n, 0, 0n],
  [2009, 1, 34_000_000_000n, 0, 0n],
  [2012, 7, 35_000_000_000n, 0, 0n],
  [2015, 7, 36_000_000_000n, 0, 0n],
  [2017, 1, 37_000_000_000n, 0, 0n],
];

export const UTC_OFFSETS: readonly UtcOffsetEntry[] = TABLE.map(([year, month, offsetNs, driftRefMjd, driftNsPerDay]) => ({
  mjd: mjdFromCivil(year, month, 1),
  offsetNs,
  driftRefMjd,
  driftNsPerDay,
}));

/** First UTC days (MJD) of each TAI-UTC step since 1972 (each follows a leap second). */
export const LEAP_SECOND_DATES: readonly number[] = UTC_OFFSETS.filter((e) => e.driftNsPerDay === 0n).map((e) => e.mjd);

function entryFor(mjd: number): UtcOffsetEntry | undefined {
  let lo = 0;
  let hi = UTC_OFFSETS.length - 1;
  if (mjd < UTC_OFFSETS[0].mjd) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (UTC_OFFSETS[mid].mjd <= mjd) lo = mid;
    else hi = mid - 1;
  }
  return UTC_OFFSETS[lo];
}

/**
 * TAI-UTC in nanoseconds at `fractionNumerator/fractionDenominator` of UTC day `mjd`
 * (as eraDat: 0 before 1960, the last value after the table ends).
 */
export function taiMinusUtcNs(mjd: number, fractionNumerator = 0n, fractionDenominator = 1n): bigint {
  const entry = entryFor(mjd);
  if (entry === undefined) return 0n;
  if (entry.driftNsPerDay === 0n) return entry.offsetNs;
  const days = BigInt(mjd - entry.driftRefMjd) * fractionDenominator + fractionNumerator;
  return entry.offsetNs + divRound(days * entry.driftNsPerDay, fractionDenominator);
}

/** Length in SI nanoseconds of UTC day `mjd`'s leap step: TAI-UTC jump at its end (0 on normal days). */
export function leapAtEndOfDayNs(mjd: number): bigint {
  const dat0 = taiMinusUtcNs(mjd);
  const drift = 2n * (taiMinusUtcNs(mjd, 1n, 2n) - dat0);
  return taiMinusUtcNs(mjd + 1) - (dat0 + drift);
}

/** Pre-1972 drift of TAI-UTC over UTC day `mjd`, in ns (0 since 1972). */
export function driftOverDayNs(mjd: number): bigint {
  return 2n * (taiMinusUtcNs(mjd, 1n, 2n) - taiMinusUtcNs(mjd));
}

/** Integer division rounding half away from zero. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const twice = 2n * numerator;
  if (numerator >= 0n) return (twice + denominator) / (2n * denominator);
  return -((-twice + denominator) / (2n * denominator));
}

/** Floor division for bigint. */
export function divFloor(numerator: bigint, denominator: bigint): bigint {
  const q = numerator / denominator;
  return (numerator % denominator !== 0n && (numerator < 0n) !== (denominator < 0n)) ? q - 1n : q;
}
