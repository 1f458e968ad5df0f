// The viewer's optional defects overlay in Chromium: a demo repository (one night, one detector, 4× binning)
// has curated defects certified; a trimmed image stored as a postISRCCD of one of its exposures (its master bias,
// put under that dataset type) opens from the inspector, and the "defects" toggle outlines every certified box.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { Butler } from '../../core/butler/index.js';
import { calibrationsForExposure } from '../../core/calib/calibTypes.js';
import { Defects } from '../../core/calib/defects.js';
import { DatasetType } from '../../core/datasets/index.js';
import { buildDemoRepo } from '../../core/demo/demoRepo.js';
import { buildRenderer, launchBrowser, openPage, startApp, type RunningApp } from './appHarness.js';

const DETECTOR = 9;
let rendererDir: string;
let repoParent: string;
let app: RunningApp;
let browser: Browser;
let postIsrId: string;
let defectCount: number;

beforeAll(async () => {
  repoParent = mkdtempSync(join(tmpdir(), 'viewer-defects-'));
  const repo = join(repoParent, 'repo');
  await buildDemoRepo(repo, { nights: 1, detectors: [DETECTOR], binning: 4, filters: ['g.MP9401'] });
  const butler = Butler.open(repo, { writeable: true });
  try {
    const raws = butler.registry.queryDatasets('raw', { collections: ['MegaPrime/raw/all'] });
    const found = raws.map((r) => ({ r, calibs: calibrationsForExposure(butler.registry, 'MegaPrime', Number(r.dataId.get('exposure')), DETECTOR) }))
      .find((x) => x.calibs.bias !== null && x.calibs.defects !== null);
    if (!found) throw new Error('the demo repository has no raw with both a certified bias and defects');
    const defects = await butler.get(found.calibs.defects!);
    if (!(defects instanceof Defects)) throw new Error('defects did not read as Defects');
    defectCount = defects.length;
    const trimmed = await butler.get(found.calibs.bias!);
    butler.registry.registerDatasetType(DatasetType.fromNames(butler.registry.dimensions, 'postISRCCD', ['instrument', 'exposure', 'detector'], 'Exposure'));
    const ref = await butler.put(trimmed, 'postISRCCD', { instrument: 'MegaPrime', exposure: Number(found.r.dataId.get('exposure')), detector: DETECTOR }, { run: 'u/test/defects' });
    postIsrId = ref.id;
  } finally {
    butler.close();
  }
  rendererDir = await buildRenderer();
  app = await startApp(rendererDir, repo);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  if (repoParent) rmSync(repoParent, { recursive: true, force: true });
});

describe('defects overlay', () => {
  it('a postISRCCD with certified defects: the toggle (off by default) outlines every defect', async () => {
    expect(defectCount).toBeGreaterThan(0);
    const { page, problems } = await openPage(browser, `${app.host.origin}/#token=${app.host.token}`);
    await page.getByTestId('repo-name').waitFor({ timeout: 60_000 });
    await page.evaluate((hash) => { window.location.hash = hash; }, `#/dataset/${postIsrId}`);
    await page.getByTestId('preview-button').click();
    const toggle = page.getByTestId('show-defects');
    await expect.poll(() => toggle.isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.getByTestId('defect-overlay').count()).toBe(0);
    await toggle.check();
    await expect.poll(() => page.locator('[data-testid="defect-overlay"] rect').count()).toBe(defectCount);
    expect(problems).toEqual([]);
  });
});
