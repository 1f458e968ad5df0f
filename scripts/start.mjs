// `npm start`: the Electron window where Electron's binary exists, otherwise the
// same renderer served from a loopback host (browser mode), whose URL is printed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const p = require('electron'); // the package exports the binary's path, and throws if it was never downloaded
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const args = process.argv.slice(2);
const bin = process.env.BUTLER_BROWSER_MODE ? null : electronBinary();
const child = bin
  ? spawn(bin, [join(root, 'dist/electron/main.cjs'), ...args], { stdio: 'inherit' })
  : spawn(process.execPath, [join(root, 'bin/butler-desktop.js'), 'serve', ...args], { stdio: 'inherit' });
if (!bin) console.log('Electron binary not found: starting browser mode.');
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
