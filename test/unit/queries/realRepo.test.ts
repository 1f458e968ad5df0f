import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Registry } from '../../../core/registry/index.js';

// The where language through the registry on the real daf_butler LSSTCam repository
// (four raw exposures, 2025-04-16 UTC); expectations come from the stored rows.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dbPath = path.resolve(repoRoot, '..', 'shared', 'data', 'daf_butler', 'lsstcam_raw_repo', 'gen3.sqlite3');

interface ExposureRow { id: number; obs_id: string; timespan_begin: bigint; timespan_end: bigint }
const raw = new Database(dbPath, { readonly: true });
raw.defaultSafeIntegers(true);
const exposures = (raw.prepare('SELECT id, obs_id, timespan_begin, timespan_end FROM exposure ORDER BY id').all() as Array<Record<string, bigint | string>>)
  .map((r) => ({ id: Number(r.id), obs_id: String(r.obs_id), timespan_begin: BigInt(r.timespan_begin), timespan_end: BigInt(r.timespan_end) }) as ExposureRow);
raw.close();

const registry = Registry.open(dbPath, { readOnly: true });
afterAll(() => registry.close());

// UTC ISO -> TAI ns with Date (independent of core/time): TAI-UTC is 37 s in 2025.
const tai = (isoUtc: string): bigint => BigInt(Date.parse(`${isoUtc}Z`)) * 1_000_000n + 37_000_000_000n;

function exposureIds(where: string, bind?: Record<string, unknown>): number[] {
  return registry.queryDimensionRecords('exposure', { where, bind }).map((r) => Number((r as unknown as { id: number | bigint }).id)).sort((a, b) => a - b);
}

describe('where expressions on the real LSSTCam repository', () => {
  it('has the four exposures this test expects', () => {
    expect(exposures.map((e) => e.id)).toEqual([2025041500052, 2025041500053, 2025041500054, 2025041500055]);
  });

  it('timespan OVERLAPS a UTC time literal (half-open, TAI columns)', () => {
    const t = tai('2025-04-16T00:31:00');
    expect(exposureIds("exposure.timespan OVERLAPS T'2025-04-16T00:31:00'"))
      .toEqual(exposures.filter((e) => e.timespan_begin <= t && t < e.timespan_end).map((e) => e.id));
  });

  it('timespan OVERLAPS a (begin, end) tuple and .begin comparisons', () => {
    const [b, e] = [tai('2025-04-16T00:30:00'), tai('2025-04-16T00:31:59')];
    expect(exposureIds("exposure.timespan OVERLAPS (T'2025-04-16 00:30:00', T'2025-04-16 00:31:59')"))
      .toEqual(exposures.filter((x) => x.timespan_begin < e && b < x.timespan_end).map((x) => x.id));
    const after = tai('2025-04-16T00:32:00');
    expect(exposureIds("exposure.timespan.begin > T'2025-04-16T00:32:00'")).toEqual(exposures.filter((x) => x.timespan_begin > after).map((x) => x.id));
  });

  it('IN ranges with stride, GLOB and binds', () => {
    expect(exposureIds("GLOB(exposure.obs_id, '*05?') AND exposure IN (2025041500050..2025041500060:2)")).toEqual([2025041500052, 2025041500054]);
    expect(exposureIds('exposure IN (:ids) AND exposure.exposure_time < :t', { ids: [2025041500053, 2025041500055], t: 20 })).toEqual([2025041500055]);
    const refs = registry.queryDatasets('raw', { collections: 'LSSTCam/raw/all', where: "instrument = 'LSSTCam' AND exposure.timespan.begin > T'2025-04-16T00:32:00'" });
    expect(refs).toHaveLength(2);
  });

  it('reports type errors with the column', () => {
    expect(() => exposureIds("exposure.obs_id = 52")).toThrow(/Cannot compare exposure\.obs_id \(string\) with 52 \(int\)[\s\S]*column 1/);
  });
});
