// Starts a `*.worker.ts` thread. From the bundles it is plain JS (core/util/workers.ts finds it);
// from the sources (tsx, vitest) Node 20 workers ignore `--import tsx` in execArgv, so the worker
// registers tsx's ESM loader itself before importing the TypeScript entry (as core/isr does).
// An eval'd worker also gets a global __dirname of '.', which modules that locate their data
// files with `typeof __dirname` would take for their own folder: it is removed first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resolveWorker } from '../../util/workers.js';

export function startSourceAwareWorker(sourcePath: string): Worker {
  const { file, execArgv } = resolveWorker(sourcePath);
  if (execArgv.length === 0) return new Worker(file);
  const require = createRequire(file);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const apiRel = pkg.exports['./esm/api']?.import?.default;
  if (!apiRel) throw new Error(`cannot find tsx's ESM API in ${pkgPath}`);
  const api = pathToFileURL(join(dirname(pkgPath), apiRel)).href;
  const code = `delete globalThis.__dirname; delete globalThis.__filename; import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return new Worker(code, { eval: true });
}
