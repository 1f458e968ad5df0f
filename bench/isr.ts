// ISR speed, side by side with ccdproc on the same files in the same run (bench/isr_ccdproc.py):
//   1. one MegaCam CCD (2112×4644): overscan (per-row median), trim, bias, dark, flat, gain,
//      variance — our fused path, our step-by-step path, ccdproc, numpy float32, and the
//      memory-copy floor (a Float32Array copy of the raw size) in both languages;
//   2. a full 36-CCD exposure on a pool of worker threads (default 2);
//   and, not compared, one CCD through IsrTask's defaults as `run-isr` runs them.
// Each variant starts after a full garbage collection (see collectGarbage).
// Usage: npx tsx bench/isr.ts [--data DIR] [--runs N] [--threads N] [--ccds N] [--pages warm|huge|4k]
// Without --data the reference files are generated with /usr/bin/python3 ccdproc_reference.py.
// Memory pages: each side runs as it ships. numpy asks for transparent huge pages on large arrays
// by itself; `butler run-isr` (bin/butler.js) restarts itself with glibc keeping freed large
// buffers on its heap for reuse (the "warm heap": GLIBC_TUNABLES mmap_max=0, trim_threshold 1 GB),
// so new images cost no page faults. By default this script re-runs itself the same way;
// `--pages huge` uses glibc's transparent huge pages instead (GLIBC_TUNABLES hugetlb=1), and
// `--pages 4k` plain 4 KB pages with every large buffer a fresh mmap.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Exposure, Image, MaskedImage } from '../core/image/index.js';
import { IsrWorkerPool, loadIsrPreset, makeIsrConfig, recycleIsrOutput, runIsr } from '../core/isr/index.js';
import { generateReference, loadReference, repoRoot } from '../test/unit/isr/ccdprocData.js';
import { HUGE_PAGES, WARM_HEAP, rerunWithTunables, startingEnv } from './glibcTunables.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const pages = arg('pages', 'warm');
const TUNABLES: Record<string, string> = { warm: WARM_HEAP, huge: HUGE_PAGES, '4k': '' };
if (!(pages in TUNABLES)) throw new Error(`--pages must be warm, huge or 4k, got ${pages}`);
const wanted = TUNABLES[pages];
// The Python side gets back the tunables this script started with (startingEnv): it runs as it ships.
rerunWithTunables(wanted);

