import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DataCoordinate, DataIdValueError, DimensionNameError, DimensionUniverse } from '../../../core/dimensions/index.js';

const repoRoot = path.resolve(__dirname, '../../..');
const realRepoDb = path.resolve(repoRoot, '..', 'shared', 'data', 'daf_butler', 'lsstcam_raw_repo', 'gen3.sqlite3');

function realUniverseJson(): string {
  const db = new Database(realRepoDb, { readonly: true });
  try {
    return (db.prepare("SELECT value FROM butler_attributes WHERE name = 'config:dimensions.json'").get() as { value: string }).value;
  } finally {
    db.close();
  }
}

describe('DimensionUniverse', () => {
  const universe = DimensionUniverse.default();

  it('is the shared repository universe (v7) and writes back byte-identical JSON', () => {
    const text = realUniverseJson();
    const fromRepo = DimensionUniverse.fromJson(text);
    expect(fromRepo.version).toBe(7);
    expect(universe.version).toBe(7);
    expect(universe.namespace).toBe('daf_butler');
    expect(universe.toJson()).toBe(text);
    expect(fromRepo.elements.map((e) => e.name)).toEqual(universe.elements.map((e) => e.name));
  });

  it('orders elements as daf_butler does (rounds of unblocked elements, ties lexicographic)', () => {
    const names = universe.elements.filter((e) => e.kind !== 'skypix').map((e) => e.name);
    expect(names).toEqual(['band', 'instrument', 'skymap', 'day_obs', 'detector', 'group', 'physical_filter', 'subfilter', 'tract',
      'visit_system', 'exposure', 'patch', 'visit', 'visit_definition', 'visit_detector_region', 'visit_system_membership']);
    // The order decides column order in tables: visit_system_membership is (instrument, visit_system, visit) in real repos.
    expect(universe.getElement('visit_system_membership').required).toEqual(['instrument', 'visit_system', 'visit']);
    expect(universe.getElement('visit_definition').required).toEqual(['instrument', 'exposure', 'visit']);
    expect(universe.getElement('patch').required).toEqual(['skymap', 'tract', 'patch']);
  });

  it('knows governors, skypix, keys, metadata, views and topology', () => {
    expect(universe.governors.map((g) => g.name)).toEqual(['instrument', 'skymap']);
    expect(universe.commonSkyPix).toBe('htm7');
    expect(universe.getDimension('htm24').skypix).toEqual({ system: 'htm', level: 24 });
    expect(universe.getDimension('healpix17').kind).toBe('skypix');
    expect(() => universe.getDimension('htm25')).toThrow(DimensionNameError);
    const exposure = universe.getElement('exposure');
    expect(exposure.implied).toEqual(['day_obs', 'group', 'physical_filter']);
    expect(exposure.alternateKeys.map((k) => k.name)).toEqual(['obs_id']);
    expect(exposure.hasTimespan).toBe(true);
    expect(exposure.hasRegion).toBe(false);
    expect(universe.getElement('visit').hasRegion).toBe(true);
    expect(universe.getElement('band').hasTable).toBe(false);
    expect(universe.getElement('visit_detector_region').isDimension).toBe(false);
    expect(() => universe.getDimension('visit_detector_region')).toThrow(/is a dimension element, not a dimension/);
    expect(() => universe.getElement('exposur')).toThrow(/did you mean 'exposure'/);
  });

  it('rejects bad configurations clearly', () => {
    expect(() => DimensionUniverse.fromJson('{', 'broken.json')).toThrow(/Invalid JSON in broken.json/);
    expect(() => DimensionUniverse.fromConfig({ version: 1, skypix: { common: 'htm7' }, elements: { a: { keys: [{ name: 'id', type: 'int' }], requires: ['b'] } } }, 'x'))
      .toThrow(/'a' depends on 'b'/);
    expect(() => DimensionUniverse.fromConfig({ version: 'x', skypix: { common: 'htm7' }, elements: {} }, 'cfg.yaml')).toThrow(/cfg.yaml: version/);
  });
});

describe('DimensionGroup', () => {
  const universe = DimensionUniverse.default();
  it('expands requires and implies and splits required/implied', () => {
    const g = universe.group(['exposure', 'detector']);
    expect(g.required).toEqual(['instrument', 'detector', 'exposure']);
    expect(g.implied).toEqual(['band', 'day_obs', 'group', 'physical_filter']);
    expect(g.elements).toContain('physical_filter');
    expect(universe.group(['visit', 'exposure']).elements).toContain('visit_definition');
    expect(universe.group(['physical_filter']).required).toEqual(['instrument', 'physical_filter']);
    expect(universe.group(['band']).required).toEqual(['band']);
    expect(universe.group([]).isEmpty).toBe(true);
    expect(() => universe.group(['detecter'])).toThrow(DimensionNameError);
  });
});

describe('DataCoordinate', () => {
  const universe = DimensionUniverse.default();
  it('standardises, coercing integer strings, and orders keys required-first', () => {
    const d = DataCoordinate.standardize(universe, { exposure: '2025041500054', instrument: 'LSSTCam', detector: 94 });
    expect(d.toJSON()).toEqual({ instrument: 'LSSTCam', detector: 94, exposure: 2025041500054 });
    expect(Object.keys(d.toJSON())).toEqual(['instrument', 'detector', 'exposure']);
    expect(d.hasFull()).toBe(false);
    expect(d.toString()).toBe("{instrument: 'LSSTCam', detector: 94, exposure: 2025041500054}");
  });
  it('names unknown keys, missing values and wrong types', () => {
    expect(() => DataCoordinate.standardize(universe, { instrument: 'X', detecter: 1 })).toThrow(/Unrecognized data ID key 'detecter'/);
    expect(() => DataCoordinate.standardize(universe, { instrument: 'X', detector: 'R22_S11' })).toThrow(DataIdValueError);
    expect(() => DataCoordinate.standardize(universe, { instrument: 'X', detector: 'R22_S11' })).toThrow(/'detector' is not an integer/);
    expect(() => DataCoordinate.standardize(universe, { detector: 1 })).toThrow(/missing required dimension instrument/);
    expect(() => DataCoordinate.standardize(universe, { instrument: 5 })).toThrow(/must be a string/);
    expect(() => DataCoordinate.standardize(universe, { instrument: 'x'.repeat(33) })).toThrow(/longer than 32/);
    const group = universe.group(['instrument', 'detector']);
    expect(() => DataCoordinate.standardize(universe, { instrument: 'X', detector: 1, exposure: 3 }, { dimensions: group })).toThrow(/not one of the dimensions/);
    expect(DataCoordinate.standardize(universe, { instrument: 'X', detector: 1, exposure: 3 }, { dimensions: group, allowExtra: true }).toJSON()).toEqual({ instrument: 'X', detector: 1 });
  });
  it('keeps implied values when all are given and compares by required values', () => {
    const full = DataCoordinate.standardize(universe, { instrument: 'X', physical_filter: 'r_57', band: 'r' });
    expect(full.hasFull()).toBe(true);
    const minimal = DataCoordinate.standardize(universe, { instrument: 'X', physical_filter: 'r_57' });
    expect(minimal.equals(full)).toBe(true);
    expect(() => minimal.expanded({ physical_filter: 'g_6' }, {})).toThrow(/contradicts/);
  });
});
