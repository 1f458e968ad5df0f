#!/usr/bin/env node
// `butler-desktop serve <repo> [--port N]`: the app in browser mode (loopback host).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/host/serve.js');
if (!existsSync(built)) {
  console.error(`butler-desktop: ${built} is missing; run "npm run build" first.`);
  process.exit(1);
}
await import(pathToFileURL(built).href);
