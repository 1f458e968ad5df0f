// The Electron layer's logic, tested as plain functions (no Electron binary here): the app:// protocol's
// path checks, the IPC sender check, remembered window state and the menus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerAppRequest } from '../../../electron/appProtocol.js';
import { isTrustedAppUrl } from '../../../electron/security/trust.js';
import { loadWindowState, saveWindowState, DEFAULT_WINDOW_STATE } from '../../../electron/windowState.js';
import { buildMenu, type MenuItemSpec } from '../../../electron/menu.js';
import { ApiError } from '../../../core/api/errors.js';
import { RecentRepositories } from '../../../electron/services/settings.js';

let dir: string;
let renderer: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'butler-electron-'));
  renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<html>app</html>');
  writeFileSync(join(renderer, 'assets', 'a.js'), 'js');
  writeFileSync(join(dir, 'secret'), 'SECRET');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('app:// protocol', () => {
  const deps = () => ({
    rendererDir: renderer,
    binary: async (name: string, params: URLSearchParams) => {
      if (name !== 'echo') throw new ApiError('NOT_FOUND', `no binary route named ${name}`);
      return { bytes: new TextEncoder().encode(params.get('v') ?? ''), contentType: 'text/plain' };
    },
  });

  it('serves built files with the CSP', async () => {
    const a = await answerAppRequest('app://bundle/', deps());
    expect(a.status).toBe(200);
    expect(Buffer.from(a.body).toString()).toBe('<html>app</html>');
    expect(a.headers['content-type']).toContain('text/html');
    expect(a.headers['content-security-policy']).toContain("connect-src 'self' app:");
    expect((await answerAppRequest('app://bundle/assets/a.js', deps())).headers['content-type']).toContain('javascript');
  });

  it('refuses traversal out of the renderer directory', async () => {
    for (const url of ['app://bundle/../secret', 'app://bundle/%2e%2e/secret', 'app://bundle/assets/..%2f..%2fsecret', 'app://bundle/assets/%2e%2e/%2e%2e/secret']) {
      const a = await answerAppRequest(url, deps());
      expect([400, 404], url).toContain(a.status);
      expect(String(a.body)).not.toContain('SECRET');
    }
  });

  it('routes app://data/<name> to binary routes and refuses bad names or hosts', async () => {
    const ok = await answerAppRequest('app://data/echo?v=hi', deps());
    expect(ok.status).toBe(200);
    expect(Buffer.from(ok.body).toString()).toBe('hi');
    expect((await answerAppRequest('app://data/missing', deps())).status).toBe(404);
    expect((await answerAppRequest('app://data/../secret', deps())).status).toBe(400);
    expect((await answerAppRequest('app://elsewhere/x', deps())).status).toBe(404);
  });
});

describe('IPC sender check', () => {
  it('trusts only our app://bundle pages', () => {
    expect(isTrustedAppUrl('app://bundle/index.html')).toBe(true);
    expect(isTrustedAppUrl('app://bundle/index.html#/dataset/x')).toBe(true);
    for (const u of ['https://evil.example/', 'app://data/pixels', 'file:///etc/passwd', 'http://127.0.0.1:3000/', '', null, undefined, 'not a url', 'app://bundle.evil/x']) {
      expect(isTrustedAppUrl(u), String(u)).toBe(false);
    }
  });
});

describe('window state', () => {
  it('round-trips and forgets positions that are off every display', () => {
    const settings = join(dir, 'ws');
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(loadWindowState(settings, displays)).toEqual(DEFAULT_WINDOW_STATE);
    saveWindowState(settings, { x: 100, y: 80, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(settings, displays)).toEqual({ x: 100, y: 80, width: 1000, height: 700, maximized: true });
    saveWindowState(settings, { x: 5000, y: 80, width: 1000, height: 700, maximized: false });
    expect(loadWindowState(settings, displays)).toEqual({ width: 1000, height: 700, maximized: false });
    writeFileSync(join(settings, 'window-state.json'), '{broken');
    expect(loadWindowState(settings, displays)).toEqual(DEFAULT_WINDOW_STATE);
  });
});

describe('recent repositories', () => {
  it('keeps newest first, without duplicates, at most 10', () => {
    const r = new RecentRepositories(join(dir, 'recent'));
    for (let i = 0; i < 12; i++) r.add(`/repo/${i}`);
    r.add('/repo/5');
    const list = r.list();
    expect(list[0]).toBe('/repo/5');
    expect(list).toHaveLength(10);
    expect(new Set(list).size).toBe(10);
  });
});

describe('menus', () => {
  const find = (items: MenuItemSpec[], label: string): MenuItemSpec => {
    const it = items.find((i) => i.label === label);
    if (!it) throw new Error(`no menu item ${label}`);
    return it;
  };
  it('has File (open, recent, demo, close), View and Help with shortcuts', () => {
    const menu = buildMenu({ recent: ['/a', '/b'], repositoryOpen: true, canCreateDemo: false, theme: 'dark', developer: false });
    expect(menu.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Help']);
    const file = find(menu, 'File').submenu ?? [];
    expect(find(file, 'Open Repository…')).toMatchObject({ accelerator: 'CmdOrCtrl+O', action: { kind: 'openDialog' } });
    expect((find(file, 'Open Recent').submenu ?? []).slice(0, 2).map((i) => i.action)).toEqual([
      { kind: 'openPath', path: '/a' },
      { kind: 'openPath', path: '/b' },
    ]);
    expect(find(file, 'New Demo Repository').enabled).toBe(false);
    expect(find(file, 'Close Repository')).toMatchObject({ enabled: true, action: { kind: 'command', command: 'close' } });
    const theme = find(find(menu, 'View').submenu ?? [], 'Theme').submenu ?? [];
    expect(theme.filter((t) => t.checked).map((t) => t.label)).toEqual(['Dark']);
    expect(find(menu, 'Help').submenu?.length).toBe(2);
    const closed = buildMenu({ recent: [], repositoryOpen: false, canCreateDemo: false, theme: 'system', developer: true });
    expect(find(find(closed, 'File').submenu ?? [], 'Open Recent').submenu?.[0]).toMatchObject({ enabled: false });
    expect((find(closed, 'View').submenu ?? []).some((i) => i.label === 'Developer Tools')).toBe(true);
  });
});
