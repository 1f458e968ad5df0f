import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WARM_HEAP, warmHeapEnv } from '../../../scripts/warmHeap.mjs';
import { repoRoot } from '../isr/ccdprocData.js';

describe('the warm heap (glibc keeps freed large buffers for reuse)', () => {
  it('is added to GLIBC_TUNABLES unless turned off or already set', () => {
    expect(warmHeapEnv({ PATH: '/bin' })?.GLIBC_TUNABLES).toBe(WARM_HEAP);
    expect(warmHeapEnv({ GLIBC_TUNABLES: 'glibc.pthread.rseq=0' })?.GLIBC_TUNABLES).toBe(`glibc.pthread.rseq=0:${WARM_HEAP}`);
    expect(warmHeapEnv({ BUTLER_WARM_HEAP: '0' })).toBeUndefined();
    expect(warmHeapEnv({ GLIBC_TUNABLES: 'glibc.malloc.mmap_max=5' })).toBeUndefined();
  });

  it('is what `butler run-isr` restarts itself under (and `butler info` is not)', () => {
    // The restarted process reports its own environment through a module preloaded with --import.
    const probe = `data:text/javascript,${encodeURIComponent('process.on("exit", () => process.stderr.write(`TUNABLES=${process.env.GLIBC_TUNABLES ?? ""}\\n`));')}`;
    const run = (cmd: string) => spawnSync(process.execPath, ['--import', probe, path.join(repoRoot, 'bin', 'butler.js'), cmd, '--help'], { encoding: 'utf8', env: { ...process.env, GLIBC_TUNABLES: '', BUTLER_WARM_HEAP: '' } });
    expect(run('run-isr').stderr).toContain(`TUNABLES=${WARM_HEAP}`);
    expect(run('info').stderr).not.toContain(WARM_HEAP);
  });
});
