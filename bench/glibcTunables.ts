// glibc malloc settings a benchmark re-runs itself under (glibc reads GLIBC_TUNABLES at process start).
import { spawnSync } from 'node:child_process';

/** The "warm heap" butler run-isr runs on (bin/butler.js): freed large buffers stay on glibc's heap for reuse. */
export { WARM_HEAP } from '../scripts/warmHeap.mjs';
/** Transparent huge pages for glibc's large allocations. */
export const HUGE_PAGES = 'glibc.malloc.hugetlb=1';

/** The variable that carries the tunables this script started with to its children (see startingEnv). */
const STARTED_WITH = 'BENCH_STARTED_GLIBC_TUNABLES';

/**
 * Re-runs this script with `tunables` added to GLIBC_TUNABLES (and exits with its status) unless it
 * already runs with them; returns when it does.
 */
export function rerunWithTunables(tunables: string): void {
  if (!tunables || (process.env.GLIBC_TUNABLES ?? '').includes(tunables)) return;
  const env = { ...process.env, GLIBC_TUNABLES: [process.env.GLIBC_TUNABLES, tunables].filter(Boolean).join(':'), [STARTED_WITH]: process.env.GLIBC_TUNABLES ?? '' };
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}

/** The environment this script was first started with, for a child that must run as it ships (e.g. Python). */
export function startingEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const original = env[STARTED_WITH];
  delete env[STARTED_WITH];
  if (original === undefined) return env;
  if (original) env.GLIBC_TUNABLES = original;
  else delete env.GLIBC_TUNABLES;
  return env;
}
