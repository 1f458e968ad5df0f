// FITS read/write speed on a full CFHT MegaCam CCD (2112×4644 uint16 with BZERO 32768), with
// astropy timed on the same file in the same run (bench/fits_astropy.py) for the ratio.
// Run: npx tsx bench/fits.ts [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FitsFile, Header, writeFits } from '../core/fits/index.js';

const W = 2112;
const H = 4644;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const here = dirname(fileURLToPath(import.meta.url));

/** A raw-looking CCD: bias + sky noise, stars, overscan columns, a few saturated pixels. */
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

function stats(t: number[]): { median: number; min: number } {
  const sorted = t.slice().sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0] };
}

function timed(fn: () => unknown): number[] {
  const t: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t;
}

/** Times `fn` only; `setup` runs untimed before each run. */
function timedWith<T>(setup: () => T, fn: (arg: T) => unknown): number[] {
  const t: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const arg = setup();
    const t0 = performance.now();
    fn(arg);
    t.push(performance.now() - t0);
  }
  return t;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-fits-'));
try {
  const file = join(dir, 'ccd.fits');
  const header = new Header().set('OBJECT', 'synthetic MegaCam CCD').set('EXPTIME', 60, 'seconds', { float: true }).set('EXTNAME', 'ccd10');
  writeFits(file, [{ type: 'image', header, data: synthesize(), axes: [W, H] }]);

  const riceFile = join(dir, 'ccd-rice.fits');
  const pixels16 = FitsFile.open(file);
  writeFits(riceFile, [{ type: 'image' }, { type: 'compressed-image', header, data: pixels16.readImage(0).data, axes: [W, H] }], { fsync: false });
  pixels16.close();
  const readRice = () => {
    const f = FitsFile.open(riceFile);
    const img = f.readImageFloat32(1);
    f.close();
    return img;
  };
  const readFloat32 = () => {
    const f = FitsFile.open(file);
    const img = f.readImageFloat32(0);
    f.close();
    return img;
  };
  const image = readFloat32();
  const f0 = FitsFile.open(file);
  const stored = f0.readImage(0);
  const storedHeader = f0.hdus[0].header;
  f0.close();
  if (!(stored.data instanceof Uint16Array)) throw new Error('expected uint16 pixels');

  const reused = new Float32Array(W * H);
  const readInto = () => {
    const f = FitsFile.open(file);
    const img = f.readImageFloat32(0, { into: reused });
    f.close();
    return img;
  };
  // Every write goes to a path that does not exist yet (the previous output is removed untimed),
  // on both sides, so neither pays for freeing the old file's pages.
  const fresh = (name: string) => {
    const path = join(dir, name);
    rmSync(path, { force: true });
    return path;
  };
  const ours = {
    read_float32: timed(readFloat32),
    read_float32_into: timed(readInto),
    read_rice_float32: timed(readRice),
    write_float32: timedWith(() => fresh('ours-f32.fits'), (p) => writeFits(p, [{ type: 'image', header: storedHeader, data: image.data, axes: image.axes }], { fsync: false })),
    write_uint16: timedWith(() => fresh('ours-u16.fits'), (p) => writeFits(p, [{ type: 'image', header: storedHeader, data: stored.data, axes: stored.axes }], { fsync: false })),
    write_float32_fsync: timedWith(() => fresh('ours-f32.fits'), (p) => writeFits(p, [{ type: 'image', header: storedHeader, data: image.data, axes: image.axes }])),
  };

  const runAstropy = (env: NodeJS.ProcessEnv): Record<string, number[] | string> => {
    const py = spawnSync('/usr/bin/python3', [join(here, 'fits_astropy.py'), file, dir, String(RUNS), riceFile], { encoding: 'utf8', env });
    if (py.status !== 0) throw new Error(`bench/fits_astropy.py failed (install Debian python3-astropy): ${py.stderr}`);
    return JSON.parse(py.stdout) as Record<string, number[] | string>;
  };
  const theirs = runAstropy(process.env);
  // The same with numpy's huge-page allocation off, i.e. with the 4 KB page faults V8 has.
  const theirsSmallPages = runAstropy({ ...process.env, NUMPY_MADVISE_HUGEPAGE: '0' });

  console.log(`FITS benchmark: ${W}×${H} uint16 (BZERO 32768), ${(W * H * 2 / 1e6).toFixed(1)} MB of pixels (RICE_1 copy written by core/fits, one row per tile); median (min) of ${RUNS} runs`);
  console.log(`Node ${process.version}; astropy ${theirs.astropy}, numpy ${theirs.numpy} (/usr/bin/python3); both write without fsync`);
  console.log('');
  console.log(`${'operation'.padEnd(34)} ${'core/fits'.padStart(18)} ${'astropy'.padStart(18)} ${'ratio'.padStart(8)}`);
  const rows: Array<[string, string]> = [
    ['read → float32 (new array)', 'read_float32'],
    ['write float32 (BITPIX -32)', 'write_float32'],
    ['write uint16 (BITPIX 16 + BZERO)', 'write_uint16'],
    ['read RICE_1 tile-compressed → f32', 'read_rice_float32'],
  ];
  const fmt = (s: { median: number; min: number }) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}) ms`;
  for (const [label, key] of rows) {
    const a = stats(ours[key as keyof typeof ours]);
    const b = stats(theirs[key] as number[]);
    console.log(`${label.padEnd(34)} ${fmt(a).padStart(18)} ${fmt(b).padStart(18)} ${(b.median / a.median).toFixed(2).padStart(7)}×`);
  }
  const rf = stats(ours.read_float32).median + stats(ours.write_float32).median;
  const rfa = stats(theirs.read_float32 as number[]).median + stats(theirs.write_float32 as number[]).median;
  console.log(`${'read → float32 + write back'.padEnd(34)} ${`${rf.toFixed(1)} ms`.padStart(18)} ${`${rfa.toFixed(1)} ms`.padStart(18)} ${(rfa / rf).toFixed(2).padStart(7)}×`);
  const into = stats(ours.read_float32_into);
  const astropyRead = stats(theirs.read_float32 as number[]);
  console.log(`${'read → float32 (reused array)'.padEnd(34)} ${fmt(into).padStart(18)} ${fmt(astropyRead).padStart(18)} ${(astropyRead.median / into.median).toFixed(2).padStart(7)}×  (astropy: new array)`);
  const ratio = rfa / rf;
  console.log('');
  console.log(`target: read → float32 + write back ≥ 2× astropy: ${ratio >= 2 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}×)`);
  const small = stats(theirsSmallPages.read_float32 as number[]).median + stats(theirsSmallPages.write_float32 as number[]).median;
  console.log(`astropy with NUMPY_MADVISE_HUGEPAGE=0: read → float32 ${fmt(stats(theirsSmallPages.read_float32 as number[]))}, + write back ${small.toFixed(1)} ms → ratio ${(small / rf).toFixed(2)}×`);
  console.log('note: a new 39 MB Float32Array is faulted in 4 KB pages by V8, numpy maps large arrays with huge pages;');
  console.log('      the reused-array line shows the decode cost without that (FitsFile.readImageFloat32(ref, { into })).');
  console.log(`core/fits write float32 with fsync (our default, durable): ${fmt(stats(ours.write_float32_fsync))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
