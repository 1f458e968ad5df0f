// Large insertDatasets batches load with SQLite's foreign keys off and check references themselves;
// they must accept and refuse exactly what the checked path does, with the same errors, and leave
// nothing behind on failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDatasetId } from '../../../core/datasets/index.js';
import { ConflictingDefinitionError, DataIdValueError, type Registry } from '../../../core/registry/index.js';
import { makeTestRegistry, tempDir } from './fixtures.js';

let registry: Registry;
let cleanup: () => void;
const EXPOSURES = 120;

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  registry = makeTestRegistry(t.dir);
  registry.insertDimensionData('exposure', Array.from({ length: EXPOSURES - 6 }, (_, k) => ({
    instrument: 'Cam', id: 7 + k, obs_id: `CAM_${7 + k}`, day_obs: 20250102, group: 'g2', physical_filter: 'g_1',
  })));
});
afterAll(() => {
  registry.close();
  cleanup();
});

/** Every exposure × detector 0..3 (480 data IDs: above the bulk-load threshold). */
const bigBatch = () => Array.from({ length: EXPOSURES * 4 }, (_, n) => ({ instrument: 'Cam', detector: n % 4, exposure: Math.floor(n / 4) + 1 }));
const foreignKeysOn = () => (registry.db.prepare('PRAGMA foreign_keys').get<{ foreign_keys: number }>()!.foreign_keys === 1);
const count = (run: string) => registry.countDatasets('raw', { collections: run });
const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
};

describe('bulk insertDatasets', () => {
  it('inserts a large batch, refs in caller order, deterministic IDs as daf_butler makes them', () => {
    registry.registerRun('bulk/ok');
    const dataIds = bigBatch().reverse();
    const refs = registry.insertDatasets('raw', dataIds, 'bulk/ok', 'DATAID_TYPE_RUN');
    expect(refs.map((r) => r.dataId.get('exposure'))).toEqual(dataIds.map((d) => d.exposure));
    expect(refs.map((r) => r.id)).toEqual(dataIds.map((d) => makeDatasetId('raw', d, 'bulk/ok', 'DATAID_TYPE_RUN')));
    expect(count('bulk/ok')).toBe(dataIds.length);
    expect(registry.getDataset(refs[17].id)!.dataId.equals(refs[17].dataId)).toBe(true);
    expect(foreignKeysOn()).toBe(true);
  });

  it('refuses a missing dimension record with the same error as a small batch, inserting nothing', () => {
    const bad = { instrument: 'Cam', detector: 2, exposure: EXPOSURES + 1 };
    registry.registerRun('bulk/bad');
    const small = errorOf(() => registry.insertDatasets('raw', [bad], 'bulk/bad'));
    const batch = bigBatch();
    batch.splice(300, 0, bad);
    const big = errorOf(() => registry.insertDatasets('raw', batch, 'bulk/bad'));
    expect(small).toBeInstanceOf(DataIdValueError);
    expect(big).toBeInstanceOf(DataIdValueError);
    expect(big.message).toBe(small.message);
    expect(big.message).toMatch(/exposure \{instrument: 'Cam', exposure: 121\} is not in the registry/);
    expect(count('bulk/bad')).toBe(0);
    expect(foreignKeysOn()).toBe(true);
  });

  it('refuses an unknown governor value and a missing detector the same way', () => {
    registry.registerRun('bulk/gov');
    const unknownInstrument = bigBatch().map((d, i) => (i === 400 ? { ...d, instrument: 'Nope' } : d));
    const smallGov = errorOf(() => registry.insertDatasets('raw', [{ instrument: 'Nope', detector: 0, exposure: 1 }], 'bulk/gov'));
    const bigGov = errorOf(() => registry.insertDatasets('raw', unknownInstrument, 'bulk/gov'));
    expect(bigGov).toBeInstanceOf(DataIdValueError);
    expect(bigGov.message).toBe(smallGov.message);
    const noDetector = bigBatch().map((d, i) => (i === 5 ? { ...d, detector: 9 } : d));
    const bigDet = errorOf(() => registry.insertDatasets('raw', noDetector, 'bulk/gov'));
    const smallDet = errorOf(() => registry.insertDatasets('raw', [noDetector[5]], 'bulk/gov'));
    expect(bigDet.message).toBe(smallDet.message);
    expect(count('bulk/gov')).toBe(0);
    expect(foreignKeysOn()).toBe(true);
  });

  it('refuses duplicates and keeps checking keys inside a caller transaction', () => {
    registry.registerRun('bulk/dup');
    const batch = bigBatch();
    expect(() => registry.insertDatasets('raw', [...batch, batch[10]], 'bulk/dup')).toThrow(ConflictingDefinitionError);
    expect(count('bulk/dup')).toBe(0);
    const bad = bigBatch().map((d, i) => (i === 7 ? { ...d, exposure: EXPOSURES + 5 } : d));
    expect(() => registry.transaction(() => registry.insertDatasets('raw', bad, 'bulk/dup'))).toThrow(DataIdValueError);
    registry.transaction(() => registry.insertDatasets('raw', batch, 'bulk/dup'));
    expect(count('bulk/dup')).toBe(batch.length);
    expect(foreignKeysOn()).toBe(true);
  });
});
