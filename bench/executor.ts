// A full 36-CCD MegaCam exposure through the ISR executor, end to end: read the RICE-compressed
// raw from the repository, ISR (CfhtIsrTask, ccdproc-equivalent preset as in bench/isr.ts),
// write postISRCCD + isr_metadata + isr_log with provenance. Side by side in the same run: the
// same 36 CCDs of pure ISR on the in-memory worker pool (bench/isr.ts's second figure), so the
// difference is what repository I/O adds.
// Then the executor's I/O choices side by side on this thread (CPU and wall, median and min): a
// master read into fresh vs released (recycled) plane buffers, and a postISRCCD-sized write with
// the FITS writer's fsync vs written unsynced and flushed (file + directory) on the thread pool.
// Usage: npx tsx bench/executor.ts [--jobs 2] [--runs 2] [--dir bench/out/executor-repo] [--ccds 36]
// The repository (one simulated full-frame exposure, masters for every CCD) is built on first use
// and kept in --dir for later runs. Runs on the warm heap as `butler run-isr` does (BUTLER_WARM_HEAP=0: plain malloc).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Butler } from '../core/butler/index.js';
import { calibrationCollection, certifyCalibrations, ensureCalibrationDatasetType } from '../core/calib/index.js';
import { writeSimulatedRaw } from '../core/demo/simulator.js';
import { readExposureFits, releasePlaneBuffers, writeExposureFits } from '../core/formatters/fits/index.js';
import { Exposure, Image, MaskedImage } from '../core/image/index.js';
import { ingestRaws, defaultRawRun } from '../core/ingest/ingestRaws.js';
import { registerInstrumentRecords } from '../core/ingest/registerInstrument.js';
import { getInstrument } from '../core/instrument/index.js';
import { IsrWorkerPool, loadIsrPreset } from '../core/isr/index.js';
import { executeIsrGraph, type ExecutionReport } from '../core/pipe/execution/index.js';
import { buildIsrGraph } from '../core/pipe/graph/index.js';
import { utcIsoToTaiNs } from '../core/time/convenience.js';
import { WARM_HEAP, rerunWithTunables } from './glibcTunables.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

