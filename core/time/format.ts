// TAI nanoseconds back to ISO text, in TAI or in UTC (with 23:59:60 during a leap second).
import { civilFromMjd, MJD_1970 } from './calendar.js';
import { floorOf, rational } from './rational.js';
import { NS_PER_DAY, NS_PER_SECOND, taiToUtc } from './scales.js';

export interface FormatTimeOptions {
  /** 'tai' (default) or 'utc'. */
  scale?: 'tai' | 'utc';
  /** Digits after the decimal point, 0-9 (default 9). */
  precision?: number;
  /** Date/time separator (default 'T', as astropy's isot). */
  separator?: string;
}

function pad(value: number | bigint, width: number): string {
  return String(value).padStart(width, '0');
}

/** ISO-8601 text of a TAI-ns instant, e.g. "2017-01-01T00:00:37.000000000" (TAI) or "2017-01-01T00:00:00.000000000" (UTC). */
export function formatTime(taiNs: bigint, options: FormatTimeOptions = {}): string {
  const precision = options.precision ?? 9;
  if (!Number.isInteger(precision) || precision < 0 || precision > 9) {
    throw new RangeError(`precision must be an integer 0-9, got ${precision}`);
  }
  // Truncate (not round) below the precision, as astropy does for its precision attribute.
  const unit = 10n ** BigInt(9 - precision);
  let mjd: number;
  let secondsOfDayNs: bigint;
  if ((options.scale ?? 'tai') === 'utc') {
    ({ mjd, secondsOfDayNs } = taiToUtc(taiNs));
  } else {
    const day = floorOf(rational(taiNs, NS_PER_DAY));
    mjd = Number(day) + MJD_1970;
    secondsOfDayNs = taiNs - day * NS_PER_DAY;
  }
  secondsOfDayNs -= secondsOfDayNs % unit;
  const { year, month, day } = civilFromMjd(mjd);
  const wholeSeconds = secondsOfDayNs / NS_PER_SECOND;
  // A leap second is the 61st second of 23:59.
  const hour = wholeSeconds >= 86_400n ? 23n : wholeSeconds / 3600n;
  const minute = wholeSeconds >= 86_400n ? 59n : (wholeSeconds % 3600n) / 60n;
  const second = wholeSeconds >= 86_400n ? 60n + (wholeSeconds - 86_400n) : wholeSeconds % 60n;
  const fraction = precision === 0 ? '' : '.' + pad(secondsOfDayNs % NS_PER_SECOND, 9).slice(0, precision);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${options.separator ?? 'T'}${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction}`;
}
