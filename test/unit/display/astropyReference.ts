// Runs one Debian /usr/bin/python3 process with astropy to produce reference values for a test file. The inputs
// travel as float64 little-endian binaries in a temp directory, the answers come back as JSON on stdout.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';

export function runAstropy<T>(script: string, arrays: Record<string, Float64Array>): T {
  const dir = mkdtempSync(join(tmpdir(), 'display-ref-'));
  try {
    for (const [name, arr] of Object.entries(arrays)) writeFileSync(join(dir, `${name}.f64`), new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
    const prelude = [
      'import json, sys, os',
      'import numpy as np',
      'try:',
      '    import astropy.visualization as viz',
      'except ImportError:',
      '    sys.stderr.write("install Debian python3-astropy: apt-get install python3-astropy\\n"); sys.exit(3)',
      `DIR = ${JSON.stringify(dir)}`,
      'def load(name): return np.fromfile(os.path.join(DIR, name + ".f64"), dtype="<f8")',
      'def f(x): return float(x)',
      '',
    ].join('\n');
    const res = spawnSync(PYTHON, ['-c', prelude + script], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (res.error) throw new Error(`cannot run ${PYTHON} (install Debian python3 and python3-astropy: apt-get install python3-astropy): ${res.error.message}`);
    if (res.status !== 0) throw new Error(`${PYTHON} failed (status ${res.status}); install Debian python3-astropy if missing: apt-get install python3-astropy\n${res.stderr}`);
    return JSON.parse(res.stdout) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deterministic pseudo-random numbers (mulberry32) so vectors are identical on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export function relativeError(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}
