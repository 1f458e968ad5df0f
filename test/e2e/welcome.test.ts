// Starting with no repository: the welcome screen explains itself, a bad path gets a clear error, a good one
// opens, and the repository then appears in the recent list after closing it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { buildRenderer, launchBrowser, openPage, screenshot, sharedRepo, startApp, type RunningApp } from './appHarness.js';

let rendererDir: string;
let app: RunningApp;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  rendererDir = await buildRenderer();
  app = await startApp(rendererDir, null);
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser, app.host.url));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

describe('welcome screen', () => {
  it('explains what to open and offers the demo repository', async () => {
    await page.getByRole('heading', { name: 'Open a Butler repository' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.welcome').textContent()).toContain('simulated CFHT MegaPrime nights');
    expect(await page.getByTestId('demo-button').isEnabled()).toBe(true);
    await screenshot(page, 'welcome');
  });

  it('names the problem with a path that is not a repository', async () => {
    await page.getByLabel('Repository path').fill('/etc');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.welcome .error').textContent(), { timeout: 15_000 }).toContain('/etc is not a butler repository');
  });

  it('opens a repository by path, then lists it as recent after closing', async () => {
    await page.getByLabel('Repository path').fill(sharedRepo);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByTestId('repo-name').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('heading', { name: 'Recent' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.recent').textContent()).toContain(sharedRepo);
    await page.locator('.recent button').first().click();
    await page.getByTestId('repo-name').waitFor({ timeout: 20_000 });
  });

  it('offers the Open dialog over an open repository (Ctrl+O), closed by Escape', async () => {
    await page.keyboard.press('Control+o');
    const dialog = page.getByRole('dialog', { name: 'Open repository' });
    await dialog.waitFor({ timeout: 10_000 });
    expect(await dialog.locator('.recent').textContent()).toContain(sharedRepo);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('had no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
