// Butler throughput, side by side with daf_butler's figures measured on this kind of
// machine (../shared/reference/README.md, medians, ms): N = 2,000 small JSON dicts with
// instrument+detector+exposure data IDs: put, list, get by ref, get by data ID, getURI,
// prune-purge. Each sequence runs on a fresh repository; we print the median of RUNS
// runs (after one warm-up run), wall and CPU time, and the machine load, since other
// processes share the 2 cores. Run: npx tsx bench/butler.ts [N] [RUNS]
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { Butler } from '../core/butler/index.js';
import { DatasetType } from '../core/datasets/index.js';

const N = Number(process.argv[2] ?? 2000);
const RUNS = Number(process.argv[3] ?? 3);
// daf_butler: get(dataId) was measured for 500 calls (2,233 ms); scaled to N.
const PYTHON_MS: Record<string, number> = { put: 12_990, list: 30, 'get(ref)': 867, 'get(dataId)': 2_233 * (N / 500), getURI: 623, purge: 403 };
const OPS = ['put', 'list', 'get(ref)', 'get(dataId)', 'getURI', 'purge', 'put (no transaction)'];

function setup(): { butler: Butler; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-butler-'));
  const root = join(dir, 'repo');
  Butler.makeRepo(root);
  // daf_butler's default formatter for StructuredDataDict is YAML; the reference figures used JSON.
  const cfgPath = join(root, 'butler.yaml');
  const cfg = YAML.parse(readFileSync(cfgPath, 'utf8'));
  cfg.datastore.formatters = { StructuredDataDict: 'lsst.daf.butler.formatters.json.JsonFormatter' };
  writeFileSync(cfgPath, YAML.stringify(cfg));
  const butler = Butler.open(root, { run: 'bench/run' });
  const r = butler.registry;
  r.insertDimensionData('instrument', [{ name: 'Cam', visit_max: 10_000_000, visit_system: 0, exposure_max: 10_000_000, detector_max: 1000, class_name: 'bench.Cam' }]);
  r.insertDimensionData('physical_filter', [{ instrument: 'Cam', name: 'r_01', band: 'r' }]);
  r.insertDimensionData('day_obs', [{ instrument: 'Cam', id: 20250101, timespan: null }]);
  r.insertDimensionData('group', [{ instrument: 'Cam', name: 'g1' }]);
  r.insertDimensionData('detector', Array.from({ length: 20 }, (_, i) => ({ instrument: 'Cam', id: i, full_name: `R00_S${i}`, name_in_raft: `S${i}`, raft: 'R00', purpose: 'SCIENCE' })));
  r.insertDimensionData('exposure', Array.from({ length: Math.ceil(N / 20) }, (_, i) => ({
    instrument: 'Cam', id: 1000 + i, day_obs: 20250101, group: 'g1', physical_filter: 'r_01', obs_id: `CAM_${1000 + i}`, exposure_time: 30, dark_time: 30,
    observation_type: 'science', observation_reason: 'bench', seq_num: i, seq_start: i, seq_end: i, target_name: 't', science_program: 'p',
    tracking_ra: null, tracking_dec: null, sky_angle: null, azimuth: null, zenith_angle: null, has_simulated: false, can_see_sky: true, timespan: null,
  })));
  r.registerDatasetType(DatasetType.fromNames(r.dimensions, 'metric', ['instrument', 'detector', 'exposure'], 'StructuredDataDict'));
  return { butler, dir };
}

const dataIdOf = (i: number) => ({ instrument: 'Cam', detector: i % 20, exposure: 1000 + Math.floor(i / 20) });

async function measure<T>(fn: () => Promise<T> | T): Promise<{ out: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { out, wall, cpu: (c.user + c.system) / 1000 };
}

async function sequence(): Promise<Record<string, { wall: number; cpu: number }>> {
  const res: Record<string, { wall: number; cpu: number }> = {};
  const { butler, dir } = setup();
  // All N puts in one transaction (daf_butler's butler.transaction()): files are written in the background.
  const put = await measure(() => butler.transaction(async () => {
    const refs = [];
    for (let i = 0; i < N; i++) refs.push(await butler.put({ index: i, values: [i, i * 2, i * 3], label: `metric ${i}` }, 'metric', dataIdOf(i)));
    return refs;
  }));
  res.put = put;
  const refs = put.out;
  const list = await measure(() => butler.registry.queryDatasets('metric', { collections: 'bench/run' }));
  if (list.out.length !== N) throw new Error(`listed ${list.out.length}, expected ${N}`);
  res.list = list;
  res['get(ref)'] = await measure(async () => {
    for (const ref of refs) await butler.get(ref);
  });
  res['get(dataId)'] = await measure(async () => {
    for (let i = 0; i < N; i++) await butler.get('metric', dataIdOf(i));
  });
  res.getURI = await measure(() => {
    for (const ref of refs) butler.getURI(ref);
  });
  res.purge = await measure(() => butler.pruneDatasets(refs, { purge: true, unstore: true }));
  // Each put atomic on its own (no outer transaction): a SQLite commit per put.
  res['put (no transaction)'] = await measure(async () => {
    for (let i = 0; i < N; i++) await butler.put({ index: i }, 'metric', dataIdOf(i));
  });
  butler.close();
  rmSync(dir, { recursive: true, force: true });
  return res;
}

/** The file system's floor for one file per dataset: create + write + close + rename N small files. */
async function bareFiles(): Promise<{ wall: number; cpu: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-files-'));
  for (let i = 0; i < 20; i++) mkdirSync(join(dir, String(i)));
  const r = await measure(() => {
    for (let i = 0; i < N; i++) {
      const final = join(dir, String(i % 20), `f${i}.json`);
      writeFileSync(`${final}.tmp`, JSON.stringify({ index: i }));
      renameSync(`${final}.tmp`, final);
    }
  });
  rmSync(dir, { recursive: true, force: true });
  return r;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await sequence(); // warm-up: module loading and JIT
const runs = [];
const floors = [];
for (let k = 0; k < RUNS; k++) {
  runs.push(await sequence());
  floors.push(await bareFiles());
}
console.log(`butler-desktop vs daf_butler (Python), N = ${N} small JSON datasets, median of ${RUNS} runs`);
console.log(`machine load average (1 min): ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (other processes share them: wall times include waiting)`);
console.log('operation              wall (ms)  cpu (ms)   daf_butler (ms)   ratio (wall)');
for (const op of OPS) {
  const wall = median(runs.map((r) => r[op].wall));
  const cpu = median(runs.map((r) => r[op].cpu));
  const py = op === 'put (no transaction)' ? PYTHON_MS.put : PYTHON_MS[op];
  console.log(`${op.padEnd(22)} ${wall.toFixed(1).padStart(9)} ${cpu.toFixed(1).padStart(9)}   ${py.toFixed(0).padStart(15)}   ${(py / wall).toFixed(1).padStart(6)}x`);
}
console.log(`file-system floor, ${N} bare writeFile+rename: ${median(floors.map((f) => f.wall)).toFixed(1)} ms wall, ${median(floors.map((f) => f.cpu)).toFixed(1)} ms CPU`);
