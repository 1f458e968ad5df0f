#!/usr/bin/env node
// `butler` command: runs the built CLI (dist/, made by `npm ci` / `npm run build`),
// or the TypeScript sources through tsx when no build exists (development).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { warmHeapEnv } from '../scripts/warmHeap.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/cli/main.js');
// Commands that go through many large images start again on the warm heap (scripts/warmHeap.mjs;
// about 60 ms).
const MANY_IMAGES = new Set(['run-isr', 'build-calibs', 'demo-repo']);
const env = MANY_IMAGES.has(process.argv[2]) ? warmHeapEnv() : undefined;
if (env) {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
