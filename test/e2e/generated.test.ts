// Browser mode end to end on a repository the test builds through core's APIs (Butler.makeRepo, registry
// records, butler.put) in a temp dir: a chained collection expanding to its runs in search order, a tagged
// collection, find-first through the chain, a where filter, and the YAML viewer of a stored dict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Butler } from '../../core/butler/index.js';
import { DatasetType } from '../../core/datasets/index.js';
import { buildRenderer, launchBrowser, openPage, screenshot, startApp, type RunningApp } from './appHarness.js';

const DETECTORS = [0, 1];
const EXPOSURES = [100, 101, 102];
const CHAIN = 'demo/defaults';
const RUN1 = 'demo/run1';
const RUN2 = 'demo/run2';
const TAGGED = 'demo/best';

let tmp: string;
let repo: string;
let rendererDir: string;
let app: RunningApp;
let browser: Browser;
let page: Page;
let problems: string[];
/** The dataset find-first through the chain picks for detector 0, exposure 101 (RUN2 shadows RUN1). */
let shadowingId = '';

async function buildRepository(root: string): Promise<void> {
  Butler.makeRepo(root);
  const butler = Butler.open(root, { run: RUN1 });
  try {
    const r = butler.registry;
    r.insertDimensionData('instrument', [{ name: 'Cam', visit_max: 1_000_000, visit_system: 0, exposure_max: 1_000_000, detector_max: 100, class_name: 'test.Cam' }]);
    r.insertDimensionData('physical_filter', [{ instrument: 'Cam', name: 'r_01', band: 'r' }]);
    r.insertDimensionData('day_obs', [{ instrument: 'Cam', id: 20250101, timespan: null }]);
    r.insertDimensionData('group', [{ instrument: 'Cam', name: 'g1' }]);
    r.insertDimensionData('detector', DETECTORS.map((id) => ({ instrument: 'Cam', id, full_name: `R00_S0${id}`, name_in_raft: `S0${id}`, raft: 'R00', purpose: 'SCIENCE' })));
    r.insertDimensionData(
      'exposure',
      EXPOSURES.map((id, i) => ({
        instrument: 'Cam', id, day_obs: 20250101, group: 'g1', physical_filter: 'r_01', obs_id: `CAM_${id}`, exposure_time: 30, dark_time: 30,
        observation_type: 'science', observation_reason: 'test', seq_num: i, seq_start: i, seq_end: i, target_name: 't', science_program: 'p',
        tracking_ra: null, tracking_dec: null, sky_angle: null, azimuth: null, zenith_angle: null, has_simulated: false, can_see_sky: true, timespan: null,
      })),
    );
    r.registerDatasetType(DatasetType.fromNames(r.dimensions, 'summary', ['instrument', 'detector', 'exposure'], 'StructuredDataDict'));
    for (const detector of DETECTORS) {
      for (const exposure of EXPOSURES) await butler.put({ detector, exposure, source: RUN1, zeropoint: 27.5 + detector / 10 }, 'summary', { instrument: 'Cam', detector, exposure });
    }
    r.registerRun(RUN2);
    for (const exposure of EXPOSURES) {
      const ref = await butler.put({ detector: 0, exposure, source: RUN2, zeropoint: 28.25 }, 'summary', { instrument: 'Cam', detector: 0, exposure }, { run: RUN2 });
      if (exposure === 101) shadowingId = ref.id;
    }
    r.registerCollection(CHAIN, 'CHAINED', 'Default search path: reprocessing first');
    r.setCollectionChain(CHAIN, [RUN2, RUN1]);
    r.registerCollection(TAGGED, 'TAGGED', 'Hand-picked summaries');
    r.associate(TAGGED, r.queryDatasets('summary', { collections: [RUN1], where: 'detector = 1' }));
  } finally {
    butler.close();
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'butler-e2e-repo-'));
  repo = join(tmp, 'repo');
  await buildRepository(repo);
  rendererDir = await buildRenderer();
  app = await startApp(rendererDir, repo);
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser, app.host.url));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const total = DETECTORS.length * EXPOSURES.length + EXPOSURES.length;
const unique = DETECTORS.length * EXPOSURES.length;

