// Registry benchmark: dimension-record inserts, batch dataset registration (100k), then
// where-filtered queries over 1M datasets. Prints rates and timings.
//   npx tsx bench/registry.ts [--datasets 1000000] [--keep]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatasetType } from '../core/datasets/index.js';
import { Registry } from '../core/registry/index.js';

const args = process.argv.slice(2);
const argValue = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TOTAL = argValue('--datasets', 1_000_000);
const DETECTORS = 200;
const EXPOSURES = Math.ceil(TOTAL / DETECTORS);
const BATCH = 100_000;

const dir = mkdtempSync(path.join(tmpdir(), 'bench-registry-'));
const now = () => performance.now();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(fn: () => T): [T, number] {
  const t0 = now();
  const r = fn();
  return [r, now() - t0];
}

try {
  const registry = Registry.create(path.join(dir, 'gen3.sqlite3'));
  const { loadavg, cpus } = await import('node:os');
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (timings scale with load; compare ratios)`);
  console.log(`registry benchmark: ${fmt(TOTAL)} datasets (${fmt(EXPOSURES)} exposures × ${DETECTORS} detectors), SQLite at ${dir}`);

  // ---- dimension records
  registry.insertDimensionData('instrument', [{ name: 'Cam', detector_max: DETECTORS, exposure_max: 10_000_000, visit_max: 10_000_000, visit_system: 0, class_name: 'bench.Cam' }]);
  registry.insertDimensionData('physical_filter', ['g', 'r', 'i'].map((b) => ({ instrument: 'Cam', name: `${b}_1`, band: b })));
  registry.insertDimensionData('detector', Array.from({ length: DETECTORS }, (_, id) => ({ instrument: 'Cam', id, full_name: `D${id}`, purpose: 'SCIENCE' })));
  const nights = 30;
  registry.insertDimensionData('day_obs', Array.from({ length: nights }, (_, i) => ({ instrument: 'Cam', id: 20250101 + i })));
  registry.insertDimensionData('group', Array.from({ length: nights }, (_, i) => ({ instrument: 'Cam', name: `g${i}` })));
  const exposures = Array.from({ length: EXPOSURES }, (_, i) => {
    const begin = 1_735_700_000_000_000_000n + BigInt(i) * 60_000_000_000n;
    return {
      instrument: 'Cam', id: i + 1, obs_id: `CAM_${i + 1}`, day_obs: 20250101 + (i % nights), group: `g${i % nights}`,
      physical_filter: ['g_1', 'r_1', 'i_1'][i % 3], exposure_time: 30, observation_type: i % 10 === 0 ? 'bias' : 'science',
      seq_num: i, timespan: { begin, end: begin + 30_000_000_000n },
    };
  });
  const [, tExp] = time(() => registry.insertDimensionData('exposure', exposures));
  console.log(`insertDimensionData(exposure): ${fmt(EXPOSURES)} records in ${tExp.toFixed(0)} ms = ${fmt(EXPOSURES / (tExp / 1000))} records/s`);

  registry.registerDatasetType(DatasetType.fromNames(registry.dimensions, 'raw', ['instrument', 'detector', 'exposure'], 'Exposure'));
  registry.registerRun('run/a');
  registry.registerRun('run/b');

  const dataIds = (start: number, count: number) => Array.from({ length: count }, (_, k) => {
    const n = start + k;
    return { instrument: 'Cam', detector: n % DETECTORS, exposure: Math.floor(n / DETECTORS) + 1 };
  });

  // ---- side by side: one transaction per dataset (what a naive per-row API does) vs one batch
  const small = 2_000;
  const [, tRow] = time(() => {
    for (const d of dataIds(TOTAL - small, small)) registry.insertDatasets('raw', [d], 'run/b');
  });
  const [, tBatchSmall] = time(() => registry.insertDatasets('raw', dataIds(TOTAL - 2 * small, small), 'run/b'));
  console.log(`${fmt(small)} datasets one call each: ${tRow.toFixed(0)} ms; one batch: ${tBatchSmall.toFixed(0)} ms (batch ${(tRow / tBatchSmall).toFixed(1)}× faster)`);

  // ---- 100k registrations in batch, UNIQUE (UUIDv7) and DATAID_TYPE_RUN (UUID5) modes
  const [, t100k] = time(() => registry.insertDatasets('raw', dataIds(0, BATCH), 'run/a'));
  console.log(`insertDatasets: ${fmt(BATCH)} datasets (UUIDv7) in ${t100k.toFixed(0)} ms = ${fmt(BATCH / (t100k / 1000))} datasets/s`);
  const [, t100k5] = time(() => registry.insertDatasets('raw', dataIds(BATCH, BATCH), 'run/a', 'DATAID_TYPE_RUN'));
  console.log(`insertDatasets: ${fmt(BATCH)} datasets (UUID5 DATAID_TYPE_RUN) in ${t100k5.toFixed(0)} ms = ${fmt(BATCH / (t100k5 / 1000))} datasets/s`);

  // ---- side by side: the SQLite floor for the same 100k rows (two prepared INSERTs, nothing else)
  registry.registerRun('run/floor');
  const floorRun = registry.getCollectionInfo('run/floor').id;
  const [, tFloor] = time(() => registry.transaction(() => {
    registry.db.prepare('INSERT INTO collection_summary_dataset_type (collection_id, dataset_type_id) VALUES (?, 1)').run(floorRun);
    registry.db.prepare("INSERT INTO collection_summary_instrument (collection_id, instrument) VALUES (?, 'Cam')").run(floorRun);
    const insD = registry.db.prepare('INSERT INTO dataset (id, dataset_type_id, ingest_date, run_id) VALUES (?, 1, ?, ?)');
    const insT = registry.db.prepare('INSERT INTO dataset_tags_00000001 (dataset_type_id, dataset_id, collection_id, instrument, detector, exposure) VALUES (1, ?, ?, ?, ?, ?)');
    let n = 0;
    for (const d of dataIds(0, BATCH)) {
      const id = (n++).toString(16).padStart(32, '0');
      insD.run(id, 0n, floorRun);
      insT.run(id, floorRun, d.instrument, d.detector, d.exposure);
    }
  }));
  console.log(`SQLite floor (same 100k rows, two bare INSERTs each): ${tFloor.toFixed(0)} ms = ${fmt(BATCH / (tFloor / 1000))} rows/s; insertDatasets costs ${(t100k / tFloor).toFixed(2)}× the floor`);
  registry.removeCollection('run/floor');

  // ---- fill up to TOTAL
  let inserted = 2 * BATCH;
  const tFill0 = now();
  const fillEnd = TOTAL - 2 * small;
  while (inserted < fillEnd) {
    const n = Math.min(BATCH, fillEnd - inserted);
    registry.insertDatasets('raw', dataIds(inserted, n), 'run/a');
    inserted += n;
  }
  const tFill = now() - tFill0;
  if (inserted > 2 * BATCH) console.log(`filled to ${fmt(registry.countDatasets('raw', { collections: ['run/a', 'run/b'] }))} datasets: ${fmt((inserted - 2 * BATCH) / (tFill / 1000))} datasets/s`);
  registry.registerCollection('all', 'CHAINED');
  registry.setCollectionChain('all', ['run/b', 'run/a']);
  registry.db.exec('ANALYZE');

  // ---- queries over TOTAL datasets
  const queries: [string, Parameters<Registry['queryDatasets']>[1]][] = [
    ['detector + exposure range (index)', { collections: 'run/a', where: "instrument = 'Cam' AND detector = 42 AND exposure > 1000 AND exposure <= 1100" }],
    ['exposure metadata join', { collections: 'run/a', where: "exposure.observation_type = 'bias' AND detector = 7 AND exposure.day_obs = 20250111" }],
    ['implied band + day_obs + IN range', { collections: 'run/a', where: "band = 'i' AND exposure.day_obs = 20250103 AND detector IN (1..10)" }],
    ['timespan overlap', { collections: 'run/a', where: "exposure.timespan OVERLAPS T'2025-01-01 05:00:00' AND detector < 50" }],
    ['find-first through a chain', { collections: 'all', findFirst: true, where: 'detector = 3 AND exposure < 500' }],
    ['bind + order_by + limit', { collections: 'run/a', where: 'detector = :d', bind: { d: 11 }, orderBy: '-exposure', limit: 100 }],
  ];
  console.log(`queries over ${fmt(TOTAL)} datasets (median of 7 runs):`);
  for (const [label, options] of queries) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 7; i++) {
      const [refs, t] = time(() => registry.queryDatasets('raw', options));
      rows = refs.length;
      times.push(t);
    }
    console.log(`  ${label.padEnd(36)} ${median(times).toFixed(1).padStart(7)} ms  ${fmt(rows)} rows   where: ${options.where ?? ''}`);
  }
  const [n, tCount] = time(() => registry.countDatasets('raw', { collections: ['run/a', 'run/b'] }));
  console.log(`  countDatasets (all)                  ${tCount.toFixed(1).padStart(7)} ms  ${fmt(n)}`);
  const [page, tPage] = time(() => registry.queryDatasets('raw', { collections: 'run/a', limit: 2000 }));
  console.log(`  list 2,000 datasets (no where)       ${tPage.toFixed(1).padStart(7)} ms  ${fmt(page.length)} rows (Python daf_butler: ~30 ms for 2,000)`);
  registry.close();
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
