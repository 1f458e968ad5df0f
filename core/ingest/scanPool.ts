// Reads the headers of many raws in parallel worker threads (in-process for a few files, where
// starting workers would cost more than it saves). Results come back in input order.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { startWorker } from '../util/workers.js';
import { scanRawFileSafe, type RawScanResult } from './rawScan.js';

export interface ScanOptions {
  /** Worker threads; 0 reads in this thread. Default: up to 4, fewer for few files. */
  workers?: number;
  /** Called as each file finishes. */
  onResult?: (result: RawScanResult, done: number, total: number) => void;
  /** Wait for the workers' first header (start-up included) before reading here instead; default 60 s. */
  firstResultMs?: number;
  /** Wait for each next header; default 30 s. */
  stallMs?: number;
}

const FILES_PER_WORKER = 6;
const WORKER_SOURCE = 'core/ingest/rawScan.worker.ts';
/** Longest wait for the first header (worker start-up included) and then for each next one. */
const FIRST_RESULT_MS = 60_000;
const STALL_MS = 30_000;

/**
 * In this thread unless asked (daf_butler's ingest-raws also defaults to one process): headers are
 * ~10 ms a file here, less than a worker's start-up for small batches.
 */
export function defaultScanWorkers(_files: number): number {
  return 0;
}

/** Workers for `files` when parallel reading is asked for: at most 4, one per FILES_PER_WORKER files. */
export function suggestedScanWorkers(files: number): number {
  return Math.max(1, Math.min(4, availableParallelism(), Math.floor(files / FILES_PER_WORKER)));
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
  let watchdog: NodeJS.Timeout | undefined;
  try {
    let next = 0;
    await new Promise<void>((resolveAll, rejectAll) => {
      // A worker that never answers (a loader that cannot start under some runners) must not hang ingest.
      const arm = (ms = options.stallMs ?? STALL_MS) => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => rejectAll(new Error(`no header came back from the workers in ${ms / 1000} s`)), ms);
      };
      // Until every worker has answered once, a slow start (loading its modules) is not a stall.
      const started = new Set<Worker>();
      arm(options.firstResultMs ?? FIRST_RESULT_MS);
      const feed = (w: Worker) => {
        if (next >= paths.length) return;
        const id = next++;
        w.postMessage({ id, path: paths[id] });
      };
      for (let i = 0; i < Math.min(workers, paths.length); i++) {
        const w = startWorker(WORKER_SOURCE);
        pool.push(w);
        w.on('message', (msg: { id: number; result: RawScanResult }) => {
          started.add(w);
          arm(started.size === pool.length ? (options.stallMs ?? STALL_MS) : (options.firstResultMs ?? FIRST_RESULT_MS));
          results[msg.id] = msg.result;
          options.onResult?.(msg.result, ++done, paths.length);
          if (done === paths.length) resolveAll();
          else feed(w);
        });
        w.on('error', (err) => rejectAll(err));
        w.on('exit', (code) => {
          if (done < paths.length) rejectAll(new Error(`a header worker exited (code ${code}) before the work was done`));
        });
        feed(w);
      }
    });
  } catch (err) {
    // A worker that cannot start or dies must not lose the ingest: read the rest here.
    process.emitWarning(`raw header workers failed (${err instanceof Error ? err.message : String(err)}); reading the remaining headers in the main thread`);
  } finally {
    clearTimeout(watchdog);
    await Promise.all(pool.map((w) => w.terminate()));
  }
  for (let i = 0; i < paths.length; i++) {
    if (results[i] !== undefined) continue;
    results[i] = scanRawFileSafe(paths[i]);
    options.onResult?.(results[i], ++done, paths.length);
  }
  return results;
}
