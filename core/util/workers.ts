// Starts a worker thread from a `*.worker.ts` module, wherever the code runs:
// from the esbuild bundles in dist/ (npm start, the CLI, Electron) the worker is
// dist/workers/<name>.js; from sources (vitest, tsx) it is the .ts file, booted
// through tsx's loader. Node 20 ignores `--import tsx` in a worker's execArgv, so the
// source-mode worker is a small eval'd module that registers tsx and then imports
// the entry.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

declare const __BUTLER_BUNDLED__: boolean | undefined;

function currentFile(): string {
  return typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);
}

export interface ResolvedWorker {
  file: string;
  /** True when `file` is TypeScript source that needs tsx to run (startWorker boots it). */
  fromSource: boolean;
}

/** Repository-relative source path of a worker, e.g. `core/isr/isr.worker.ts`. */
export function resolveWorker(sourcePath: string): ResolvedWorker {
  const bundled = typeof __BUTLER_BUNDLED__ !== 'undefined' && __BUTLER_BUNDLED__;
  if (bundled) {
    // Every bundle lives in dist/<part>/, workers in dist/workers/.
    const file = join(dirname(currentFile()), '..', 'workers', basename(sourcePath, '.ts') + '.js');
    if (!existsSync(file)) throw new Error(`worker bundle missing: ${file} (run "npm run build")`);
    return { file, fromSource: false };
  }
  const repoRoot = join(dirname(currentFile()), '..', '..');
  const file = join(repoRoot, sourcePath);
  if (!existsSync(file)) throw new Error(`worker source missing: ${file}`);
  return { file, fromSource: true };
}

let tsxApiUrl: string | undefined;
function tsxEsmApi(from: string): string {
  if (tsxApiUrl) return tsxApiUrl;
  const require = createRequire(from);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const rel = pkg.exports['./esm/api']?.import?.default;
  if (!rel) throw new Error(`cannot find tsx's ESM API in ${pkgPath}`);
  tsxApiUrl = pathToFileURL(join(dirname(pkgPath), rel)).href;
  return tsxApiUrl;
}

export function startWorker(sourcePath: string, options: WorkerOptions = {}): Worker {
  const { file, fromSource } = resolveWorker(sourcePath);
  if (!fromSource) return new Worker(file, options);
  // An eval'd worker gets globals __dirname/__filename of '.', which modules locating their
  // data files with `typeof __dirname` would take for their own folder: remove them first.
  const boot = `delete globalThis.__dirname; delete globalThis.__filename;
import(${JSON.stringify(tsxEsmApi(file))}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
