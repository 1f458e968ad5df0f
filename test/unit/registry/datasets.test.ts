import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetRef, DatasetType, makeDatasetId } from '../../../core/datasets/index.js';
import { DataCoordinate } from '../../../core/dimensions/index.js';
import {
  CalibrationLookupError, CollectionTypeError, ConflictingDefinitionError, DataIdValueError, DimensionNameError, MissingDatasetTypeError,
  OrphanedRecordError, Registry,
} from '../../../core/registry/index.js';
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

describe('dataset types', () => {
  it('registers idempotently, refuses conflicting definitions, names unknown types', () => {
    const raw = DatasetType.fromNames(registry.dimensions, 'raw', ['instrument', 'detector', 'exposure'], 'Exposure');
    expect(registry.registerDatasetType(raw)).toBe(false);
    const other = DatasetType.fromNames(registry.dimensions, 'raw', ['instrument', 'detector', 'visit'], 'ExposureF');
    expect(() => registry.registerDatasetType(other)).toThrow(ConflictingDefinitionError);
    expect(() => registry.registerDatasetType(other)).toThrow(/dimensions instrument, detector, exposure vs instrument, detector, visit; storage class Exposure vs ExposureF/);
    expect(() => registry.getDatasetType('rawr')).toThrow(MissingDatasetTypeError);
    expect(registry.getDatasetType('calexp.wcs').storageClassName).toBe('Wcs');
    expect(registry.queryDatasetTypes('ca*').map((t) => t.name)).toEqual(['calexp']);
    expect(() => registry.registerDatasetType(registry.getDatasetType('calexp.wcs'))).toThrow(/Component dataset type/);
    // shared tag table per dimension group
    expect(registry.db.prepare("SELECT name, tag_association_table AS t FROM dataset_type ORDER BY id").all()).toEqual([
      { name: 'raw', t: 'dataset_tags_00000001' }, { name: 'calexp', t: 'dataset_tags_00000002' }, { name: 'bias', t: 'dataset_tags_00000003' },
    ]);
  });
});

