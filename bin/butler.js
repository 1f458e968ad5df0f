#!/usr/bin/env node
// `butler` command: runs the built CLI (dist/, made by `npm ci` / `npm run build`),
// or the TypeScript sources through tsx when no build exists (development).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/cli/main.js');
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
