// One Content-Security-Policy for both shells, so browser-mode tests catch what Electron would block.
// Only the connect-src differs: the loopback host's own WebSocket, or the app:// protocol in Electron.
export interface CspOptions {
  /** Browser mode: the host's origin, e.g. http://127.0.0.1:43123. Omit for Electron. */
  hostOrigin?: string;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = options.hostOrigin
    ? ["'self'", options.hostOrigin.replace(/^http/, 'ws')]
    : ["'self'", 'app:'];
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Viewer/graph libraries set element styles at run time; no inline <script> is ever allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response of ours carries, besides the CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};
