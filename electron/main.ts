// Electron main process: a secure window (context isolation, sandbox, no Node in the page, strict CSP),
// the app:// protocol for the built renderer and binary routes, one IPC channel for the contract with a
// sender check on every call, menus, native dialogs, recent repositories and remembered window state.
// Everything heavy runs in the AppService's worker threads, never here.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, type MenuItemConstructorOptions } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppService } from './services/appService.js';
import { answerAppRequest, APP_ORIGIN } from './appProtocol.js';
import { buildMenu, type MenuAction, type MenuItemSpec, type MenuState } from './menu.js';
import { isTrustedAppUrl } from './security/trust.js';
import { loadWindowState, saveWindowState } from './windowState.js';
import { isMethodName, type MenuCommand } from '../core/api/contract.js';
import type { Envelope } from '../core/api/envelope.js';

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

const rendererDir = join(__dirname, '..', 'renderer');
let win: BrowserWindow | null = null;
let service: AppService;
let theme: MenuState['theme'] = 'system';

function sendCommand(command: MenuCommand, path?: string): void {
  win?.webContents.send('api:event', 'menu.command', path ? { command, path } : { command });
}

async function chooseDirectory(): Promise<string | null> {
  const options = { title: 'Open Butler repository', properties: ['openDirectory' as const] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

async function openRepository(path: string): Promise<void> {
  try {
    await service.openRepository(path);
    app.addRecentDocument(path);
  } catch (err) {
    dialog.showErrorBox('Cannot open repository', err instanceof Error ? err.message : String(err));
  }
  refreshMenu();
}

function runAction(action: MenuAction): void {
  switch (action.kind) {
    case 'command':
      if (action.command.startsWith('theme.')) theme = action.command.slice(6) as MenuState['theme'];
      sendCommand(action.command);
      if (action.command.startsWith('theme.')) refreshMenu();
      break;
    case 'openDialog':
      void chooseDirectory().then((p) => (p ? openRepository(p) : undefined));
      break;
    case 'openPath':
      void openRepository(action.path);
      break;
    case 'clearRecent':
      service.recent.clear();
      app.clearRecentDocuments();
      refreshMenu();
      break;
    case 'role':
      break;
  }
}

function toElectron(items: MenuItemSpec[]): MenuItemConstructorOptions[] {
  return items.map((i): MenuItemConstructorOptions => {
    if (i.separator) return { type: 'separator' };
    const base: MenuItemConstructorOptions = { label: i.label, accelerator: i.accelerator, enabled: i.enabled ?? true };
    if (i.type === 'radio') Object.assign(base, { type: 'radio', checked: i.checked });
    if (i.submenu) return { ...base, submenu: toElectron(i.submenu) };
    const action = i.action;
    if (action?.kind === 'role') return { ...base, role: action.role };
    return { ...base, click: () => action && runAction(action) };
  });
}

function refreshMenu(): void {
  const state: MenuState = {
    recent: service.recent.list(),
    repositoryOpen: service.currentRepository !== null,
    canCreateDemo: true,
    theme,
    developer: !app.isPackaged,
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectron(buildMenu(state))));
}

function createWindow(): BrowserWindow {
  const settingsDir = app.getPath('userData');
  const state = loadWindowState(settingsDir, screen.getAllDisplays().map((d) => d.workArea));
  const w = new BrowserWindow({
    ...state,
    title: 'Butler Desktop',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (state.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  const remember = () => {
    if (w.isDestroyed()) return;
    const b = w.getNormalBounds();
    saveWindowState(settingsDir, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: w.isMaximized() });
  };
  w.on('close', remember);
  void w.loadURL(`${APP_ORIGIN}/index.html`);
  return w;
}

app.on('web-contents-created', (_e, contents) => {
  // Our pages never navigate away or open windows; anything else is an attack or a bug.
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

// One window per user: a second `butler-desktop <repo>` hands its repository to the running app.
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', (_event, argv) => {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
  const requested = argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-'))[0];
  if (requested) void openRepository(requested);
});

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  service = new AppService({ transport: 'electron', settingsDir: app.getPath('userData'), chooseDirectory });

  protocol.handle('app', async (request) => {
    const answer = await answerAppRequest(request.url, { rendererDir, binary: (name, params) => service.binary(name, params) });
    return new Response(typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body), { status: answer.status, headers: answer.headers });
  });

  ipcMain.handle('api:call', async (event, method: unknown, params: unknown): Promise<Envelope> => {
    if (!isTrustedAppUrl(event.senderFrame?.url)) return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from an untrusted frame' } };
    if (!isMethodName(method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown API method: ${JSON.stringify(method)}` } };
    return service.dispatch(method, params);
  });

  service.onEvent((name, payload) => {
    win?.webContents.send('api:event', name, payload);
    if (name === 'repository.changed') {
      refreshMenu();
      const repo = service.currentRepository;
      win?.setTitle(repo ? `${repo.name} — Butler Desktop` : 'Butler Desktop');
      if (repo) win?.setRepresentedFilename(repo.path);
    }
  });

  // `npm start -- <repo>` (or `electron main.cjs <repo>`): open it; else the last repository; else the welcome screen.
  const args = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-'));
  refreshMenu();
  win = createWindow();
  win.on('closed', () => (win = null));
  const requested = args[0];
  const last = service.recent.list().find((p) => existsSync(p));
  if (requested) await openRepository(requested);
  else if (last) await service.openRepository(last).catch(() => undefined);
  // Nothing given or remembered: the demo repository (built once in a worker; the window shows progress).
  if (!service.currentRepository && !requested) void service.createDemo(null).catch((err: Error) => dialog.showErrorBox('Demo repository', err.message));
});

// W3: ISR runs belong to this process, not to the window. Closing the last window while a run works
// keeps the process (and the run) going; starting the app again (second instance) or activating it
// (macOS dock) opens a window that reattaches to the runs; the process quits once they have finished
// with no window open.
function reopenWindow(): void {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
    return;
  }
  win = createWindow();
  win.on('closed', () => (win = null));
}
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => {
  if (service) reopenWindow();
});
app.on('activate', () => {
  if (service) reopenWindow();
});

app.on('window-all-closed', () => {
  if (service?.runs.manager.active) {
    void service.runs.manager.idle().then(() => {
      if (!win) void service.shutdown().finally(() => app.quit());
    });
    return;
  }
  void service?.shutdown().finally(() => app.quit());
});