// As `butler run-isr` runs (bin/butler.js): glibc keeps freed large buffers for reuse (the warm
// heap); BUTLER_WARM_HEAP=0 measures with plain malloc.
if (process.platform === 'linux' && process.env.BUTLER_WARM_HEAP !== '0' && !(process.env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.mmap_max')) rerunWithTunables(WARM_HEAP);

const here = path.dirname(fileURLToPath(import.meta.url));
const jobs = Number(arg('jobs', '2'));
const runs = Number(arg('runs', '2'));
const nCcd = Number(arg('ccds', '36'));
const dir = path.resolve(arg('dir', path.join(here, 'out', `executor-repo-${nCcd}`)));
const INSTRUMENT = 'MegaPrime';
const EXPNUM = 900001;
const READY = '.bench-ready';
const detectors = Array.from({ length: nCcd }, (_, i) => i);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * One science raw with every CCD and flat-ish masters (bias 0, dark 0.004, flat 1 ± a gradient).
 * Resumable: each step is skipped when its result is already in the repository, and a marker
 * file says the repository is complete.
 */
async function buildRepo(): Promise<void> {
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'butler.yaml'))) Butler.makeRepo(dir);
  const butler = Butler.open(dir, { writeable: true });
  try {
    registerInstrumentRecords(butler.registry, getInstrument(INSTRUMENT));
    const haveRaws = butler.registry.queryCollections(defaultRawRun(INSTRUMENT)).length > 0 && butler.registry.queryDatasets('raw', { collections: [defaultRawRun(INSTRUMENT)], where: `exposure = ${EXPNUM}` }).length === nCcd;
    if (!haveRaws) {
      const staging = path.join(dir, '.staging');
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging);
      writeSimulatedRaw(staging, { expnum: EXPNUM, obstype: 'OBJECT', filter: 'r.MP9601', startUtc: '2026-03-10T08:00:00', exptime: 120, pointing: { ra: 150.1, dec: 2.2 }, object: 'COSMOS' }, { seed: 7, detectors, binning: 1 });
      const ingest = await ingestRaws(butler, [staging], { transfer: 'move' });
      if (ingest.failed.length > 0) throw new Error(ingest.failed.map((f) => f.error).join('; '));
      rmSync(staging, { recursive: true, force: true });
      console.log(`  simulated and ingested ${ingest.datasets} raw CCDs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const camera = getInstrument(INSTRUMENT).camera();
    const calib = calibrationCollection(INSTRUMENT);
    const run = `${INSTRUMENT}/calib/bench`;
    if (butler.registry.queryCollections(run).length > 0) await butler.removeRuns([run], { unstore: true });
    for (const type of ['bias', 'dark', 'flat'] as const) {
      const dt = ensureCalibrationDatasetType(butler.registry, type);
      const refs = [];
      for (const d of detectors) {
        const det = camera.detectors.find((x) => x.id === d)!;
        const img = Image.create(det.bbox.width, det.bbox.height);
        if (type === 'flat') img.transform((_v, x, y) => 0.95 + 0.00002 * x + 0.00001 * y);
        else if (type === 'dark') img.fill(0.004);
        const dataId: Record<string, string | number> = { instrument: INSTRUMENT, detector: d };
        if (type === 'flat') dataId.physical_filter = 'r.MP9601';
        refs.push(await butler.put(new Exposure(new MaskedImage(img), { detector: det }), dt, dataId, { run }));
      }
      certifyCalibrations(butler.registry, calib, refs, { begin: utcIsoToTaiNs('2026-01-01T00:00:00'), end: null });
    }
    writeFileSync(path.join(dir, READY), new Date().toISOString());
    console.log(`  repository ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${dir}`);
  } finally {
    butler.close();
  }
}

const { config, task } = loadIsrPreset('ccdproc-equivalent', 'CfhtIsrTask');
// As bench/isr.ts: no QA statistics (ccdproc computes none); no defects (none certified here).
config.doStandardStatistics = false;
config.qa.saveStats = false;
config.doDefect = false;
config.freeze();

console.log(`load average before: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
if (!existsSync(path.join(dir, READY))) {
  console.log(`building the benchmark repository (${nCcd} full MegaCam CCDs) ...`);
  await buildRepo();
}

const butler = Butler.open(dir, { writeable: true });
const inputs = [defaultRawRun(INSTRUMENT), calibrationCollection(INSTRUMENT)];
const reports: ExecutionReport[] = [];
for (let i = 0; i < runs; i++) {
  const run = `bench/isr/run${i}-${process.pid}`;
  const t0 = performance.now();
  const graph = buildIsrGraph(butler.registry, { inputCollections: inputs, where: `instrument = '${INSTRUMENT}' AND exposure = ${EXPNUM}`, config, taskName: task, outputRun: run });
  const graphSeconds = (performance.now() - t0) / 1000;
  const report = await executeIsrGraph(butler, graph, { jobs });
  if (report.status !== 'succeeded') throw new Error(`run ${i}: ${report.status}: ${report.quanta.find((q) => q.error)?.error ?? ''}`);
  reports.push(report);
  console.log(`run ${i}: graph ${(graphSeconds * 1000).toFixed(0)} ms, execution ${report.seconds.toFixed(2)} s wall`);
  await butler.removeRuns([run], { unstore: true });
}

// The same CCDs, pure ISR on the in-memory pool (raws and masters already decoded).
const raws: Exposure[] = [];
const calibs: Record<string, Exposure> = {};
{
  const ref = butler.registry.queryDatasets('raw', { collections: inputs, where: `exposure = ${EXPNUM} AND detector = 0`, findFirst: true })[0];
  const raw = (await butler.get(ref)) as Exposure;
  for (let i = 0; i < nCcd; i++) raws.push(raw);
  for (const t of ['bias', 'dark', 'flat']) {
    const g = buildIsrGraph(butler.registry, { inputCollections: inputs, where: `exposure = ${EXPNUM} AND detector = 0`, config, taskName: task, outputRun: 'x' });
    calibs[t] = (await butler.get(g.quanta[0].calibrations[t as 'bias' | 'dark' | 'flat']!)) as Exposure;
  }
}
// Where the I/O goes: one CCD's reads and output write on this thread, each timed alone.
const ioTimes: Record<string, number[]> = { 'read raw (RICE, 2112×4644)': [], 'read one master (ExposureF: image+mask+variance)': [], 'write postISRCCD (butler.put, FITS)': [] };
{
  const rawRef = butler.registry.queryDatasets('raw', { collections: inputs, where: `exposure = ${EXPNUM} AND detector = 1`, findFirst: true })[0];
  const g = buildIsrGraph(butler.registry, { inputCollections: inputs, where: `exposure = ${EXPNUM} AND detector = 1`, config, taskName: task, outputRun: 'x' });
  const scratch = `bench/isr/io-${process.pid}`;
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    await butler.get(rawRef);
    ioTimes['read raw (RICE, 2112×4644)'].push((performance.now() - t) / 1000);
    t = performance.now();
    const flat = (await butler.get(g.quanta[0].calibrations.flat!)) as Exposure;
    ioTimes['read one master (ExposureF: image+mask+variance)'].push((performance.now() - t) / 1000);
    t = performance.now();
    await butler.put(flat, 'postISRCCD', { instrument: INSTRUMENT, exposure: EXPNUM, detector: 1 }, { run: `${scratch}-${i}` });
    ioTimes['write postISRCCD (butler.put, FITS)'].push((performance.now() - t) / 1000);
    await butler.removeRuns([`${scratch}-${i}`], { unstore: true });
  }
}

// Side by side, alternating: fresh vs recycled master reads; fsync in the writer vs async at commit.
type Sample = { wall: number[]; cpu: number[]; blocked: number[] };
const sample = (): Sample => ({ wall: [], cpu: [], blocked: [] });
const sides: Record<string, Sample> = {
  'master read, fresh buffers (before)': sample(),
  'master read, recycled buffers (after)': sample(),
  'write 3-plane exposure, fsync in writer (before)': sample(),
  'write 3-plane exposure, async fsync at commit (after)': sample(),
};
{
  const masterPaths = detectors.slice(0, 6).map((d) => {
    const g = buildIsrGraph(butler.registry, { inputCollections: inputs, where: `exposure = ${EXPNUM} AND detector = ${d}`, config, taskName: task, outputRun: 'x' });
    return fileURLToPath(butler.getURI(g.quanta[0].calibrations.flat!));
  });
  let last: Exposure | undefined;
  for (const p of masterPaths) {
    for (const recycled of [false, true]) {
      const s = sides[`master read, ${recycled ? 'recycled buffers (after)' : 'fresh buffers (before)'}`];
      if (recycled && last) releasePlaneBuffers(last.image.array, last.mask.array, last.variance.array);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const e = readExposureFits(p);
      s.wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      s.cpu.push((c.user + c.system) / 1000);
      last = recycled ? e : undefined;
    }
  }
  const scratchDir = path.join(dir, '.bench-write');
  mkdirSync(scratchDir, { recursive: true });
  const flat = readExposureFits(masterPaths[0]);
  for (let i = 0; i < 6; i++) {
    for (const atCommit of [false, true]) {
      const s = sides[`write 3-plane exposure, ${atCommit ? 'async fsync at commit (after)' : 'fsync in writer (before)'}`];
      const file = path.join(scratchDir, `w${i}-${atCommit}.fits`);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      writeExposureFits(file, flat, { fsync: !atCommit });
      s.blocked.push(performance.now() - t0);
      for (const p of atCommit ? [file, scratchDir] : [scratchDir]) {
        const h = await open(p, 'r');
        await h.sync();
        await h.close();
      }
      s.wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      s.cpu.push((c.user + c.system) / 1000);
      rmSync(file);
    }
  }
  rmSync(scratchDir, { recursive: true, force: true });
}

const pool = new IsrWorkerPool(jobs);
pool.addCalibration('bias', calibs.bias);
pool.addCalibration('dark', calibs.dark);
pool.addCalibration('flat', calibs.flat);
const poolTimes: number[] = [];
for (let i = 0; i < Math.max(2, runs); i++) {
  const copies = raws.map((r) => new Exposure(new MaskedImage(new Image(r.image.pixels().slice(), r.width, r.height)), r.info()));
  const t0 = performance.now();
  await Promise.all(copies.map((raw) => pool.run({ raw, detector: raw.detector!, bias: 'bias', dark: 'dark', flat: 'flat' }, config, task)));
  if (i > 0 || runs === 1) poolTimes.push((performance.now() - t0) / 1000);
}
await pool.close();
butler.close();

const all = reports.flatMap((r) => r.quanta);
const pick = (f: (t: NonNullable<(typeof all)[number]['timings']>) => number) => all.map((q) => f(q.timings!));
const stat = (xs: number[]) => `median ${(median(xs) * 1000).toFixed(0).padStart(5)} ms   min ${(Math.min(...xs) * 1000).toFixed(0).padStart(5)} ms   max ${(Math.max(...xs) * 1000).toFixed(0).padStart(5)} ms`;
const execWall = median(reports.map((r) => r.seconds));
const poolWall = median(poolTimes);
console.log(`\n${nCcd} MegaCam CCDs (2112×4644, RICE raw) end to end on ${jobs} worker threads, ${runs} run(s)`);
console.log(`  per CCD, read raw + masters (worker)   ${stat(pick((t) => t.read))}`);
console.log(`  per CCD, ISR (worker)                  ${stat(pick((t) => t.isr))}`);
console.log(`  per CCD, commit (parent: FITS write + registry + provenance)  ${stat(pick((t) => t.commit))}`);
console.log(`  per CCD, total (dispatch → committed)  ${stat(pick((t) => t.total))}`);
console.log(`  exposure wall, executor end to end:    ${execWall.toFixed(2)} s  (${(execWall / nCcd).toFixed(3)} s per CCD)`);
console.log(`  exposure wall, pure ISR in memory:     ${poolWall.toFixed(2)} s  (same CCDs, same pool size; bench/isr.ts's second figure)`);
console.log(`  I/O and bookkeeping add:               ${(execWall - poolWall).toFixed(2)} s  (end to end / pure ISR = ${(execWall / poolWall).toFixed(1)}×)`);
console.log(`  one CCD's I/O alone on the main thread (median of 3): ${Object.entries(ioTimes).map(([k, v]) => `${k} ${(median(v) * 1000).toFixed(0)} ms`).join('; ')}`);
console.log(`  side by side on the main thread (load average now ${loadavg().map((x) => x.toFixed(1)).join(' ')}; other processes share the 2 cores):`);
const ms = (xs: number[]) => `median ${median(xs).toFixed(0).padStart(4)} ms  min ${Math.min(...xs).toFixed(0).padStart(4)} ms`;
for (const [k, v] of Object.entries(sides)) {
  console.log(`    ${k.padEnd(54)} wall ${ms(v.wall)}   CPU ${ms(v.cpu)}${v.blocked.length ? `   thread blocked ${ms(v.blocked)}` : ''}`);
}
console.log(`load average after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
