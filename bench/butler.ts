// Butler throughput, side by side with daf_butler's figures measured on this kind of
// machine (../shared/reference/README.md, medians, ms): N = 2,000 small JSON dicts with
// instrument+detector+exposure data IDs: put, list, get by ref, get by data ID, getURI,
// prune-purge. Run: npx tsx bench/butler.ts [N] [RUNS]
//
// Why the layout below (nothing is deleted until every create is measured):
// on an ext4 file system WITHOUT a journal (this machine's), the inode allocator skips
// inodes freed recently (fs/ext4/ialloc.c recently_deleted(): freed < 60 s ago, or < 360 s
// while their inode-table block is still dirty), testing them one by one. After a process
// deletes thousands of files, every file creation nearby scans past them: ~0.9 ms per
// openat instead of ~30 us, for minutes. A benchmark that deletes its repositories (or
// purges datasets) between runs therefore slows its own next puts by 10-20x. So: every run
// keeps its repository; all puts (and the bare-file floors) run first; the purges run
// last; everything is deleted at exit. The floor (N bare writeFile+rename) is measured
// before the puts, after them and after the purges, so a file system already poisoned by
// other processes (tests deleting files) is visible and flagged. No allocator tricks
// (chattr +T etc.): the figures are what a user's machine in the same state would see.
// The deletion at exit poisons the next run's first minutes: leave ~5 minutes between runs.
// The purge's floor is printed too: its SQL statements bare (in a transaction rolled back, just
// before each purge) and 2,000 bare unlinks on one and on two threads (the kept floor files, at
// the very end). A purge cannot beat SQL + unlinks: daf_butler's purge removes the files before
// it returns, and a file may go only once the registry no longer lists its dataset (committed).
// Outside a transaction nothing changed here; inside one, artifacts are written by the
// process's file worker (core/datastore/storage/fileOps.worker.ts) while the main thread does
// the registry rows, so `put` wall time can approach the floor while CPU time exceeds it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import YAML from 'yaml';
import { Butler } from '../core/butler/index.js';
import { DatasetType, type DatasetRef } from '../core/datasets/index.js';

const N = Number(process.argv[2] ?? 2000);
const RUNS = Number(process.argv[3] ?? 3);
// daf_butler: get(dataId) was measured for 500 calls (2,233 ms); scaled to N.
const PYTHON_MS: Record<string, number> = { put: 12_990, list: 30, 'get(ref)': 867, 'get(dataId)': 2_233 * (N / 500), getURI: 623, purge: 403 };
const OPS = ['put', 'list', 'get(ref)', 'get(dataId)', 'getURI', 'purge', 'put (no transaction)'];
const PURGE_FLOOR = 'purge floor: SQL';
/** Per-file cost above which the floor says the allocator is scanning recently freed inodes (calm: 30-55 us). */
const POISONED_US_PER_FILE = 150;

const top = mkdtempSync(join(tmpdir(), 'bench-butler-'));
process.on('exit', () => rmSync(top, { recursive: true, force: true }));
let repoCount = 0;

interface Timing {
  wall: number;
  cpu: number;
  sys: number;
}

async function measure<T>(fn: () => Promise<T> | T): Promise<Timing & { out: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { out, wall, cpu: (c.user + c.system) / 1000, sys: c.system / 1000 };
}

function setup(): Butler {
  const root = join(top, `repo${repoCount++}`);
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
  return butler;
}

const dataIdOf = (i: number) => ({ instrument: 'Cam', detector: i % 20, exposure: 1000 + Math.floor(i / 20) });

/** Everything but the purge, on a fresh repository; nothing is deleted. */
async function createAndRead(): Promise<{ res: Record<string, Timing>; butler: Butler; refs: DatasetRef[] }> {
  const res: Record<string, Timing> = {};
  const butler = setup();
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
  // Each put atomic on its own (no outer transaction): a SQLite commit per put. Another RUN, so
  // the same data IDs are free and the first RUN stays intact for the purge.
  res['put (no transaction)'] = await measure(async () => {
    for (let i = 0; i < N; i++) await butler.put({ index: i }, 'metric', dataIdOf(i), { run: 'bench/single' });
  });
  return { res, butler, refs };
}

