// The demo repository from the welcome screen: built in a worker thread with progress shown in the page,
// then opened. A one-night, one-detector demo keeps this test short; it is written under a temp directory
// (BUTLER_DESKTOP_DEMO), never the user's data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildRenderer, launchBrowser, openPage, screenshot, startApp, type RunningApp } from './appHarness.js';

let tmp: string;
let rendererDir: string;
let app: RunningApp;
let browser: Browser;
let page: Page;
let problems: string[];
const previousDemoEnv = process.env.BUTLER_DESKTOP_DEMO;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'butler-demo-'));
  process.env.BUTLER_DESKTOP_DEMO = join(tmp, 'demo-repo');
  rendererDir = await buildRenderer();
  app = await startApp(rendererDir, null, { demoOptions: { detectors: [10], nights: 1, binning: 4 } });
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser, app.host.url));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (previousDemoEnv === undefined) delete process.env.BUTLER_DESKTOP_DEMO;
  else process.env.BUTLER_DESKTOP_DEMO = previousDemoEnv;
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('demo repository', () => {
  it('is built with visible progress and then opened', async () => {
    await page.getByTestId('demo-button').click();
    await page.getByTestId('demo-progress').waitFor({ timeout: 30_000 });
    await screenshot(page, 'demo-progress');
    await page.getByTestId('repo-name').waitFor({ timeout: 170_000 });
    expect(await page.getByTestId('repo-name').textContent()).toContain(join(tmp, 'demo-repo'));
    // The demo holds raw data in RUN collections and the calibration chain.
    const tree = page.getByTestId('collections-tree');
    await tree.waitFor({ timeout: 20_000 });
    const badges = await tree.locator('.type-badge').allTextContents();
    expect(badges).toContain('RUN');
    expect(badges.length).toBeGreaterThan(1);
    await screenshot(page, 'demo-open');
  });

  it('had no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
