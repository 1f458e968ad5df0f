// The "warm heap": glibc malloc settings under which freed large buffers stay on the heap for reuse,
// so a new image costs no page faults (about 15 ms per 39 MB CCD; see core/fits/README.md, "Speed").
// glibc reads GLIBC_TUNABLES at process start: commands that go through many images start again under
// it. BUTLER_WARM_HEAP=0 turns it off. One definition for bin/butler.js, scripts/start.mjs and bench/.

export const WARM_HEAP = 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824';

/**
 * The environment to restart under, or undefined when there is nothing to do (not Linux, turned off,
 * or malloc's mmap threshold already set by the caller).
 */
export function warmHeapEnv(env = process.env) {
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (process.platform !== 'linux' || env.BUTLER_WARM_HEAP === '0' || tunables.includes('glibc.malloc.mmap_max')) return undefined;
  return { ...env, GLIBC_TUNABLES: [tunables, WARM_HEAP].filter(Boolean).join(':') };
}