/** The file system's floor for one file per dataset: create + write + close + rename N small files (kept). */
function bareFiles(label: string): Promise<Timing> {
  const dir = join(top, `floor-${label}`);
  for (let i = 0; i < 20; i++) mkdirSync(join(dir, String(i)), { recursive: true });
  return measure(() => {
    for (let i = 0; i < N; i++) {
      const final = join(dir, String(i % 20), `f${i}.json`);
      writeFileSync(`${final}.tmp`, JSON.stringify({ index: i }));
      renameSync(`${final}.tmp`, final);
    }
  });
}

/** Every file under a bare-file floor directory (kept by bareFiles), in creation order per subdirectory. */
function floorFiles(label: string): string[] {
  const dir = join(top, `floor-${label}`);
  return readdirSync(dir).flatMap((sub) => readdirSync(join(dir, sub)).map((name) => join(dir, sub, name)));
}

/**
 * The purge's file-system floor: unlink `paths` on this thread alone, or on this thread from the
 * front and a second one from the back, each claiming through a shared counter (as the
 * datastore's file worker does).
 */
async function bareUnlinks(paths: string[], threads: 1 | 2): Promise<Timing> {
  const claim = new Int32Array(new SharedArrayBuffer(4));
  const work = () => {
    for (let mine = 0; Atomics.add(claim, 0, 1) < paths.length; mine++) unlinkSync(paths[mine]);
  };
  if (threads === 1) return measure(work);
  const helper = new Worker(
    `const { parentPort } = require('node:worker_threads'); const { unlinkSync } = require('node:fs');
     parentPort.on('message', ({ paths, claim }) => { const c = new Int32Array(claim); for (let mine = 0; Atomics.add(c, 0, 1) < paths.length; mine++) unlinkSync(paths[paths.length - 1 - mine]); parentPort.postMessage('done'); });
     parentPort.postMessage('ready');`,
    { eval: true },
  );
  await new Promise((resolve) => helper.once('message', resolve));
  const timing = await measure(async () => {
    const done = new Promise((resolve) => helper.once('message', resolve));
    helper.postMessage({ paths, claim: claim.buffer });
    work();
    await done;
  });
  await helper.terminate();
  return timing;
}

/**
 * The purge's SQL floor: the statements a purge of `refs` runs (records with their paths,
 * locations, the shared-path check, the still-stored check, tag rows, dataset rows), bare, in one
 * transaction rolled back (no commit: the purge's commit writes the WAL on top of this).
 */
