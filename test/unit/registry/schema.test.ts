import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetType } from '../../../core/datasets/index.js';
import { MANAGERS, Registry } from '../../../core/registry/index.js';
import { realRepo, referenceSchema, tempDir } from './fixtures.js';

type Columns = Map<string, string[]>;

function columnsOf(db: Database.Database): Columns {
  const out: Columns = new Map();
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
  for (const t of tables) {
    out.set(t, (db.prepare('SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info(?) ORDER BY cid').all(t) as { name: string; type: string; nn: number; pk: number }[])
      .map((c) => `${c.name} ${c.type}${c.nn ? ' NOT NULL' : ''}${c.pk ? ` PK${c.pk}` : ''}`));
  }
  return out;
}

function indexesOf(db: Database.Database): Set<string> {
  return new Set((db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name));
}

describe('registry schema equals daf_butler\'s', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const registry = Registry.create(path.join(dir, 'gen3.sqlite3'));
  // The real repository has the raw dataset type; register the same so dataset_tags_00000001 exists too.
  registry.registerDatasetType(DatasetType.fromNames(registry.dimensions, 'raw', ['instrument', 'detector', 'exposure'], 'Exposure'));
  registry.close();
  const ours = new Database(path.join(dir, 'gen3.sqlite3'), { readonly: true });
  const real = new Database(path.join(realRepo, 'gen3.sqlite3'), { readonly: true });

  it('has exactly the tables, columns, types, NOT NULLs and keys of the real universe-v7 repository', () => {
    const a = columnsOf(ours);
    const b = columnsOf(real);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [table, cols] of b) {
      // dataset_location_trash: daf_butler's bridge 0.2.1 (current) orders the key (dataset_id, datastore_name); the real repo is 0.2.0.
      if (table === 'dataset_location_trash') {
        expect(new Set(a.get(table)!.map((c) => c.replace(/ PK\d/, '')))).toEqual(new Set(cols.map((c) => c.replace(/ PK\d/, ''))));
        continue;
      }
      expect(a.get(table), table).toEqual(cols);
    }
  });

  it('has every named index of the real repository, plus only our timespan indexes on temporal elements', () => {
    const mine = indexesOf(ours);
    const theirs = indexesOf(real);
    for (const name of theirs) expect(mine.has(name), name).toBe(true);
    expect([...mine].filter((n) => !theirs.has(n)).sort()).toEqual([
      'day_obs_idx_timespan_begin_timespan_end', 'exposure_idx_timespan_begin_timespan_end', 'visit_idx_timespan_begin_timespan_end',
    ]);
  });

  it('matches daf_butler main\'s schema (daf_butler_schema_head.sql) for every table outside the v8-only ssp dimensions', () => {
    const head = new Database(':memory:');
    head.exec(readFileSync(referenceSchema, 'utf8'));
    const a = columnsOf(ours);
    const b = columnsOf(head);
    const v8Only = [...b.keys()].filter((t) => t.startsWith('ssp_'));
    expect(v8Only.sort()).toEqual(['ssp_balanced_index', 'ssp_hypothesis_bundle', 'ssp_hypothesis_table']);
    // head also has dataset_tags_00000000 (a dataset type with no dimensions): make ours have it too and compare.
    const expectedTables = [...b.keys()].filter((t) => !v8Only.includes(t) && t !== 'dataset_tags_00000000').sort();
    expect([...a.keys()].sort()).toEqual(expectedTables);
    for (const t of expectedTables) expect(a.get(t), t).toEqual(b.get(t));
    head.close();
  });

  it('records daf_butler\'s manager classes and versions, and the universe as config:dimensions.json', () => {
    const attrs = new Map((ours.prepare('SELECT name, value FROM butler_attributes').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]));
    const realAttrs = new Map((real.prepare('SELECT name, value FROM butler_attributes').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]));
    for (const m of MANAGERS) {
      expect(attrs.get(`config:registry.managers.${m.kind}`)).toBe(realAttrs.get(`config:registry.managers.${m.kind}`));
      expect(attrs.get(`version:${m.className}`)).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(attrs.get('config:dimensions.json')).toBe(realAttrs.get('config:dimensions.json'));
    expect(ours.prepare('SELECT table_name FROM opaque_meta').all()).toEqual([{ table_name: 'file_datastore_records' }]);
  });

  it('a dataset type without dimensions and a calibration type get daf_butler-shaped tables', () => {
    const { dir: d2, cleanup: c2 } = tempDir();
    try {
      const r = Registry.create(d2);
      r.registerDatasetType(DatasetType.fromNames(r.dimensions, 'packages', [], 'Packages'));
      r.registerDatasetType(DatasetType.fromNames(r.dimensions, 'bias', ['instrument', 'detector'], 'ExposureF', { isCalibration: true }));
      r.close();
      const db = new Database(path.join(d2, 'gen3.sqlite3'), { readonly: true });
      const head = new Database(':memory:');
      head.exec(readFileSync(referenceSchema, 'utf8'));
      expect(columnsOf(db).get('dataset_tags_00000001')).toEqual(columnsOf(head).get('dataset_tags_00000000'));
      expect(columnsOf(db).get('dataset_calibs_00000002')).toEqual([
        'id INTEGER NOT NULL PK1', 'dataset_type_id BIGINT NOT NULL', 'dataset_id CHAR(32) NOT NULL', 'collection_id BIGINT NOT NULL',
        'instrument VARCHAR(32) NOT NULL', 'detector BIGINT NOT NULL', 'timespan_begin BIGINT NOT NULL', 'timespan_end BIGINT NOT NULL',
      ]);
      expect(db.prepare('SELECT name, calibration_association_table FROM dataset_type ORDER BY id').all()).toEqual([
        { name: 'packages', calibration_association_table: null }, { name: 'bias', calibration_association_table: 'dataset_calibs_00000002' },
      ]);
      db.close();
      head.close();
    } finally {
      c2();
    }
  });
});
