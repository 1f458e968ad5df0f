// The loopback host (browser mode): serves the built renderer, the API over a WebSocket and binary routes,
// all from one origin on 127.0.0.1 with a random port. Security, in order: exact Host header (DNS
// rebinding), exact Origin on the WebSocket and data routes (cross-site hijacking), the per-run 32-byte token
// (the real lock: non-browser clients can forge headers), path checks on static files, the same CSP as
// Electron on every response.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { clientMessageSchema, DATA_PREFIX, RPC_PATH, TOKEN_HEADER, type ServerMessage } from '../../core/api/wire.js';
import { ApiError } from '../../core/api/errors.js';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../security/csp.js';
import { PathRejected, resolveInsideRoot } from '../security/paths.js';
import { newToken, tokenMatches } from '../security/token.js';
import { isExpectedHost, isExpectedOrigin } from '../security/trust.js';
import type { AppService } from '../services/appService.js';

export interface HostOptions {
  service: AppService;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token (tests only); a fresh random one otherwise. */
  token?: string;
}

export interface RunningHost {
  port: number;
  origin: string;
  token: string;
  /** The URL to open: the token rides in the fragment, which browsers never send to servers. */
  url: string;
  close(): Promise<void>;
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const HTTP_STATUS: Record<string, number> = { BAD_PARAMS: 400, NOT_FOUND: 404, NO_REPOSITORY: 409, FORBIDDEN: 403, UNSUPPORTED: 415, IO_ERROR: 500, INTERNAL: 500 };
const MAX_MESSAGE_BYTES = 1 << 20;

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? newToken();
  const { service, rendererDir } = options;
  let port = 0;
  let csp = '';

  const baseHeaders = (): Record<string, string> => ({ 'content-security-policy': csp, ...SECURITY_HEADERS });

  const sendText = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { ...baseHeaders(), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text + '\n');
  };

  async function serveData(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const given = (req.headers[TOKEN_HEADER] as string | undefined) ?? url.searchParams.get('token');
    if (!tokenMatches(token, given)) return sendText(res, 401, 'missing or wrong token');
    const origin = req.headers.origin;
    if (origin !== undefined && !isExpectedOrigin(origin, port)) return sendText(res, 403, 'foreign origin');
    const name = url.pathname.slice(DATA_PREFIX.length);
    const params = new URLSearchParams(url.searchParams);
    params.delete('token');
    try {
      const out = await service.binary(name, params);
      res.writeHead(200, {
        ...baseHeaders(),
        'content-type': out.contentType,
        'content-length': String(out.bytes.byteLength),
        'cache-control': 'no-store',
        ...(out.headers ?? {}),
      });
      res.end(req.method === 'HEAD' ? undefined : out.bytes);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('INTERNAL', err instanceof Error ? err.message : String(err));
      sendText(res, HTTP_STATUS[e.code] ?? 500, `${e.code}: ${e.message}`);
    }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    let file: string | null;
    try {
      file = resolveInsideRoot(rendererDir, rawPath === '/' ? '/index.html' : rawPath);
    } catch (err) {
      if (err instanceof PathRejected) return sendText(res, 400, err.message);
      throw err;
    }
    if (!file) return sendText(res, 404, 'not found');
    const body = await readFile(file);
    const isHtml = extname(file) === '.html';
    res.writeHead(200, {
      ...baseHeaders(),
      'content-type': STATIC_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(body.byteLength),
      'cache-control': isHtml ? 'no-store' : 'max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((req, res) => {
    if (!isExpectedHost(req.headers.host, port)) return sendText(res, 421, 'wrong Host header: this server answers only to 127.0.0.1:' + port);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    const rawUrl = req.url ?? '/';
    // Keep the raw (still encoded) path for the traversal checks; URL() would silently resolve `..`.
    const rawPath = rawUrl.split('?')[0];
    const url = new URL(rawUrl, `http://127.0.0.1:${port}`);
    if (rawPath === RPC_PATH) return sendText(res, 426, 'WebSocket upgrade required');
    if (rawPath.startsWith(DATA_PREFIX)) {
      const name = rawPath.slice(DATA_PREFIX.length);
      if (!/^[a-z][a-z0-9-]{0,63}$/.test(name)) return sendText(res, 400, `rejected data route ${JSON.stringify(name)}`);
      void serveData(req, res, url).catch((err: Error) => sendText(res, 500, err.message));
      return;
    }
    void serveStatic(req, res, rawPath).catch((err: Error) => sendText(res, 500, err.message));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();

  const refuseUpgrade = (socket: Duplex, status: number, reason: string) => {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
    socket.destroy();
  };

  server.on('upgrade', (req, socket, head) => {
    const rawPath = (req.url ?? '').split('?')[0];
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!isExpectedHost(req.headers.host, port)) return refuseUpgrade(socket, 421, 'wrong Host');
    if (rawPath !== RPC_PATH) return refuseUpgrade(socket, 404, 'no WebSocket here');
    if (!isExpectedOrigin(req.headers.origin, port)) return refuseUpgrade(socket, 403, 'foreign Origin');
    if (!tokenMatches(token, url.searchParams.get('token'))) return refuseUpgrade(socket, 401, 'missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'binary messages are not part of the protocol');
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString());
        } catch {
          return ws.close(1007, 'message is not JSON');
        }
        const msg = clientMessageSchema.safeParse(parsed);
        if (!msg.success) return ws.close(1008, 'message does not follow the protocol');
        void service.dispatch(msg.data.method, msg.data.params).then((envelope) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: msg.data.id, envelope } satisfies ServerMessage));
        });
      });
    });
  });

  const unsubscribe = service.onEvent((event, payload) => {
    const text = JSON.stringify({ type: 'event', event, payload } satisfies ServerMessage);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new Error(`port ${options.port} on 127.0.0.1 is already in use: pick another with --port, or --port 0 for any free port`));
      else if (err.code === 'EACCES') reject(new Error(`not allowed to listen on port ${options.port} of 127.0.0.1: use a port above 1023, or --port 0`));
      else reject(err);
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('loopback host did not get a TCP port');
  port = address.port;
  const origin = `http://127.0.0.1:${port}`;
  csp = contentSecurityPolicy({ hostOrigin: origin });

  return {
    port,
    origin,
    token,
    url: `${origin}/#token=${token}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