function bareSql(butler: Butler, refs: readonly DatasetRef[], tagTable: string): Timing {
  const db = butler.registry.db;
  const ids = JSON.stringify(refs.map((r) => r.id.replace(/-/g, '')));
  const rollback = new Error('rollback');
  let timing: Timing | undefined;
  try {
    db.transaction(() => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const paths = db.prepare('DELETE FROM file_datastore_records WHERE dataset_id IN (SELECT value FROM json_each(?)) RETURNING path').rows(ids).map((r) => r[0] as string);
      db.prepare('DELETE FROM dataset_location WHERE dataset_id IN (SELECT value FROM json_each(?))').run(ids);
      db.prepare('SELECT DISTINCT path FROM file_datastore_records WHERE path IN (SELECT value FROM json_each(?))').rows(JSON.stringify(paths));
      db.prepare('SELECT 1 FROM dataset_location WHERE dataset_id IN (SELECT value FROM json_each(?)) LIMIT 1').rows(ids);
      db.prepare(`DELETE FROM ${tagTable} WHERE dataset_id IN (SELECT value FROM json_each(?))`).run(ids);
      db.prepare('DELETE FROM dataset WHERE id IN (SELECT value FROM json_each(?))').run(ids);
      const c = process.cpuUsage(c0);
      timing = { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000, sys: c.system / 1000 };
      throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return timing!;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

const loadStart = load();
const floors: Record<string, Timing> = {};
floors['before the puts'] = await bareFiles('before');
// Two warm-up runs (module loading, the file worker's start, JIT): after one, get and put were
// still 30% slower than in steady state.
const warm = [await createAndRead(), await createAndRead()];
const runs = [];
for (let k = 0; k < RUNS; k++) runs.push(await createAndRead());
floors['after the puts'] = await bareFiles('after-puts');
// Purges last: they free N inodes each (see the header). The warm-up repositories' purges warm the code.
const tagTable = runs[0].butler.registry.db.prepare("SELECT tag_association_table AS t FROM dataset_type WHERE name = 'metric'").get<{ t: string }>()!.t;
// The SQL floor on each repository just before its purge (the first call warms the statements up).
for (const w of warm) bareSql(w.butler, w.refs, tagTable);
for (const run of runs) run.res['purge floor: SQL'] = bareSql(run.butler, run.refs, tagTable);
for (const w of warm) await w.butler.pruneDatasets(w.refs, { purge: true, unstore: true });
for (const run of runs) run.res.purge = await measure(() => run.butler.pruneDatasets(run.refs, { purge: true, unstore: true }));
floors['after the purges'] = await bareFiles('after-purges');
// The unlink floors last (they free more inodes): the kept bare files of the first two floors.
const unlinkFloors: Record<string, Timing> = {
  '1 thread': await bareUnlinks(floorFiles('before'), 1),
  '2 threads': await bareUnlinks(floorFiles('after-puts'), 2),
};
for (const r of [...warm, ...runs]) r.butler.close();

console.log(`butler-desktop vs daf_butler (Python), N = ${N} small JSON datasets, median of ${RUNS} runs (after two warm-up runs)`);
console.log(`machine load average (1/5/15 min): ${loadStart} at start, ${load()} at end, on ${cpus().length} cores (other processes share them: wall times include waiting)`);
console.log('operation              wall (ms)  cpu (ms)   daf_butler (ms)   ratio (wall)   target (ms)');
const targets: Record<string, number> = { put: PYTHON_MS.put / 100 };
for (const op of ['list', 'get(ref)', 'get(dataId)', 'getURI', 'purge']) targets[op] = PYTHON_MS[op] / 20;
for (const op of OPS) {
  const wall = median(runs.map((r) => r.res[op].wall));
  const cpu = median(runs.map((r) => r.res[op].cpu));
  const py = op === 'put (no transaction)' ? PYTHON_MS.put : PYTHON_MS[op];
  const target = targets[op] === undefined ? '' : `${targets[op].toFixed(1).padStart(11)}${wall <= targets[op] ? '' : '  (missed)'}`;
  console.log(`${op.padEnd(22)} ${wall.toFixed(1).padStart(9)} ${cpu.toFixed(1).padStart(9)}   ${py.toFixed(0).padStart(15)}   ${(py / wall).toFixed(1).padStart(10)}x   ${target}`);
}
console.log(`file-system floor, ${N} bare writeFile+rename (each kept):`);
let poisoned = false;
for (const [label, f] of Object.entries(floors)) {
  const usPerFile = (f.wall * 1000) / N;
  const flag = usPerFile > POISONED_US_PER_FILE ? '  <- slowed by recently freed inodes' : '';
  if (usPerFile > POISONED_US_PER_FILE && label !== 'after the purges') poisoned = true;
  console.log(`  ${label.padEnd(17)} ${f.wall.toFixed(1).padStart(8)} ms wall, ${f.cpu.toFixed(1).padStart(8)} ms CPU (${f.sys.toFixed(1)} ms system), ${usPerFile.toFixed(0)} us/file${flag}`);
}
const sqlFloor = median(runs.map((r) => r.res[PURGE_FLOOR].wall));
console.log(`purge floor, ${N} datasets: the purge's SQL statements bare (rolled back, no commit) ${sqlFloor.toFixed(1)} ms wall (median), ${N} bare unlinks:`);
for (const [label, f] of Object.entries(unlinkFloors)) console.log(`  ${label.padEnd(17)} ${f.wall.toFixed(1).padStart(8)} ms wall, ${f.cpu.toFixed(1).padStart(8)} ms CPU (both threads when two)`);
console.log(`  SQL + unlinks on 2 threads = ${(sqlFloor + unlinkFloors['2 threads'].wall).toFixed(1)} ms (files go only after the commit); purge = ${median(runs.map((r) => r.res.purge.wall)).toFixed(1)} ms`);
const putWall = median(runs.map((r) => r.res.put.wall));
const floorBefore = floors['before the puts'].wall;
const floorAfter = floors['after the puts'].wall;
console.log(`put (transaction) = ${(putWall / floorBefore).toFixed(2)}x the floor before the puts, ${(putWall / floorAfter).toFixed(2)}x the floor after them`);
if (poisoned) {
  console.log(`WARNING: the floor exceeded ${POISONED_US_PER_FILE} us/file before the purges: this ext4 (no journal) is skipping inodes freed in the last minutes`);
  console.log('(another process deleted many files, see the header). Put figures are slowed by the file system, not the Butler: rerun in ~5 minutes.');
}