describe('insertDatasets', () => {
  it('inserts in a RUN with UUIDv7 ids and reads them back', () => {
    registry.registerRun('run');
    const refs = registry.insertDatasets('raw', rawDataIds([1, 2]), 'run');
    expect(refs).toHaveLength(8);
    expect(refs[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const back = registry.getDataset(refs[3].id)!;
    expect(back.equals(refs[3])).toBe(true);
    expect(back.dataId.toJSON()).toEqual({ instrument: 'Cam', detector: 3, exposure: 1 });
    expect(back.run).toBe('run');
    const ingest = registry.db.prepare('SELECT CAST(ingest_date AS TEXT) AS t FROM dataset LIMIT 1').get<{ t: string }>()!.t;
    const nowTai = (BigInt(Date.now()) + 37_000n) * 1_000_000n;
    expect(BigInt(ingest) > nowTai - 60_000_000_000n && BigInt(ingest) <= nowTai + 1_000_000_000n).toBe(true);
  });

  it('makes daf_butler deterministic ids in DATAID_TYPE_RUN mode', () => {
    registry.registerRun('Cam/raw/all');
    const [ref] = registry.insertDatasets('raw', [{ instrument: 'Cam', detector: 1, exposure: 2 }], 'Cam/raw/all', 'DATAID_TYPE_RUN');
    expect(ref.id).toBe(makeDatasetId('raw', { instrument: 'Cam', detector: 1, exposure: 2 }, 'Cam/raw/all', 'DATAID_TYPE_RUN'));
    expect(() => registry.insertDatasets('raw', [{ instrument: 'Cam', detector: 1, exposure: 2 }], 'Cam/raw/all', 'DATAID_TYPE_RUN')).toThrow(ConflictingDefinitionError);
  });

  it('rejects bad input with clear errors and changes nothing', () => {
    registry.registerRun('run');
    registry.registerCollection('tagged', 'TAGGED');
    const before = count('dataset');
    expect(() => registry.insertDatasets('raw', [...rawDataIds([1]), { instrument: 'Cam', detector: 1, exposure: 99 }], 'run')).toThrow(DataIdValueError);
    expect(() => registry.insertDatasets('raw', [{ instrument: 'Cam', detector: 1, exposure: 99 }], 'run')).toThrow(/exposure \{instrument: 'Cam', exposure: 99\} is not in the registry/);
    expect(() => registry.insertDatasets('raw', [{ instrument: 'Nope', detector: 1, exposure: 1 }], 'run')).toThrow(/instrument 'Nope' is not in the registry/);
    expect(() => registry.insertDatasets('raw', [{ instrument: 'Cam', detectr: 1, exposure: 1 }], 'run')).toThrow(DimensionNameError);
    expect(() => registry.insertDatasets('raw', rawDataIds([1]), 'tagged')).toThrow(CollectionTypeError);
    expect(() => registry.insertDatasets('raw', [...rawDataIds([1]), ...rawDataIds([1])], 'run')).toThrow(/already exists in RUN 'run'/);
    expect(() => registry.insertDatasets('nope', rawDataIds([1]), 'run')).toThrow(MissingDatasetTypeError);
    expect(count('dataset')).toBe(before);
    expect(count('dataset_tags_00000001')).toBe(0);
    expect(count('collection_summary_dataset_type')).toBe(0);
  });

  it('imports datasets with their ids, idempotently, and refuses id clashes', () => {
    registry.registerRun('run');
    const raw = registry.getDatasetType('raw');
    const ref = new DatasetRef(raw, DataCoordinate.standardize(registry.dimensions, { instrument: 'Cam', detector: 0, exposure: 1 }, { dimensions: raw.dimensions }), 'run', '138f0b4b-33ba-5524-b843-e77079ced6ac');
    registry.importDatasets([ref]);
    registry.importDatasets([ref]);
    expect(registry.getDataset(ref.id)!.toString()).toBe(ref.toString());
    const clash = new DatasetRef(raw, DataCoordinate.standardize(registry.dimensions, { instrument: 'Cam', detector: 1, exposure: 1 }, { dimensions: raw.dimensions }), 'run', ref.id);
    expect(() => registry.importDatasets([clash])).toThrow(/already exists as raw@\{instrument: 'Cam', detector: 0/);
  });

  it('removes datasets from every collection, unless a datastore still holds them', () => {
    registry.registerRun('run');
    registry.registerCollection('tagged', 'TAGGED');
    const refs = registry.insertDatasets('raw', rawDataIds([1]), 'run');
    registry.associate('tagged', refs);
    registry.db.prepare('INSERT INTO dataset_location VALUES (?, ?)').run('FileDatastore@<butlerRoot>', refs[0].id.replace(/-/g, ''));
    expect(() => registry.removeDatasets(refs)).toThrow(OrphanedRecordError);
    expect(count('dataset')).toBe(4);
    registry.removeDatasets(refs.slice(1));
    expect(count('dataset')).toBe(1);
    expect(registry.queryDatasets('raw', { collections: 'tagged' }).map((r) => r.id)).toEqual([refs[0].id]);
  });
});

describe('find-first through chains and TAGGED collections', () => {
  it('finds the first match in search order and follows nested chains', () => {
    registry.registerRun('old');
    registry.registerRun('new');
    registry.registerCollection('inner', 'CHAINED');
    registry.registerCollection('all', 'CHAINED');
    const oldRefs = registry.insertDatasets('raw', rawDataIds([1, 2]), 'old');
    const newRefs = registry.insertDatasets('raw', rawDataIds([2, 3]), 'new');
    registry.setCollectionChain('inner', ['new']);
    registry.setCollectionChain('all', ['inner', 'old']);
    const d = { instrument: 'Cam', detector: 1, exposure: 2 };
    expect(registry.findDataset('raw', d, { collections: 'all' })!.run).toBe('new');
    expect(registry.findDataset('raw', d, { collections: ['old', 'new'] })!.run).toBe('old');
    expect(registry.findDataset('raw', { ...d, exposure: 1 }, { collections: 'all' })!.run).toBe('old');
    expect(registry.findDataset('raw', { ...d, exposure: 4 }, { collections: 'all' })).toBeNull();
    expect(registry.findDataset('raw.wcs', d, { collections: 'all' })!.datasetType.name).toBe('raw.wcs');
    const ff = registry.queryDatasets('raw', { collections: 'all', findFirst: true });
    expect(ff).toHaveLength(12);
    expect(ff.filter((r) => r.run === 'new')).toHaveLength(8);
    expect(registry.queryDatasets('raw', { collections: 'all' })).toHaveLength(16);
    expect(registry.countDatasets('raw', { collections: 'all', findFirst: true })).toBe(12);
    expect(() => registry.queryDatasets('raw', { collections: '*', findFirst: true })).toThrow(/ordered list of collections/);
    expect(oldRefs.length + newRefs.length).toBe(16);
  });

  it('associates and disassociates with TAGGED collections', () => {
    registry.registerRun('a');
    registry.registerRun('b');
    registry.registerCollection('best', 'TAGGED');
    const a = registry.insertDatasets('raw', rawDataIds([1]), 'a');
    const b = registry.insertDatasets('raw', rawDataIds([1]), 'b');
    registry.associate('best', a.slice(0, 2));
    registry.associate('best', a.slice(0, 2));
    expect(() => registry.associate('best', [b[0]])).toThrow(/already has a different raw dataset with data ID \{instrument: 'Cam', detector: 0, exposure: 1\}/);
    registry.associate('best', [b[2]]);
    expect(registry.queryDatasets('raw', { collections: 'best' }).map((r) => r.run)).toEqual(['a', 'a', 'b']);
    registry.disassociate('best', [a[0]]);
    expect(registry.queryDatasets('raw', { collections: 'best' })).toHaveLength(2);
    expect(() => registry.associate('a', [b[0]])).toThrow(CollectionTypeError);
    expect(registry.queryDatasetAssociations('raw', { collections: ['best'] }).map((x) => x.collection)).toEqual(['best', 'best']);
  });
});

describe('CALIBRATION collections', () => {
  it('certifies non-overlapping validity ranges and finds by timespan', () => {
    registry.registerRun('calib/run1');
    registry.registerRun('calib/run2');
    registry.registerCollection('calib', 'CALIBRATION');
    const b1 = registry.insertDatasets('bias', [{ instrument: 'Cam', detector: 0 }], 'calib/run1');
    const b2 = registry.insertDatasets('bias', [{ instrument: 'Cam', detector: 0 }], 'calib/run2');
    registry.certify('calib', b1, { begin: tai('2025-01-01T00:00:00'), end: tai('2025-01-02T00:00:00') });
    // adjacent is fine
    registry.certify('calib', b2, { begin: tai('2025-01-02T00:00:00'), end: null });
    expect(() => registry.certify('calib', b1, { begin: tai('2025-01-03T00:00:00'), end: tai('2025-01-04T00:00:00') })).toThrow(ConflictingDefinitionError);
    expect(() => registry.certify('calib', b1, { begin: tai('2025-01-03T00:00:00'), end: tai('2025-01-04T00:00:00') })).toThrow(/overlaps the existing range \[2025-01-02T00:00:00.000, ∞\)/);
    const at = (iso: string) => ({ begin: tai(iso), end: tai(iso) + 1n });
    const d = { instrument: 'Cam', detector: 0 };
    expect(registry.findDataset('bias', d, { collections: 'calib', timespan: at('2025-01-01T12:00:00') })!.id).toBe(b1[0].id);
    expect(registry.findDataset('bias', d, { collections: 'calib', timespan: at('2030-01-01T00:00:00') })!.id).toBe(b2[0].id);
    expect(registry.findDataset('bias', d, { collections: 'calib', timespan: at('2024-01-01T00:00:00') })).toBeNull();
    expect(() => registry.findDataset('bias', d, { collections: 'calib' })).toThrow(CalibrationLookupError);
    expect(() => registry.findDataset('bias', d, { collections: 'calib', timespan: { begin: null, end: null } })).toThrow(/2 bias datasets/);
    expect(() => registry.queryDatasets('bias', { collections: 'calib', findFirst: true })).toThrow(CalibrationLookupError);
    expect(registry.queryDatasets('bias', { collections: 'calib', findFirst: true, timespan: at('2025-01-01T06:00:00') }).map((r) => r.id)).toEqual([b1[0].id]);
    expect(registry.queryDatasets('bias', { collections: 'calib' })).toHaveLength(2);
    // RUN and CALIBRATION collections in one search path: the calibration wins where it comes first.
    registry.insertDatasets('bias', [{ instrument: 'Cam', detector: 1 }], 'calib/run2');
    const mixed = registry.queryDatasets('bias', { collections: ['calib', 'calib/run2'], findFirst: true, timespan: at('2025-01-01T06:00:00') });
    expect(mixed.map((r) => `${r.dataId.get('detector')}:${r.run}`)).toEqual(['0:calib/run1', '1:calib/run2']);
    expect(registry.queryDatasets('bias', { collections: ['calib', 'calib/run2'], where: 'detector = 0' })).toHaveLength(3);
    expect(() => registry.certify('calib', registry.insertDatasets('raw', rawDataIds([1], [0]), 'calib/run1'), { begin: null, end: null })).toThrow(/not a calibration dataset type/);
    expect(() => registry.certify('calib/run1', b1, { begin: null, end: null })).toThrow(CollectionTypeError);
  });

  it('decertify removes validity and splits ranges that extend beyond it', () => {
    registry.registerRun('calib/run');
    registry.registerCollection('calib', 'CALIBRATION');
    const refs = registry.insertDatasets('bias', [{ instrument: 'Cam', detector: 0 }, { instrument: 'Cam', detector: 1 }], 'calib/run');
    registry.certify('calib', refs, { begin: tai('2025-01-01T00:00:00'), end: tai('2025-01-10T00:00:00') });
    const n = registry.decertify('calib', 'bias', { begin: tai('2025-01-04T00:00:00'), end: tai('2025-01-05T00:00:00') }, { dataIds: [{ instrument: 'Cam', detector: 0 }] });
    expect(n).toBe(1);
    const ranges = registry.queryDatasetAssociations('bias', { collections: ['calib'] })
      .map((a) => `${a.ref.dataId.get('detector')} ${a.timespan!.begin} ${a.timespan!.end}`).sort();
    expect(ranges).toEqual([
      `0 ${tai('2025-01-01T00:00:00')} ${tai('2025-01-04T00:00:00')}`,
      `0 ${tai('2025-01-05T00:00:00')} ${tai('2025-01-10T00:00:00')}`,
      `1 ${tai('2025-01-01T00:00:00')} ${tai('2025-01-10T00:00:00')}`,
    ].sort());
    expect(registry.decertify('calib', 'bias', { begin: null, end: null })).toBe(3);
    expect(registry.queryDatasetAssociations('bias', { collections: ['calib'] })).toEqual([]);
  });
});

describe('transactions', () => {
  it('rolls back everything done inside a failed transaction, and nested failures only their part', () => {
    registry.transaction(() => {
      registry.registerRun('kept');
      expect(() => registry.transaction(() => {
        registry.registerRun('inner');
        throw new Error('boom');
      })).toThrow('boom');
    });
    expect(() => registry.transaction(() => {
      registry.registerRun('lost');
      registry.insertDatasets('raw', rawDataIds([1]), 'lost');
      throw new Error('later failure');
    })).toThrow('later failure');
    expect(registry.queryCollections()).toEqual(['kept']);
    expect(count('dataset')).toBe(0);
  });
});