describe('browser mode on a repository built by the test', () => {
  it('shows chains expandable to their children in search order, with badges, docs and counts', async () => {
    const chain = page.locator(`[data-testid="collections-tree"] > [data-collection="${CHAIN}"]`);
    await chain.waitFor({ timeout: 20_000 });
    expect(await chain.locator('.type-badge').textContent()).toBe('CHAINED');
    expect(await chain.locator('.doc').textContent()).toBe('Default search path: reprocessing first');
    // Runs inside the chain are not repeated at the top level; the tagged collection is.
    expect(await page.locator(`[data-testid="collections-tree"] > [data-collection="${TAGGED}"] .type-badge`).textContent()).toBe('TAGGED');
    await chain.getByRole('button', { name: `Expand ${CHAIN}` }).click();
    const items = page.locator('[data-testid="collections-tree"] > li');
    const names = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-collection')));
    const at = names.indexOf(CHAIN);
    expect(names.slice(at, at + 3)).toEqual([CHAIN, RUN2, RUN1]);
    await expect.poll(() => page.locator(`[data-collection="${RUN1}"] .count`).textContent(), { timeout: 10_000 }).toBe(String(unique));
    await expect.poll(() => page.locator(`[data-collection="${RUN2}"] .count`).textContent(), { timeout: 10_000 }).toBe(String(EXPOSURES.length));
    await expect.poll(() => page.locator(`[data-collection="${TAGGED}"] .count`).textContent(), { timeout: 10_000 }).toBe(String(EXPOSURES.length));
    await screenshot(page, 'generated-repo-tree');
  });

  it('searches the chain with find-first by default, and lists every dataset without it', async () => {
    await page.locator(`[data-collection="${CHAIN}"] button.name`).first().click();
    expect(await page.locator('ol.chain li').allTextContents()).toEqual([RUN2, RUN1]);
    await page.getByTestId('collection-types').getByRole('button', { name: 'summary', exact: true }).click();
    await expect.poll(() => page.getByTestId('datasets-count').textContent(), { timeout: 15_000 }).toBe(`${unique} datasets`);
    await page.getByLabel('find-first').uncheck();
    await expect.poll(() => page.getByTestId('datasets-count').textContent(), { timeout: 15_000 }).toBe(`${total} datasets`);
    await page.getByLabel('find-first').check();
    await page.locator('#where-input').fill('detector = 0 AND exposure = 101');
    await page.locator('#where-input').press('Enter');
    await expect.poll(() => page.getByTestId('datasets-count').textContent(), { timeout: 15_000 }).toBe('1 dataset');
    await expect.poll(() => page.locator('[data-testid="datasets-table"] [data-dataset-id]').getAttribute('data-dataset-id')).toBe(shadowingId);
    await screenshot(page, 'generated-repo-find-first');
  });

  it('opens the dataset and shows its YAML content and the Python to get it', async () => {
    await page.locator(`[data-dataset-id="${shadowingId}"]`).click();
    const viewer = page.getByTestId('text-viewer');
    await viewer.waitFor({ timeout: 15_000 });
    const tree = await viewer.getByTestId('json-tree').textContent();
    expect(tree).toContain(`source: "${RUN2}"`);
    expect(tree).toContain('zeropoint: 28.25');
    await viewer.getByRole('radio', { name: 'Text' }).click();
    const text = await viewer.locator('pre').textContent();
    expect(text).toContain(`source: ${RUN2}`);
    expect(text).toContain('zeropoint: 28.25');
    expect(await page.getByTestId('dataset-facts').textContent()).toContain(RUN2);
    await page.getByRole('tab', { name: 'Python' }).click();
    expect(await page.getByTestId('python-snippet').textContent()).toContain(`collections="${RUN2}"`);
  });

  it('had no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
