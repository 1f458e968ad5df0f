// Set-based dataset removal (thousands at once, every membership, refusal without partial
// deletion) and the lean one-RUN listing (constant governor columns left out of the rows, the
// result fetched as one aggregate row), checked against the general query path, including
// stored IDs that are not 32 lowercase hex digits.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataCoordinate } from '../../../core/dimensions/index.js';
import { OrphanedRecordError, Registry } from '../../../core/registry/index.js';
import { makeTestRegistry, rawDataIds, tai, tempDir } from './fixtures.js';

let registry: Registry;
let cleanup: () => void;

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  registry = makeTestRegistry(t.dir);
});
afterEach(() => {
  registry.close();
  cleanup();
});

const count = (table: string) => registry.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get<{ n: number }>()!.n;
const tagTable = (name: string) => registry.db.prepare('SELECT tag_association_table AS t FROM dataset_type WHERE name = ?').get<{ t: string }>(name)!.t;

describe('removeDatasets', () => {
  it('removes thousands of datasets of several types from RUN, TAGGED and CALIBRATION collections at once', () => {
    registry.registerRun('run');
    registry.registerCollection('tagged', 'TAGGED');
    registry.registerCollection('calib', 'CALIBRATION');
    const raws = registry.insertDatasets('raw', rawDataIds(), 'run');
    const more = Array.from({ length: 100 }, (_, k) => {
      registry.registerRun(`bulk${k}`);
      return registry.insertDatasets('raw', rawDataIds(), `bulk${k}`);
    }).flat();
    const biases = registry.insertDatasets('bias', [0, 1, 2, 3].map((detector) => ({ instrument: 'Cam', detector })), 'run');
    registry.associate('tagged', raws.slice(0, 5));
    registry.certify('calib', biases, { begin: tai('2025-01-01T00:00:00'), end: tai('2025-02-01T00:00:00') });
    const all = [...raws, ...more, ...biases];
    expect(all.length).toBe(24 + 2400 + 4);
    registry.removeDatasets(all);
    expect(count('dataset')).toBe(0);
    expect(count(tagTable('raw'))).toBe(0);
    expect(count(tagTable('bias'))).toBe(0);
    const calibTable = registry.db.prepare("SELECT calibration_association_table AS t FROM dataset_type WHERE name = 'bias'").get<{ t: string }>()!.t;
    expect(count(calibTable)).toBe(0);
    // Removing them again (already gone) is not an error.
    registry.removeDatasets(all.slice(0, 3));
  });

  it('refuses, removing nothing, when one dataset is still stored, and names it', () => {
    registry.registerRun('run');
    const refs = registry.insertDatasets('raw', rawDataIds(), 'run');
    registry.db.prepare('INSERT INTO dataset_location VALUES (?, ?)').run('FileDatastore@<butlerRoot>', refs[17].id.replace(/-/g, ''));
    expect(() => registry.removeDatasets(refs)).toThrow(new RegExp(`${refs[17].id}.*still stored in datastore 'FileDatastore@<butlerRoot>'`));
    expect(() => registry.removeDatasets(refs)).toThrow(OrphanedRecordError);
    expect(count('dataset')).toBe(refs.length);
    expect(count(tagTable('raw'))).toBe(refs.length);
  });
});

