// The WebSocket transport (browser mode, and Node callers such as the benchmark): one socket, calls
// multiplexed by id, events fanned out to subscribers. Works with the browser WebSocket or the `ws` package.
import { ApiError } from './errors.js';
import type { Envelope } from './envelope.js';
import type { Transport } from './client.js';
import { serverMessageSchema, RPC_PATH } from './wire.js';

/** The subset of the WebSocket interface used here (browser WebSocket and `ws` both provide it). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}
export type SocketFactory = (url: string) => SocketLike;

export interface WsTransport extends Transport {
  ready: Promise<void>;
  close(): void;
}

/** ws://host/rpc?token=… for a page origin like http://127.0.0.1:1234. */
export function rpcUrl(origin: string, token: string): string {
  const u = new URL(RPC_PATH, origin);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.searchParams.set('token', token);
  return u.toString();
}

export function createWsTransport(url: string, makeSocket: SocketFactory): WsTransport {
  const socket = makeSocket(url);
  let nextId = 1;
  const pending = new Map<number, { resolve: (e: Envelope) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let closedError: ApiError | null = null;

  const failAll = (err: ApiError) => {
    closedError = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new ApiError('FORBIDDEN', `could not connect to ${url.replace(/token=[^&]+/, 'token=…')}`)));
  });
  // A rejected `ready` nobody awaited must not crash Node callers.
  ready.catch(() => undefined);

  socket.addEventListener('close', () => failAll(new ApiError('IO_ERROR', 'connection to the butler host closed')));
  socket.addEventListener('message', (ev) => {
    if (typeof ev.data !== 'string') return;
    let raw: unknown;
    try {
      raw = JSON.parse(ev.data);
    } catch {
      return;
    }
    const msg = serverMessageSchema.safeParse(raw);
    if (!msg.success) return;
    if (msg.data.type === 'result') {
      const p = pending.get(msg.data.id);
      pending.delete(msg.data.id);
      p?.resolve(msg.data.envelope as Envelope);
    } else {
      for (const l of listeners.get(msg.data.event) ?? []) l(msg.data.payload);
    }
  });

  return {
    ready,
    async invoke(method, params) {
      if (closedError) throw closedError;
      await ready;
      const id = nextId++;
      return new Promise<Envelope>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ type: 'call', id, method, params: params ?? {} }));
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    close() {
      socket.close();
    },
  };
}
