import { describe, expect, it } from 'vitest';
import { parseTimeLiteral, TimeLiteralError, MAX_TAI_NS } from '../../../core/time/index.js';

// Expected values were produced by astropy 5.2 / ERFA through daf_butler's own
// conversion (TimeConverter.astropy_to_nsec); the cross-check test below re-runs astropy live.
describe('parseTimeLiteral: format and scale guessing as daf_butler', () => {
  const cases: Array<[string, string, string, bigint]> = [
    ['2017-01-01T00:00:00', 'isot', 'utc', 1483228837000000000n],
    ['2016-12-31 23:59:60.5', 'iso', 'utc', 1483228836500000000n],
    ['2020-01-01 12:00', 'iso', 'utc', 1577880037000000000n],
    ['2020-01-01', 'iso', 'utc', 1577836837000000000n],
    ['+02020-01-01', 'fits', 'utc', 1577836837000000000n],
    ['2020:032:12:30:15.25', 'yday', 'utc', 1580560252250000000n],
    ['58938.515', 'mjd', 'tai', 1585570895999999950n],
    ['mjd/58938.515/tai', 'mjd', 'tai', 1585570895999999950n],
    ['58938.515/utc', 'mjd', 'utc', 1585570932999999950n],
    ['mjd/58938.515/tt', 'mjd', 'tt', 1585570863815999950n],
    ['jd/2458939.015', 'jd', 'tai', 1585570896000011265n],
    ['unix/1483228800.0', 'unix', 'utc', 1483228837000000000n],
    ['unix/1483228799.5', 'unix', 'utc', 1483228836499994213n],
    ['unix_tai/1483228836.5', 'unix_tai', 'tai', 1483228836500000000n],
    ['cxcsec/600000000.0', 'cxcsec', 'tt', 1483612767816000000n],
    ['gps/1000000000.0', 'gps', 'tai', 1315964819000000000n],
    ['jyear/2020.5', 'jyear', 'tai', 1593658800000000000n],
    ['decimalyear/2020.5/utc', 'decimalyear', 'utc', 1593648037000000000n],
    ['decimalyear/2016.9999999/utc', 'decimalyear', 'utc', 1483228833837757391n],
    ['58938.515/tcg', 'mjd', 'tcg', 1585570862864938515n],
    ['2020-01-01 12:00:00.123456789', 'iso', 'utc', 1577880037123456789n],
    ['2020-01-01 12:00/tt', 'iso', 'tt', 1577879967816000000n],
    ['1970-01-01', 'iso', 'utc', 8000082000n],
    ['1971-06-01 00:00:00', 'iso', 'utc', 44582409337554000n],
    ['2020-1-1', 'iso', 'utc', 1577836837000000000n],
    ['2020-01-01 12:00:61', 'iso', 'utc', 1577880098000000000n],
    ['2019:366', 'yday', 'utc', 1577836837000000000n],
    ['2016-12-31 23:59:60/tai', 'iso', 'tai', 1483228800000000000n],
    ['2020-01-01T12:00:00+00:00', 'isot', 'utc', 1577880037000000000n],
  ];
  it.each(cases)('%s -> %s/%s', (text, format, scale, ns) => {
    const value = parseTimeLiteral(text);
    expect(value.format).toBe(format);
    expect(value.scale).toBe(scale);
    expect(value.exactTaiNs).toBe(ns);
    expect(value.taiNs).toBe(ns);
  });

  it('UTC 2017-01-01 is 37 s behind TAI', () => {
    expect(parseTimeLiteral('2017-01-01T00:00:00').taiNs - parseTimeLiteral('2017-01-01T00:00:00/tai').taiNs).toBe(37_000_000_000n);
  });

  it('clamps to the storable range like daf_butler, keeping the exact value', () => {
    const early = parseTimeLiteral('1969-01-01');
    expect(early.taiNs).toBe(0n);
    expect(early.exactTaiNs < 0n).toBe(true);
    expect(parseTimeLiteral('2200-01-01').taiNs).toBe(MAX_TAI_NS);
  });

  const errors: Array<[string, RegExp]> = [
    ['2020', /does not match known formats/],
    ['58938', /does not match known formats/],
    ['2020-01-01 12', /does not match known formats/],
    ['+2020-01-01', /does not match format "fits"/],
    ['2020-01-01T12:00/x', /unknown time scale "x"/],
    ['foo/58938.5', /unknown time format "foo"/],
    ['2020-02-30', /does not match format "iso"/],
    ['2020-01-01 24:00', /does not match format "iso"/],
    ['2020-01-01 23:60', /does not match format "iso"/],
    ['iso/2020-01-01T12:00', /does not match format "iso"/],
    ['isot/2020-01-01 12:00', /does not match format "isot"/],
    ['mjd/2020-01-01', /does not match format "mjd"/],
    ['iso/58938.5', /does not match format "iso"/],
    ['58938.5/tdb', /time scale "tdb".*supported scales: tai, utc, tt, tcg/],
    ['20-01-01', /does not match format "iso"/],
  ];
  it.each(errors)('rejects %s', (text, message) => {
    expect(() => parseTimeLiteral(text)).toThrow(TimeLiteralError);
    expect(() => parseTimeLiteral(text)).toThrow(message);
  });
});
