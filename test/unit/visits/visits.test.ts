// define-visits: visit records and memberships, detector and visit regions with their htm7
// overlap rows, idempotence, and spatial queries through the registry (OVERLAPS POINT/CIRCLE).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Butler } from '../../../core/butler/index.js';
import { getDetector } from '../../../core/camera/geometry.js';
import { getInstrument } from '../../../core/instrument/index.js';
import { ingestRaws } from '../../../core/ingest/ingestRaws.js';
import { decodeRegionBase64, expandRanges, fromLonLatDegrees, htmEnvelope, regionContains, type ConvexPolygon } from '../../../core/sphgeom/index.js';
import { defineVisits } from '../../../core/visits/defineVisits.js';
import { detectorRegionFromCamera, rawDetectorHeader } from '../../../core/visits/regions.js';
import { SkyWcs } from '../../../core/wcs/skyWcs.js';
import { calib, newMegaPrimeRepo, REAL_CUTOUT, science, writeRaws } from '../ingest/helpers.js';

let butler: Butler;

function rawPath(exposure: number, detector: number): string {
  return butler.getURI('raw', { instrument: 'MegaPrime', detector, exposure }, { collections: ['MegaPrime/raw/all', 'MegaPrime/raw/real'] }).replace(/^file:\/\//, '');
}

/** Sky position of the centre of a detector's imaging area, from its raw WCS. */
function detectorCentre(exposure: number, detector: number): { ra: number; dec: number } {
  const header = rawDetectorHeader(rawPath(exposure, detector), detector);
  return SkyWcs.fromHeader(header).pixelToSky(8 + 256, 580);
}

beforeAll(async () => {
  let dir: string;
  ({ butler, dir } = newMegaPrimeRepo('visits-'));
  writeRaws(dir, [
    calib(4000001, 'BIAS', '2026-03-10T02:00:00'),
    science(4000002, 150.0, 2.0, '2026-03-10T08:00:00'),
    science(4000003, 210.0, -10.0, '2026-03-10T09:00:00'),
  ]);
  await ingestRaws(butler, [dir], { workers: 0 });
  await ingestRaws(butler, [REAL_CUTOUT], { workers: 0, transfer: 'direct', run: 'MegaPrime/raw/real' });
});

afterAll(() => butler.close());

describe('define-visits', () => {
  it('defines one visit per science exposure with regions and htm7 overlaps, skipping calibrations', async () => {
    const report = await defineVisits(butler, 'MegaPrime', { collections: ['MegaPrime/raw/all', 'MegaPrime/raw/real'] });
    expect(report).toMatchObject({ exposures: 3, skippedNonScience: 1, visitsDefined: 3, detectorRegions: 5, regionsFromCamera: 0, exposuresWithoutRaws: [] });
    const r = butler.registry;
    expect(r.queryDimensionRecords('visit', {}).map((v) => v.id)).toEqual([806045, 4000002, 4000003]);
    expect(r.fetchDimensionRecord('visit', { instrument: 'MegaPrime', visit: 4000002 })).toMatchObject({ name: '4000002', physical_filter: 'r.MP9601', day_obs: 20260310, exposure_time: 60, target_name: 'F4000002' });
    // Read with SQL: the registry's queryDimensionRecords fails on these join elements (ambiguous instrument column).
    expect(r.db.prepare('SELECT exposure, visit FROM visit_definition ORDER BY exposure').all<{ exposure: number; visit: number }>().map((d) => [d.exposure, d.visit])).toEqual([[806045, 806045], [4000002, 4000002], [4000003, 4000003]]);
    expect(r.db.prepare('SELECT DISTINCT visit_system FROM visit_system_membership').all<{ visit_system: number }>()).toEqual([{ visit_system: 0 }]);
    // The same through the registry's record queries (visit_definition joins itself once exposure and visit are present).
    expect(r.queryDimensionRecords('visit_definition').map((d) => [d.exposure, d.visit])).toEqual([[806045, 806045], [4000002, 4000002], [4000003, 4000003]]);
    expect(new Set(r.queryDimensionRecords('visit_system_membership').map((m) => m.visit_system))).toEqual(new Set([0]));

    const rows = r.db.prepare('SELECT skypix_index FROM visit_detector_region_skypix_overlap WHERE visit = ? AND detector = ? ORDER BY 1').all<{ skypix_index: number }>(4000002, 10).map((x) => x.skypix_index);
    const stored = r.fetchDimensionRecord('visit_detector_region', { instrument: 'MegaPrime', visit: 4000002, detector: 10 });
    const region = decodeRegionBase64(String(stored?.region));
    expect(rows).toEqual(expandRanges(htmEnvelope(region, 7)));
    expect(rows.length).toBeGreaterThan(0);
    expect(r.db.prepare("SELECT COUNT(*) AS n FROM visit_skypix_overlap_summary WHERE skypix_system = 'htm' AND skypix_level = 7").get<{ n: number }>()?.n).toBe(1);
    // The visit region bounds its detectors.
    const visitRegion = decodeRegionBase64(String(r.fetchDimensionRecord('visit', { instrument: 'MegaPrime', visit: 4000002 })?.region)) as ConvexPolygon;
    for (const v of (region as ConvexPolygon).vertices) expect(regionContains(visitRegion, v) || visitRegion.vertices.some((w) => Math.hypot(w[0] - v[0], w[1] - v[1], w[2] - v[2]) < 1e-12)).toBe(true);
  });

  it('finds the visit and detector containing a sky position, and not the others', () => {
    const c = detectorCentre(4000002, 10);
    const hits = butler.registry.queryDataIds(['visit', 'detector'], { where: `visit_detector_region.region OVERLAPS POINT(${c.ra}, ${c.dec})` });
    expect(hits.map((d) => [d.values.visit, d.values.detector])).toEqual([[4000002, 10]]);
    const circle = butler.registry.queryDataIds(['visit'], { where: `visit.region OVERLAPS CIRCLE(${c.ra}, ${c.dec}, 0.01)` });
    expect(circle.map((d) => d.values.visit)).toEqual([4000002]);
    const far = butler.registry.queryDataIds(['visit', 'detector'], { where: 'visit_detector_region.region OVERLAPS POINT(30, 60)' });
    expect(far).toEqual([]);
    const bound = butler.registry.queryDataIds(['visit', 'detector'], { where: 'visit_detector_region.region OVERLAPS CIRCLE(ra, dec, 0.02)', bind: { ra: detectorCentre(4000003, 11).ra, dec: detectorCentre(4000003, 11).dec } });
    expect(bound.map((d) => [d.values.visit, d.values.detector])).toEqual([[4000003, 11]]);
    // The real raw cutout: its header sections describe the whole ccd10, and its WCS puts pixel (50, 50) inside.
    const real = SkyWcs.fromHeader(rawDetectorHeader(rawPath(806045, 10), 10)).pixelToSky(50, 50);
    expect(butler.registry.queryDataIds(['visit', 'detector'], { where: `visit_detector_region.region OVERLAPS POINT(${real.ra}, ${real.dec})` }).map((d) => d.values.visit)).toEqual([806045]);
  });

  it('is idempotent, and adds the by-group-metadata visit system without changing visits', async () => {
    const again = await defineVisits(butler, 'MegaPrime', { collections: ['MegaPrime/raw/all', 'MegaPrime/raw/real'] });
    expect(again).toMatchObject({ visitsDefined: 0, visitsUnchanged: 3 });
    const byGroup = await defineVisits(butler, 'MegaPrime', { visitSystems: ['by-group-metadata'], collections: ['MegaPrime/raw/all', 'MegaPrime/raw/real'] });
    expect(byGroup).toMatchObject({ visitsDefined: 0, visitsUnchanged: 3 });
    const systems = butler.registry.db.prepare('SELECT visit_system FROM visit_system_membership WHERE visit = 4000003 ORDER BY 1').all<{ visit_system: number }>().map((m) => m.visit_system);
    expect(systems).toEqual([0, 1]);
    expect(butler.registry.db.prepare('SELECT COUNT(*) AS n FROM visit_detector_region_skypix_overlap WHERE visit = 4000002 AND detector = 10').get<{ n: number }>()?.n).toBeGreaterThan(0);
    await expect(defineVisits(butler, 'MegaPrime', { visitSystems: ['by-the-moon'] })).rejects.toThrow(/unknown visit system 'by-the-moon' \(known: one-to-one, by-group-metadata, by-seq-start-end\)/);
  });

  it('the camera model with the boresight gives the same region as the raw WCS', () => {
    const camera = getInstrument('MegaPrime').camera();
    const fromCamera = detectorRegionFromCamera(camera, getDetector(camera, 11), { ra: 210.0, dec: -10.0 }, 0);
    const c = detectorCentre(4000003, 11);
    expect(regionContains(fromCamera, fromLonLatDegrees(c.ra, c.dec))).toBe(true);
    const other = detectorCentre(4000003, 10);
    expect(regionContains(fromCamera, fromLonLatDegrees(other.ra, other.dec))).toBe(false);
  });
});
