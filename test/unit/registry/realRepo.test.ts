import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDatasetId, uuidToHex } from '../../../core/datasets/index.js';
import { ReadOnlyRegistryError, Registry, UnsupportedRepositoryError } from '../../../core/registry/index.js';
import { realRepo, tempDir } from './fixtures.js';

describe('a real daf_butler repository (universe v7), read-only', () => {
  let registry: Registry;
  beforeAll(() => {
    registry = Registry.open(realRepo, { readOnly: true });
  });
  afterAll(() => registry.close());

  it('reads the universe, collections and dataset types', () => {
    expect(registry.dimensions.version).toBe(7);
    expect(registry.isWriteable).toBe(false);
    expect(registry.queryCollections()).toEqual(['LSSTCam/raw/all']);
    expect(registry.getCollectionType('LSSTCam/raw/all')).toBe('RUN');
    expect(registry.queryDatasetTypes().map(String)).toEqual(["DatasetType('raw', {instrument, detector, exposure}, Exposure)"]);
  });

  it('lists the four raws with their data IDs, and their IDs are daf_butler\'s UUID5', () => {
    const refs = registry.queryDatasets('raw', { collections: 'LSSTCam/raw/all' });
    expect(refs.map((r) => r.dataId.toJSON())).toEqual([52, 53, 54, 55].map((n) => ({ instrument: 'LSSTCam', detector: 94, exposure: 2025041500000 + n })));
    for (const ref of refs) {
      expect(ref.id).toBe(makeDatasetId('raw', ref.dataId.required, ref.run, 'DATAID_TYPE_RUN'));
    }
    expect(refs.map((r) => r.id)).toContain('138f0b4b-33ba-5524-b843-e77079ced6ac');
  });

  it('gives dimension records, expanded data IDs and file locations', () => {
    expect(registry.queryDimensionRecords('detector')).toHaveLength(205);
    const [ref] = registry.queryDatasets('raw', { collections: 'LSSTCam/raw/all', where: 'exposure = 2025041500054' });
    const expanded = registry.expandDataId(ref.dataId);
    expect(expanded.toJSON()).toMatchObject({ band: 'i', physical_filter: 'i_39', day_obs: 20250415, group: '2025-04-16T00:40:20.472' });
    expect(expanded.records!.exposure!.obs_id).toBe('MC_O_20250415_000054');
    expect(expanded.records!.day_obs!.timespan).toMatchObject({ begin: 1744718400000000000n, end: 1744804800000000000n });
    const file = registry.db.prepare('SELECT path, formatter, component, file_size FROM file_datastore_records WHERE dataset_id = ?').get(uuidToHex(ref.id));
    expect(file).toEqual({
      path: 'LSSTCam/raw/all/raw/20250415/MC_O_20250415_000054/raw_LSSTCam_i_39_MC_O_20250415_000054_R22_S11_LSSTCam_raw_all.fits',
      formatter: 'lsst.obs.lsst.rawFormatter.LsstCamRawFormatter', component: '__NULL_STRING__', file_size: 18964800,
    });
    expect(registry.db.prepare('SELECT datastore_name FROM dataset_location WHERE dataset_id = ?').get(uuidToHex(ref.id))).toEqual({ datastore_name: 'FileDatastore@<butlerRoot>' });
  });

  it('refuses writes on a read-only registry, saying why', () => {
    expect(() => registry.registerRun('x')).toThrow(ReadOnlyRegistryError);
    expect(() => registry.registerRun('x')).toThrow(/open read-only/);
  });
});

describe('opening repositories we cannot or must not write', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  function copyWith(name: string, sql: string): string {
    const d = path.join(dir, name);
    mkdirSync(d);
    copyFileSync(path.join(realRepo, 'gen3.sqlite3'), path.join(d, 'gen3.sqlite3'));
    const db = new Database(path.join(d, 'gen3.sqlite3'));
    db.exec(sql);
    db.close();
    return d;
  }

  it('names an unsupported manager class', () => {
    const d = copyWith('namekey', "UPDATE butler_attributes SET value = 'lsst.daf.butler.registry.collections.nameKey.NameKeyCollectionManager' WHERE name = 'config:registry.managers.collections'");
    expect(() => Registry.open(d)).toThrow(UnsupportedRepositoryError);
    expect(() => Registry.open(d)).toThrow(/collections manager lsst.daf.butler.registry.collections.nameKey.NameKeyCollectionManager is not supported/);
  });

  it('names an unsupported major version', () => {
    const d = copyWith('major', "UPDATE butler_attributes SET value = '3.0.0' WHERE name LIKE 'version:%ByDimensionsDatasetRecordStorageManagerUUID'");
    expect(() => Registry.open(d)).toThrow(/datasets manager version 3.0.0 is not supported/);
  });

  it('opens a repository with a newer minor version read-only and says so', () => {
    const d = copyWith('minor', "UPDATE butler_attributes SET value = '2.5.0' WHERE name LIKE 'version:%ByDimensionsDatasetRecordStorageManagerUUID'");
    const r = Registry.open(d);
    try {
      expect(r.isWriteable).toBe(false);
      expect(r.readOnlyReasons.join()).toMatch(/datasets manager version 2.5.0 is newer than ours/);
      expect(() => r.registerRun('x')).toThrow(/newer than ours/);
      expect(r.queryDatasets('raw', { collections: '*' })).toHaveLength(4);
    } finally {
      r.close();
    }
  });

  it('opens a writable copy and adds to it in daf_butler\'s schema', () => {
    const d = copyWith('writable', 'SELECT 1');
    const r = Registry.open(d);
    try {
      expect(r.isWriteable).toBe(true);
      r.registerRun('LSSTCam/raw/more');
      const [ref] = r.insertDatasets('raw', [{ instrument: 'LSSTCam', detector: 95, exposure: 2025041500052 }], 'LSSTCam/raw/more', 'DATAID_TYPE_RUN');
      expect(r.queryDatasets('raw', { collections: ['LSSTCam/raw/more', 'LSSTCam/raw/all'], findFirst: true })).toHaveLength(5);
      expect(r.db.prepare('SELECT COUNT(*) AS n FROM dataset_tags_00000001 WHERE dataset_id = ?').get(uuidToHex(ref.id))).toEqual({ n: 1 });
    } finally {
      r.close();
    }
  });

  it('says clearly when a path is not a repository', () => {
    expect(() => Registry.open(path.join(dir, 'missing'))).toThrow(/is not a Butler repository/);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    expect(() => Registry.open(empty)).toThrow(/gen3.sqlite3 does not exist/);
    const other = path.join(dir, 'other.sqlite3');
    new Database(other).exec('CREATE TABLE t (x)');
    expect(() => Registry.open(other)).toThrow(/not a daf_butler registry \(it has no butler_attributes table\)/);
    const text = path.join(dir, 'text.sqlite3');
    writeFileSync(text, 'hello, this is not SQLite at all, just some text long enough');
    expect(() => Registry.open(text)).toThrow(UnsupportedRepositoryError);
    expect(() => Registry.create(other)).toThrow(/already exists/);
  });
});
