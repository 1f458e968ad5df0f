// Conversions between time scales, all landing on daf_butler's storage unit:
// integer nanoseconds since 1970-01-01T00:00:00 TAI.
import { MJD_1970 } from './calendar.js';
import { driftOverDayNs, leapAtEndOfDayNs, taiMinusUtcNs } from './leapSeconds.js';
import { add, floorOf, mul, rational, roundOf, sub, type Rational } from './rational.js';

export const NS_PER_SECOND = 1_000_000_000n;
export const NS_PER_DAY = 86_400n * NS_PER_SECOND;
/** TT - TAI. */
export const TT_MINUS_TAI_NS = 32_184_000_000n;
/** daf_butler's smallest storable time (the epoch) and its "unbounded begin". */
export const MIN_TAI_NS = 0n;
/** daf_butler's largest storable time, 2100-01-01T00:00:00 TAI, and its "unbounded end". */
export const MAX_TAI_NS = 4_102_444_800_000_000_000n;

/** Scales whose seconds are uniform, measured here as ns since 1970-01-01T00:00:00 of that scale. */
export type UniformScale = 'tai' | 'tt' | 'tcg';
export type SupportedScale = UniformScale | 'utc';
export const SUPPORTED_SCALES: readonly SupportedScale[] = ['tai', 'utc', 'tt', 'tcg'];

// IAU 2000 Resolution B1.9: TT = TCG - L_G * (TCG - T0), T0 = 1977-01-01T00:00:32.184 TAI-equivalent.
const LG = rational(6_969_290_134n, 10_000_000_000_000_000_000n);
const T77_TCG_NS = rational(BigInt(43144 - MJD_1970) * NS_PER_DAY + TT_MINUS_TAI_NS);

/** TAI ns (exact rational) of a time given in a uniform scale as ns since 1970-01-01T00:00:00 of that scale. */
export function uniformToTai(scale: UniformScale, ns: Rational): Rational {
  switch (scale) {
    case 'tai':
      return ns;
    case 'tt':
      return sub(ns, rational(TT_MINUS_TAI_NS));
    case 'tcg': {
      const tt = sub(ns, mul(LG, sub(ns, T77_TCG_NS)));
      return sub(tt, rational(TT_MINUS_TAI_NS));
    }
  }
}

/** TAI ns of UTC day `mjd` plus `secondsOfDayNs` elapsed UTC nanoseconds (may exceed a day: it rolls over as ERFA does). */
export function utcToTai(mjd: number, secondsOfDayNs: Rational): Rational {
  const dayStart = BigInt(mjd - MJD_1970) * NS_PER_DAY + taiMinusUtcNs(mjd);
  const drift = driftOverDayNs(mjd);
  // Pre-1972 UTC seconds were not SI seconds: scale by the daily drift.
  const elapsed = drift === 0n ? secondsOfDayNs : mul(secondsOfDayNs, rational(NS_PER_DAY + drift, NS_PER_DAY));
  return add(rational(dayStart), elapsed);
}

/**
 * TAI ns of a UTC "quasi-MJD" as astropy/ERFA represent UTC: the day fraction is the
 * fraction of that day's real length (86401 s on a leap-second day).
 */
export function utcQuasiMjdToTai(mjd: Rational): Rational {
  const day = floorOf(mjd);
  const fraction = sub(mjd, rational(day));
  const dayNumber = Number(day);
  const dayLength = NS_PER_DAY + leapAtEndOfDayNs(dayNumber);
  return utcToTai(dayNumber, mul(fraction, rational(dayLength)));
}

/** TAI ns of an MJD in any supported scale. */
export function mjdToTai(scale: SupportedScale, mjd: Rational): Rational {
  if (scale === 'utc') return utcQuasiMjdToTai(mjd);
  return uniformToTai(scale, mul(sub(mjd, rational(BigInt(MJD_1970))), rational(NS_PER_DAY)));
}

/** Round an exact TAI time to integer ns. */
export function toNs(value: Rational): bigint {
  return roundOf(value);
}

/** Clamp to daf_butler's storable range, as its TimeConverter does. */
export function clampTaiNs(ns: bigint): bigint {
  if (ns < MIN_TAI_NS) return MIN_TAI_NS;
  if (ns > MAX_TAI_NS) return MAX_TAI_NS;
  return ns;
}

export interface UtcParts {
  /** UTC day (MJD). */
  mjd: number;
  /** Elapsed UTC ns in that day, up to 86401e9 on a leap-second day. */
  secondsOfDayNs: bigint;
}

/** Split TAI ns into a UTC day and elapsed UTC ns in that day (23:59:60 on leap-second days). */
export function taiToUtc(taiNs: bigint): UtcParts {
  let mjd = Number(floorOf(rational(taiNs, NS_PER_DAY))) + MJD_1970;
  const start = (day: number): bigint => roundOf(utcToTai(day, rational(0n)));
  while (taiNs < start(mjd)) mjd -= 1;
  while (taiNs >= start(mjd + 1)) mjd += 1;
  const drift = driftOverDayNs(mjd);
  const elapsedTai = taiNs - start(mjd);
  const elapsedUtc = drift === 0n ? elapsedTai : roundOf(rational(elapsedTai * NS_PER_DAY, NS_PER_DAY + drift));
  return { mjd, secondsOfDayNs: elapsedUtc };
}
