// daf_butler's time literals (the text inside T'...'): format and scale guessing
// exactly as its query parser does, then the string/number parsing rules of
// astropy.time for each format, converted exactly to TAI nanoseconds.
import { daysInMonth, mjdFromCivil, MJD_1970 } from './calendar.js';
import {
  clampTaiNs, mjdToTai, NS_PER_DAY, NS_PER_SECOND, SUPPORTED_SCALES, toNs, uniformToTai, utcToTai,
  type SupportedScale,
} from './scales.js';
import { add, fromDecimal, fromDouble, mul, rational, sub, type Rational } from './rational.js';

/** astropy.time.Time.FORMATS names (anything else is "unknown"). */
export const ASTROPY_FORMATS = [
  'jd', 'mjd', 'decimalyear', 'unix', 'unix_tai', 'cxcsec', 'gps', 'plot_date', 'stardate', 'datetime',
  'ymdhms', 'iso', 'isot', 'yday', 'datetime64', 'fits', 'byear', 'jyear', 'byear_str', 'jyear_str',
] as const;
/** astropy.time.Time.SCALES names. */
export const ASTROPY_SCALES = ['tai', 'tcb', 'tcg', 'tdb', 'tt', 'ut1', 'utc', 'local'] as const;

export interface TimeLiteralValue {
  /** The text given (inside T'...'). */
  readonly text: string;
  readonly format: string;
  readonly scale: SupportedScale;
  /** Exact instant, ns since 1970-01-01T00:00:00 TAI, rounded to the nearest ns, not clamped. */
  readonly exactTaiNs: bigint;
  /** As daf_butler stores it: clamped to [0, 2100-01-01 TAI]. */
  readonly taiNs: bigint;
}

export class TimeLiteralError extends Error {
  constructor(message: string, readonly text: string) {
    super(message);
    this.name = 'TimeLiteralError';
  }
}

const TIME_STRING = new RegExp(
  '^(?:(\\w+)/)?' +
    '(?:(-?(?:\\d+\\.\\d*|\\.\\d+))' + // number
    '|(\\d+-\\d+-\\d+(?:[ T]\\d+:\\d+(?::\\d+(?:[.]\\d*)?)?)?)' + // iso(t)
    '|([+]\\d+-\\d+-\\d+(?:T\\d+:\\d+:\\d+(?:[.]\\d*)?)?)' + // fits
    '|(\\d+:\\d+(?::\\d+:\\d+(?::\\d+(?:[.]\\d*)?)?)?))' + // yday
    '(?:/(\\w+))?$',
  'i',
);

/** Parse the text of a T'...' literal. Throws TimeLiteralError with a message naming the text. */
export function parseTimeLiteral(text: string): TimeLiteralValue {
  // datetime objects stringified with a UTC offset end in +00:00; other zones are refused.
  const cleaned = text.replace('+00:00', '');
  const match = TIME_STRING.exec(cleaned);
  if (!match) throw new TimeLiteralError(`Time string "${cleaned}" does not match known formats`, text);
  const [, fmtGiven, numberText, isoText, fitsText, ydayText, scaleGiven] = match;
  const value = numberText ?? isoText ?? fitsText ?? ydayText;
  let format: string;
  if (fmtGiven !== undefined) {
    format = fmtGiven.toLowerCase();
    if (!(ASTROPY_FORMATS as readonly string[]).includes(format)) {
      throw new TimeLiteralError(`Time string "${cleaned}" specifies unknown time format "${format}"`, text);
    }
  } else if (numberText !== undefined) {
    format = 'mjd';
  } else if (isoText !== undefined) {
    format = /t/i.test(isoText) ? 'isot' : 'iso';
  } else if (fitsText !== undefined) {
    format = 'fits';
  } else {
    format = 'yday';
  }
  let scaleName: string;
  if (scaleGiven !== undefined) {
    scaleName = scaleGiven.toLowerCase();
    if (!(ASTROPY_SCALES as readonly string[]).includes(scaleName)) {
      throw new TimeLiteralError(`Time string "${cleaned}" specifies unknown time scale "${scaleName}"`, text);
    }
  } else if (['iso', 'isot', 'fits', 'yday', 'unix'].includes(format)) {
    scaleName = 'utc';
  } else if (format === 'cxcsec') {
    scaleName = 'tt';
  } else {
    scaleName = 'tai';
  }
  if (!(SUPPORTED_SCALES as readonly string[]).includes(scaleName)) {
    throw new TimeLiteralError(
      `Time string "${cleaned}" uses time scale "${scaleName}", which cannot be converted to TAI exactly ` +
        `without external tables (supported scales: ${SUPPORTED_SCALES.join(', ')})`,
      text,
    );
  }
  const scale = scaleName as SupportedScale;
  const mismatch = (): TimeLiteralError =>
    new TimeLiteralError(`Time string "${cleaned}" does not match format "${format}"`, text);
  const exact =
    numberText !== undefined ? numericToTai(format, scale, Number(numberText), mismatch, cleaned, text) : stringToTai(format, scale, value, mismatch);
  const exactTaiNs = toNs(exact);
  return { text, format, scale, exactTaiNs, taiNs: clampTaiNs(exactTaiNs) };
}

