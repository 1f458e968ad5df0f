// Reads the headers of many raws in parallel worker threads (in-process for a few files, where
// starting workers would cost more than it saves). Results come back in input order.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resolveWorker } from '../util/workers.js';
import { scanRawFileSafe, type RawScanResult } from './rawScan.js';

export interface ScanOptions {
  /** Worker threads; 0 reads in this thread. Default: up to 4, fewer for few files. */
  workers?: number;
  /** Called as each file finishes. */
  onResult?: (result: RawScanResult, done: number, total: number) => void;
}

const FILES_PER_WORKER = 6;
const WORKER_SOURCE = 'core/ingest/rawScan.worker.ts';

/**
 * The header worker, from the bundle, or from the sources through tsx's tsImport: Node 20 worker
 * threads ignore `--import tsx` in execArgv (core/util/workers.ts's startWorker fails from sources).
 */
function startScanWorker(): Worker {
  const { file, execArgv } = resolveWorker(WORKER_SOURCE);
  if (execArgv.length === 0) return new Worker(file);
  const here = typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);
  const tsxApi = createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const boot = `const { tsImport } = await import(${JSON.stringify(pathToFileURL(tsxApi).href)});
await tsImport(${JSON.stringify(pathToFileURL(file).href)}, import.meta.url);`;
  return new Worker(boot, { eval: true });
}

export function defaultScanWorkers(files: number): number {
  return Math.max(0, Math.min(4, availableParallelism(), Math.floor(files / FILES_PER_WORKER)));
}

export async function scanRawFiles(paths: readonly string[], options: ScanOptions = {}): Promise<RawScanResult[]> {
  const workers = options.workers ?? defaultScanWorkers(paths.length);
  const results: RawScanResult[] = new Array<RawScanResult>(paths.length);
  let done = 0;
  if (workers <= 0 || paths.length <= 1) {
    for (let i = 0; i < paths.length; i++) {
      results[i] = scanRawFileSafe(paths[i]);
      options.onResult?.(results[i], ++done, paths.length);
      // Let progress output and other callbacks run between files.
      await new Promise<void>((r) => setImmediate(r));
    }
    return results;
  }
  const pool: Worker[] = [];
  try {
    let next = 0;
    await new Promise<void>((resolveAll, rejectAll) => {
      const feed = (w: Worker) => {
        if (next >= paths.length) return;
        const id = next++;
        w.postMessage({ id, path: paths[id] });
      };
      for (let i = 0; i < Math.min(workers, paths.length); i++) {
        const w = startScanWorker();
        pool.push(w);
        w.on('message', (msg: { id: number; result: RawScanResult }) => {
          results[msg.id] = msg.result;
          options.onResult?.(msg.result, ++done, paths.length);
          if (done === paths.length) resolveAll();
          else feed(w);
        });
        w.on('error', (err) => rejectAll(err));
        feed(w);
      }
    });
  } catch (err) {
    // A worker that cannot start or dies must not lose the ingest: read the rest here.
    process.emitWarning(`raw header workers failed (${err instanceof Error ? err.message : String(err)}); reading the remaining headers in the main thread`);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  for (let i = 0; i < paths.length; i++) {
    if (results[i] !== undefined) continue;
    results[i] = scanRawFileSafe(paths[i]);
    options.onResult?.(results[i], ++done, paths.length);
  }
  return results;
}
