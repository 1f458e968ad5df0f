// Starts a `*.worker.ts` service worker from the dist/ bundle or from sources. From sources, Node 20 does not
// apply `--import tsx` loader hooks inside worker threads (core/util/workers.ts's startWorker fails there with
// "Unknown file extension .ts"), so the worker boots through tsx's tsImport instead.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { resolveWorker } from '../../core/util/workers.js';

export function startServiceWorker(sourcePath: string): Worker {
  const { file, execArgv } = resolveWorker(sourcePath);
  if (execArgv.length === 0) return new Worker(file);
  const tsxApi = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const boot = `const { tsImport } = await import(${JSON.stringify(pathToFileURL(tsxApi).href)});
await tsImport(${JSON.stringify(pathToFileURL(file).href)}, import.meta.url);`;
  return new Worker(boot, { eval: true });
}
