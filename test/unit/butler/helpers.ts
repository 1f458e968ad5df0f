// Shared setup for Butler tests: a new repository with a small LSSTCam-like set of
// dimension records (instrument, filters, detectors, exposures).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Butler } from '../../../core/butler/index.js';
import { DatasetType } from '../../../core/datasets/index.js';

export function newRepo(prefix = 'butler-'): string {
  const root = join(mkdtempSync(join(tmpdir(), prefix)), 'repo');
  Butler.makeRepo(root);
  return root;
}

export function addCameraRecords(butler: Butler, exposures = 3, detectors = 2): void {
  const r = butler.registry;
  r.insertDimensionData('instrument', [{ name: 'Cam', visit_max: 1_000_000, visit_system: 0, exposure_max: 1_000_000, detector_max: 100, class_name: 'test.Cam' }]);
  r.insertDimensionData('physical_filter', [{ instrument: 'Cam', name: 'r_01', band: 'r' }]);
  r.insertDimensionData('day_obs', [{ instrument: 'Cam', id: 20250101, timespan: null }]);
  r.insertDimensionData('group', [{ instrument: 'Cam', name: 'g1' }]);
  r.insertDimensionData('detector', Array.from({ length: detectors }, (_, i) => ({ instrument: 'Cam', id: i, full_name: `R00_S0${i}`, name_in_raft: `S0${i}`, raft: 'R00', purpose: 'SCIENCE' })));
  r.insertDimensionData('exposure', Array.from({ length: exposures }, (_, i) => ({
    instrument: 'Cam', id: 100 + i, day_obs: 20250101, group: 'g1', physical_filter: 'r_01', obs_id: `CAM_${100 + i}`, exposure_time: 30, dark_time: 30,
    observation_type: 'science', observation_reason: 'test', seq_num: i, seq_start: i, seq_end: i, target_name: 't', science_program: 'p',
    tracking_ra: null, tracking_dec: null, sky_angle: null, azimuth: null, zenith_angle: null, has_simulated: false, can_see_sky: true, timespan: null,
  })));
}

export function registerType(butler: Butler, name: string, storageClass: string, dimensions = ['instrument', 'detector', 'exposure']): DatasetType {
  const dt = DatasetType.fromNames(butler.registry.dimensions, name, dimensions, storageClass);
  butler.registry.registerDatasetType(dt);
  return dt;
}
