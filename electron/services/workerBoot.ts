// Starts a `*.worker.ts` service worker from the dist/ bundle or from sources. From sources, Node 20 does not
// apply `--import tsx` loader hooks inside worker threads (core/util/workers.ts's startWorker fails there with
// "Unknown file extension .ts"), so the worker boots through tsx's tsImport instead.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveWorker } from '../../core/util/workers.js';

function thisFile(): string {
  return typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);
}

function bootFromSource(file: string): Worker {
  const tsxApi = createRequire(thisFile()).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const boot = `const { tsImport } = await import(${JSON.stringify(pathToFileURL(tsxApi).href)});
await tsImport(${JSON.stringify(pathToFileURL(file).href)}, import.meta.url);`;
  return new Worker(boot, { eval: true });
}

export function startServiceWorker(sourcePath: string): Worker {
  let resolved: { file: string; execArgv: string[] };
  try {
    resolved = resolveWorker(sourcePath);
  } catch (err) {
    // A dist/ bundle without its worker bundle (scripts/build.mjs did not emit dist/workers): run the worker
    // from the sources beside dist/ when they and tsx are there (a development checkout), else say what broke.
    const source = join(dirname(thisFile()), '..', '..', sourcePath);
    if (existsSync(source)) return bootFromSource(source);
    throw err;
  }
  return resolved.execArgv.length === 0 ? new Worker(resolved.file) : bootFromSource(resolved.file);
}
