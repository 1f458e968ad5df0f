import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CollectionCycleError, CollectionTypeError, ConflictingDefinitionError, MissingCollectionError, OrphanedRecordError, Registry,
} from '../../../core/registry/index.js';
import { makeTestRegistry, rawDataIds, tempDir } from './fixtures.js';

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

describe('collections', () => {
  it('registers each type once and refuses a different type under the same name', () => {
    expect(registry.registerRun('run/a')).toBe(true);
    expect(registry.registerRun('run/a')).toBe(false);
    expect(registry.registerCollection('tagged', 'TAGGED', 'hand-picked')).toBe(true);
    expect(registry.registerCollection('calib', 'CALIBRATION')).toBe(true);
    expect(registry.registerCollection('chain', 'CHAINED')).toBe(true);
    expect(() => registry.registerCollection('run/a', 'TAGGED')).toThrow(ConflictingDefinitionError);
    expect(() => registry.registerCollection('run/a', 'TAGGED')).toThrow(/already exists with type RUN/);
    expect(registry.getCollectionType('tagged')).toBe('TAGGED');
    expect(registry.getCollectionInfo('tagged').doc).toBe('hand-picked');
    expect(() => registry.getCollectionType('nope')).toThrow(MissingCollectionError);
    expect(() => registry.registerRun('bad*name')).toThrow(/wildcard/);
  });

  it('keeps chains ordered and nested, flattens them, and detects cycles', () => {
    for (const r of ['a', 'b', 'c']) registry.registerRun(r);
    registry.registerCollection('inner', 'CHAINED');
    registry.registerCollection('outer', 'CHAINED');
    registry.setCollectionChain('inner', ['b', 'a']);
    registry.setCollectionChain('outer', ['c', 'inner']);
    expect(registry.getCollectionChain('outer')).toEqual(['c', 'inner']);
    expect(registry.queryCollections('outer', { flattenChains: true })).toEqual(['c', 'b', 'a']);
    expect(registry.queryCollections('outer', { flattenChains: true, includeChains: true })).toEqual(['outer', 'c', 'b', 'a']);
    expect(registry.queryCollections('*', { types: ['CHAINED'] })).toEqual(['inner', 'outer']);
    expect(registry.queryCollections(['?'])).toEqual(['a', 'b', 'c']);
    expect(() => registry.setCollectionChain('inner', ['outer'])).toThrow(CollectionCycleError);
    expect(() => registry.setCollectionChain('inner', ['inner'])).toThrow(/would then contain itself/);
    // the failed change left the chain as it was
    expect(registry.getCollectionChain('inner')).toEqual(['b', 'a']);
    expect(() => registry.setCollectionChain('a', ['b'])).toThrow(CollectionTypeError);
    expect(() => registry.setCollectionChain('inner', ['missing'])).toThrow(MissingCollectionError);
    expect(registry.getCollectionParentChains('a')).toEqual(['inner']);
  });

  it('removes collections: children of chains are protected, RUNs take their datasets, stored datasets block removal', () => {
    registry.registerRun('run');
    registry.registerCollection('chain', 'CHAINED');
    registry.setCollectionChain('chain', ['run']);
    registry.insertDatasets('raw', rawDataIds([1]), 'run');
    expect(() => registry.removeCollection('run')).toThrow(OrphanedRecordError);
    registry.removeCollection('chain');
    expect(registry.queryCollections()).toEqual(['run']);
    const stored = registry.queryDatasets('raw', { collections: 'run' })[0];
    registry.db.prepare('INSERT INTO dataset_location (datastore_name, dataset_id) VALUES (?, ?)').run('FileDatastore@<butlerRoot>', stored.id.replace(/-/g, ''));
    expect(() => registry.removeCollection('run')).toThrow(/still has 1 dataset stored/);
    registry.db.prepare('DELETE FROM dataset_location').run();
    registry.removeCollection('run');
    expect(registry.queryCollections()).toEqual([]);
    expect(registry.db.prepare('SELECT COUNT(*) AS n FROM dataset').get<{ n: number }>()!.n).toBe(0);
    expect(registry.db.prepare('SELECT COUNT(*) AS n FROM dataset_tags_00000001').get<{ n: number }>()!.n).toBe(0);
  });

  it('summarises which dataset types and instruments a collection holds, through chains', () => {
    registry.registerRun('run');
    registry.registerCollection('chain', 'CHAINED');
    registry.setCollectionChain('chain', ['run']);
    registry.insertDatasets('raw', rawDataIds([1]), 'run');
    expect(registry.getCollectionSummary('chain')).toEqual({ datasetTypes: ['raw'], governors: { instrument: ['Cam'], skymap: [] } });
  });
});
