// Serializers for heavier formats are loaded on first use, so opening a repository or
// reading JSON does not pull in the FITS and image code.
const loaders = new Map<string, () => Promise<unknown>>([
  ['fits', () => import('./fits/index.js')],
  ['megaprime-raw', () => import('./fits/index.js')],
]);
const loaded = new Map<string, Promise<unknown>>();
// Python types whose serializers live beside their class elsewhere in core: a dataset of such a
// storage class can be read in a process that never imported that module.
const storageClassLoaders = new Map<string, () => Promise<unknown>>([
  ['Defects', () => import('../calib/defects.js')],
]);
const loadedStorageClasses = new Map<string, Promise<unknown>>();

/** Loads the module that defines a storage class's type and serializers, if one is known (once). */
export async function ensureStorageClassLoaded(storageClass: string): Promise<void> {
  const loader = storageClassLoaders.get(storageClass);
  if (!loader) return;
  let p = loadedStorageClasses.get(storageClass);
  if (!p) {
    p = loader();
    loadedStorageClasses.set(storageClass, p);
  }
  await p;
}

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
