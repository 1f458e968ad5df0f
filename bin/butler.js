#!/usr/bin/env node
// `butler` command: runs the built CLI (dist/, made by `npm ci` / `npm run build`),
// or the TypeScript sources through tsx when no build exists (development).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/cli/main.js');
// Commands that go through many large images run with glibc keeping freed buffers for reuse: a new
// image then costs no page faults (about 15 ms per 39 MB CCD; see core/fits/README.md, "Speed").
// The setting is read at process start, so these commands start again under it (about 60 ms);
// BUTLER_WARM_HEAP=0 turns it off.
const WARM_HEAP = 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824';
const MANY_IMAGES = new Set(['run-isr', 'build-calibs', 'demo-repo']);
const tunables = process.env.GLIBC_TUNABLES ?? '';
if (process.platform === 'linux' && MANY_IMAGES.has(process.argv[2]) && !tunables.includes('glibc.malloc.mmap_max') && process.env.BUTLER_WARM_HEAP !== '0') {
  const env = { ...process.env, GLIBC_TUNABLES: [tunables, WARM_HEAP].filter(Boolean).join(':') };
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
