// Where the built renderer lives, whether this code runs from the dist/ bundle or from sources (tsx).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __BUTLER_BUNDLED__: boolean | undefined;

export function defaultRendererDir(): string {
  const here = typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);
  const bundled = typeof __BUTLER_BUNDLED__ !== 'undefined' && __BUTLER_BUNDLED__;
  // Bundled: dist/host/serve.js → dist/renderer. Sources: electron/host/paths.ts → <repo>/dist/renderer.
  return bundled ? join(dirname(here), '..', 'renderer') : join(dirname(here), '..', '..', 'dist', 'renderer');
}

export function assertRendererBuilt(dir: string): void {
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`the renderer is not built (${join(dir, 'index.html')} is missing): run "npm run build"`);
}
