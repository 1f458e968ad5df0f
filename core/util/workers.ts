// Starts a worker thread from a `*.worker.ts` module, wherever the code runs:
// from the esbuild bundles in dist/ (npm start, the CLI, Electron) the worker is
// dist/workers/<name>.js; from sources (vitest, tsx) it is the .ts file run
// through tsx's loader.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __BUTLER_BUNDLED__: boolean | undefined;

function currentFile(): string {
  return typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);
}

/** Repository-relative source path of a worker, e.g. `core/isr/isr.worker.ts`. */
export function resolveWorker(sourcePath: string): { file: string; execArgv: string[] } {
  const bundled = typeof __BUTLER_BUNDLED__ !== 'undefined' && __BUTLER_BUNDLED__;
  if (bundled) {
    // Every bundle lives in dist/<part>/, workers in dist/workers/.
    const file = join(dirname(currentFile()), '..', 'workers', basename(sourcePath, '.ts') + '.js');
    if (!existsSync(file)) throw new Error(`worker bundle missing: ${file} (run "npm run build")`);
    return { file, execArgv: [] };
  }
  const repoRoot = join(dirname(currentFile()), '..', '..');
  const file = join(repoRoot, sourcePath);
  if (!existsSync(file)) throw new Error(`worker source missing: ${file}`);
  return { file, execArgv: ['--import', 'tsx'] };
}

export function startWorker(sourcePath: string, options: WorkerOptions = {}): Worker {
  const { file, execArgv } = resolveWorker(sourcePath);
  return new Worker(file, { ...options, execArgv: [...execArgv, ...(options.execArgv ?? [])] });
}
