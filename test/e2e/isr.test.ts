// ISR from the app, end to end in Chromium over the loopback host, on a small demo repository built
// by the test (the app's demo builder with one night, one MegaCam detector, 4× binning: ~10 s; the full
// demo takes too long for CI). Select two exposures, change one config field, preview (bias, dark,
// flat, defects chosen per exposure), launch, watch progress to completion, read a quantum's log,
// open a result and blink it against its raw, open its provenance graph (raw + bias + dark + flat +
// defects → isr → postISRCCD); then cancel a running job and see the partial state reported honestly.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildDemoRepo } from '../../core/demo/demoRepo.js';
import { buildRenderer, launchBrowser, openPage, screenshot, startApp, type RunningApp } from './appHarness.js';

let rendererDir: string;
let repoParent: string;
let app: RunningApp;
let browser: Browser;
let page: Page;
let problems: string[] = [];

beforeAll(async () => {
  repoParent = mkdtempSync(join(tmpdir(), 'isr-e2e-'));
  const repo = join(repoParent, 'repo');
  await buildDemoRepo(repo, { nights: 1, detectors: [9], binning: 4, filters: ['g.MP9401'] });
  rendererDir = await buildRenderer();
  app = await startApp(rendererDir, repo);
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser, `${app.host.origin}/#token=${app.host.token}`));
  await page.getByTestId('repo-name').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  if (repoParent) rmSync(repoParent, { recursive: true, force: true });
});

