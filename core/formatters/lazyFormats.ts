// Serializers for heavier formats are loaded on first use, so opening a repository or
// reading JSON does not pull in the FITS and image code.
const loaders = new Map<string, () => Promise<unknown>>([
  ['fits', () => import('./fits/index.js')],
  ['megaprime-raw', () => import('./fits/index.js')],
]);
const loaded = new Map<string, Promise<unknown>>();

export function registerFormatLoader(format: string, loader: () => Promise<unknown>): void {
  loaders.set(format, loader);
}

/** Loads the serializers of a format if a loader is known for it (once). */
export async function ensureFormatLoaded(format: string): Promise<void> {
  const loader = loaders.get(format);
  if (!loader) return;
  let p = loaded.get(format);
  if (!p) {
    p = loader();
    loaded.set(format, p);
  }
  await p;
}