const runs = Number(arg('runs', '7'));
const threads = Number(arg('threads', '2'));
const nCcd = Number(arg('ccds', '36'));
let dir = arg('data', '');
if (!dir || !existsSync(path.join(dir, 'raw_megacam_sim.fits'))) {
  const g = generateReference(1);
  dir = g.dir;
  console.log(`generated reference data in ${dir} (${g.seconds.toFixed(1)} s)`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// A full garbage collection before each variant's warm-up, so that no variant pays for the garbage
// of the one before. Not before every run, as the Python side does (gc.collect()): a forced full
// collection also throws away V8's optimised code that refers to collected objects, and the next run
// would then start cold (overscan statistics ~18 ms instead of ~3 in a test), which no real run does.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Median/min wall seconds and median/min CPU seconds (process.cpuUsage: this process, all threads), after two warm-up runs. */
function time(fn: () => void): { median: number; min: number; cpu: number; cpuMin: number } {
  collectGarbage();
  fn();
  fn();
  const ts: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    ts.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { median: median(ts), min: Math.min(...ts), cpu: median(cpu), cpuMin: Math.min(...cpu) };
}

const ref = loadReference(dir);
const { config } = loadIsrPreset('ccdproc-equivalent', 'CfhtIsrTask');
// ccdproc computes no QA statistics: neither do we here (masks are still made).
config.doStandardStatistics = false;
config.qa.saveStats = false;
const generic = config.copy();
generic.useFusedPath = false;
config.freeze();
generic.freeze();
const inputs = { raw: ref.raw, bias: ref.bias, dark: ref.dark, flat: ref.flat };

console.log(`load average before: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`memory: ${pages === 'warm' ? `warm heap (${wanted}), as butler run-isr runs` : pages === 'huge' ? `transparent huge pages (${wanted})` : '4 KB pages, fresh mmap per large buffer'}; numpy: its default (transparent huge pages)`);
const phases: Record<'scanSeconds' | 'overscanSeconds' | 'passSeconds' | 'maskSeconds', number[]> = { scanSeconds: [], overscanSeconds: [], passSeconds: [], maskSeconds: [] };
const fused = time(() => {
  const r = runIsr(inputs, config);
  const f = (r.metadata.isr as Record<string, unknown> | undefined)?.fused as Record<string, number> | undefined;
  if (f) for (const k of Object.keys(phases) as Array<keyof typeof phases>) phases[k].push(f[k]);
});
// A streaming caller hands each output back (recycleIsrOutput) once written: no fresh pages.
const recycled = time(() => recycleIsrOutput(runIsr(inputs, config).exposure));
const stepwise = time(() => runIsr(inputs, generic));
// What `run-isr` does by default: IsrTask's (ip_isr's) defaults — variance after bias, bad regions,
// interpolation, standard statistics — with masters that carry variance planes, as build-calibs
// writes them. Not part of the ccdproc comparison (ccdproc does none of the extra steps).
const withVariance = (calib: Exposure): MaskedImage => {
  const copy = calib.maskedImage.clone();
  copy.variance.array.fill(1e-3);
  return copy;
};
const defaultsConfig = makeIsrConfig('IsrTask');
defaultsConfig.freeze();
const mastersWithVariance = { raw: ref.raw, bias: withVariance(ref.bias), dark: withVariance(ref.dark), flat: withVariance(ref.flat) };
const defaults = time(() => recycleIsrOutput(runIsr(mastersWithVariance, defaultsConfig).exposure));
const rawPixels = ref.raw.image.pixels();
const copyDst = new Float32Array(rawPixels.length);
const copy = time(() => copyDst.set(rawPixels));
// The floor for producing fresh output: the copy into a newly allocated array (its pages are
// faulted in and zeroed by the kernel first), and the three fresh output planes (image, mask,
// variance of the trimmed size) written once.
const freshCopy = time(() => new Float32Array(rawPixels.length).set(rawPixels));
const outPixels = ref.flat.image.width * ref.flat.image.height;
const freshPlanes = time(() => {
  new Float32Array(outPixels).fill(1);
  new Int32Array(outPixels).fill(1);
  new Float32Array(outPixels).fill(1);
});

const py = JSON.parse(
  execFileSync('/usr/bin/python3', [path.join(repoRoot, 'bench', 'isr_ccdproc.py'), dir, '--runs', String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20, env: startingEnv() }),
) as Record<string, { median_s: number; min_s: number; cpu_median_s: number }> & { loadavg: number[] };

const mb = (rawPixels.length * 4) / 1e6;
const rows: Array<[string, number, number, number]> = [
  ['ours, fused pass (1 thread)', fused.median, fused.min, fused.cpu],
  ['ours, fused pass, output planes recycled', recycled.median, recycled.min, recycled.cpu],
  ['ours, step by step (1 thread)', stepwise.median, stepwise.min, stepwise.cpu],
  ['ours, IsrTask defaults as run-isr runs (not compared)', defaults.median, defaults.min, defaults.cpu],
  ['ccdproc 2.4 (python, 1 thread)', py.ccdproc.median_s, py.ccdproc.min_s, py.ccdproc.cpu_median_s],
  ['numpy float32, same arithmetic', py.numpy_float32.median_s, py.numpy_float32.min_s, py.numpy_float32.cpu_median_s],
  [`copy of raw-size Float32Array (${mb.toFixed(1)} MB), JS`, copy.median, copy.min, copy.cpu],
  ['np.copyto of the same, python', py.numpy_copy_raw_float32.median_s, py.numpy_copy_raw_float32.min_s, py.numpy_copy_raw_float32.cpu_median_s],
  ['copy of the same into a fresh array, JS', freshCopy.median, freshCopy.min, freshCopy.cpu],
  [`3 fresh output planes written (${((outPixels * 12) / 1e6).toFixed(0)} MB), JS`, freshPlanes.median, freshPlanes.min, freshPlanes.cpu],
];
console.log(`\nOne MegaCam CCD 2112×4644 (overscan, trim, bias, dark, flat, gain, variance); ${runs} runs`);
console.log(`  ${''.padEnd(52)} ${'median'.padStart(8)}     ${'min'.padStart(8)}     ${'CPU'.padStart(8)}`);
for (const [name, m, mn, c] of rows) console.log(`  ${name.padEnd(52)} ${(m * 1000).toFixed(1).padStart(8)} ms  ${(mn * 1000).toFixed(1).padStart(8)} ms  ${(c * 1000).toFixed(1).padStart(8)} ms`);
console.log(`  ratio ccdproc / ours (fused): ${(py.ccdproc.median_s / fused.median).toFixed(1)}× (median wall), ${(py.ccdproc.min_s / fused.min).toFixed(1)}× (min wall), ${(py.ccdproc.cpu_median_s / fused.cpu).toFixed(1)}× (CPU)`);
console.log(`  ratio ccdproc / ours (fused, recycled): ${(py.ccdproc.median_s / recycled.median).toFixed(1)}× (median wall), ${(py.ccdproc.min_s / recycled.min).toFixed(1)}× (min wall), ${(py.ccdproc.cpu_median_s / recycled.cpu).toFixed(1)}× (CPU)`);
console.log(`  ratio ours (fused) / copy floor: ${(fused.median / copy.median).toFixed(1)}× (warm destination), ${(fused.median / freshCopy.median).toFixed(1)}× (fresh destination), ${(fused.median / freshPlanes.median).toFixed(1)}× (fresh output planes)`);
console.log(`  our CPU minima: fused ${(fused.cpuMin * 1000).toFixed(1)} ms, fused with recycled outputs ${(recycled.cpuMin * 1000).toFixed(1)} ms`);
const ms = (xs: number[]): string => `${(median(xs) * 1000).toFixed(1)} ms`;
console.log(`  fused path by phase (wall medians): raw scan (pixels ≥ 60000, overscans gathered) ${ms(phases.scanSeconds)}, overscan statistics ${ms(phases.overscanSeconds)}, pixel pass ${ms(phases.passSeconds)}, mask steps ${ms(phases.maskSeconds)}`);
console.log(`  python load average during its timings: ${py.loadavg.map((x) => x.toFixed(1)).join(' ')}`);

// 2. Full exposure on worker threads: calibrations shared once, raws transferred.
const pool = new IsrWorkerPool(threads);
pool.addCalibration('bias', ref.bias);
pool.addCalibration('dark', ref.dark);
pool.addCalibration('flat', ref.flat);
const detector = ref.raw.detector!;
function rawCopy(): Exposure {
  // Each CCD gets its own raw buffer (it is transferred to a worker).
  const img = new Image(rawPixels.slice(), ref.raw.width, ref.raw.height);
  return new Exposure(new MaskedImage(img), ref.raw.info());
}
/** One exposure; results are dropped as they arrive (an executor writes and drops them), or recycled. */
async function exposureRun(recycle: boolean): Promise<{ seconds: number; workerSeconds: number; cpu: number; ccdCpu: number[] }> {
  const raws = Array.from({ length: nCcd }, rawCopy);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ccdCpu: number[] = [];
  const workerTimes = await Promise.all(
    raws.map(async (raw) => {
      const r = await pool.run({ raw, detector, bias: 'bias', dark: 'dark', flat: 'flat' }, config, 'CfhtIsrTask');
      if (!r.fused) throw new Error('a worker did not take the fused path');
      if (recycle) pool.recycle(r.exposure);
      if (r.cpuSeconds !== undefined) ccdCpu.push(r.cpuSeconds);
      return r.seconds;
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, workerSeconds: workerTimes.reduce((s, t) => s + t, 0), cpu: (c.user + c.system) / 1e6, ccdCpu };
}
const exposureFigures: Array<{ label: string; times: number[]; cpu: number[]; workerSum: number; ccdCpu: number[] }> = [];
for (const recycle of [false, true]) {
  await exposureRun(recycle);
  const f = { label: recycle ? 'output planes recycled (pool.recycle)' : 'fresh output planes', times: [] as number[], cpu: [] as number[], workerSum: 0, ccdCpu: [] as number[] };
  for (let i = 0; i < Math.max(3, Math.floor(runs / 2)); i++) {
    const r = await exposureRun(recycle);
    f.times.push(r.seconds);
    f.cpu.push(r.cpu);
    f.workerSum = r.workerSeconds;
    f.ccdCpu.push(...r.ccdCpu);
  }
  exposureFigures.push(f);
}
await pool.close();
console.log(`\nFull exposure, ${nCcd} CCDs on ${threads} worker threads (raws in memory; transfer included)`);
for (const f of exposureFigures) {
  console.log(`  ${f.label}:`);
  console.log(`    wall: median ${median(f.times).toFixed(3)} s, min ${Math.min(...f.times).toFixed(3)} s  (sum of per-CCD worker time ${f.workerSum.toFixed(2)} s)`);
  console.log(`    CPU, all threads: median ${median(f.cpu).toFixed(2)} s, min ${Math.min(...f.cpu).toFixed(2)} s → ${(median(f.cpu) / threads).toFixed(2)} s of wall on ${threads} idle cores`);
  if (f.ccdCpu.length) console.log(`    CPU of the worker thread per CCD (runIsr): median ${(median(f.ccdCpu) * 1000).toFixed(1)} ms, min ${(Math.min(...f.ccdCpu) * 1000).toFixed(1)} ms`);
}
console.log(`  ccdproc, ${nCcd} × one CCD on one core (extrapolated): ${(nCcd * py.ccdproc.median_s).toFixed(2)} s`);
console.log(`load average after: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
