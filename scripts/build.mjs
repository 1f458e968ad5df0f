// Builds everything that runs outside the test runner:
//  - Node bundles (CLI, loopback host, Electron main/preload) with esbuild,
//  - every `*.worker.ts` under core/ and electron/ as its own bundle in dist/workers,
//  - the renderer with Vite into dist/renderer.
// Dependencies stay external (node_modules is present wherever dist/ runs).
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, readdirSync, statSync, mkdirSync, cpSync } from 'node:fs';
import { join, basename, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const quiet = process.argv.includes('--quiet');

function findWorkers(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findWorkers(p));
    else if (name.endsWith('.worker.ts')) out.push(relative(root, p));
  }
  return out;
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
  define: { __BUTLER_BUNDLED__: 'true' },
};

const esm = [
  ['cli/main.ts', 'dist/cli/main.js'],
  ['electron/host/serve.ts', 'dist/host/serve.js'],
  ...[...findWorkers(join(root, 'core')), ...findWorkers(join(root, 'electron'))].map((p) => [p, `dist/workers/${basename(p, '.ts')}.js`]),
].filter(([src]) => existsSync(join(root, src)));

const cjs = [
  ['electron/main.ts', 'dist/electron/main.cjs'],
  ['electron/preload.ts', 'dist/electron/preload.cjs'],
].filter(([src]) => existsSync(join(root, src)));

const started = Date.now();
await Promise.all([
  ...esm.map(([src, out]) => build({
    ...common,
    entryPoints: [src],
    outfile: out,
    format: 'esm',
    // Bundled ESM still needs require() for CommonJS-only dependencies.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  })),
  ...cjs.map(([src, out]) => build({
    ...common,
    entryPoints: [src],
    outfile: out,
    format: 'cjs',
    external: ['electron'],
    // The sandboxed preload may only require('electron'): bundle everything else into it.
    packages: src.endsWith('preload.ts') ? undefined : 'external',
  })),
]);

if (existsSync(join(root, 'renderer/index.html'))) {
  await viteBuild({ configFile: join(root, 'renderer/vite.config.ts'), logLevel: quiet ? 'error' : 'warn' });
}
// Data files the bundles read at run time (cameras, ISR presets), beside them in dist/data.
for (const [src, dest] of [['core/camera/data', 'camera'], ['core/isr/presets', 'isr-presets']]) {
  if (!existsSync(join(root, src))) continue;
  mkdirSync(join(dist, 'data'), { recursive: true });
  cpSync(join(root, src), join(dist, 'data', dest), { recursive: true });
}
if (!quiet) console.log(`build: ${esm.length + cjs.length} bundles in ${Date.now() - started} ms`);
