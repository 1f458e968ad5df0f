import { describe, expect, it } from 'vitest';
import {
  formatButlerYamlTime, parseButlerYamlTime, timespanFromYaml, timespanToYaml, Timespan, utcIsoToTaiNs,
} from '../../../core/time/index.js';

describe('daf_butler YAML times', () => {
  it('round-trips !butler_time/tai/iso values from a real export file', () => {
    // hsc-rc2-subset.yaml (daf_butler test data): exposure datetime_begin.
    const text = '2013-06-17 13:34:45.775000000';
    const ns = parseButlerYamlTime(text);
    // TAI reading: 35 s ahead of UTC in 2013.
    expect(ns).toBe(utcIsoToTaiNs('2013-06-17T13:34:10.775'));
    expect(formatButlerYamlTime(ns)).toBe(text);
  });

  it('maps timespans to begin/end mappings with null for unbounded, EMPTY for empty', () => {
    const ts = Timespan.of(parseButlerYamlTime('2013-06-17 13:34:45.775000000'), null);
    expect(timespanToYaml(ts)).toEqual({ begin: '2013-06-17 13:34:45.775000000', end: null });
    expect(timespanFromYaml(timespanToYaml(ts)).equals(ts)).toBe(true);
    expect(timespanToYaml(Timespan.EMPTY)).toBe('EMPTY');
    expect(timespanFromYaml('EMPTY').isEmpty()).toBe(true);
  });
});
