// `npm start [-- <repo>]`: the Electron window where Electron's binary exists, otherwise the same renderer
// served from the loopback host (browser mode), whose URL is printed. BUTLER_BROWSER_MODE=1 forces browser
// mode. With no repository the app reopens the last one, else shows the welcome screen.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';
import { warmHeapEnv } from './warmHeap.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const bin = process.env.BUTLER_BROWSER_MODE ? null : findElectronBinary();
if (!bin) console.log('Electron binary not found: starting browser mode.');
const child = bin
  ? spawn(bin, [join(root, 'dist/electron/main.cjs'), ...args], { stdio: 'inherit' })
  : spawn(process.execPath, [join(root, 'bin/butler-desktop.js'), 'serve', ...args], { stdio: 'inherit', env: nodeEnv() });
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));

/**
 * The browser-mode host (Node, not Electron) runs with glibc keeping freed large buffers for
 * reuse, so images opened one after another cost no page faults (core/fits/README.md, "Speed");
 * BUTLER_WARM_HEAP=0 turns it off.
 */
function nodeEnv() {
  return warmHeapEnv() ?? process.env;
}
