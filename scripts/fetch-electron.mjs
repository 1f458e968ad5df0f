// postinstall: build the app, then try to fetch Electron's binary. Electron's own
// download is switched off (allowScripts) because these machines have no route
// to its host; where the download fails the app runs in browser mode instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

if (process.env.CI || process.env.BUTLER_SKIP_ELECTRON) process.exit(0);
const require = createRequire(import.meta.url);
let installer;
try { installer = join(dirname(require.resolve('electron/package.json')), 'install.js'); } catch { process.exit(0); }
if (!existsSync(installer)) process.exit(0);
const r = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 60_000 });
console.log(r.status === 0
  ? 'electron: binary installed; `npm start` opens the desktop window.'
  : 'electron: binary not available here; `npm start` will serve the app in your browser instead.');
