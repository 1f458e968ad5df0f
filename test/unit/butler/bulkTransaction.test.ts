// Transactions of many puts: artifacts written in batches by the file worker (the caller
// helping at commit), all or nothing; summary rows cached within a transaction are re-made
// after a rollback; a file rewritten outside the Butler is still read whole.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { Butler } from '../../../core/butler/index.js';
import type { DatasetRef } from '../../../core/datasets/index.js';
import { addCameraRecords, newRepo, registerType } from './helpers.js';

const EXPOSURES = 40;
const DETECTORS = 10;

const made: string[] = [];
afterAll(() => {
  for (const root of made) rmSync(dirname(root), { recursive: true, force: true });
});

function setup() {
  const root = newRepo('bulk-');
  made.push(root);
  const butler = Butler.open(root, { run: 'u/bulk' });
  addCameraRecords(butler, EXPOSURES, DETECTORS);
  registerType(butler, 'metric', 'StructuredDataDict');
  return { root, butler };
}

const dataIdOf = (i: number) => ({ instrument: 'Cam', detector: i % DETECTORS, exposure: 100 + Math.floor(i / DETECTORS) });

async function workerRunning(butler: Butler): Promise<void> {
  const storage = butler.fileDatastores()[0].storage;
  storage.startFileWorker();
  const deadline = Date.now() + 20_000;
  while (!storage.fileWorkerRunning) {
    if (Date.now() > deadline) throw new Error('file worker did not start within 20 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('a transaction of many puts', () => {
  it('writes every artifact through the file worker and commits them with their rows', async () => {
    const { root, butler } = setup();
    await workerRunning(butler);
    const n = EXPOSURES * DETECTORS;
    const refs = await butler.transaction(async () => {
      const out = [];
      for (let i = 0; i < n; i++) out.push(await butler.put({ i, label: `m${i}` }, 'metric', dataIdOf(i)));
      // Read back inside the transaction: waits for (or sends) the batch holding it.
      expect(await butler.get(out[n - 1])).toEqual({ i: n - 1, label: `m${n - 1}` });
      return out;
    });
    expect(butler.registry.queryDatasets('metric', { collections: 'u/bulk' })).toHaveLength(n);
    expect(filesUnder(join(root, 'u/bulk'))).toHaveLength(n);
    for (const [i, ref] of refs.entries()) {
      expect(YAML.parse(readFileSync(fileURLToPath(butler.getURI(ref)), 'utf8'))).toEqual({ i, label: `m${i}` });
    }
    butler.close();
  });

  it('rolls back rows and files when one artifact of a worker batch cannot be written', async () => {
    const { root, butler } = setup();
    await workerRunning(butler);
    // A plain file where the directory of exposure 130's artifacts must go: those writes fail (ENOTDIR).
    const blocker = join(root, 'u/bulk/metric/20250101/CAM_130');
    mkdirSync(dirname(blocker), { recursive: true });
    writeFileSync(blocker, 'not a directory');
    await expect(butler.transaction(async () => {
      for (let i = 0; i < EXPOSURES * DETECTORS; i++) await butler.put({ i }, 'metric', dataIdOf(i));
    })).rejects.toThrow(/Cannot write .*CAM_130.*ENOTDIR/);
    expect(butler.registry.queryDatasets('metric', { collections: 'u/bulk' })).toEqual([]);
    expect(filesUnder(join(root, 'u/bulk'))).toEqual([blocker]);
    butler.close();
  });

  it('cannot commit after a write failed, even when the caller caught the put that surfaced it', async () => {
    const { root, butler } = setup();
    const blocker = join(root, 'u/bulk/metric/20250101/CAM_101');
    mkdirSync(dirname(blocker), { recursive: true });
    writeFileSync(blocker, 'not a directory');
    await expect(butler.transaction(async () => {
      await butler.put({ a: 1 }, 'metric', dataIdOf(0));
      await butler.put({ b: 1 }, 'metric', dataIdOf(DETECTORS));
      // A registry conflict fails this put at once; its cleanup waits for the queued writes (one fails).
      await expect(butler.put({ a: 2 }, 'metric', dataIdOf(0))).rejects.toThrow(/already exists in RUN/);
      await butler.put({ c: 1 }, 'metric', dataIdOf(2 * DETECTORS));
    })).rejects.toThrow(/Cannot write .*CAM_101.*ENOTDIR/);
    expect(butler.registry.queryDatasets('metric', { collections: 'u/bulk' })).toEqual([]);
    expect(filesUnder(join(root, 'u/bulk'))).toEqual([blocker]);
    // The next transaction starts clean.
    await butler.transaction(async () => {
      await butler.put({ d: 1 }, 'metric', dataIdOf(0));
    });
    expect(await butler.get('metric', dataIdOf(0))).toEqual({ d: 1 });
    butler.close();
  });

  it('re-records a RUN\'s summary rows after a nested transaction that made them rolled back', async () => {
    const { butler } = setup();
    await butler.transaction(async () => {
      await butler.put({ a: 1 }, 'metric', dataIdOf(0));
      // The first put into u/other inserts its summary rows, then the savepoint rolls them back.
      await expect(butler.transaction(async () => {
        await butler.put({ b: 1 }, 'metric', dataIdOf(0), { run: 'u/other' });
        throw new Error('inner failure');
      })).rejects.toThrow('inner failure');
      await butler.put({ b: 2 }, 'metric', dataIdOf(1), { run: 'u/other' });
    });
    expect(butler.registry.getCollectionSummary('u/other')).toEqual({ datasetTypes: ['metric'], governors: expect.objectContaining({ instrument: ['Cam'] }) });
    expect(await butler.get('metric', dataIdOf(1), { collections: 'u/other' })).toEqual({ b: 2 });
    expect(butler.registry.queryDatasets('metric', { collections: 'u/other' })).toHaveLength(1);
    // After an outer rollback too.
    await expect(butler.transaction(async () => {
      await butler.put({ c: 1 }, 'metric', dataIdOf(0), { run: 'u/third' });
      throw new Error('outer failure');
    })).rejects.toThrow('outer failure');
    await butler.transaction(async () => {
      await butler.put({ c: 2 }, 'metric', dataIdOf(0), { run: 'u/third' });
    });
    expect(butler.registry.getCollectionSummary('u/third').datasetTypes).toEqual(['metric']);
    butler.close();
  });

  it('reads a file rewritten outside the Butler at its new length', async () => {
    const { butler } = setup();
    const ref = await butler.put({ short: 1 }, 'metric', dataIdOf(0));
    const path = fileURLToPath(butler.getURI(ref));
    writeFileSync(path, JSON.stringify({ longer: 'than the recorded size' }));
    expect(await butler.get(ref)).toEqual({ longer: 'than the recorded size' });
    writeFileSync(path, '{}');
    expect(await butler.get(ref)).toEqual({});
    butler.close();
  });

  it('checkpoints the registry WAL on the file worker once it has grown, not inside commits, and empties it there when idle', async () => {
    const { root, butler } = setup();
    await workerRunning(butler);
    const db = join(root, 'gen3.sqlite3');
    expect(butler.registry.db.prepare('PRAGMA wal_autocheckpoint').get<{ wal_autocheckpoint: number }>()!.wal_autocheckpoint).toBe(0);
    const before = statSync(db).size;
    const dataIds = Array.from({ length: EXPOSURES * DETECTORS }, (_, i) => dataIdOf(i));
    // Enough rows for a WAL of several MB (only the commit's size check may start the checkpoint).
    await butler.transaction(async () => {
      for (let k = 0; k < 40; k++) {
        butler.registry.registerRun(`u/many${k}`);
        butler.registry.insertDatasets('metric', dataIds, `u/many${k}`);
      }
    });
    expect(statSync(`${db}-wal`).size).toBeGreaterThan(5 << 20);
    const deadline = Date.now() + 20_000;
    while (statSync(db).size === before) {
      if (Date.now() > deadline) throw new Error('no background checkpoint within 20 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    // Everything copied and nobody writing: the worker empties the WAL file too (no commit has to shrink it).
    while (statSync(`${db}-wal`).size > 0) {
      if (Date.now() > deadline) throw new Error(`the WAL was not emptied in the background (${statSync(`${db}-wal`).size} bytes)`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(butler.registry.queryDatasets('metric', { collections: 'u/many39' })).toHaveLength(dataIds.length);
    butler.close();
  });
});

describe('purging', () => {
  it('keeps a file another dataset still uses, and removes it with the last one', async () => {
    const { root, butler } = setup();
    const src = join(root, '..', 'shared.json');
    writeFileSync(src, JSON.stringify({ shared: true }));
    const refs = await butler.ingest([{ path: src, datasetType: 'metric', dataIds: [dataIdOf(0), dataIdOf(1)], formatter: 'lsst.daf.butler.formatters.json.JsonFormatter' }], { transfer: 'copy' });
    const file = fileURLToPath(butler.getURI(refs[0]));
    expect(fileURLToPath(butler.getURI(refs[1]))).toBe(file);
    await butler.pruneDatasets([refs[0]], { purge: true, unstore: true });
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ shared: true }));
    expect(await butler.get(refs[1])).toEqual({ shared: true });
    await butler.pruneDatasets([refs[1]], { purge: true, unstore: true });
    expect(() => statSync(file)).toThrow(/ENOENT/);
    expect(butler.registry.queryDatasets('metric', { collections: 'u/bulk' })).toEqual([]);
    butler.close();
  });

  it('purges hundreds at once, empties what an earlier transaction left in the trash, and leaves no row behind', async () => {
    const { root, butler } = setup();
    await workerRunning(butler);
    const refs = await butler.transaction(async () => {
      const out = [];
      for (let i = 0; i < EXPOSURES * DETECTORS; i++) out.push(await butler.put({ i }, 'metric', dataIdOf(i)));
      return out;
    });
    // Unstored inside a transaction: trashed, files kept until a prune outside one.
    await butler.transaction(async () => {
      await butler.pruneDatasets(refs.slice(0, 10), { unstore: true, disassociate: false });
    });
    expect(filesUnder(join(root, 'u/bulk'))).toHaveLength(refs.length);
    await butler.pruneDatasets(refs.slice(10), { purge: true, unstore: true });
    expect(filesUnder(join(root, 'u/bulk'))).toEqual([]);
    const count = (table: string) => butler.registry.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get<{ n: number }>()!.n;
    expect([count('file_datastore_records'), count('dataset_location'), count('dataset_location_trash')]).toEqual([0, 0, 0]);
    expect(butler.registry.queryDatasets('metric', { collections: 'u/bulk' }).map((r) => r.id)).toEqual(refs.slice(0, 10).map((r) => r.id));
    butler.close();
  });

  it('inside a transaction a purge that is rolled back keeps every row and file', async () => {
    const { root, butler } = setup();
    const refs: DatasetRef[] = [];
    for (let i = 0; i < 5; i++) refs.push(await butler.put({ i }, 'metric', dataIdOf(i)));
    await expect(butler.transaction(async () => {
      await butler.pruneDatasets(refs, { purge: true, unstore: true });
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(filesUnder(join(root, 'u/bulk'))).toHaveLength(5);
    for (const [i, ref] of refs.entries()) expect(await butler.get(ref)).toEqual({ i });
    butler.close();
  });
});

