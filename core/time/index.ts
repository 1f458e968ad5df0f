// Time for the registry: TAI nanoseconds since 1970-01-01 TAI (daf_butler's storage),
// leap seconds as data, astropy-compatible literal parsing, Timespan, ISO formatting.
export { mjdFromCivil, civilFromMjd, MJD_1970 } from './calendar.js';
export { UTC_OFFSETS, LEAP_SECOND_DATES, taiMinusUtcNs } from './leapSeconds.js';
export {
  MIN_TAI_NS, MAX_TAI_NS, NS_PER_DAY, NS_PER_SECOND, TT_MINUS_TAI_NS, SUPPORTED_SCALES,
  clampTaiNs, taiToUtc, type SupportedScale,
} from './scales.js';
export { parseTimeLiteral, TimeLiteralError, ASTROPY_FORMATS, ASTROPY_SCALES, type TimeLiteralValue } from './timeLiteral.js';
export { formatTime, type FormatTimeOptions } from './format.js';
export { Timespan } from './timespan.js';
export { utcIsoToTaiNs, unixMsToTaiNs } from './convenience.js';
export {
  BUTLER_TIME_YAML_TAG, TIMESPAN_YAML_TAG, formatButlerYamlTime, parseButlerYamlTime, timespanToYaml, timespanFromYaml,
  type TimespanYaml,
} from './butlerYaml.js';
