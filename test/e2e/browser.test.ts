// Browser mode end to end on the real daf_butler repository (../shared/data/daf_butler/lsstcam_raw_repo):
// open, browse the collections tree, list datasets, filter with `where` (and see a syntax error with its
// caret), open a dataset, read its FITS header, copy Python, deep links, theme. Expected values are read
// straight from the repository's SQLite file, independently of our registry code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildRenderer, launchBrowser, openPage, screenshot, sharedRepo, startApp, type RunningApp } from './appHarness.js';

interface Truth {
  collection: string;
  datasetType: string;
  rows: { id: string; detector: number; exposure: number; path: string; physicalFilter: string }[];
  exposureRecords: number;
}

function readTruth(): Truth {
  const db = new Database(join(sharedRepo, 'gen3.sqlite3'), { readonly: true, fileMustExist: true });
  try {
    const collection = (db.prepare('SELECT name FROM collection WHERE type = 1 ORDER BY name LIMIT 1').get() as { name: string }).name;
    const t = db.prepare('SELECT name, tag_association_table AS tags FROM dataset_type ORDER BY name LIMIT 1').get() as { name: string; tags: string };
    const rows = db
      .prepare(
        `SELECT t.dataset_id AS id, t.detector, t.exposure, r.path, e.physical_filter AS physicalFilter FROM ${t.tags} t ` +
          'JOIN file_datastore_records r ON r.dataset_id = t.dataset_id JOIN exposure e ON e.instrument = t.instrument AND e.id = t.exposure ORDER BY t.exposure',
      )
      .all() as Truth['rows'];
    const hyphen = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    const exposureRecords = (db.prepare('SELECT count(*) AS n FROM exposure').get() as { n: number }).n;
    return { collection, datasetType: t.name, rows: rows.map((r) => ({ ...r, id: hyphen(r.id) })), exposureRecords };
  } finally {
    db.close();
  }
}

let rendererDir: string;
let app: RunningApp;
let browser: Browser;
let page: Page;
let problems: string[];
const truth = readTruth();

beforeAll(async () => {
  rendererDir = await buildRenderer();
  app = await startApp(rendererDir, sharedRepo);
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser, app.host.url));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

