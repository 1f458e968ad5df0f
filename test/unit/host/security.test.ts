// The loopback host refuses everything that is not our own page with this run's token: wrong token, foreign
// Origin, wrong Host (DNS rebinding), path traversal on static files and data routes, malformed messages
// and params. One host for the whole file, serving a small renderer directory made by the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppService } from '../../../electron/services/appService.js';
import { startHost, type RunningHost } from '../../../electron/host/server.js';
import { rpcUrl } from '../../../core/api/wsTransport.js';
import { callOver, closeCode, rawGet, tryWebSocket } from './helpers.js';

const SECRET = 'TOP-SECRET-CONTENT-7f3a';
let dir: string;
let host: RunningHost;
let service: AppService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'butler-host-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  symlinkSync(join(dir, 'secret.txt'), join(renderer, 'assets', 'link.txt'));
  service = new AppService({ transport: 'browser', settingsDir: join(dir, 'settings') });
  host = await startHost({ service, rendererDir: renderer });
});

afterAll(async () => {
  await host?.close();
  await service?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const origin = () => `http://127.0.0.1:${host.port}`;
const wsHeaders = (over: Record<string, string> = {}) => ({ origin: origin(), host: `127.0.0.1:${host.port}`, ...over });

describe('static files', () => {
  it('serves the page on 127.0.0.1 only, with the CSP and security headers', async () => {
    const r = await rawGet(host.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>t</title>');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(csp).toContain("object-src 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(host.url).toBe(`${origin()}/#token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url').length).toBe(32);
  });

  it('refuses a wrong Host header (DNS rebinding)', async () => {
    for (const h of ['evil.example', `localhost:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1']) {
      const r = await rawGet(host.port, '/', { host: h });
      expect(r.status, h).toBe(421);
      expect(r.body).not.toContain('<title>');
    }
  });

  it('refuses path traversal in every spelling, and symlinks leading out', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/..\\secret.txt',
      '/assets/link.txt',
      '/%00/etc/passwd',
      '//etc/passwd',
      '/%252e%252e/secret.txt',
    ];
    for (const path of attempts) {
      const r = await rawGet(host.port, path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain(SECRET);
    }
  });

  it('allows only GET and HEAD', async () => {
    expect((await rawGet(host.port, '/', {}, 'POST')).status).toBe(405);
    expect((await rawGet(host.port, '/', {}, 'HEAD')).status).toBe(200);
  });
});

describe('WebSocket', () => {
  it('accepts our origin with the token, and serves the contract', async () => {
    const r = await tryWebSocket(rpcUrl(origin(), host.token), wsHeaders());
    expect('ws' in r).toBe(true);
    if (!('ws' in r)) return;
    const env = await callOver(r.ws, 1, 'app.info', {});
    expect(env).toMatchObject({ ok: true, value: { transport: 'browser', repository: null } });
    r.ws.close();
  });

  it('refuses a wrong or missing token', async () => {
    const wrong = host.token.slice(0, -2) + (host.token.endsWith('AA') ? 'BB' : 'AA');
    expect(await tryWebSocket(rpcUrl(origin(), wrong), wsHeaders())).toEqual({ status: 401 });
    expect(await tryWebSocket(`ws://127.0.0.1:${host.port}/rpc`, wsHeaders())).toEqual({ status: 401 });
    expect(await tryWebSocket(rpcUrl(origin(), ''), wsHeaders())).toEqual({ status: 401 });
  });

  it('refuses a foreign or missing Origin even with the token', async () => {
    expect(await tryWebSocket(rpcUrl(origin(), host.token), wsHeaders({ origin: 'http://evil.example' }))).toEqual({ status: 403 });
    expect(await tryWebSocket(rpcUrl(origin(), host.token), wsHeaders({ origin: `http://localhost:${host.port}` }))).toEqual({ status: 403 });
    expect(await tryWebSocket(rpcUrl(origin(), host.token), { host: `127.0.0.1:${host.port}` })).toEqual({ status: 403 });
  });

  it('refuses a wrong Host on the upgrade', async () => {
    expect(await tryWebSocket(rpcUrl(origin(), host.token), wsHeaders({ host: 'evil.example' }))).toEqual({ status: 421 });
  });

  it('answers malformed params with BAD_PARAMS and unknown methods with UNKNOWN_METHOD', async () => {
    const r = await tryWebSocket(rpcUrl(origin(), host.token), wsHeaders());
    if (!('ws' in r)) throw new Error('connection refused');
    expect(await callOver(r.ws, 1, 'datasets.query', { datasetType: 'raw', collections: ['x'], limit: 'all' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_PARAMS', message: expect.stringContaining('limit') },
    });
    expect(await callOver(r.ws, 2, 'repo.open', { path: 7 })).toMatchObject({ ok: false, error: { code: 'BAD_PARAMS' } });
    expect(await callOver(r.ws, 3, 'fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await callOver(r.ws, 4, 'datasets.get', { id: '00000000-0000-0000-0000-000000000000' })).toMatchObject({ ok: false, error: { code: 'NO_REPOSITORY' } });
    expect(await callOver(r.ws, 5, 'repo.open', { path: join(dir, 'secret.txt') })).toMatchObject({ ok: false, error: { code: 'NOT_A_REPOSITORY' } });
    r.ws.close();
  });

  it('closes the socket on messages outside the protocol', async () => {
    for (const [bad, code] of [
      ['not json', 1007],
      ['{"type":"call","id":-1,"method":"app.info"}', 1008],
      ['{"type":"evil"}', 1008],
    ] as const) {
      const r = await tryWebSocket(rpcUrl(origin(), host.token), wsHeaders());
      if (!('ws' in r)) throw new Error('connection refused');
      expect(await closeCode(r.ws, bad), bad).toBe(code);
    }
  });
});

describe('data routes', () => {
  const uuid = '00000000-0000-0000-0000-000000000000';
  it('require the token', async () => {
    expect((await rawGet(host.port, `/data/artifact?id=${uuid}`)).status).toBe(401);
    expect((await rawGet(host.port, `/data/artifact?id=${uuid}&token=nope`)).status).toBe(401);
    expect((await rawGet(host.port, `/data/artifact?id=${uuid}`, { 'x-butler-token': 'nope' })).status).toBe(401);
  });

  it('refuse a foreign Origin even with the token', async () => {
    const r = await rawGet(host.port, `/data/artifact?id=${uuid}`, { 'x-butler-token': host.token, origin: 'http://evil.example' });
    expect(r.status).toBe(403);
  });

  it('refuse traversal through the route name and paths in params', async () => {
    const t = { 'x-butler-token': host.token };
    for (const path of ['/data/../secret.txt', '/data/%2e%2e/secret.txt', '/data/artifact/../../secret.txt', '/data/..%2fsecret.txt', '/data/ARTIFACT']) {
      const r = await rawGet(host.port, path, t);
      expect(r.status, path).toBe(400);
      expect(r.body).not.toContain(SECRET);
    }
    const p = await rawGet(host.port, `/data/artifact?id=${encodeURIComponent('../../secret.txt')}`, t);
    expect(p.status).toBe(400);
    expect(p.body).toContain('BAD_PARAMS');
    expect((await rawGet(host.port, '/data/no-such-route', t)).status).toBe(404);
  });

  it('answer a valid request honestly when no repository is open', async () => {
    const r = await rawGet(host.port, `/data/artifact?id=${uuid}`, { 'x-butler-token': host.token });
    expect(r.status).toBe(409);
    expect(r.body).toContain('NO_REPOSITORY');
  });
});

describe('listening', () => {
  it('says clearly when the port is taken', async () => {
    await expect(startHost({ service, rendererDir: join(dir, 'renderer'), port: host.port })).rejects.toThrow(`port ${host.port} on 127.0.0.1 is already in use`);
  });
});
