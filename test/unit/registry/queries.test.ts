import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidQueryError, Registry } from '../../../core/registry/index.js';
import { UserExpressionError } from '../../../core/registry/queries/expression/index.js';
import { makeTestRegistry, rawDataIds, tai, tempDir } from './fixtures.js';

let registry: Registry;
let cleanup: () => void;

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  registry = makeTestRegistry(t.dir);
  registry.registerRun('run');
  registry.insertDatasets('raw', rawDataIds(), 'run');
  registry.insertDatasets('calexp', [1, 2, 3].flatMap((visit) => [0, 1].map((detector) => ({ instrument: 'Cam', detector, visit }))), 'run');
});
afterAll(() => {
  registry.close();
  cleanup();
});

const ids = (refs: { dataId: { toJSON(): Record<string, unknown> } }[]) => refs.map((r) => {
  const d = r.dataId.toJSON();
  return `${d.exposure ?? d.visit}/${d.detector}`;
});

describe('queryDatasets with where', () => {
  it('filters on required dimensions, with bind values and IN ranges', () => {
    expect(ids(registry.queryDatasets('raw', { collections: 'run', where: 'exposure = 2 AND detector > 1' }))).toEqual(['2/2', '2/3']);
    expect(ids(registry.queryDatasets('raw', { collections: 'run', where: 'exposure IN (:e) AND detector = :d', bind: { e: [1, 5], d: 0 } }))).toEqual(['1/0', '5/0']);
    expect(registry.queryDatasets('raw', { collections: 'run', where: 'exposure IN (2..6:2) AND detector = 0' }).map((r) => r.dataId.get('exposure'))).toEqual([2, 4, 6]);
  });

  it('joins dimension tables for implied dimensions and metadata', () => {
    expect(registry.queryDatasets('raw', { collections: 'run', where: "band = 'r' AND detector = 0" }).map((r) => r.dataId.get('exposure'))).toEqual([2, 4, 6]);
    expect(registry.queryDatasets('raw', { collections: 'run', where: "exposure.observation_type = 'bias'" })).toHaveLength(4);
    expect(registry.queryDatasets('raw', { collections: 'run', where: "exposure.day_obs = 20250102 AND physical_filter = 'g_1' AND detector = 3" }).map((r) => r.dataId.get('exposure'))).toEqual([5]);
    expect(registry.queryDatasets('raw', { collections: 'run', where: "detector.purpose = 'GUIDER'" }).map((r) => r.dataId.get('detector'))).toEqual([3, 3, 3, 3, 3, 3]);
    expect(registry.queryDatasets('raw', { collections: 'run', where: "obs_id = 'CAM_4'" })).toHaveLength(4);
  });

  it('relates visits and exposures through visit_definition', () => {
    expect(registry.queryDatasets('raw', { collections: 'run', where: "visit.name = 'v3' AND detector = 1" }).map((r) => r.dataId.get('exposure'))).toEqual([3]);
  });

  it('compares timespans and dataset fields', () => {
    const t = "T'2025-01-01T21:00:10'";
    // T'' literals are UTC; exposure 1 begins 2025-01-01T21:00:00 TAI = 20:59:23 UTC and lasts 30 s
    expect(registry.queryDatasets('raw', { collections: 'run', where: `exposure.timespan OVERLAPS T'2025-01-01T20:59:30' AND detector = 0` }).map((r) => r.dataId.get('exposure'))).toEqual([1]);
    expect(registry.queryDatasets('raw', { collections: 'run', where: `exposure.timespan OVERLAPS ${t}` })).toHaveLength(0);
    expect(registry.queryDatasets('raw', { collections: 'run', where: "ingest_date > T'2020-01-01' AND detector = 0 AND exposure = 1" })).toHaveLength(1);
    expect(registry.queryDatasets('raw', { collections: 'run', where: "raw.run = 'run' AND exposure = 1" })).toHaveLength(4);
    const one = registry.queryDatasets('raw', { collections: 'run', limit: 1 })[0];
    expect(registry.queryDatasets('raw', { collections: 'run', where: 'raw.dataset_id = :id', bind: { id: one.id } }).map((r) => r.id)).toEqual([one.id]);
    expect(registry.queryDatasets('raw', { collections: 'run', where: 'exposure.timespan.begin < :t AND detector = 0', bind: { t: new Date('2025-01-01T21:29:23Z') } }).map((r) => r.dataId.get('exposure'))).toEqual([1, 3]);
  });

  it('returns full data IDs (implied dimensions) on request', () => {
    const [ref] = registry.queryDatasets('raw', { collections: 'run', where: 'exposure = 4 AND detector = 1', fullDataIds: true });
    expect(ref.dataId.hasFull()).toBe(true);
    expect(ref.dataId.toJSON()).toEqual({ instrument: 'Cam', detector: 1, exposure: 4, band: 'r', day_obs: 20250102, group: 'g2', physical_filter: 'r_1' });
    expect(registry.queryDatasets('raw', { collections: 'run', where: 'exposure = 4 AND detector = 1' })[0].dataId.hasFull()).toBe(false);
  });

  it('orders, limits and offsets', () => {
    const r = registry.queryDatasets('raw', { collections: 'run', where: 'detector = 0', orderBy: ['-exposure.exposure_time'], limit: 2, offset: 1 });
    expect(r.map((x) => x.dataId.get('exposure'))).toEqual([5, 4]);
    expect(registry.queryDatasets('raw', { collections: 'run', orderBy: 'exposure,-detector', limit: 3 }).map((x) => x.dataId.get('detector'))).toEqual([3, 2, 1]);
    expect(registry.countDatasets('raw', { collections: 'run', where: 'detector = 0' })).toBe(6);
    expect(registry.countDatasets('raw', { collections: 'run', where: "raw.run = 'run' AND exposure = 1" })).toBe(4);
    expect(registry.countDatasets('raw', { collections: 'run', where: "ingest_date < T'2000-01-01'" })).toBe(0);
    expect(registry.countDatasets('raw', { collections: 'run' })).toBe(24);
  });

  it('applies data ID constraints and never pastes values into SQL', () => {
    expect(registry.queryDatasets('raw', { collections: 'run', dataId: { detector: '2', exposure: 3 } })).toHaveLength(1);
    expect(registry.queryDatasets('raw', { collections: 'run', dataId: { 'exposure.obs_id': 'CAM_4', detector: 0 } }).map((r) => r.dataId.get('exposure'))).toEqual([4]);
    expect(() => registry.queryDatasets('raw', { collections: 'run', dataId: { detectr: 1 } })).toThrow(/Unrecognized data ID key 'detectr'/);
    const plan = registry.explainQueryDatasets('raw', { collections: 'run', where: "exposure.obs_id = 'x OR 1=1 --' OR detector = 5" })!;
    expect(plan.sql).not.toContain('1=1');
    expect(plan.sql).not.toMatch(/= 5\b/);
    expect(plan.params).toEqual(expect.arrayContaining(['x OR 1=1 --', 5]));
  });

  it('reports bad identifiers, syntax and types clearly', () => {
    expect(() => registry.queryDatasets('raw', { collections: 'run', where: 'exposure.colour = 1' })).toThrow(/'colour' is not a field of exposure/);
    expect(() => registry.queryDatasets('raw', { collections: 'run', where: 'exposure = ' })).toThrow(UserExpressionError);
    expect(() => registry.queryDatasets('raw', { collections: 'run', where: "detector = 'abc'" })).toThrow(/detector/);
    expect(() => registry.queryDatasets('raw', { collections: 'run', orderBy: 'bogus' })).toThrow(InvalidQueryError);
    expect(() => registry.queryDatasets('raw', { collections: 'nope' })).toThrow(/Collection 'nope' not found/);
  });
});

