// End-to-end harness: builds the renderer into a temp directory (fresh, isolated from other runs), starts the
// application service and loopback host in-process on a repository, and drives Debian's Chromium through
// playwright-core. One host per test file, one shared browser.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { AppService, type AppServiceOptions } from '../../electron/services/appService.js';
import { startHost, type RunningHost } from '../../electron/host/server.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedRepo = resolve(repoRoot, '..', 'shared', 'data', 'daf_butler', 'lsstcam_raw_repo');
export const artifactsDir = join(repoRoot, 'test-results', 'e2e');
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for headless Chromium here (root in CI needs --no-sandbox; nothing may phone home). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian chromium: apt-get install chromium`);
}

export async function buildRenderer(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'butler-renderer-'));
  await viteBuild({ configFile: join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: false } });
  return outDir;
}

export interface RunningApp {
  service: AppService;
  host: RunningHost;
  settingsDir: string;
  close(): Promise<void>;
}

export async function startApp(rendererDir: string, repository: string | null, options: Partial<AppServiceOptions> = {}): Promise<RunningApp> {
  const settingsDir = mkdtempSync(join(tmpdir(), 'butler-settings-'));
  const service = new AppService({ transport: 'browser', settingsDir, ...options });
  if (repository) await service.openRepository(repository);
  const host = await startHost({ service, rendererDir });
  return {
    service,
    host,
    settingsDir,
    async close() {
      await host.close();
      await service.shutdown();
      rmSync(settingsDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

/** A page that fails the test on console errors and CSP violations (collected, checked by the caller). */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
