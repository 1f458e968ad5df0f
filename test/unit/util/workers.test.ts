import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startWorker, resolveWorker } from '../../../core/util/workers.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

describe('startWorker', () => {
  it('boots a TypeScript worker from sources and exchanges messages', async () => {
    const w = startWorker('core/util/echo.worker.ts');
    try {
      const reply = await new Promise<number>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage(21);
      });
      expect(reply).toBe(42);
    } finally {
      await w.terminate();
    }
  });

  it('names the missing source file', () => {
    expect(() => resolveWorker('core/util/nope.worker.ts')).toThrow(/worker source missing: .*nope\.worker\.ts/);
  });

  it('the build bundles every *.worker.ts into dist/workers', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/build.mjs'), '--quiet'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const name of ['echo.worker.js', 'isr.worker.js']) expect(existsSync(join(repoRoot, 'dist/workers', name)), name).toBe(true);
  });
});
