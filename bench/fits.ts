// FITS read/write speed on a full CFHT MegaCam-sized CCD (2112×4644 uint16 with BZERO 32768), with
// astropy timed on the same files in the same run (bench/fits_astropy.py) for the ratios.
// Run: npx tsx bench/fits.ts [--runs N] [--rounds R]
//
// Each side runs in its own child process, R rounds alternating core/fits and astropy (so a change
// in the machine's load hits both), N timed runs per round after one untimed warm-up. Printed per
// operation: wall-clock median (minimum) and CPU-time median (user + system of the process). On a
// machine shared with other work the wall figures mostly measure waiting for a core; CPU time is
// the steadier comparison. Writes go to a path that does not exist yet (removed untimed), on both
// sides; both are shown without and with fsync (core/fits: temporary file + rename either way).
// Floor rows, measured in the same child process, show what the kernel charges anyone: writing
// the same bytes to a new file, reading the file into a warm buffer, faulting in a fresh array.
// The core/fits side also runs under two glibc malloc settings (GLIBC_TUNABLES, read at process
// start): huge pages for large buffers (as numpy asks for), and no mmap for malloc (freed large
// buffers stay in the heap, so a new image reuses memory already mapped).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FitsFile, Header, writeFits, type HduSpec } from '../core/fits/index.js';

const W = 2112;
const H = 4644;
const HUGE_PAGES = 'glibc.malloc.hugetlb=1';
const WARM_HEAP = 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824';
const here = fileURLToPath(new URL('.', import.meta.url));
const self = fileURLToPath(import.meta.url);

interface Samples {
  wall: number[];
  cpu: number[];
}
type Results = Record<string, Samples>;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A raw-looking CCD: bias + sky noise, stars, a few saturated pixels. */
function synthesize(): Uint16Array {
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const d = new Uint16Array(W * H);
  for (let i = 0; i < d.length; i++) d[i] = 1000 + Math.round(15 * (rand() + rand() + rand() - 1.5));
  for (let k = 0; k < 3000; k++) {
    const cx = Math.floor(rand() * W), cy = Math.floor(rand() * H), f = 100 + rand() * 64000;
    for (let y = Math.max(0, cy - 4); y < Math.min(H, cy + 5); y++) {
      for (let x = Math.max(0, cx - 4); x < Math.min(W, cx + 5); x++) {
        d[y * W + x] = Math.min(65535, d[y * W + x] + f * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 3));
      }
    }
  }
  return d;
}

/** Times `fn` (after one untimed warm-up); `setup` runs untimed before each run. */
function timed(runs: number, fn: () => unknown, setup: () => void = () => {}): Samples {
  const out: Samples = { wall: [], cpu: [] };
  for (let r = 0; r <= runs; r++) {
    setup();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (r === 0) continue;
    out.wall.push(wall);
    out.cpu.push((c.user + c.system) / 1000);
  }
  return out;
}

/** The core/fits side (runs in a child process, prints JSON). */
function measureOurs(file: string, riceFile: string, dir: string, runs: number): Results {
  const open = (path: string) => FitsFile.open(path);
  const readFloat32 = () => {
    const f = open(file);
    const img = f.readImageFloat32(0);
    f.close();
    return img;
  };
  const image = readFloat32();
  const f0 = open(file);
  const stored = f0.readImage(0);
  const header = f0.hdus[0].header;
  f0.close();
  const reused = new Float32Array(W * H);
  const f32 = join(dir, 'ours-f32.fits');
  const u16 = join(dir, 'ours-u16.fits');
  const fresh = (path: string) => () => rmSync(path, { force: true });
  const write = (path: string, data: HduSpec[], fsync: boolean) => writeFits(path, data, { fsync });
  return {
    read_float32: timed(runs, readFloat32),
    read_float32_into: timed(runs, () => {
      const f = open(file);
      f.readImageFloat32(0, { into: reused });
      f.close();
    }),
    read_uint16: timed(runs, () => {
      const f = open(file);
      f.readImage(0);
      f.close();
    }),
    write_float32: timed(runs, () => write(f32, [{ type: 'image', header, data: image.data, axes: image.axes }], false), fresh(f32)),
    write_uint16: timed(runs, () => write(u16, [{ type: 'image', header, data: stored.data, axes: stored.axes }], false), fresh(u16)),
    write_float32_fsync: timed(runs, () => write(f32, [{ type: 'image', header, data: image.data, axes: image.axes }], true), fresh(f32)),
    read_write_float32: timed(runs, () => {
      const img = readFloat32();
      write(f32, [{ type: 'image', header, data: img.data, axes: img.axes }], false);
    }, fresh(f32)),
    read_rice_float32: timed(runs, () => {
      const f = open(riceFile);
      f.readImageFloat32(1);
      f.close();
    }),
    read_rice_float32_into: timed(runs, () => {
      const f = open(riceFile);
      f.readImageFloat32(1, { into: reused });
      f.close();
    }),
    ...floors(file, dir, runs),
  };
}

