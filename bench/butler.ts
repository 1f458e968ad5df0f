// Butler throughput, side by side with daf_butler's figures measured on this kind of
// machine (../shared/reference/README.md): N = 2,000 small JSON dicts with
// instrument+detector+exposure data IDs: put, list, get by ref, get by data ID, getURI,
// prune-purge. Run: npx tsx bench/butler.ts [N]
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { Butler } from '../core/butler/index.js';
import { DatasetType } from '../core/datasets/index.js';

const N = Number(process.argv[2] ?? 2000);
const PYTHON_MS: Record<string, number> = { put: 12_990, list: 30, 'get(ref)': 867, 'get(dataId)': 2_233 * (N / 500), getURI: 623, purge: 403 };

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
  const exposures = Math.ceil(N / 20);
  r.insertDimensionData('exposure', Array.from({ length: exposures }, (_, i) => ({
    instrument: 'Cam', id: 1000 + i, day_obs: 20250101, group: 'g1', physical_filter: 'r_01', obs_id: `CAM_${1000 + i}`, exposure_time: 30, dark_time: 30,
    observation_type: 'science', observation_reason: 'bench', seq_num: i, seq_start: i, seq_end: i, target_name: 't', science_program: 'p',
    tracking_ra: null, tracking_dec: null, sky_angle: null, azimuth: null, zenith_angle: null, has_simulated: false, can_see_sky: true, timespan: null,
  })));
  r.registerDatasetType(DatasetType.fromNames(r.dimensions, 'metric', ['instrument', 'detector', 'exposure'], 'StructuredDataDict'));
  return { butler, dir };
}

const dataIdOf = (i: number) => ({ instrument: 'Cam', detector: i % 20, exposure: 1000 + Math.floor(i / 20) });

const cpuMs: Record<string, number> = {};

/** Wall time of fn; its process CPU time (user + system) is kept in cpuMs under `label`. */
async function time<T>(fn: () => Promise<T> | T, label = ''): Promise<[T, number]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (label) cpuMs[label] = (c.user + c.system) / 1000;
  return [out, wall];
}

const { butler, dir } = setup();
const rows: [string, number][] = [];

const [refs, putMs] = await time(() => butler.transaction(async () => {
  const out = [];
  for (let i = 0; i < N; i++) out.push(await butler.put({ index: i, values: [i, i * 2, i * 3], label: `metric ${i}` }, 'metric', dataIdOf(i)));
  return out;
}), 'put');
rows.push(['put', putMs]);

const [listed, listMs] = await time(() => butler.registry.queryDatasets('metric', { collections: 'bench/run' }), 'list');
if (listed.length !== N) throw new Error(`listed ${listed.length}, expected ${N}`);
rows.push(['list', listMs]);

const [, getRefMs] = await time(async () => {
  for (const ref of refs) await butler.get(ref);
}, 'get(ref)');
rows.push(['get(ref)', getRefMs]);

const [, getIdMs] = await time(async () => {
  for (let i = 0; i < N; i++) await butler.get('metric', dataIdOf(i));
}, 'get(dataId)');
rows.push(['get(dataId)', getIdMs]);

const [, uriMs] = await time(() => {
  for (const ref of refs) butler.getURI(ref);
}, 'getURI');
rows.push(['getURI', uriMs]);

const [, purgeMs] = await time(() => butler.pruneDatasets(refs, { purge: true, unstore: true }), 'purge');
rows.push(['purge', purgeMs]);

// Unbatched puts: each one its own transaction (per-put atomicity without an outer transaction).
const { butler: single, dir: dir2 } = setup();
const M = Math.min(N, 500);
const [, singleMs] = await time(async () => {
  for (let i = 0; i < M; i++) await single.put({ index: i }, 'metric', dataIdOf(i));
});

console.log(`butler-desktop vs daf_butler (Python), N = ${N} small JSON datasets, same machine class`);
console.log('operation      wall (ms)  cpu (ms)   daf_butler (ms)   ratio (wall)');
for (const [name, ms] of rows) {
  const py = PYTHON_MS[name];
  console.log(`${name.padEnd(14)} ${ms.toFixed(1).padStart(9)} ${cpuMs[name].toFixed(1).padStart(9)}   ${py.toFixed(0).padStart(15)}   ${(py / ms).toFixed(0).padStart(5)}x`);
}
console.log(`machine load average (1 min): ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
console.log(`put without an outer transaction: ${(singleMs / M * 1000).toFixed(0)} µs per put (${M} puts, each atomic on its own) = ${(12_990 / N / (singleMs / M)).toFixed(0)}x daf_butler per put`);
butler.close();
single.close();
rmSync(dir, { recursive: true, force: true });
rmSync(dir2, { recursive: true, force: true });
