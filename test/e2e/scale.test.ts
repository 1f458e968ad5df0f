// The datasets table at scale: a generated repository with tens of thousands of datasets. The DOM holds only
// the visible rows, pages are fetched on demand (never the whole table), the first page shows fast, and
// scrolling to the end shows the last dataset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Butler } from '../../core/butler/index.js';
import { DatasetType } from '../../core/datasets/index.js';
import type { Dispatch } from '../../core/api/dispatch.js';
import { buildRenderer, launchBrowser, openPage, screenshot, startApp, type RunningApp } from './appHarness.js';

const DETECTORS = 100;
const EXPOSURES = 300;
const TOTAL = DETECTORS * EXPOSURES;
const RUN = 'scale/run';

let tmp: string;
let rendererDir: string;
let app: RunningApp;
let browser: Browser;
let page: Page;
const pagesServed: { offset: number; limit: number }[] = [];

function buildRepository(root: string): void {
  Butler.makeRepo(root);
  const butler = Butler.open(root, { run: RUN });
  try {
    const r = butler.registry;
    r.insertDimensionData('instrument', [{ name: 'Cam', visit_max: 1_000_000, visit_system: 0, exposure_max: 1_000_000, detector_max: 1000, class_name: 'test.Cam' }]);
    r.insertDimensionData('physical_filter', [{ instrument: 'Cam', name: 'r_01', band: 'r' }]);
    r.insertDimensionData('day_obs', [{ instrument: 'Cam', id: 20250101, timespan: null }]);
    r.insertDimensionData('group', [{ instrument: 'Cam', name: 'g1' }]);
    r.insertDimensionData('detector', Array.from({ length: DETECTORS }, (_, id) => ({ instrument: 'Cam', id, full_name: `D${id}`, name_in_raft: 'S', raft: 'R', purpose: 'SCIENCE' })));
    r.insertDimensionData(
      'exposure',
      Array.from({ length: EXPOSURES }, (_, id) => ({
        instrument: 'Cam', id, day_obs: 20250101, group: 'g1', physical_filter: 'r_01', obs_id: `E${id}`, exposure_time: 30, dark_time: 30,
        observation_type: 'science', observation_reason: 'test', seq_num: id, seq_start: id, seq_end: id, target_name: 't', science_program: 'p',
        tracking_ra: null, tracking_dec: null, sky_angle: null, azimuth: null, zenith_angle: null, has_simulated: false, can_see_sky: true, timespan: null,
      })),
    );
    const dt = DatasetType.fromNames(r.dimensions, 'summary', ['instrument', 'detector', 'exposure'], 'StructuredDataDict');
    r.registerDatasetType(dt);
    const ids: { instrument: string; detector: number; exposure: number }[] = [];
    for (let exposure = 0; exposure < EXPOSURES; exposure++) for (let detector = 0; detector < DETECTORS; detector++) ids.push({ instrument: 'Cam', detector, exposure });
    r.transaction(() => r.insertDatasets(dt, ids, RUN));
  } finally {
    butler.close();
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'butler-e2e-scale-'));
  buildRepository(join(tmp, 'repo'));
  rendererDir = await buildRenderer();
  app = await startApp(rendererDir, join(tmp, 'repo'));
  // Record every page the UI asks for, to prove it never asks for the whole table.
  const original: Dispatch = app.service.dispatch;
  Object.defineProperty(app.service, 'dispatch', {
    value: ((method, params) => {
      if (method === 'datasets.query') {
        const p = params as { offset?: number; limit?: number };
        pagesServed.push({ offset: p.offset ?? 0, limit: p.limit ?? 200 });
      }
      return original(method, params);
    }) satisfies Dispatch,
  });
  browser = await launchBrowser();
  ({ page } = await openPage(browser, app.host.url.replace('#token=', `#/datasets?c=${encodeURIComponent(RUN)}&t=summary&token=`)));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe(`datasets table with ${TOTAL.toLocaleString()} datasets`, () => {
  it('shows the first page quickly and keeps only visible rows in the DOM', async () => {
    const started = Date.now();
    await page.locator('[data-testid="datasets-table"] [data-dataset-id]').first().waitFor({ timeout: 20_000 });
    const firstPageMs = Date.now() - started;
    console.log(`first page visible ${firstPageMs} ms after the page connected`);
    expect(firstPageMs).toBeLessThan(5_000);
    await expect.poll(() => page.getByTestId('datasets-count').textContent(), { timeout: 20_000 }).toBe(`${TOTAL.toLocaleString('en-US')} datasets`);
    expect(await page.locator('[data-testid="datasets-table"]').getAttribute('aria-rowcount')).toBe(String(TOTAL));
    expect(await page.locator('[data-testid="datasets-table"] [role="row"][aria-rowindex]').count()).toBeLessThan(100);
    expect(await page.getByTestId('visible-range').textContent()).toMatch(new RegExp(`^Datasets 1–\\d+ of ${TOTAL.toLocaleString('en-US')}$`));
  });

  it('fetches pages on demand when scrolled to the end, never the whole table', async () => {
    await page.locator('[data-testid="datasets-table"] .tbody').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const last = page.locator(`[data-testid="datasets-table"] [aria-rowindex="${TOTAL}"]`);
    await expect.poll(() => last.getAttribute('data-dataset-id'), { timeout: 20_000 }).toMatch(/^[0-9a-f-]{36}$/);
    expect(await last.textContent()).toContain(String(EXPOSURES - 1));
    await expect.poll(() => page.getByTestId('visible-range').textContent()).toMatch(new RegExp(`–${TOTAL.toLocaleString('en-US')} of ${TOTAL.toLocaleString('en-US')}$`));
    await screenshot(page, 'scale-table-end');
    const rowsFetched = pagesServed.reduce((n, p) => n + p.limit, 0);
    expect(rowsFetched).toBeLessThan(TOTAL / 10);
    expect(pagesServed.some((p) => p.offset >= TOTAL - 200)).toBe(true);
    expect(await page.locator('[data-testid="datasets-table"] [role="row"][aria-rowindex]').count()).toBeLessThan(100);
  });
});