/**
 * What the kernel charges anyone, in this process: the float32 file's bytes written to a new file
 * (in 4 MB writes), the uint16 file read into a warm buffer, a fresh float32 array of the image's
 * size with one value written per 4 KB page.
 */
function floors(file: string, dir: string, runs: number): Results {
  // Written to once, so its pages are real memory (untouched ones all map the kernel's zero page, always in cache).
  const bytes = new Uint8Array(2880 + W * H * 4).fill(0x5a);
  const target = join(dir, 'floor-write.fits');
  const warm = new Uint8Array(statSync(file).size);
  const chunk = 4 << 20;
  return {
    floor_write_new: timed(runs, () => {
      const fd = openSync(target, 'w');
      for (let at = 0; at < bytes.length; at += chunk) writeSync(fd, bytes, at, Math.min(chunk, bytes.length - at));
      closeSync(fd);
    }, () => rmSync(target, { force: true })),
    floor_read_warm: timed(runs, () => {
      const fd = openSync(file, 'r');
      for (let at = 0; at < warm.length; ) at += readSync(fd, warm, at, warm.length - at, at);
      closeSync(fd);
    }),
    floor_fresh_array: timed(runs, () => {
      const a = new Float32Array(W * H);
      for (let i = 0; i < a.length; i += 1024) a[i] = 1;
      return a;
    }),
  };
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, what: string): Results & { astropy?: string; numpy?: string } {
  const child = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`${what} failed (exit ${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as Results;
}

function merge(into: Results, from: Results): void {
  for (const [k, v] of Object.entries(from)) {
    if (typeof v !== 'object' || !('wall' in v)) continue;
    into[k] ??= { wall: [], cpu: [] };
    into[k].wall.push(...v.wall);
    into[k].cpu.push(...v.cpu);
  }
}

const median = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
const minimum = (a: number[]) => Math.min(...a);

function main(): void {
  if (process.argv[2] === '--child') {
    const [file, riceFile, dir, runs] = process.argv.slice(3);
    process.stdout.write(JSON.stringify(measureOurs(file, riceFile, dir, Number(runs))));
    return;
  }
  const runs = option('--runs', 5);
  const rounds = option('--rounds', 2);
  const dir = mkdtempSync(join(tmpdir(), 'bench-fits-'));
  try {
    const file = join(dir, 'ccd.fits');
    const riceFile = join(dir, 'ccd-rice.fits');
    const header = new Header().set('OBJECT', 'synthetic MegaCam CCD').set('EXTNAME', 'ccd10').set('EXPTIME', 60, 'seconds', { float: true });
    const pixels = synthesize();
    writeFits(file, [{ type: 'image', header, data: pixels, axes: [W, H] }], { fsync: false });
    writeFits(riceFile, [{ type: 'image' }, { type: 'compressed-image', header, data: pixels, axes: [W, H] }], { fsync: false });

    const loadBefore = loadavg();
    const node = (env: NodeJS.ProcessEnv) => runChild(process.execPath, [...process.execArgv, self, '--child', file, riceFile, dir, String(runs)], env, 'core/fits side');
    const python = (env: NodeJS.ProcessEnv) =>
      runChild('/usr/bin/python3', [join(here, 'fits_astropy.py'), file, dir, String(runs), riceFile], env, 'bench/fits_astropy.py (install Debian python3-astropy)');
    const withTunables = (t: string) => ({ ...process.env, GLIBC_TUNABLES: [process.env.GLIBC_TUNABLES, t].filter(Boolean).join(':') });
    // Huge pages as numpy takes them by itself (it madvises arrays of 4 MB and more): glibc's
    // tunable makes malloc do the same for V8's array buffers; and numpy without them.
    const hugeEnv = withTunables(HUGE_PAGES);
    const warmEnv = withTunables(WARM_HEAP);
    const smallEnv = { ...process.env, NUMPY_MADVISE_HUGEPAGE: '0' };
    const ours: Results = {}, oursHuge: Results = {}, oursWarm: Results = {}, theirs: Results = {}, theirsSmall: Results = {};
    let versions = '';
    for (let r = 0; r < rounds; r++) {
      merge(ours, node(process.env));
      const t = python(process.env);
      versions = `astropy ${t.astropy}, numpy ${t.numpy}`;
      merge(theirs, t);
      merge(oursHuge, node(hugeEnv));
      merge(oursWarm, node(warmEnv));
      merge(theirsSmall, python(smallEnv));
    }
    const loadAfter = loadavg();

    const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
    console.log(`FITS benchmark: ${W}×${H} uint16 (BZERO 32768), ${((W * H * 2) / 1e6).toFixed(1)} MB of pixels (${((W * H * 4) / 1e6).toFixed(1)} MB as float32); RICE_1 copy by core/fits (one row per tile)`);
    console.log(`Node ${process.version}; ${versions} (/usr/bin/python3); ${rounds} rounds × ${runs} runs per side, after a warm-up run`);
    console.log(`load average before ${fmtLoad(loadBefore)}, after ${fmtLoad(loadAfter)} (1/5/15 min) on ${availableParallelism()} cores`);
    console.log('figures: wall median (min) ms | CPU median ms; ratio = astropy ÷ core/fits (above 1: core/fits faster)');
    console.log('');
    const rows: Array<[string, string]> = [
      ['read → float32 (new array)', 'read_float32'],
      ['read → uint16 (physical type)', 'read_uint16'],
      ['write float32 (BITPIX -32)', 'write_float32'],
      ['write uint16 (BITPIX 16 + BZERO)', 'write_uint16'],
      ['read → float32 + write back', 'read_write_float32'],
      ['write float32 + fsync (atomic)', 'write_float32_fsync'],
      ['read RICE_1 → float32', 'read_rice_float32'],
    ];
    const cell = (s: Samples) => `${median(s.wall).toFixed(1)} (${minimum(s.wall).toFixed(1)}) | ${median(s.cpu).toFixed(1)}`;
    const ratio = (a: Samples, b: Samples) => `${(median(b.wall) / median(a.wall)).toFixed(2)}× | ${(median(b.cpu) / median(a.cpu)).toFixed(2)}×`;
    const line = (label: string, a: Samples, b: Samples, note = '') =>
      console.log(`${label.padEnd(34)} ${cell(a).padStart(24)} ${cell(b).padStart(24)} ${ratio(a, b).padStart(18)}${note}`);
    console.log(`${'operation'.padEnd(34)} ${'core/fits'.padStart(24)} ${'astropy'.padStart(24)} ${'ratio wall | CPU'.padStart(18)}`);
    for (const [label, key] of rows) line(label, ours[key], theirs[key]);
    line('read → float32 (reused array)', ours.read_float32_into, theirs.read_float32, '  (astropy: new array)');
    line('read RICE_1 → float32 (reused)', ours.read_rice_float32_into, theirs.read_rice_float32, '  (astropy: new array)');
    console.log('');
    // The most a fresh-array read + write back to a new file can cost less than: read the file, fault in the array, write the bytes.
    const floorSum = median(ours.floor_read_warm.wall) + median(ours.floor_fresh_array.wall) + median(ours.floor_write_new.wall);
    console.log('kernel floors (same bytes, no FITS work; measured in the core/fits process):');
    for (const [label, key] of [
      ['write 39 MB to a new file', 'floor_write_new'],
      ['read the 19.6 MB file, warm buffer', 'floor_read_warm'],
      ['fresh 39 MB Float32Array, touched', 'floor_fresh_array'],
    ]) console.log(`${label.padEnd(34)} ${cell(ours[key]).padStart(24)}`);
    const warmFloor = median(ours.floor_read_warm.wall) + median(ours.floor_write_new.wall);
    const theirsRw = median(theirs.read_write_float32.wall);
    console.log(`${'floor of read + write back'.padEnd(34)} ${floorSum.toFixed(1).padStart(24)}   fresh array: astropy ÷ floor = ${(theirsRw / floorSum).toFixed(2)}× at most`);
    console.log(`${'  the same, memory already mapped'.padEnd(34)} ${warmFloor.toFixed(1).padStart(24)}   warm array: astropy ÷ floor = ${(theirsRw / warmFloor).toFixed(2)}× at most (no FITS work at all)`);
    console.log('');
    const spread = (s: Samples) => `${median(s.wall).toFixed(1)} (${minimum(s.wall).toFixed(1)}–${Math.max(...s.wall).toFixed(1)}) | ${median(s.cpu).toFixed(1)}`;
    const variant = (title: string, a: Results, b: Results) => {
      console.log(title);
      for (const [label, key] of [rows[0], rows[1], rows[4], rows[6]]) {
        console.log(`${label.padEnd(34)} ${spread(a[key]).padStart(30)} ${cell(b[key]).padStart(24)} ${ratio(a[key], b[key]).padStart(18)}`);
      }
    };
    console.log('memory settings: core/fits wall median (min–max) | CPU beside astropy as before');
    variant(`core/fits with huge pages (GLIBC_TUNABLES=${HUGE_PAGES}); astropy as numpy does by default:`, oursHuge, theirs);
    variant(`core/fits reusing freed memory (GLIBC_TUNABLES=${WARM_HEAP}); astropy as by default:`, oursWarm, theirs);
    variant('4 KB pages on both sides (core/fits as by default; astropy under NUMPY_MADVISE_HUGEPAGE=0):', ours, theirsSmall);
    const rw = (a: Samples, b: Samples) => [median(b.wall) / median(a.wall), median(b.cpu) / median(a.cpu)];
    const [wallRatio, cpuRatio] = rw(ours.read_write_float32, theirs.read_write_float32);
    console.log('');
    console.log(`target: read → float32 + write back ≥ 2× astropy: ${wallRatio >= 2 ? 'met' : 'NOT met'} (wall ${wallRatio.toFixed(2)}×, CPU ${cpuRatio.toFixed(2)}×)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
