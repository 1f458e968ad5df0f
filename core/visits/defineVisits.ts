// DefineVisitsTask (obs_base): groups science exposures into visits — one visit per exposure
// (visit system one-to-one, the default) or one per exposure group (by-group-metadata) — and
// writes visit, visit_definition, visit_system_membership, visit_detector_region with their
// regions, and the htm7 overlap rows daf_butler keeps for spatial queries. Idempotent: a visit
// already defined identically is left alone; a different definition is an error unless `update`.
// Non-science exposures (bias, dark, flat, ...) are skipped.
import type { Butler } from '../butler/index.js';
import { getDetector } from '../camera/geometry.js';
import type { DimensionRecord } from '../dimensions/index.js';
import { getInstrument } from '../instrument/index.js';
import { defaultRawRun, RAW_DATASET_TYPE } from '../ingest/ingestRaws.js';
import type { Registry } from '../registry/index.js';
import { encodeRegionBase64, unionBoundingPolygon, type ConvexPolygon } from '../sphgeom/index.js';
import { detectorRegion, skypixOverlaps } from './regions.js';
import { BY_GROUP_METADATA, ONE_TO_ONE, visitSystemByName, type VisitSystemDefinition } from './visitSystems.js';
import { fileURLToPath } from 'node:url';

export interface DefineVisitsOptions {
  /** Collections holding the raws (for regions); default `<instrument>/raw/all`. */
  collections?: string[];
  /** Restricts the exposures considered (where language, e.g. "exposure.day_obs = 20260311"). */
  where?: string;
  /** 'one-to-one' (default) or 'by-group-metadata'; several to define visits in both. */
  visitSystems?: string[];
  /** Padding of detector regions in raw pixels (obs_base pads by 250 unbinned pixels by default). */
  padding?: number;
  /** Overwrite visits whose definition changed. */
  update?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface DefineVisitsReport {
  instrument: string;
  visitSystems: string[];
  /** Science exposures considered. */
  exposures: number;
  skippedNonScience: number;
  visitsDefined: number;
  visitsUnchanged: number;
  detectorRegions: number;
  /** Detector regions that came from the camera model because the raw had no WCS. */
  regionsFromCamera: number;
  /** Exposures with no raw in the collections (their visits get no region). */
  exposuresWithoutRaws: number[];
}

interface VisitPlan {
  id: number;
  name: string;
  system: VisitSystemDefinition;
  exposures: DimensionRecord[];
}

const DEFAULT_PADDING = 250;

function groupVisitId(group: string, exposures: DimensionRecord[]): number {
  // obs_base turns the group name into the visit id; MegaPrime groups are exposure numbers.
  if (/^\d+$/.test(group) && Number.isSafeInteger(Number(group))) return Number(group);
  return Math.min(...exposures.map((e) => Number(e.id)));
}

function planVisits(exposures: DimensionRecord[], system: VisitSystemDefinition): VisitPlan[] {
  if (system.id === ONE_TO_ONE.id) return exposures.map((e) => ({ id: Number(e.id), name: String(e.obs_id), system, exposures: [e] }));
  if (system.id === BY_GROUP_METADATA.id) {
    const groups = new Map<string, DimensionRecord[]>();
    for (const e of exposures) {
      const g = String(e.group);
      groups.set(g, [...(groups.get(g) ?? []), e]);
    }
    return [...groups].map(([g, list]) => ({ id: groupVisitId(g, list), name: g, system, exposures: list.sort((a, b) => Number(a.id) - Number(b.id)) }));
  }
  throw new Error(`visit system ${system.name} is not supported by define-visits (use one-to-one or by-group-metadata)`);
}

function timespanOf(r: DimensionRecord): { begin: bigint; end: bigint } {
  const t = r.timespan as { begin: bigint | null; end: bigint | null } | null;
  if (!t || t.begin === null || t.end === null) throw new Error(`exposure ${String(r.id)} has no timespan`);
  return { begin: t.begin, end: t.end };
}

function visitRecord(plan: VisitPlan, instrument: string, region: string | null): DimensionRecord {
  const first = plan.exposures[0];
  for (const e of plan.exposures) {
    if (e.physical_filter !== first.physical_filter) throw new Error(`visit ${plan.id} (${plan.system.name}) mixes physical filters ${String(first.physical_filter)} and ${String(e.physical_filter)}`);
  }
  const spans = plan.exposures.map(timespanOf);
  const begin = spans.reduce((m, s) => (s.begin < m ? s.begin : m), spans[0].begin);
  const end = spans.reduce((m, s) => (s.end > m ? s.end : m), spans[0].end);
  return {
    instrument,
    id: plan.id,
    name: plan.name,
    physical_filter: first.physical_filter,
    day_obs: first.day_obs,
    seq_num: first.seq_num,
    exposure_time: plan.exposures.reduce((s, e) => s + Number(e.exposure_time ?? 0), 0),
    target_name: first.target_name,
    observation_reason: first.observation_reason,
    science_program: first.science_program,
    azimuth: first.azimuth,
    zenith_angle: first.zenith_angle,
    region,
    timespan: { begin, end },
  };
}

function localPath(uri: string): string {
  return uri.startsWith('file://') ? fileURLToPath(uri) : uri;
}

/** Writes the htm overlap rows of one element row (replacing any earlier ones). */
function writeOverlaps(registry: Registry, element: 'visit' | 'visit_detector_region', keys: Record<string, string | number>, pixels: number[], level: number): void {
  const db = registry.db;
  const cols = Object.keys(keys);
  db.prepare(`INSERT OR IGNORE INTO "${element}_skypix_overlap_summary" (skypix_system, skypix_level, instrument) VALUES ('htm', ?, ?)`).run(level, keys.instrument);
  db.prepare(`DELETE FROM "${element}_skypix_overlap" WHERE skypix_system = 'htm' AND skypix_level = ? AND ${cols.map((c) => `"${c}" = ?`).join(' AND ')}`).run(level, ...cols.map((c) => keys[c]));
  const ins = db.prepare(`INSERT INTO "${element}_skypix_overlap" (skypix_system, skypix_level, ${cols.map((c) => `"${c}"`).join(', ')}, skypix_index) VALUES ('htm', ?, ${cols.map(() => '?').join(', ')}, ?)`);
  for (const p of pixels) ins.run(level, ...cols.map((c) => keys[c]), p);
}

export async function defineVisits(butler: Butler, instrumentName: string, options: DefineVisitsOptions = {}): Promise<DefineVisitsReport> {
  const instrument = getInstrument(instrumentName);
  const registry = butler.registry;
  if (registry.fetchDimensionRecord('instrument', { instrument: instrument.name }) === null) {
    throw new Error(`instrument ${instrument.name} is not registered in this repository; run "butler register-instrument REPO ${instrument.name}" first`);
  }
  const camera = instrument.camera();
  const systems = (options.visitSystems && options.visitSystems.length > 0 ? options.visitSystems : [ONE_TO_ONE.name]).map(visitSystemByName);
  const collections = options.collections ?? [defaultRawRun(instrument.name)];
  const where = `instrument = '${instrument.name}'${options.where ? ` AND (${options.where})` : ''}`;
  const all = registry.queryDimensionRecords('exposure', { where, orderBy: 'exposure' });
  const science = all.filter((e) => e.observation_type === 'science' && e.can_see_sky !== false);
  const report: DefineVisitsReport = {
    instrument: instrument.name, visitSystems: systems.map((s) => s.name), exposures: science.length, skippedNonScience: all.length - science.length,
    visitsDefined: 0, visitsUnchanged: 0, detectorRegions: 0, regionsFromCamera: 0, exposuresWithoutRaws: [],
  };
  if (science.length === 0) return report;

  // Detector regions per exposure, computed once and shared by every visit system.
  const hasRaws = registry.queryDatasetTypes(RAW_DATASET_TYPE).length > 0;
  const exposureRegions = new Map<number, Map<number, ConvexPolygon>>();
  let done = 0;
  for (const e of science) {
    const id = Number(e.id);
    const regions = new Map<number, ConvexPolygon>();
    const refs = hasRaws ? registry.queryDatasets(RAW_DATASET_TYPE, { collections, where: `instrument = '${instrument.name}' AND exposure = ${id}`, findFirst: true }) : [];
    const boresight = e.tracking_ra !== null && e.tracking_dec !== null && e.tracking_ra !== undefined ? { ra: Number(e.tracking_ra), dec: Number(e.tracking_dec) } : null;
    for (const ref of refs) {
      const detector = getDetector(camera, Number(ref.dataId.values.detector));
      const path = localPath(butler.getURI(ref));
      const padding = options.padding ?? DEFAULT_PADDING;
      const { region, source } = detectorRegion(path, camera, detector, boresight, padding);
      regions.set(detector.id, region);
      if (source === 'camera') report.regionsFromCamera++;
    }
    if (refs.length === 0) report.exposuresWithoutRaws.push(id);
    exposureRegions.set(id, regions);
    options.onProgress?.(++done, science.length);
  }

  for (const system of systems) {
    for (const plan of planVisits(science, system)) {
      // A multi-exposure visit's detector region bounds that detector in all its exposures.
      const perDetector = new Map<number, ConvexPolygon[]>();
      for (const e of plan.exposures) for (const [d, r] of exposureRegions.get(Number(e.id)) ?? []) perDetector.set(d, [...(perDetector.get(d) ?? []), r]);
      const detectorRegions = new Map<number, ConvexPolygon>([...perDetector].map(([d, rs]) => [d, rs.length === 1 ? rs[0] : unionBoundingPolygon(rs)]));
      const visitRegion = detectorRegions.size > 0 ? unionBoundingPolygon([...detectorRegions.values()]) : null;
      const record = visitRecord(plan, instrument.name, visitRegion ? encodeRegionBase64(visitRegion) : null);
      let changed = false;
      registry.transaction(() => {
        changed = registry.syncDimensionData('visit', record, options.update ?? false);
        for (const e of plan.exposures) registry.syncDimensionData('visit_definition', { instrument: instrument.name, exposure: Number(e.id), visit: plan.id });
        registry.syncDimensionData('visit_system_membership', { instrument: instrument.name, visit_system: system.id, visit: plan.id });
        for (const [d, r] of detectorRegions) {
          if (registry.syncDimensionData('visit_detector_region', { instrument: instrument.name, detector: d, visit: plan.id, region: encodeRegionBase64(r) }, options.update ?? false)) changed = true;
        }
        if (changed) {
          if (visitRegion) writeOverlaps(registry, 'visit', { instrument: instrument.name, visit: plan.id }, skypixOverlaps(visitRegion), 7);
          for (const [d, r] of detectorRegions) writeOverlaps(registry, 'visit_detector_region', { instrument: instrument.name, detector: d, visit: plan.id }, skypixOverlaps(r), 7);
        }
      });
      if (changed) {
        report.visitsDefined++;
        report.detectorRegions += detectorRegions.size;
      } else report.visitsUnchanged++;
    }
  }
  return report;
}