describe('queryDataIds and queryDimensionRecords', () => {
  it('lists full data IDs through the dimension graph', () => {
    const d = registry.queryDataIds(['exposure'], { where: "band = 'g'" });
    expect(d.map((x) => x.get('exposure'))).toEqual([1, 3, 5]);
    expect(d[0].hasFull()).toBe(true);
    expect(d[0].toJSON()).toEqual({ instrument: 'Cam', exposure: 1, band: 'g', day_obs: 20250101, group: 'g1', physical_filter: 'g_1' });
    expect(registry.queryDataIds(['detector'], { where: "purpose = 'SCIENCE'" }).map((x) => x.get('detector'))).toEqual([0, 1, 2]);
    expect(registry.queryDataIds(['visit', 'detector'], { datasets: 'calexp', collections: 'run', where: 'visit > 1' }).map((x) => `${x.get('visit')}/${x.get('detector')}`)).toEqual(['2/0', '3/0', '2/1', '3/1']);
    expect(registry.queryDataIds(['exposure'], { orderBy: '-exposure', limit: 2 }).map((x) => x.get('exposure'))).toEqual([6, 5]);
  });

  it('returns records with typed fields and timespans', () => {
    const recs = registry.queryDimensionRecords('exposure', { where: 'exposure_time >= 40', orderBy: 'seq_num' });
    expect(recs.map((r) => r.obs_id)).toEqual(['CAM_4', 'CAM_5', 'CAM_6']);
    expect(recs[2].can_see_sky).toBe(false);
    expect((recs[0].timespan as { begin: bigint }).begin).toBe(tai('2025-01-02T21:00:00'));
    expect(registry.queryDimensionRecords('band').map((r) => r.name)).toEqual(['g', 'r']);
    expect(registry.queryDimensionRecords('detector', { dataId: { instrument: 'Cam' }, limit: 2 }).map((r) => r.full_name)).toEqual(['D0', 'D1']);
  });

  it('expands data IDs with records and implied values', () => {
    const e = registry.expandDataId({ instrument: 'Cam', detector: 1, exposure: 4 });
    expect(e.hasFull()).toBe(true);
    expect(e.get('physical_filter')).toBe('r_1');
    expect(e.get('band')).toBe('r');
    expect(e.records!.exposure!.obs_id).toBe('CAM_4');
    expect(e.records!.detector!.full_name).toBe('D1');
    expect(() => registry.expandDataId({ instrument: 'Cam', detector: 1, exposure: 40 })).toThrow(/No exposure record/);
    expect(() => registry.expandDataId({ instrument: 'Cam', exposure: 4, physical_filter: 'g_1' })).toThrow(/says physical_filter="g_1", but the exposure record says physical_filter="r_1"/);
  });
});

