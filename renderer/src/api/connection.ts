// Connects the UI to the one API: Electron's preload bridge when present, else the loopback host's
// WebSocket, authenticated by the per-run token from the URL fragment (then removed from the address bar).
import { createApi, type Transport } from '../../../core/api/client.js';
import type { Api } from '../../../core/api/contract.js';
import { rpcUrl, createWsTransport } from '../../../core/api/wsTransport.js';
import { binaryUrl } from '../../../core/api/binary.js';
import { TOKEN_HEADER } from '../../../core/api/wire.js';

/** The object Electron's preload exposes (see electron/preload.ts). */
declare global {
  interface Window {
    butlerBridge?: Transport & { platform: string };
  }
}

const TOKEN_KEY = 'butler-desktop.token';

/**
 * Splits the per-run token out of a URL fragment, keeping the route intact: `#token=T` → ``,
 * `#/dataset/ID&token=T` → `#/dataset/ID`, `#/datasets?c=a&token=T&t=b` → `#/datasets?c=a&t=b`.
 */
export function splitTokenFromHash(hash: string): { token: string | null; rest: string } {
  const text = hash.replace(/^#/, '');
  const q = text.indexOf('?');
  // The route's path ends at '?' (query follows) or at the first '&' (a token appended to a bare path).
  const amp = text.indexOf('&');
  const pathEnd = q >= 0 ? q : amp >= 0 ? amp : text.startsWith('token=') ? 0 : text.length;
  const path = text.slice(0, pathEnd);
  const params = text.slice(pathEnd).replace(/^[?&]/, '').split('&').filter(Boolean);
  let token: string | null = null;
  const kept: string[] = [];
  for (const param of params) {
    const m = /^token=([A-Za-z0-9_-]+)$/.exec(param);
    if (m) token = m[1];
    else kept.push(param);
  }
  const restText = path + (kept.length ? `?${kept.join('&')}` : '');
  return { token, rest: restText ? `#${restText}` : '' };
}

/** Reads `token=` from the fragment (e.g. `#token=…` or `#/dataset/…&token=…`), strips it, and keeps it for reloads. */
export function takeTokenFromLocation(): string | null {
  const { token, rest } = splitTokenFromHash(window.location.hash);
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', window.location.pathname + window.location.search + rest);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export interface Connection {
  api: Api;
  electron: boolean;
  /** URL of a binary route (pixels, files) for <img>, fetch or a download link. */
  dataUrl(name: string, params: Record<string, string | number>): string;
  /** fetch() of a binary route, authenticated for the current transport. */
  fetchData(name: string, params: Record<string, string | number>): Promise<Response>;
}

export function connect(): Connection {
  const bridge = window.butlerBridge;
  if (bridge) {
    return {
      api: createApi(bridge),
      electron: true,
      dataUrl: (name, params) => binaryUrl({ electron: true, origin: window.location.origin, token: null }, name, params),
      fetchData: (name, params) => fetch(binaryUrl({ electron: true, origin: window.location.origin, token: null }, name, params)),
    };
  }
  const token = takeTokenFromLocation();
  if (!token) throw new Error('This page needs the access token printed by `butler-desktop serve`: open the full URL it printed (the part after # included).');
  const transport = createWsTransport(rpcUrl(window.location.origin, token), (url) => new WebSocket(url));
  return {
    api: createApi(transport),
    electron: false,
    dataUrl: (name, params) => binaryUrl({ electron: false, origin: window.location.origin, token }, name, params),
    fetchData: (name, params) => {
      const url = binaryUrl({ electron: false, origin: window.location.origin, token: null }, name, params);
      return fetch(url, { headers: { [TOKEN_HEADER]: token } });
    },
  };
}
