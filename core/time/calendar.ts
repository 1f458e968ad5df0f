// Proleptic Gregorian calendar <-> Modified Julian Day number, in integers so that
// day arithmetic never loses precision (the time code works in nanoseconds).

/** MJD of 1970-01-01, the Unix and daf_butler epoch day. */
export const MJD_1970 = 40587;

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Integer MJD of a civil date (month 1-12, day 1-31); fields are not range-checked here. */
export function mjdFromCivil(year: number, month: number, day: number): number {
  // Days-from-civil (era-based, valid for all proleptic Gregorian dates).
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  const daysSince1970 = era * 146097 + doe - 719468;
  return daysSince1970 + MJD_1970;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Civil date of an integer MJD. */
export function civilFromMjd(mjd: number): CivilDate {
  const z = mjd - MJD_1970 + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  const lengths = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return lengths[month - 1];
}