describe('dimension records', () => {
  it('syncs, updates and explains conflicts and missing references', () => {
    expect(registry.syncDimensionData('detector', { instrument: 'Cam', id: 0, full_name: 'D0', purpose: 'SCIENCE' })).toBe(false);
    expect(() => registry.syncDimensionData('detector', { instrument: 'Cam', id: 0, full_name: 'D0', purpose: 'GUIDER' })).toThrow(/purpose: 'SCIENCE' \(registry\) vs 'GUIDER' \(given\)/);
    expect(() => registry.insertDimensionData('exposure', [{ instrument: 'Cam', id: 99, day_obs: 20990101, group: 'g1', physical_filter: 'g_1' }])).toThrow(/refers to day_obs \{instrument: 'Cam', day_obs: 20990101\}, which is not in the registry/);
    expect(() => registry.insertDimensionData('detector', [{ instrument: 'Cam', id: 9, colour: 'red' }])).toThrow(/'colour' is not a field of detector records/);
    expect(() => registry.insertDimensionData('detector', [{ instrument: 'Cam', id: 0 }])).toThrow(/already exists/);
    expect(() => registry.insertDimensionData('detector', [{ instrument: 'Cam', id: 'x' }])).toThrow(/is not an integer/);
    expect(() => registry.insertDimensionData('band', [{ name: 'z' }])).toThrow(/view of physical_filter/);
  });
});

