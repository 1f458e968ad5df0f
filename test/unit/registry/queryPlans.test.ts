// Query-plan shortcuts must not change results: RUN collections take a dataset's run from the
// tag row (no join to `dataset`); TAGGED collections still read the dataset's own run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../../core/registry/index.js';
import { makeTestRegistry, rawDataIds, tempDir } from './fixtures.js';

let registry: Registry;
let cleanup: () => void;

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  registry = makeTestRegistry(t.dir);
  registry.registerRun('a');
  registry.registerRun('b');
  registry.registerCollection('tagged', 'TAGGED');
  const a = registry.insertDatasets('raw', rawDataIds([1, 2], [0, 1]), 'a');
  registry.insertDatasets('raw', rawDataIds([2, 3], [0, 1]), 'b');
  registry.associate('tagged', a.filter((r) => r.dataId.get('exposure') === 2));
});
afterAll(() => {
  registry.close();
  cleanup();
});

const summary = (refs: { run: string; dataId: { get(k: string): unknown } }[]) => refs.map((r) => `${String(r.dataId.get('exposure'))}/${String(r.dataId.get('detector'))}@${r.run}`);

describe('dataset query plans', () => {
  it('reads the run from the tag row for RUN collections, without joining dataset', () => {
    const plan = registry.explainQueryDatasets('raw', { collections: ['a', 'b'], where: 'detector = 0' })!;
    expect(plan.sql).not.toMatch(/JOIN dataset AS d/);
    expect(summary(registry.queryDatasets('raw', { collections: ['a', 'b'], where: 'detector = 0' }))).toEqual(['1/0@a', '2/0@a', '2/0@b', '3/0@b']);
    expect(summary(registry.queryDatasets('raw', { collections: ['b', 'a'], findFirst: true, where: 'detector = 1' }))).toEqual(['1/1@a', '2/1@b', '3/1@b']);
  });

  it('joins dataset for TAGGED collections and for run/ingest_date conditions', () => {
    expect(registry.explainQueryDatasets('raw', { collections: ['tagged', 'b'] })!.sql).toMatch(/JOIN dataset AS d/);
    expect(registry.explainQueryDatasets('raw', { collections: ['a', 'tagged'], where: "raw.run = 'a'" })!.sql).toMatch(/JOIN dataset AS d/);
    // RUN collections only: run comes from the tag row; ingest_date needs dataset, joined on the run too.
    expect(registry.explainQueryDatasets('raw', { collections: ['a', 'b'], where: "raw.run = 'a'" })!.sql).not.toMatch(/JOIN dataset AS d/);
    expect(summary(registry.queryDatasets('raw', { collections: ['a', 'b'], where: "raw.run = 'b' AND detector = 1" }))).toEqual(['2/1@b', '3/1@b']);
    expect(registry.explainQueryDatasets('raw', { collections: 'a', orderBy: 'ingest_date' })!.sql).toMatch(/JOIN dataset AS d ON d\.id = t\.dataset_id AND d\.run_id = t\.collection_id/);
    expect(registry.explainQueryDatasets('raw', { collections: ['a', 'tagged'], orderBy: 'ingest_date' })!.sql).not.toMatch(/d\.run_id = t\.collection_id/);
    expect(registry.queryDatasets('raw', { collections: ['a', 'b'], orderBy: '-ingest_date', where: 'detector = 0' })).toHaveLength(4);
    expect(summary(registry.queryDatasets('raw', { collections: ['tagged', 'b'], findFirst: true, where: 'detector = 0' }))).toEqual(['2/0@a', '3/0@b']);
    expect(summary(registry.queryDatasets('raw', { collections: 'tagged', where: "raw.run = 'a'" }))).toEqual(['2/0@a', '2/1@a']);
    expect(registry.countDatasets('raw', { collections: ['tagged', 'a', 'b'] })).toBe(10);
  });

  it('states the only governor value of the searched collections when ordering, and not otherwise', () => {
    const ordered = registry.explainQueryDatasets('raw', { collections: ['a', 'b'], orderBy: '-exposure' })!;
    expect(ordered.sql).toMatch(/t\."instrument" = \?/);
    expect(registry.explainQueryDatasets('raw', { collections: ['a', 'b'], where: 'detector = 0' })!.sql).not.toMatch(/t\."instrument" = \?/);
    expect(summary(registry.queryDatasets('raw', { collections: ['a', 'b'], orderBy: ['-exposure', 'detector'], limit: 2 }))).toEqual(['3/0@b', '3/1@b']);
    // A second instrument in one of the collections: no single value, so no equality.
    registry.insertDimensionData('instrument', [{ name: 'Other', detector_max: 2, exposure_max: 10, visit_max: 10, visit_system: 0, class_name: 'test.Other' }]);
    registry.insertDimensionData('detector', [{ instrument: 'Other', id: 0, full_name: 'O0', purpose: 'SCIENCE' }]);
    registry.insertDimensionData('physical_filter', [{ instrument: 'Other', name: 'x', band: 'g' }]);
    registry.insertDimensionData('day_obs', [{ instrument: 'Other', id: 20250101 }]);
    registry.insertDimensionData('group', [{ instrument: 'Other', name: 'o' }]);
    registry.insertDimensionData('exposure', [{ instrument: 'Other', id: 9, obs_id: 'O9', day_obs: 20250101, group: 'o', physical_filter: 'x' }]);
    registry.insertDatasets('raw', [{ instrument: 'Other', detector: 0, exposure: 9 }], 'b');
    expect(registry.explainQueryDatasets('raw', { collections: ['a', 'b'], orderBy: '-exposure' })!.sql).not.toMatch(/t\."instrument" = \?/);
    expect(registry.explainQueryDatasets('raw', { collections: 'a', orderBy: '-exposure' })!.sql).toMatch(/t\."instrument" = \?/);
    expect(summary(registry.queryDatasets('raw', { collections: ['a', 'b'], orderBy: '-exposure', limit: 1 }))).toEqual(['9/0@b']);
  });
});
