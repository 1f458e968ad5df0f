// Registry benchmark: dimension-record inserts, batch dataset registration (100k per batch, UUIDv7
// and UUID5, side by side with the bare-SQLite floor, several rounds), then where-filtered, ordered
// and paged queries over 1M datasets. Prints wall median/min and CPU median (process.cpuUsage: the
// fairer figure when other processes load the machine) and the load average.
//   npx tsx bench/registry.ts [--datasets 1000000] [--rounds 3] [--keep]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
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
const ROUNDS = Math.max(1, Math.min(argValue('--rounds', 3), Math.floor((TOTAL - 4_000) / (2 * BATCH))));

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

/** Wall and CPU (user + system) milliseconds of one call. */
function timeCpu<T>(fn: () => T): [T, number, number] {
  const c0 = process.cpuUsage();
  const t0 = now();
  const r = fn();
  const wall = now() - t0;
  const c = process.cpuUsage(c0);
  return [r, wall, (c.user + c.system) / 1000];
}

const load = () => `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;

/** "wall median M ms (min m), CPU median C ms" over samples [wall, cpu]. */
function summary(samples: [number, number][]): { wall: number; min: number; cpu: number } {
  return { wall: median(samples.map((x) => x[0])), min: Math.min(...samples.map((x) => x[0])), cpu: median(samples.map((x) => x[1])) };
}

try {
  const registry = Registry.create(path.join(dir, 'gen3.sqlite3'));
  console.log(`machine: ${cpus().length} cores, ${load()} (wall timings scale with load; CPU time and side-by-side ratios are the fairer figures)`);
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

  // ---- 100k registrations in batch, UNIQUE (UUIDv7) and DATAID_TYPE_RUN (UUID5) modes, side by
  // side with the SQLite floor for the same rows (two prepared INSERTs each, nothing else), in rounds.
  registry.registerRun('run/floor');
  const floorRun = registry.getCollectionInfo('run/floor').id;
  const floor = () => registry.transaction(() => {
    registry.db.prepare('INSERT OR IGNORE INTO collection_summary_dataset_type (collection_id, dataset_type_id) VALUES (?, 1)').run(floorRun);
    registry.db.prepare("INSERT OR IGNORE INTO collection_summary_instrument (collection_id, instrument) VALUES (?, 'Cam')").run(floorRun);
    const insD = registry.db.prepare('INSERT INTO dataset (id, dataset_type_id, ingest_date, run_id) VALUES (?, 1, ?, ?)');
    const insT = registry.db.prepare('INSERT INTO dataset_tags_00000001 (dataset_type_id, dataset_id, collection_id, instrument, detector, exposure) VALUES (1, ?, ?, ?, ?, ?)');
    let n = 0;
    for (const d of dataIds(0, BATCH)) {
      const id = (n++).toString(16).padStart(32, '0');
      insD.run(id, 0n, floorRun);
      insT.run(id, floorRun, d.instrument, d.detector, d.exposure);
    }
  });
  const insertSamples: Record<string, [number, number][]> = { uuid7: [], uuid5: [], floor: [] };
  let inserted = 0;
  console.log(`batch registration, ${fmt(BATCH)} datasets per batch, ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} (${load()})`);
  for (let round = 0; round < ROUNDS; round++) {
    const [, w7, c7] = timeCpu(() => registry.insertDatasets('raw', dataIds(inserted, BATCH), 'run/a'));
    inserted += BATCH;
    const [, w5, c5] = timeCpu(() => registry.insertDatasets('raw', dataIds(inserted, BATCH), 'run/a', 'DATAID_TYPE_RUN'));
    inserted += BATCH;
    const [, wf, cf] = timeCpu(floor);
    registry.db.prepare('DELETE FROM dataset WHERE run_id = ?').run(floorRun);
    insertSamples.uuid7.push([w7, c7]);
    insertSamples.uuid5.push([w5, c5]);
    insertSamples.floor.push([wf, cf]);
  }
  const rate = (ms: number) => fmt(BATCH / (ms / 1000));
  for (const [label, key] of [['insertDatasets UUIDv7 (UNIQUE)', 'uuid7'], ['insertDatasets UUID5 (DATAID_TYPE_RUN)', 'uuid5'], ['SQLite floor (two bare INSERTs)', 'floor']] as const) {
    const s = summary(insertSamples[key]);
    console.log(`  ${label.padEnd(40)} wall median ${rate(s.wall).padStart(7)}/s (best ${rate(s.min)}/s), CPU median ${rate(s.cpu).padStart(7)}/s`);
  }
  const s7 = summary(insertSamples.uuid7);
  const sf = summary(insertSamples.floor);
  console.log(`  insertDatasets UUIDv7 costs ${(s7.wall / sf.wall).toFixed(2)}× the floor in wall time, ${(s7.cpu / sf.cpu).toFixed(2)}× in CPU (${load()})`);
  registry.removeCollection('run/floor');

  // ---- fill up to TOTAL
  const filledBefore = inserted;
  const tFill0 = now();
  const fillEnd = TOTAL - 2 * small;
  while (inserted < fillEnd) {
    const n = Math.min(BATCH, fillEnd - inserted);
    registry.insertDatasets('raw', dataIds(inserted, n), 'run/a');
    inserted += n;
  }
  const tFill = now() - tFill0;
  if (inserted > filledBefore) console.log(`filled to ${fmt(registry.countDatasets('raw', { collections: ['run/a', 'run/b'] }))} datasets: ${fmt((inserted - filledBefore) / (tFill / 1000))} datasets/s (${load()})`);
  registry.registerCollection('all', 'CHAINED');
  registry.setCollectionChain('all', ['run/b', 'run/a']);
  registry.db.exec('ANALYZE');

  // ---- queries over TOTAL datasets
  const queries: [string, Parameters<Registry['queryDatasets']>[1], number][] = [
    ['detector + exposure range (index)', { collections: 'run/a', where: "instrument = 'Cam' AND detector = 42 AND exposure > 1000 AND exposure <= 1100" }, 7],
    ['exposure metadata join', { collections: 'run/a', where: "exposure.observation_type = 'bias' AND detector = 7 AND exposure.day_obs = 20250111" }, 7],
    ['implied band + day_obs + IN range', { collections: 'run/a', where: "band = 'i' AND exposure.day_obs = 20250103 AND detector IN (1..10)" }, 7],
    ['timespan overlap', { collections: 'run/a', where: "exposure.timespan OVERLAPS T'2025-01-01 05:00:00' AND detector < 50" }, 7],
    ['find-first through a chain', { collections: 'all', findFirst: true, where: 'detector = 3 AND exposure < 500' }, 7],
    ['bind + order_by + limit', { collections: 'run/a', where: 'detector = :d', bind: { d: 11 }, orderBy: '-exposure', limit: 100 }, 7],
    ['list 2,000 (no where)', { collections: 'run/a', limit: 2000 }, 7],
    ['page deep in data-ID order', { collections: 'run/a', limit: 100, offset: Math.floor(TOTAL * 0.9) }, 5],
    ['order by dataset_id, limit 100', { collections: 'run/a', orderBy: 'dataset_id', limit: 100 }, 5],
    ['order by exposure.obs_id, limit 100', { collections: 'run/a', orderBy: 'exposure.obs_id', limit: 100 }, 5],
    ['order by -exposure, deep page', { collections: 'run/a', orderBy: '-exposure', limit: 100, offset: Math.floor(TOTAL * 0.9) }, 3],
    ['order by ingest_date, middle page', { collections: 'run/a', orderBy: 'ingest_date', limit: 100, offset: Math.floor(TOTAL / 2) }, 3],
  ];
  console.log(`queries over ${fmt(TOTAL)} datasets: wall median (min) and CPU median of N runs (${load()})`);
  for (const [label, options, runs] of queries) {
    const samples: [number, number][] = [];
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const [refs, wall, cpu] = timeCpu(() => registry.queryDatasets('raw', options));
      rows = refs.length;
      samples.push([wall, cpu]);
    }
    const s = summary(samples);
    const what = options.where ?? JSON.stringify({ orderBy: options.orderBy, limit: options.limit, offset: options.offset });
    console.log(`  ${label.padEnd(36)} ${s.wall.toFixed(1).padStart(7)} ms (min ${s.min.toFixed(1)}, CPU ${s.cpu.toFixed(1)}) ×${runs}  ${fmt(rows)} rows   ${what}`);
  }
  const [n, tCount, cCount] = timeCpu(() => registry.countDatasets('raw', { collections: ['run/a', 'run/b'] }));
  console.log(`  countDatasets (all)                  ${tCount.toFixed(1).padStart(7)} ms (CPU ${cCount.toFixed(1)})  ${fmt(n)}`);
  console.log(`(Python daf_butler: ~30 ms just to list 2,000 datasets) ${load()}`);
  registry.close();
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