describe('listing one RUN', () => {
  const general = (collection: string) =>
    registry.queryDatasets('raw', { collections: collection, orderBy: ['instrument', 'detector', 'exposure'] }).map((r) => `${r.id} ${r.run} ${r.dataId.toString()}`);
  const lean = (collection: string, extra: { where?: string; limit?: number; offset?: number } = {}) =>
    registry.queryDatasets('raw', { collections: collection, ...extra }).map((r) => `${r.id} ${r.run} ${r.dataId.toString()}`);

  it('gives the same refs as the general path, with the single instrument filled in', () => {
    registry.registerRun('run');
    registry.insertDatasets('raw', rawDataIds(), 'run');
    expect(registry.explainQueryDatasets('raw', { collections: 'run' })!.sql.split(' FROM ')[0]).not.toMatch(/instrument/);
    const refs = registry.queryDatasets('raw', { collections: 'run' });
    expect(refs.every((r) => r.dataId.values.instrument === 'Cam' && r.run === 'run' && /^[0-9a-f-]{36}$/.test(r.id))).toBe(true);
    expect(lean('run')).toEqual(general('run'));
    expect(lean('run', { where: 'detector = 2' })).toEqual(general('run').filter((s) => s.includes('detector: 2,')));
    expect(lean('run', { limit: 5, offset: 3 })).toEqual(general('run').slice(3, 8));
  });

  it('selects the instrument per row when the RUN holds two', () => {
    registry.insertDimensionData('instrument', [{ name: 'Other', visit_max: 10, visit_system: 0, exposure_max: 10, detector_max: 4, class_name: 'test.Other' }]);
    registry.insertDimensionData('detector', [{ instrument: 'Other', id: 0, full_name: 'O0', purpose: 'SCIENCE' }]);
    registry.insertDimensionData('day_obs', [{ instrument: 'Other', id: 20250101, timespan: null }]);
    registry.insertDimensionData('group', [{ instrument: 'Other', name: 'g' }]);
    registry.insertDimensionData('physical_filter', [{ instrument: 'Other', name: 'o', band: 'g' }]);
    registry.insertDimensionData('exposure', [{ instrument: 'Other', id: 1, obs_id: 'O_1', day_obs: 20250101, group: 'g', physical_filter: 'o', exposure_time: 1, observation_type: 'science', seq_num: 1, has_simulated: false, can_see_sky: true, timespan: null }]);
    registry.registerRun('run');
    registry.insertDatasets('raw', [...rawDataIds([1], [0]), { instrument: 'Other', detector: 0, exposure: 1 }], 'run');
    expect(registry.explainQueryDatasets('raw', { collections: 'run' })!.sql.split(' FROM ')[0]).toMatch(/t\."instrument"/);
    const refs = registry.queryDatasets('raw', { collections: 'run' });
    expect(refs.map((r) => r.dataId.values.instrument)).toEqual(['Cam', 'Other']);
    expect(refs[1].dataId.equals(DataCoordinate.standardize(registry.dimensions, { instrument: 'Other', detector: 0, exposure: 1 }, { dimensions: refs[1].datasetType.dimensions }))).toBe(true);
    expect(lean('run')).toEqual(general('run'));
  });

  it('falls back to one row per dataset when the one-row aggregate would be too big for SQLite or V8', () => {
    registry.registerRun('run');
    registry.insertDatasets('raw', rawDataIds(), 'run');
    const expected = lean('run');
    const db = registry.db;
    const prepare = db.prepare.bind(db);
    // A RUN of tens of millions of IDs: SQLite refuses the group_concat (SQLITE_TOOBIG).
    const spy = vi.spyOn(db, 'prepare').mockImplementation((sql: string) => {
      const stmt = prepare(sql);
      if (!sql.startsWith('SELECT count(*), unhex(')) return stmt;
      return Object.assign(Object.create(Object.getPrototypeOf(stmt) as object) as typeof stmt, stmt, {
        rows: () => {
          throw Object.assign(new Error('string or blob too big'), { code: 'SQLITE_TOOBIG' });
        },
      });
    });
    try {
      expect(lean('run')).toEqual(expected);
      expect(spy.mock.calls.some(([sql]) => String(sql).startsWith('SELECT count(*), unhex('))).toBe(true);
      // Any other failure is not hidden.
      spy.mockImplementation(() => {
        throw new Error('disk I/O error');
      });
      expect(() => lean('run')).toThrow('disk I/O error');
    } finally {
      spy.mockRestore();
    }
  });

  it('lists thousands in the same order as the general path, empty RUNs and RUNs without the type too', () => {
    const more = Array.from({ length: 40 }, (_, k) => k + 7);
    registry.insertDimensionData('exposure', more.map((id) => ({
      instrument: 'Cam', id, obs_id: `CAM_${id}`, day_obs: 20250102, group: 'g2', physical_filter: 'r_1', exposure_time: 1, observation_type: 'science', seq_num: id, has_simulated: false, can_see_sky: true, timespan: null,
    })));
    registry.registerRun('run');
    registry.registerRun('empty');
    // Inserted out of order: the listing's order comes from the query, not from insertion.
    registry.insertDatasets('raw', rawDataIds([...more].reverse(), [3, 1, 0, 2]), 'run');
    expect(lean('run')).toHaveLength(160);
    expect(lean('run')).toEqual(general('run'));
    expect(lean('run', { where: 'exposure > 40', limit: 7, offset: 5 })).toEqual(general('run').filter((s) => Number(/exposure: (\d+)/.exec(s)![1]) > 40).slice(5, 12));
    expect(registry.queryDatasets('raw', { collections: 'empty' })).toEqual([]);
    expect(registry.queryDatasets('calexp', { collections: 'run' })).toEqual([]);
    expect(registry.countDatasets('calexp', { collections: 'run' })).toBe(0);
  });

  it('selects the instrument per row when the registry has no instrument summary table', () => {
    registry.registerRun('run');
    registry.insertDatasets('raw', rawDataIds([1, 2], [0, 1]), 'run');
    const before = lean('run');
    registry.db.exec('PRAGMA foreign_keys = OFF');
    registry.db.exec('DROP TABLE collection_summary_instrument');
    expect(registry.db.tableExists('collection_summary_instrument')).toBe(false);
    expect(registry.explainQueryDatasets('raw', { collections: 'run' })!.sql.split(' FROM ')[0]).toMatch(/t\."instrument"/);
    expect(lean('run')).toEqual(before);
    expect(registry.queryDatasets('raw', { collections: 'run', orderBy: '-exposure' }).map((r) => r.dataId.values.exposure)).toEqual([2, 2, 1, 1]);
  });

  it('normalises stored IDs in capitals and names a stored ID that is not a UUID', () => {
    registry.registerRun('run');
    const refs = registry.insertDatasets('raw', rawDataIds([1], [0, 1, 2]), 'run');
    registry.db.exec('PRAGMA foreign_keys = OFF');
    const table = tagTable('raw');
    const setStored = (ref: { id: string }, stored: string) => registry.db.prepare(`UPDATE ${table} SET dataset_id = ? WHERE dataset_id = ?`).run(stored, ref.id.replace(/-/g, ''));
    setStored(refs[1], refs[1].id.replace(/-/g, '').toUpperCase());
    expect(registry.queryDatasets('raw', { collections: 'run' }).map((r) => r.id)).toEqual(refs.map((r) => r.id));
    // 31 + 33 digits: the total length still fits two IDs, each one is wrong.
    const hex0 = refs[0].id.replace(/-/g, '');
    registry.db.prepare(`UPDATE ${table} SET dataset_id = ? WHERE dataset_id = ?`).run(hex0.slice(0, 31), hex0);
    setStored(refs[2], `${refs[2].id.replace(/-/g, '')}0`);
    expect(() => registry.queryDatasets('raw', { collections: 'run' })).toThrow(new RegExp(`'${hex0.slice(0, 31)}' is not a UUID`));
    registry.db.prepare(`UPDATE ${table} SET dataset_id = ? WHERE dataset_id = ?`).run(hex0, hex0.slice(0, 31));
    setStored({ id: `${refs[2].id}0` }, `${'g'.repeat(31)}0`);
    expect(() => registry.queryDatasets('raw', { collections: 'run' })).toThrow(/'g{8}-g{4}-g{4}-g{4}-g{11}0' is not a UUID/);
  });
});