describe('spatial records', () => {
  it('indexes visit regions in visit_skypix_overlap (htm7) and answers OVERLAPS queries', async () => {
    const { encodeRegionBase64, polygonRegion, htmEnvelope, expandRanges, circleRegion } = await import('../../../core/sphgeom/index.js');
    const square = polygonRegion([[10, -1], [12, -1], [12, 1], [10, 1]]);
    const far = polygonRegion([[200, 40], [201, 40], [201, 41], [200, 41]]);
    const visit = (id: number) => registry.fetchDimensionRecord('visit', { instrument: 'Cam', visit: id })!;
    registry.insertDimensionData('visit', [{ ...visit(1), region: encodeRegionBase64(square) }, { ...visit(2), region: encodeRegionBase64(far) }], { update: true });
    const rows = registry.db.prepare('SELECT skypix_index FROM visit_skypix_overlap WHERE skypix_system = ? AND skypix_level = ? AND instrument = ? AND visit = ? ORDER BY skypix_index').all<{ skypix_index: number }>('htm', 7, 'Cam', 1);
    expect(rows.map((r) => r.skypix_index)).toEqual(expandRanges(htmEnvelope(square, 7)));
    expect(rows.length).toBeGreaterThan(0);
    expect(registry.db.prepare('SELECT skypix_system, skypix_level, instrument FROM visit_skypix_overlap_summary').all()).toEqual([{ skypix_system: 'htm', skypix_level: 7, instrument: 'Cam' }]);
    expect(registry.queryDataIds(['visit'], { where: 'visit.region OVERLAPS POINT(11, 0)' }).map((d) => d.get('visit'))).toEqual([1]);
    expect(registry.queryDataIds(['visit'], { where: 'visit.region OVERLAPS CIRCLE(200.5, 40.5, 0.1)' }).map((d) => d.get('visit'))).toEqual([2]);
    expect(registry.queryDataIds(['visit'], { where: 'visit.region OVERLAPS POINT(100, 0)' })).toEqual([]);
    expect(registry.queryDatasets('calexp', { collections: 'run', where: 'visit.region OVERLAPS :r AND detector = 0', bind: { r: circleRegion(11, 0, 0.5) } }).map((r) => r.dataId.get('visit'))).toEqual([1]);
    // replacing the region replaces its pixels
    registry.insertDimensionData('visit', [{ ...visit(1), region: encodeRegionBase64(far) }], { update: true });
    expect(registry.queryDataIds(['visit'], { where: 'visit.region OVERLAPS POINT(11, 0)' })).toEqual([]);
    expect(() => registry.insertDimensionData('visit', [{ instrument: 'Cam', id: 7, day_obs: 20250101, physical_filter: 'g_1', region: 'bm90IGEgcmVnaW9u' }])).toThrow(/region that cannot be decoded/);
  });
});

describe('helpful errors and other processes', () => {
  it('suggests close names for misspellings', () => {
    expect(() => registry.queryDatasets('raw', { collections: 'run', where: 'detectr = 1' })).toThrow(/did you mean 'detector'\?/);
    expect(() => registry.queryDatasets('raw', { collections: 'run', where: 'exposure.obsid = 1' })).toThrow(/did you mean 'obs_id'\?/);
    expect(() => registry.queryDatasets('raw', { collections: 'rnu' })).toThrow(/Collection 'rnu' not found \(did you mean 'run'\?\)/);
    expect(() => registry.getDatasetType('calexq')).toThrow(/did you mean 'calexp'\?/);
  });

  it('sees collections and dataset types another connection added', async () => {
    const { DatasetType } = await import('../../../core/datasets/index.js');
    const other = Registry.open(registry.db.location);
    try {
      other.registerRun('from/elsewhere');
      other.registerDatasetType(DatasetType.fromNames(other.dimensions, 'flat', ['instrument', 'detector'], 'ExposureF'));
      other.insertDatasets('flat', [{ instrument: 'Cam', detector: 2 }], 'from/elsewhere');
    } finally {
      other.close();
    }
    expect(registry.queryDatasets('flat', { collections: 'from/elsewhere' }).map((r) => r.dataId.get('detector'))).toEqual([2]);
    expect(registry.getCollectionType('from/elsewhere')).toBe('RUN');
  });
});
