// The application service on the real daf_butler repository, through the worker pool (as both shells use
// it): every repository method answers in the contract's shapes with values that match the SQLite file read
// directly, and bad input gets the right error code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppService } from '../../../electron/services/appService.js';
import type { Envelope } from '../../../core/api/envelope.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = resolve(repoRoot, '..', 'shared', 'data', 'daf_butler', 'lsstcam_raw_repo');

const truth = (() => {
  const db = new Database(join(shared, 'gen3.sqlite3'), { readonly: true });
  try {
    const rows = db.prepare('SELECT dataset_id AS id, detector, exposure FROM dataset_tags_00000001 ORDER BY exposure').all() as { id: string; detector: number; exposure: number }[];
    const detectors = (db.prepare('SELECT count(*) AS n FROM detector').get() as { n: number }).n;
    const sizes = Object.fromEntries((db.prepare('SELECT dataset_id AS id, file_size AS size FROM file_datastore_records').all() as { id: string; size: number }[]).map((r) => [r.id, r.size]));
    const hyphen = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    return { rows: rows.map((r) => ({ ...r, id: hyphen(r.id), size: sizes[r.id] })), detectors };
  } finally {
    db.close();
  }
})();

let settings: string;
let service: AppService;
const call = async (method: string, params: unknown): Promise<unknown> => {
  const env: Envelope = await service.dispatch(method, params);
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value;
};
const fail = async (method: string, params: unknown) => {
  const env = await service.dispatch(method, params);
  if (env.ok) throw new Error(`${method} should have failed`);
  return env.error;
};

beforeAll(async () => {
  settings = mkdtempSync(join(tmpdir(), 'butler-svc-'));
  service = new AppService({ transport: 'browser', settingsDir: settings });
  await service.openRepository(shared);
});
afterAll(async () => {
  await service?.shutdown();
  rmSync(settings, { recursive: true, force: true });
});

const base = { datasetType: 'raw', collections: ['LSSTCam/raw/all'] };

describe('AppService on the shared daf_butler repository', () => {
  it('reports the repository, remembers it as recent, and emits nothing unexpected', async () => {
    const info = (await call('app.info', {})) as { repository: { name: string; readOnly: boolean; universe: { version: number }; managers: Record<string, string> } };
    expect(info.repository.name).toBe('lsstcam_raw_repo');
    expect(info.repository.readOnly).toBe(true);
    expect(info.repository.universe.version).toBe(7);
    expect(info.repository.managers['lsst.daf.butler.registry.collections.synthIntKey.SynthIntKeyCollectionManager']).toBe('2.0.0');
    expect(await call('repo.recent', {})).toEqual([shared]);
  });

  it('lists collections, counts and dataset types as the registry file says', async () => {
    expect(await call('collections.list', {})).toEqual([{ name: 'LSSTCam/raw/all', type: 'RUN', doc: null, children: [], parents: [] }]);
    expect(await call('collections.counts', { names: ['LSSTCam/raw/all'] })).toEqual({ 'LSSTCam/raw/all': truth.rows.length });
    const types = (await call('datasetTypes.list', { collections: ['LSSTCam/raw/all'] })) as { name: string; storageClass: string; requiredDimensions: string[] }[];
    expect(types.map((t) => [t.name, t.storageClass, t.requiredDimensions])).toEqual([['raw', 'Exposure', ['instrument', 'detector', 'exposure']]]);
    expect(await call('datasetTypes.counts', { datasetType: 'raw' })).toEqual([{ collection: 'LSSTCam/raw/all', type: 'RUN', count: truth.rows.length }]);
  });

  it('pages, sorts and filters datasets on the server', async () => {
    const page = (await call('datasets.query', { ...base, orderBy: ['-exposure'], limit: 3, offset: 1 })) as { rows: { id: string; dataId: Record<string, unknown> }[] };
    expect(page.rows.map((r) => r.id)).toEqual([...truth.rows].reverse().slice(1, 4).map((r) => r.id));
    const target = truth.rows[2];
    expect(await call('datasets.count', { ...base, where: 'exposure = :e', bind: { e: target.exposure } })).toEqual({ count: 1 });
    const filtered = (await call('datasets.query', { ...base, where: `exposure > ${truth.rows[1].exposure}`, orderBy: ['exposure'] })) as { rows: { id: string }[] };
    expect(filtered.rows.map((r) => r.id)).toEqual(truth.rows.slice(2).map((r) => r.id));
  });

  it('gives the inspector what it shows: records, artifacts with real paths and sizes, headers', async () => {
    const t = truth.rows[0];
    const d = (await call('datasets.get', { id: t.id })) as {
      dataId: Record<string, unknown>;
      records: Record<string, Record<string, unknown>>;
      artifacts: { path: string; size: number; exists: boolean; component: string | null }[];
      format: string;
      isImage: boolean;
    };
    expect(d.dataId).toMatchObject({ instrument: 'LSSTCam', detector: t.detector, exposure: t.exposure });
    expect(d.records.detector).toMatchObject({ id: t.detector });
    expect(d.artifacts).toHaveLength(1);
    expect(d.artifacts[0]).toMatchObject({ component: null, exists: true, size: t.size });
    expect(d.artifacts[0].path.startsWith(shared)).toBe(true);
    expect(d.format).toBe('fits');
    expect(d.isImage).toBe(true);
    const h = (await call('datasets.header', { id: t.id })) as { hdus: { name: string; cards: { keyword: string; value: unknown }[] }[] };
    expect(h.hdus[0].name).toBe('PRIMARY');
    expect(h.hdus[0].cards.find((c) => c.keyword === 'SIMPLE')?.value).toBe(true);
    expect(await call('provenance.get', { id: t.id })).toMatchObject({ recorded: false });
    const bytes = await service.binary('artifact', new URLSearchParams({ id: t.id }));
    expect(new TextDecoder().decode(bytes.bytes.subarray(0, 9))).toBe('SIMPLE  =');
  });

  it('pages dimension records with a total', async () => {
    const r = (await call('dimensions.records', { element: 'detector', limit: 10, offset: 0 })) as { rows: unknown[]; total: number; columns: string[] };
    expect(r.total).toBe(truth.detectors);
    expect(r.rows).toHaveLength(10);
    expect(r.columns).toEqual(expect.arrayContaining(['instrument', 'id', 'full_name']));
  });

  it('answers bad input with the right codes', async () => {
    expect(await fail('datasets.count', { ...base, where: 'detector = = 1' })).toMatchObject({ code: 'QUERY_SYNTAX', details: { column: 12, expression: 'detector = = 1' } });
    expect(await fail('datasets.count', { ...base, where: 'nosuch = 1' })).toMatchObject({ code: 'QUERY_ERROR' });
    expect(await fail('datasets.count', { datasetType: 'nosuch', collections: ['LSSTCam/raw/all'] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await fail('datasets.count', { datasetType: 'raw', collections: ['nosuch'] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await fail('datasets.get', { id: '00000000-0000-0000-0000-000000000000' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await fail('dimensions.records', { element: 'nosuch' })).toMatchObject({ code: 'QUERY_ERROR' });
    expect(await fail('repo.open', { path: join(shared, 'LSSTCam') })).toMatchObject({ code: 'NOT_A_REPOSITORY' });
  });
});
