// Which pages may talk to the app. Kept as plain functions so they are unit-tested without Electron.

/** Electron: IPC is accepted only from frames showing our own app:// pages. */
export function isTrustedAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'bundle';
  } catch {
    return false;
  }
}

/** Loopback host: the Host header must be exactly our address (defeats DNS rebinding). */
export function isExpectedHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}`;
}

/** Loopback host: a browser's Origin must be our own origin (blocks cross-site WebSocket hijacking). */
export function isExpectedOrigin(originHeader: string | undefined, port: number): boolean {
  return originHeader === `http://127.0.0.1:${port}`;
}
