// Electron's sandboxed preload may require only 'electron' (plus a few polyfilled modules): bundled the way
// scripts/build.mjs bundles it, ours must pull in nothing else, and must expose only the bridge.
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('preload bundle', () => {
  it('requires only electron and exposes one bridge through contextBridge', async () => {
    const out = await build({
      entryPoints: [join(root, 'electron', 'preload.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const code = out.outputFiles[0].text;
    const required = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
    expect([...required]).toEqual(['electron']);
    expect(code.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(code).toContain('"butlerBridge"');
    expect(code).toContain('"api:call"');
    // No raw ipcRenderer handed to the page.
    expect(code).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
  });
});