describe('ISR from the app', () => {
  it('configures, previews, launches and monitors a run; opens a result and its provenance', async () => {
    await page.getByTestId('nav-isr').click();
    await page.getByTestId('isr-view').waitFor();
    // The picker lists science exposures by default: tick two.
    const checks = page.locator('[data-testid^="exposure-check-"]');
    await expect.poll(() => checks.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await checks.nth(0).check();
    await checks.nth(1).check();
    await expect.poll(() => page.getByTestId('exposure-count').textContent()).toMatch(/2 selected/);

    // Change one field: find it, pick another overscan fit; the diff says so.
    await page.getByLabel('Find a config field').fill('fitType');
    await page.getByTestId('cfg-overscan.fitType').selectOption('MEAN');
    await expect.poll(() => page.getByTestId('isr-diff').textContent()).toMatch(/1 field[\s\S]*overscan\.fitType[\s\S]*"MEDIAN"[\s\S]*"MEAN"/);
    // Validation as you type: a bad number is flagged at once and does not reach the config.
    await page.getByLabel('Find a config field').fill('numEdgeSuspect');
    await page.getByTestId('cfg-numEdgeSuspect').fill('-3');
    await expect.poll(() => page.getByTestId('cfg-error-numEdgeSuspect').textContent()).toMatch(/≥ 0/);
    await page.getByTestId('cfg-numEdgeSuspect').fill('0');

    // Defaults (input chain, output run name) come from the run query worker (cold start on first use).
    await expect.poll(() => page.getByTestId('isr-inputs').inputValue(), { timeout: 120_000 }).toBe('MegaPrime/defaults');
    await expect.poll(() => page.getByTestId('isr-output-run').inputValue()).toMatch(/^u\/.+\/isr\/\d{8}T\d{6}Z$/);
    await page.getByTestId('isr-preview-button').click();
    await page.getByTestId('isr-preview').waitFor({ timeout: 120_000 });
    const rows = page.getByTestId('isr-preview-row');
    expect(await rows.count()).toBe(2);
    const previewText = (await page.getByTestId('isr-preview').textContent()) ?? '';
    expect(previewText).toMatch(/MegaPrime\/calib\/bias/);
    expect(previewText).toMatch(/MegaPrime\/calib\/dark/);
    expect(previewText).toMatch(/MegaPrime\/calib\/flat/);
    expect(previewText).not.toMatch(/missing/);
    await screenshot(page, 'isr-configure-preview');

    await page.getByTestId('isr-launch').click();
    await page.getByTestId('run-monitor').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 120_000 }).toBe('succeeded');
    await expect.poll(() => page.locator('[data-testid="run-quantum"][data-state="succeeded"]').count()).toBe(2);
    expect(await page.getByTestId('run-counts').textContent()).toMatch(/2\/2 done/);
    await screenshot(page, 'isr-run-succeeded');

    // Per-quantum log.
    await page.getByTestId('run-log').first().click();
    await expect.poll(() => page.getByTestId('run-log-panel').textContent(), { timeout: 30_000 }).toMatch(/Running ISR/);

    // A result in the viewer, blinked against its raw.
    await page.getByTestId('run-blink').first().click();
    await page.getByTestId('run-blink-viewer').waitFor();
    await page.getByTestId('viewer-pane-a').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('compare-mode').inputValue(), { timeout: 30_000 }).toMatch(/blink|side/);

    // Its provenance: raw + bias + dark + flat + defects → isr quantum → postISRCCD.
    await page.getByTestId('run-provenance').first().click();
    await page.getByTestId('provenance-view').waitFor();
    const labels = async () => (await page.getByTestId('prov-node').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}:${e.getAttribute('data-label')}`))).sort();
    await expect.poll(labels, { timeout: 60_000 }).toEqual(
      ['dataset:bias', 'dataset:dark', 'dataset:defects', 'dataset:flat', 'dataset:isr_log', 'dataset:isr_metadata', 'dataset:postISRCCD', 'dataset:raw', 'quantum:isr'].sort(),
    );
    // The quantum's details: the changed field, host and versions.
    await page.locator('[data-testid="prov-node"][data-kind="quantum"]').click();
    await expect.poll(() => page.getByTestId('prov-config-diff').textContent(), { timeout: 30_000 }).toMatch(/overscan\.fitType.*MEDIAN.*MEAN/);
    // Path between two nodes: raw → postISRCCD runs through the quantum.
    await page.locator('[data-testid="prov-node"][data-label="raw"]').click();
    await page.locator('[data-testid="prov-node"][data-label="postISRCCD"]').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('[data-testid="prov-node"].highlighted').count()).toBe(3);
    // Export as SVG.
    const download = page.waitForEvent('download');
    await page.getByTestId('prov-export-svg').click();
    expect((await download).suggestedFilename()).toBe('provenance.svg');
    await screenshot(page, 'isr-provenance');

    // The result in the dataset inspector (the browser sees the new run), and back to its graph from there.
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-open-output').first().click();
    await page.getByTestId('dataset-facts').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('inspector').textContent()).toMatch(/postISRCCD/);
    await page.getByRole('tab', { name: /provenance/i }).click();
    await page.getByTestId('open-provenance-graph').waitFor({ timeout: 30_000 });
    await page.getByTestId('open-provenance-graph').click();
    await expect.poll(() => page.locator('[data-testid="prov-node"][data-kind="quantum"]').count(), { timeout: 60_000 }).toBe(1);
  });

  it('shows a whole run aggregated (task × dataset type) and expands the task into its quanta', async () => {
    await page.getByTestId('nav-runs').click();
    await page.getByRole('button', { name: 'Provenance of the run' }).click();
    await page.getByTestId('provenance-view').waitFor();
    const labels = async () => (await page.getByTestId('prov-node').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}:${e.getAttribute('data-label')}`))).sort();
    await expect.poll(labels, { timeout: 60_000 }).toEqual(
      ['agg-datasetType:bias (1)', 'agg-datasetType:dark (1)', 'agg-datasetType:defects (1)', 'agg-datasetType:flat (1)', 'agg-datasetType:isr_log (2)', 'agg-datasetType:isr_metadata (2)', 'agg-datasetType:postISRCCD (2)', 'agg-datasetType:raw (2)', 'agg-task:isr × 2'].sort(),
    );
    await page.locator('[data-testid="prov-node"][data-kind="agg-task"]').click();
    await expect.poll(() => page.locator('[data-testid="prov-node"][data-kind="quantum"]').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.getByTestId('prov-stats').textContent()).toMatch(/2 quanta, 12 datasets/);
    await page.getByTestId('prov-back-aggregate').click();
    await expect.poll(() => page.locator('[data-testid="prov-node"][data-kind="agg-task"]').count()).toBe(1);
  });

  it('cancels a running job and reports the partial state honestly', async () => {
    await page.getByTestId('nav-isr').click();
    await page.getByTestId('isr-view').waitFor();
    // Every exposure (biases, darks, flats, science): more quanta than the run takes to start.
    await page.getByTestId('exposure-filter').fill('');
    await page.getByTestId('exposure-filter').press('Enter');
    await expect.poll(() => page.getByTestId('exposure-count').textContent(), { timeout: 30_000 }).toMatch(/^1\d exposures/);
    await page.getByLabel('Select all shown').check();
    await page.getByTestId('isr-preview-button').click();
    await page.getByTestId('isr-preview').waitFor({ timeout: 60_000 });
    // Bias and dark frames have no flat of their filter: the preview names them; leave them out.
    const skip = page.getByText(/leave out the \d+ quanta with missing calibrations/);
    if (await skip.count()) await skip.click();
    await page.getByTestId('isr-launch').click();
    await page.getByTestId('run-monitor').waitFor({ timeout: 30_000 });
    // Cancel mid-run: once the first quantum is done.
    await expect.poll(() => page.locator('[data-testid="run-quantum"][data-state="succeeded"]').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    await page.getByTestId('run-cancel').click();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('cancelled');
    const counts = (await page.getByTestId('run-counts').textContent()) ?? '';
    const m = /^(\d+)\/(\d+) done/.exec(counts);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(1);
    expect(Number(m![1])).toBeLessThan(Number(m![2]));
    // What finished keeps its outputs; the rest is cancelled or never ran.
    expect(await page.getByTestId('run-open-output').count()).toBe(Number(m![1]));
    expect(counts).toMatch(/cancelled|not run/);
    expect(await page.getByTestId('run-message').textContent()).toMatch(/cancel/);
    const states = await page.getByTestId('run-quantum').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    expect(states.every((s) => s === 'succeeded' || s === 'cancelled' || s === 'not-run')).toBe(true);
    expect(states.some((s) => s === 'cancelled' || s === 'not-run')).toBe(true);
    await screenshot(page, 'isr-run-cancelled');
  });

  it('reattaches to runs after the window is closed and reopened', async () => {
    const ids = app.service.runs.manager.list().map((r) => r.outputRun);
    await page.context().close();
    ({ page, problems: problems } = await openPage(browser, `${app.host.origin}/#token=${app.host.token}`).then((r) => ({ page: r.page, problems: [...problems, ...r.problems] })));
    await page.getByTestId('repo-name').waitFor({ timeout: 60_000 });
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('runs-list-item').allTextContents(), { timeout: 30_000 }).toHaveLength(ids.length);
    const text = (await page.getByTestId('runs-list-item').allTextContents()).join('\n');
    for (const run of ids) expect(text).toContain(run);
    // The repository's own record of processing lists both runs too (it survives an app restart).
    await expect
      .poll(async () => {
        const t = (await page.getByTestId('recorded-runs').textContent()) ?? '';
        return ids.every((r) => t.includes(r));
      }, { timeout: 30_000 })
      .toBe(true);
  });

  it('raised no console errors', () => {
    expect(problems).toEqual([]);
  });
});
