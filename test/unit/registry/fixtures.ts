// Builds small registries in temporary directories for the registry tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatasetType } from '../../../core/datasets/index.js';
import { Registry } from '../../../core/registry/index.js';

export const repoRoot = path.resolve(__dirname, '../../..');
export const realRepo = path.resolve(repoRoot, '..', 'shared', 'data', 'daf_butler', 'lsstcam_raw_repo');
export const referenceSchema = path.resolve(repoRoot, '..', 'shared', 'reference', 'daf_butler_schema_head.sql');

export function tempDir(prefix = 'butler-registry-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** TAI ns for a calendar time read on the TAI clock. */
export function tai(iso: string): bigint {
  return BigInt(Date.parse(`${iso}Z`)) * 1_000_000n;
}

/**
 * A registry with instrument Cam (detectors 0-3, filters g/r), two day_obs, exposures 1-6 (3 per
 * night, alternating filters), visits 1-6 defined from them, and dataset types raw, calexp, bias.
 */
export function makeTestRegistry(dir: string): Registry {
  const r = Registry.create(path.join(dir, 'gen3.sqlite3'));
  r.insertDimensionData('instrument', [{ name: 'Cam', visit_max: 1000, visit_system: 0, exposure_max: 1000, detector_max: 4, class_name: 'test.Cam' }]);
  r.insertDimensionData('detector', [0, 1, 2, 3].map((id) => ({ instrument: 'Cam', id, full_name: `D${id}`, purpose: id === 3 ? 'GUIDER' : 'SCIENCE' })));
  r.insertDimensionData('physical_filter', [{ instrument: 'Cam', name: 'g_1', band: 'g' }, { instrument: 'Cam', name: 'r_1', band: 'r' }]);
  r.insertDimensionData('day_obs', [
    { instrument: 'Cam', id: 20250101, timespan: { begin: tai('2025-01-01T12:00:00'), end: tai('2025-01-02T12:00:00') } },
    { instrument: 'Cam', id: 20250102, timespan: { begin: tai('2025-01-02T12:00:00'), end: tai('2025-01-03T12:00:00') } },
  ]);
  r.insertDimensionData('group', [{ instrument: 'Cam', name: 'g1' }, { instrument: 'Cam', name: 'g2' }]);
  const exposures = [1, 2, 3, 4, 5, 6].map((id) => {
    const night = id <= 3 ? '2025-01-01' : '2025-01-02';
    const begin = tai(`${night}T2${id % 3}:00:00`);
    return {
      instrument: 'Cam', id, obs_id: `CAM_${id}`, day_obs: id <= 3 ? 20250101 : 20250102, group: id <= 3 ? 'g1' : 'g2',
      physical_filter: id % 2 ? 'g_1' : 'r_1', exposure_time: 10 * id, observation_type: id === 6 ? 'bias' : 'science',
      seq_num: id, has_simulated: false, can_see_sky: id !== 6, timespan: { begin, end: begin + 30_000_000_000n },
    };
  });
  r.insertDimensionData('exposure', exposures);
  r.insertDimensionData('visit', exposures.map((e) => ({
    instrument: 'Cam', id: e.id, name: `v${e.id}`, day_obs: e.day_obs, physical_filter: e.physical_filter, exposure_time: e.exposure_time, timespan: e.timespan,
  })));
  r.insertDimensionData('visit_definition', exposures.map((e) => ({ instrument: 'Cam', exposure: e.id, visit: e.id })));
  r.registerDatasetType(DatasetType.fromNames(r.dimensions, 'raw', ['instrument', 'detector', 'exposure'], 'Exposure'));
  r.registerDatasetType(DatasetType.fromNames(r.dimensions, 'calexp', ['instrument', 'detector', 'visit'], 'ExposureF'));
  r.registerDatasetType(DatasetType.fromNames(r.dimensions, 'bias', ['instrument', 'detector'], 'ExposureF', { isCalibration: true }));
  return r;
}

export function rawDataIds(exposures: number[] = [1, 2, 3, 4, 5, 6], detectors: number[] = [0, 1, 2, 3]): { instrument: string; detector: number; exposure: number }[] {
  return exposures.flatMap((exposure) => detectors.map((detector) => ({ instrument: 'Cam', detector, exposure })));
}