interface CivilTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: Rational;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?$/;
const ISOT = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T(\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?$/;
const FITS = /^(\d{4}|[+-]\d{5})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}(?:\.\d*)?))?$/;
const YDAY = /^(\d{4}):(\d{1,3})(?::(\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?$/;

function civilFrom(m: RegExpExecArray, yearIdx: number, monthIdx: number | null, dayIdx: number, hourIdx: number): CivilTime {
  return {
    year: Number(m[yearIdx]),
    month: monthIdx === null ? 1 : Number(m[monthIdx]),
    day: Number(m[dayIdx]),
    hour: m[hourIdx] === undefined ? 0 : Number(m[hourIdx]),
    minute: m[hourIdx + 1] === undefined ? 0 : Number(m[hourIdx + 1]),
    second: m[hourIdx + 2] === undefined ? rational(0n) : fromDecimal(m[hourIdx + 2]),
  };
}

function stringToTai(format: string, scale: SupportedScale, value: string, mismatch: () => TimeLiteralError): Rational {
  let civil: CivilTime;
  let dayOfYear = false;
  let m: RegExpExecArray | null;
  if (format === 'iso' && (m = ISO.exec(value))) civil = civilFrom(m, 1, 2, 3, 4);
  else if (format === 'isot' && (m = ISOT.exec(value))) civil = civilFrom(m, 1, 2, 3, 4);
  else if (format === 'fits' && (m = FITS.exec(value))) civil = civilFrom(m, 1, 2, 3, 4);
  else if (format === 'yday' && (m = YDAY.exec(value))) {
    civil = civilFrom(m, 1, null, 2, 3);
    dayOfYear = true;
  } else throw mismatch();
  // ERFA's dtf2d refuses bad months, days, hours and minutes (seconds may roll over).
  if (!dayOfYear && (civil.month < 1 || civil.month > 12 || civil.day < 1 || civil.day > daysInMonth(civil.year, civil.month))) {
    throw mismatch();
  }
  if (civil.hour > 23 || civil.minute > 59) throw mismatch();
  const mjd = dayOfYear ? mjdFromCivil(civil.year, 1, 1) + civil.day - 1 : mjdFromCivil(civil.year, civil.month, civil.day);
  const secondsOfDay = add(rational(BigInt(civil.hour * 3600 + civil.minute * 60) * NS_PER_SECOND), mul(civil.second, rational(NS_PER_SECOND)));
  if (scale === 'utc') return utcToTai(mjd, secondsOfDay);
  return uniformToTai(scale, add(rational(BigInt(mjd - MJD_1970) * NS_PER_DAY), secondsOfDay));
}

const JD_MINUS_MJD = rational(4_800_001n, 2n);
/** Instant of each epoch-based format's zero, as TAI ns, and the scale its seconds tick in. */
const EPOCHS: Record<string, { zero: () => Rational; ticks: 'utc-quasi' | 'tai' | 'tt' }> = {
  unix: { zero: () => rational(BigInt(MJD_1970)), ticks: 'utc-quasi' },
  unix_tai: { zero: () => rational(0n), ticks: 'tai' },
  gps: { zero: () => rational(BigInt(mjdFromCivil(1980, 1, 6) - MJD_1970) * NS_PER_DAY + 19n * NS_PER_SECOND), ticks: 'tai' },
  cxcsec: { zero: () => uniformToTai('tt', rational(BigInt(mjdFromCivil(1998, 1, 1) - MJD_1970) * NS_PER_DAY)), ticks: 'tt' },
};

function numericToTai(
  format: string, scale: SupportedScale, value: number, mismatch: () => TimeLiteralError, cleaned: string, text: string,
): Rational {
  const x = fromDouble(value);
  const epoch = EPOCHS[format];
  if (epoch !== undefined) {
    // astropy counts these from a fixed instant whatever scale is requested.
    if (epoch.ticks === 'utc-quasi') return mjdToTai('utc', add(epoch.zero(), mul(x, rational(1n, 86_400n))));
    return add(epoch.zero(), mul(x, rational(NS_PER_SECOND)));
  }
  switch (format) {
    case 'mjd':
      return mjdToTai(scale, x);
    case 'jd':
      return mjdToTai(scale, sub(x, JD_MINUS_MJD));
    case 'plot_date':
      // matplotlib's default epoch since 3.3: days since 1970-01-01.
      return mjdToTai(scale, add(rational(BigInt(MJD_1970)), x));
    case 'jyear':
      // Julian epoch: J2000.0 = MJD 51544.5, 365.25-day years.
      return mjdToTai(scale, add(rational(103_089n, 2n), mul(sub(x, rational(2000n)), rational(36_525n, 100n))));
    case 'byear':
      // Besselian epoch (ERFA epb2jd).
      return mjdToTai(scale, add(rational(1_501_981_352n, 100_000n), mul(sub(x, rational(1900n)), rational(365_242_198_781n, 1_000_000_000n))));
    case 'decimalyear': {
      // astropy interpolates between the instants starting this year and the next
      // (a UTC year with a leap second is one second longer).
      const year = Math.floor(value);
      const start = mjdToTai(scale, rational(BigInt(mjdFromCivil(year, 1, 1))));
      const end = mjdToTai(scale, rational(BigInt(mjdFromCivil(year + 1, 1, 1))));
      return add(start, mul(sub(x, rational(BigInt(year))), sub(end, start)));
    }
    case 'stardate':
      throw new TimeLiteralError(`Time string "${cleaned}" uses format "stardate", which is not supported`, text);
    default:
      // String-only formats (iso, datetime, jyear_str...) given a number.
      throw mismatch();
  }
}
