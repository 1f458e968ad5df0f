// The index fast paths (counts and plain pages) must answer exactly what the registry's own queries answer,
// for RUN and TAGGED collections, both sort directions and any offset; and step aside for everything else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Butler } from '../../../core/butler/index.js';
import { DatasetType } from '../../../core/datasets/index.js';
import { Registry } from '../../../core/registry/index.js';
import { fastDatasetPage } from '../../../electron/services/repository/fastPages.js';
import { FastCounts } from '../../../electron/services/repository/fastCounts.js';

let tmp: string;
let registry: Registry;
const DETECTORS = 7;
const EXPOSURES = 13;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'butler-fast-'));
  const root = join(tmp, 'repo');
  Butler.makeRepo(root);
  const w = Registry.open(root);
  w.insertDimensionData('instrument', [{ name: 'Cam', visit_max: 1000, visit_system: 0, exposure_max: 1000, detector_max: 100, class_name: 'x' }]);
  w.insertDimensionData('physical_filter', [{ instrument: 'Cam', name: 'r_01', band: 'r' }]);
  w.insertDimensionData('day_obs', [{ instrument: 'Cam', id: 20250101, timespan: null }]);
  w.insertDimensionData('group', [{ instrument: 'Cam', name: 'g' }]);
  w.insertDimensionData('detector', Array.from({ length: DETECTORS }, (_, id) => ({ instrument: 'Cam', id, full_name: `D${id}`, name_in_raft: 'S', raft: 'R', purpose: 'SCIENCE' })));
  w.insertDimensionData(
    'exposure',
    Array.from({ length: EXPOSURES }, (_, id) => ({
      instrument: 'Cam', id, day_obs: 20250101, group: 'g', physical_filter: 'r_01', obs_id: `E${id}`, exposure_time: 1, dark_time: 1,
      observation_type: 'science', observation_reason: 't', seq_num: id, seq_start: id, seq_end: id, target_name: 't', science_program: 'p',
      tracking_ra: null, tracking_dec: null, sky_angle: null, azimuth: null, zenith_angle: null, has_simulated: false, can_see_sky: true, timespan: null,
    })),
  );
  const dt = DatasetType.fromNames(w.dimensions, 'summary', ['instrument', 'detector', 'exposure'], 'StructuredDataDict');
  w.registerDatasetType(dt);
  w.registerRun('run/a');
  w.registerRun('run/b');
  // Inserted out of data-ID order, so any accidental insertion-order answer would differ.
  const ids = [];
  for (let e = EXPOSURES - 1; e >= 0; e--) for (let d = 0; d < DETECTORS; d++) ids.push({ instrument: 'Cam', detector: (d * 3) % DETECTORS, exposure: e });
  w.insertDatasets(dt, ids, 'run/a');
  w.insertDatasets(dt, ids.slice(0, 20), 'run/b');
  w.registerCollection('tagged', 'TAGGED');
  w.associate('tagged', [...w.queryDatasets('summary', { collections: ['run/a'], where: 'detector = 2' }), ...w.queryDatasets('summary', { collections: ['run/b'], where: 'detector = 5' })]);
  w.registerCollection('chain', 'CHAINED');
  w.setCollectionChain('chain', ['run/b', 'run/a']);
  w.close();
  registry = Registry.open(root, { readOnly: true });
});

afterAll(() => {
  registry?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const dims = ['instrument', 'detector', 'exposure'];
const viaRegistry = (collection: string, orderBy: string[], limit: number, offset: number) =>
  registry.queryDatasets('summary', { collections: [collection], orderBy: orderBy.length ? orderBy : undefined, limit, offset }).map((r) => ({ id: r.id, datasetType: 'summary', run: r.run, dataId: { ...r.dataId.values } }));

describe('index fast paths', () => {
  it('pages exactly as the registry does, in both directions, at every offset', () => {
    for (const collection of ['run/a', 'run/b', 'tagged']) {
      const total = registry.countDatasets('summary', { collections: [collection] });
      expect(total).toBeGreaterThan(0);
      for (const orderBy of [[], dims, dims.map((d) => `-${d}`)]) {
        for (const [limit, offset] of [[5, 0], [7, 3], [10, total - 4], [200, 0], [3, total + 5]]) {
          const fast = fastDatasetPage(registry.db, { datasetType: 'summary', requiredDimensions: dims, collection, orderBy, limit, offset });
          expect(fast, `${collection} ${orderBy} ${limit}@${offset}`).toEqual(viaRegistry(collection, orderBy, limit, offset));
        }
      }
    }
  });

  it('steps aside for chains, other sort orders and unknown names', () => {
    const q = { datasetType: 'summary', requiredDimensions: dims, limit: 5, offset: 0 };
    expect(fastDatasetPage(registry.db, { ...q, collection: 'chain', orderBy: [] })).toBeNull();
    expect(fastDatasetPage(registry.db, { ...q, collection: 'run/a', orderBy: ['exposure'] })).toBeNull();
    expect(fastDatasetPage(registry.db, { ...q, collection: 'run/a', orderBy: ['-instrument', 'detector', 'exposure'] })).toBeNull();
    expect(fastDatasetPage(registry.db, { ...q, collection: 'nosuch', orderBy: [] })).toBeNull();
    expect(fastDatasetPage(registry.db, { ...q, datasetType: 'nosuch', collection: 'run/a', orderBy: [] })).toBeNull();
  });

  it('counts exactly as the registry does', () => {
    const counts = new FastCounts(registry.db);
    for (const c of ['run/a', 'run/b', 'tagged']) {
      expect(counts.total(c), c).toBe(registry.countDatasets('summary', { collections: [c] }));
      expect(counts.ofType('summary', c), c).toBe(registry.countDatasets('summary', { collections: [c] }));
    }
    expect(counts.total('chain')).toBeNull();
    expect(counts.ofType('summary', 'chain')).toBeNull();
    expect(counts.ofType('nosuch', 'run/a')).toBeNull();
  });
});
