// Binary routes: bulk bytes (pixels, raw files) travel by URL, never through the JSON contract.
// A service registers `name → handler`; the loopback host serves it at /data/<name>?…, Electron at
// app://data/<name>?…. Route names are plain identifiers so they can never form a path.
export const ROUTE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

export function isRouteName(name: string): boolean {
  return ROUTE_NAME_PATTERN.test(name);
}

/** The URL of a binary route for the current transport: app://data/<name> in Electron, /data/<name> in a browser. */
export function binaryUrl(base: { electron: boolean; origin: string; token: string | null }, name: string, params: Record<string, string | number>): string {
  if (!isRouteName(name)) throw new Error(`invalid binary route name: ${JSON.stringify(name)}`);
  const u = base.electron ? new URL(`app://data/${name}`) : new URL(`/data/${name}`, base.origin);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  if (!base.electron && base.token) u.searchParams.set('token', base.token);
  return u.toString();
}