describe('browser mode on the shared daf_butler repository', () => {
  it('connects with the token from the fragment and then removes it from the address bar', async () => {
    await page.getByTestId('repo-name').waitFor();
    expect(await page.getByTestId('repo-name').textContent()).toContain('lsstcam_raw_repo');
    expect(page.url()).not.toContain(app.host.token);
    expect(truth.rows.length).toBe(4);
  });

  it('shows the collections tree with type badge and dataset count', async () => {
    const item = page.locator(`[data-collection="${truth.collection}"]`);
    await item.waitFor();
    expect(await item.locator('.type-badge').textContent()).toBe('RUN');
    await expect.poll(() => item.locator('.count').textContent(), { timeout: 10_000 }).toBe(String(truth.rows.length));
    await screenshot(page, 'shared-repo-tree');
  });

  it('lists the dataset types of a collection and then its datasets in the virtual table', async () => {
    await page.locator(`[data-collection="${truth.collection}"] button.name`).click();
    const types = page.getByTestId('collection-types');
    await types.waitFor();
    await types.getByRole('button', { name: truth.datasetType, exact: true }).click();
    await expect.poll(() => page.getByTestId('datasets-count').textContent(), { timeout: 15_000 }).toBe(`${truth.rows.length} datasets`);
    const rows = page.locator('[data-testid="datasets-table"] [data-dataset-id]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(truth.rows.length);
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-dataset-id')));
    expect(new Set(ids)).toEqual(new Set(truth.rows.map((r) => r.id)));
    const headers = await page.locator('[data-testid="datasets-table"] [role="columnheader"]').allTextContents();
    expect(headers.map((h) => h.trim())).toEqual(expect.arrayContaining(['instrument', 'detector', 'exposure', 'run', 'type', 'UUID']));
    // Implied dimensions get columns too, filled from the exposure records.
    expect(headers.map((h) => h.trim())).toEqual(expect.arrayContaining(['band', 'physical_filter', 'day_obs']));
    const filterColumn = headers.findIndex((h) => h.trim() === 'physical_filter');
    for (const r of truth.rows) {
      const cell = page.locator(`[data-dataset-id="${r.id}"] [role="cell"]`).nth(filterColumn);
      expect(await cell.textContent()).toBe(r.physicalFilter);
    }
  });

  it('sorts on the server when a header is clicked', async () => {
    await page.locator('[role="columnheader"]', { hasText: 'exposure' }).getByRole('button').click();
    await expect.poll(() => page.url()).toContain('s=exposure');
    const firstId = () => page.locator('[data-testid="datasets-table"] [aria-rowindex="1"]').getAttribute('data-dataset-id');
    await expect.poll(firstId, { timeout: 10_000 }).toBe(truth.rows[0].id);
    await page.locator('[role="columnheader"]', { hasText: 'exposure' }).getByRole('button').click();
    await expect.poll(firstId, { timeout: 10_000 }).toBe(truth.rows[truth.rows.length - 1].id);
  });

  it('filters with a where expression', async () => {
    const target = truth.rows[1];
    await page.locator('#where-input').fill(`exposure = ${target.exposure} AND detector = ${target.detector}`);
    await page.locator('#where-input').press('Enter');
    await expect.poll(() => page.getByTestId('datasets-count').textContent(), { timeout: 15_000 }).toBe('1 dataset');
    await expect.poll(() => page.locator('[data-testid="datasets-table"] [data-dataset-id]').getAttribute('data-dataset-id')).toBe(target.id);
    await screenshot(page, 'shared-repo-where');
  });

  it('shows a syntax error with a caret under the offending column', async () => {
    const expression = 'detector = = 94';
    await page.locator('#where-input').fill(expression);
    await page.locator('#where-input').press('Enter');
    const err = page.getByTestId('where-error');
    await err.waitFor({ timeout: 15_000 });
    const caretView = await err.locator('.caret-view').textContent();
    const [shown, caretLine] = (caretView ?? '').split('\n');
    expect(shown).toBe(expression);
    // The parser reports the second '=' (column 12): the caret must sit under it.
    expect(caretLine.indexOf('^')).toBe(expression.indexOf('= 94'));
    expect(await err.textContent()).toContain('QUERY_SYNTAX');
    await screenshot(page, 'shared-repo-syntax-error');
    await page.locator('.where button', { hasText: 'Clear' }).click();
    await expect.poll(() => page.getByTestId('datasets-count').textContent(), { timeout: 15_000 }).toBe(`${truth.rows.length} datasets`);
  });

  it('opens a dataset: facts, files, FITS header per HDU (searchable), provenance, copy Python', async () => {
    const target = truth.rows[0];
    await page.locator(`[data-dataset-id="${target.id}"]`).click();
    const facts = page.getByTestId('dataset-facts');
    await facts.waitFor({ timeout: 15_000 });
    expect(await facts.textContent()).toContain(target.id);
    expect(await facts.textContent()).toContain(`exposure=${target.exposure}`);
    expect(await page.locator('.artifacts').textContent()).toContain(target.path.split('/').pop());
    const viewer = page.getByTestId('header-viewer');
    await viewer.waitFor({ timeout: 15_000 });
    expect(await viewer.locator('.hdu-tabs button').count()).toBeGreaterThan(0);
    await viewer.getByLabel('Search header').fill('SIMPLE');
    await expect.poll(() => viewer.locator('tbody tr').first().locator('td').first().textContent()).toBe('SIMPLE');
    await screenshot(page, 'shared-repo-header');
    await page.getByRole('tab', { name: 'Provenance' }).click();
    expect(await page.getByTestId('provenance').textContent()).toContain('No provenance recorded');
    await page.getByRole('tab', { name: 'Python' }).click();
    const snippet = await page.getByTestId('python-snippet').textContent();
    expect(snippet).toContain(`butler.get("${truth.datasetType}", dataId={`);
    expect(snippet).toContain(`"exposure": ${target.exposure}`);
    expect(snippet).toContain(`collections="${truth.collection}"`);
  });

  it('keeps deep links working after a reload (token kept for the tab only)', async () => {
    const url = page.url();
    expect(url).toContain('#/dataset/');
    await page.reload();
    await page.getByTestId('dataset-facts').waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(url);
  });

  it('says why a header-only raw cannot be previewed, and stops saying "computing"', async () => {
    // The shared repository's raws are header-only FITS files (a primary HDU without pixels).
    await page.getByTestId('preview-button').click();
    const error = page.getByTestId('viewer-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toContain('has no image HDU to view');
    expect(await page.getByTestId('viewer-status').textContent()).toBe('no image loaded');
    await page.getByRole('button', { name: 'Close preview' }).click();
  });

  it('opens a dataset from a deep link that carries the token (fresh tab)', async () => {
    const target = truth.rows[2];
    const fresh = await openPage(browser, `${app.host.origin}/#/dataset/${target.id}&token=${app.host.token}`);
    try {
      const facts = fresh.page.getByTestId('dataset-facts');
      await facts.waitFor({ timeout: 15_000 });
      expect(await facts.textContent()).toContain(target.id);
      expect(fresh.page.url()).toBe(`${app.host.origin}/#/dataset/${target.id}`);
      // A token in the middle of a route's query keeps the other parameters.
      await fresh.page.goto(`${app.host.origin}/#/datasets?c=${encodeURIComponent(truth.collection)}&token=${app.host.token}&t=${truth.datasetType}`);
      await fresh.page.reload();
      await expect.poll(() => fresh.page.getByTestId('datasets-count').textContent(), { timeout: 15_000 }).toBe(`${truth.rows.length} datasets`);
      expect(fresh.page.url()).not.toContain(app.host.token);
      // A deep link to a dimension element shows the Dimensions list beside its records.
      await fresh.page.goto(`${app.host.origin}/#/dimensions/exposure`);
      await fresh.page.getByTestId('dimension-records').waitFor({ timeout: 15_000 });
      expect(await fresh.page.getByRole('tab', { name: 'Dimensions' }).getAttribute('aria-selected')).toBe('true');
      expect(fresh.problems).toEqual([]);
    } finally {
      await fresh.page.context().close();
    }
  });

  it('switches to the dark theme', async () => {
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await screenshot(page, 'shared-repo-dark');
  });

  it('shows dimension records', async () => {
    await page.getByRole('tab', { name: 'Dimensions' }).click();
    await page.locator('.sidebar').getByRole('button', { name: 'exposure', exact: true }).click();
    const table = page.getByTestId('dimension-records');
    await table.waitFor({ timeout: 15_000 });
    expect(await table.locator('tbody tr').count()).toBe(Math.min(100, truth.exposureRecords));
  });

  it('had no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
