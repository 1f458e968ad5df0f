import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './ccdprocData.js';

describe('the embedded ISR WebAssembly kernel', () => {
  it('is exactly core/isr/kernels/fusedFinal.wat assembled (no stale bytes after an edit of the .wat)', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'assemble-wasm.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
