// The app:// protocol, as a plain function so it is unit-tested without Electron:
//   app://bundle/<path>      the built renderer (dist/renderer), with path checks
//   app://data/<name>?…      binary routes (pixels, files), see electron/services/binaryRoutes.ts
// Every answer carries the same CSP and security headers as the loopback host.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ApiError } from '../core/api/errors.js';
import { isRouteName } from '../core/api/binary.js';
import { contentSecurityPolicy, SECURITY_HEADERS } from './security/csp.js';
import { PathRejected, resolveInsideRoot } from './security/paths.js';
import type { BinaryResponse } from './services/binaryRoutes.js';

export interface ProtocolAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

export interface ProtocolDeps {
  rendererDir: string;
  binary(name: string, params: URLSearchParams): Promise<BinaryResponse>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};
const STATUS: Record<string, number> = { BAD_PARAMS: 400, NOT_FOUND: 404, NO_REPOSITORY: 409, UNSUPPORTED: 415 };

export const APP_ORIGIN = 'app://bundle';

export async function answerAppRequest(rawUrl: string, deps: ProtocolDeps): Promise<ProtocolAnswer> {
  const headers = { 'content-security-policy': contentSecurityPolicy(), ...SECURITY_HEADERS };
  const text = (status: number, message: string): ProtocolAnswer => ({ status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: message });
  const m = /^app:\/\/([^/?#]+)(\/[^?#]*)?(\?[^#]*)?/.exec(rawUrl);
  if (!m) return text(400, 'malformed app:// URL');
  const [, host, rawPath = '/', query = ''] = m;
  if (host === 'bundle') {
    try {
      const file = resolveInsideRoot(deps.rendererDir, rawPath === '/' ? '/index.html' : rawPath);
      if (!file) return text(404, 'not found');
      return { status: 200, headers: { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }, body: await readFile(file) };
    } catch (err) {
      if (err instanceof PathRejected) return text(400, err.message);
      throw err;
    }
  }
  if (host === 'data') {
    const name = rawPath.slice(1);
    if (!isRouteName(name)) return text(400, `rejected data route ${JSON.stringify(name)}`);
    try {
      const out = await deps.binary(name, new URLSearchParams(query));
      return { status: 200, headers: { ...headers, 'content-type': out.contentType, ...(out.headers ?? {}) }, body: out.bytes };
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('INTERNAL', err instanceof Error ? err.message : String(err));
      return text(STATUS[e.code] ?? 500, `${e.code}: ${e.message}`);
    }
  }
  return text(404, `unknown app:// host ${JSON.stringify(host)}`);
}
