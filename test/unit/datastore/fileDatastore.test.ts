// FileDatastore on a real SQLite records table and a temporary root: formats, composites,
// parameters, URIs, trash, ingest transfer modes, crash-journal recovery, safety checks.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DataCoordinate, DimensionUniverse } from '../../../core/dimensions/index.js';
import { DatasetRef, DatasetType, StorageClassFactory, uuid7 } from '../../../core/datasets/index.js';
import { SqliteDatabase } from '../../../core/registry/db/sqlite.js';
import {
  ChainedDatastore, CrashJournal, FileDatastore, InMemoryDatastore, JOURNAL_DIR, UndoLog, createDatastore, type FileDataset, type FileDatastoreOptions, type TransferMode,
} from '../../../core/datastore/index.js';
import type { ConfigMap } from '../../../core/config/index.js';
import { registerFormatterName, registerStorageClassType, serializers } from '../../../core/formatters/index.js';

const universe = DimensionUniverse.default();
const storageClasses = new StorageClassFactory();
for (const name of StorageClassFactory.default().names()) storageClasses.register(StorageClassFactory.default().get(name));
storageClasses.addFromConfig({
  StructuredComposite: { pytype: 'dict', components: { summary: 'StructuredDataDict', output: 'StructuredDataDict', data: 'StructuredDataList' }, parameters: ['slice'] },
  Hdf5Thing: { pytype: 'dict' },
}, 'test');

const TEMPLATE = '{run:/}/{datasetType}.{component:?}/{instrument}/{visit}/{datasetType}_{component:?}_{visit}_{id}';

function baseConfig(root: string, extra: ConfigMap = {}): ConfigMap {
  return {
    cls: 'lsst.daf.butler.datastores.fileDatastore.FileDatastore',
    root,
    records: { table: 'file_datastore_records' },
    templates: { default: TEMPLATE },
    formatters: {
      StructuredDataDict: 'lsst.daf.butler.formatters.json.JsonFormatter',
      StructuredDataList: 'lsst.daf.butler.formatters.yaml.YamlFormatter',
      StructuredComposite: 'lsst.daf.butler.formatters.json.JsonFormatter',
      Hdf5Thing: 'lsst.daf.butler.formatters.hdf5.Hdf5Formatter',
      NumpyArray: 'lsst.daf.butler.formatters.pickle.PickleFormatter',
    },
    composites: { default: false, disassembled: { split: true } },
    ...extra,
  };
}

let dir: string;
let db: SqliteDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fds-'));
  db = new SqliteDatabase(join(dir, 'gen3.sqlite3'), { create: true });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeStore(extra: ConfigMap = {}): FileDatastore {
  const opts: FileDatastoreOptions = { config: baseConfig(join(dir, 'store'), extra), db, universe, storageClasses, unexpandedRoot: '<butlerRoot>' };
  return new FileDatastore(opts);
}

function ref(name: string, sc: string, visit = 1, run = 'u/test'): DatasetRef {
  const dt = DatasetType.fromNames(universe, name, ['instrument', 'visit'], sc);
  return new DatasetRef(dt, DataCoordinate.standardize(universe, { instrument: 'Cam', visit }, { dimensions: dt.dimensions }), run, uuid7());
}

describe('FileDatastore put/get', () => {
  it('writes JSON through the template, records daf_butler columns, reads back', async () => {
    const store = makeStore();
    const r = ref('metric', 'StructuredDataDict');
    await store.put({ a: 1, b: [1, 2] }, r);
    expect(await store.get(r)).toEqual({ a: 1, b: [1, 2] });
    const [rec] = store.storedInfo(r);
    expect(rec.path).toBe(`u/test/metric/Cam/1/metric_1_${r.id.replace(/-/g, '-')}.json`);
    expect(rec.formatter).toBe('lsst.daf.butler.formatters.json.JsonFormatter');
    expect(rec.fileSize).toBe(statSync(join(dir, 'store', rec.path)).size);
    expect(rec.checksum).toBeNull();
    const row = db.prepare('SELECT component, storage_class FROM file_datastore_records').get<{ component: string; storage_class: string }>();
    expect(row).toEqual({ component: '__NULL_STRING__', storage_class: 'StructuredDataDict' });
    expect(db.prepare('SELECT datastore_name FROM dataset_location').get()).toEqual({ datastore_name: 'FileDatastore@<butlerRoot>' });
    expect(store.exists(r)).toBe(true);
    expect(store.knows(r)).toBe(true);
    // No temporary file is left next to the artifact.
    expect(readdirSync(join(dir, 'store', 'u/test/metric/Cam/1'))).toHaveLength(1);
  });

  it('YAML lists, component of a monolithic composite, and the slice parameter', async () => {
    const store = makeStore();
    const l = ref('numbers', 'StructuredDataList');
    await store.put([1, 2, 3, 4], l);
    expect(await store.get(l, { parameters: { slice: [1, 3] } })).toEqual([2, 3]);
    expect(readFileSync(store.getURIs(l).primary!.replace('file://', ''), 'utf8')).toContain('- 1');
    const c = ref('whole', 'StructuredComposite');
    await store.put({ summary: { s: 1 }, output: { o: 2 }, data: [5, 6, 7] }, c);
    expect(await store.get(c, { component: 'summary' })).toEqual({ s: 1 });
    expect(await store.get(c, { parameters: { slice: [0, 1] } })).toEqual({ summary: { s: 1 }, output: { o: 2 }, data: [5] });
    await expect(store.get(c, { parameters: { bbox: 1 } })).rejects.toThrow(/Read parameter 'bbox' is not understood/);
  });

  it('disassembles configured composites into one file per component and reads one alone', async () => {
    const store = makeStore();
    const r = ref('split', 'StructuredComposite');
    await store.put({ summary: { s: 1 }, output: { o: 2 }, data: [5, 6] }, r);
    const uris = store.getURIs(r);
    expect(uris.primary).toBeUndefined();
    expect(Object.keys(uris.components).sort()).toEqual(['data', 'output', 'summary']);
    expect(uris.components.data).toMatch(/split\.data\/Cam\/1\/split_data_1_.*\.yaml$/);
    rmSync(uris.components.summary.replace('file://', ''));
    expect(await store.get(r, { component: 'data' })).toEqual([5, 6]);
    expect(store.exists(r)).toBe(false);
    await expect(store.get(r)).rejects.toThrow(/file is missing/);
  });

  it('HDF5 round trip, reading one member alone', async () => {
    const store = makeStore();
    const r = ref('h5', 'Hdf5Thing');
    await store.put({ image: new Float32Array([1, 2, 3]), meta: { name: 'x', n: 3 } }, r);
    const back = (await store.get(r)) as { image: Float32Array; meta: { name: string; n: number } };
    expect(Array.from(back.image)).toEqual([1, 2, 3]);
    expect(back.meta).toEqual({ name: 'x', n: 3 });
    expect(await store.get(r, { component: 'meta' })).toEqual({ name: 'x', n: 3 });
  });

  it('records a blake2b checksum when configured', async () => {
    const store = makeStore({ checksum: true });
    const r = ref('metric', 'StructuredDataDict');
    await store.put({ a: 1 }, r);
    const rec = store.storedInfo(r)[0];
    const bytes = readFileSync(join(dir, 'store', rec.path));
    expect(rec.checksum).toBe(createHash('blake2b512').update(bytes).digest('hex'));
    expect(rec.checksum).toHaveLength(128);
  });

  it('refuses to overwrite an existing artifact and leaves nothing behind', async () => {
    const store = makeStore({ templates: { default: '{run}/{datasetType}_{instrument}_{visit}' } });
    await store.put({ a: 1 }, ref('metric', 'StructuredDataDict'));
    const again = ref('metric', 'StructuredDataDict');
    await expect(store.put({ a: 2 }, again)).rejects.toThrow(/Refusing to overwrite existing file/);
    expect(store.knows(again)).toBe(false);
    expect(readdirSync(join(dir, 'store', 'u_test'))).toEqual(['metric_Cam_1.json']);
  });

  it('a failed transaction removes the published file (undo)', async () => {
    const store = makeStore();
    const r = ref('metric', 'StructuredDataDict');
    const prepared = await store.preparePut({ a: 1 }, r);
    const undo = new UndoLog();
    expect(() => db.transaction(() => {
      prepared.commit(undo);
      throw new Error('registry insert failed');
    })).toThrow('registry insert failed');
    undo.rollback();
    prepared.discard();
    expect(store.knows(r)).toBe(false);
    expect(existsSync(join(dir, 'store', 'u/test/metric/Cam/1'))).toBe(true);
    expect(readdirSync(join(dir, 'store', 'u/test/metric/Cam/1'))).toEqual([]);
  });

  it('unsupported formatters give an error naming formatter and file', async () => {
    const store = makeStore();
    const r = ref('arr', 'NumpyArray');
    await expect(store.put({ a: 1 }, r)).rejects.toThrow(/Formatter lsst\.daf\.butler\.formatters\.pickle\.PickleFormatter \(used for arr .*\) is not supported: Python pickle/);
    const other = ref('metric', 'StructuredDataDict');
    store.records.insert([{ datasetId: other.id, path: 'x/y.pickle', formatter: 'lsst.daf.butler.formatters.pickle.PickleFormatter', storageClass: 'NumpyArray', component: null, checksum: null, fileSize: 3 }]);
    await expect(store.get(other)).rejects.toThrow(/PickleFormatter \(used for file:\/\/.*x\/y\.pickle\) is not supported/);
  });

  it('per-dataset-type formatter options from config reach the serializer through the location', async () => {
    class Thing {
      constructor(readonly value: number) {}
    }
    const seen: { write?: unknown; read?: unknown; component?: string } = {};
    serializers.register(Thing, 'thingfmt', '*', {
      name: 'Thing', extension: '.thing',
      readsComponent: (c) => c === 'value',
      async write(obj, ctx) {
        seen.write = ctx.location.options;
        await ctx.writeBytes(new TextEncoder().encode(String((obj as Thing).value)));
      },
      async read(ctx) {
        seen.read = ctx.location.options;
        seen.component = ctx.component;
        const v = Number(new TextDecoder().decode(await ctx.readBytes()));
        return ctx.component === 'value' ? v : new Thing(v);
      },
    }, { overwrite: true });
    registerFormatterName('test.formatters.ThingFormatter', { format: 'thingfmt', extension: '.thing' }, { overwrite: true });
    registerStorageClassType('ThingSC', Thing);
    storageClasses.addFromConfig({ ThingSC: { pytype: 'test.Thing', components: { value: 'int' } } }, 'test');
    const store = makeStore({ formatters: { thing: { formatter: 'test.formatters.ThingFormatter', parameters: { level: 3 } } } });
    const r = ref('thing', 'ThingSC');
    await store.put(new Thing(42), r);
    expect(seen.write).toEqual({ level: 3 });
    expect(store.getURIs(r).primary).toMatch(/\.thing$/);
    expect(await store.get(r)).toEqual(new Thing(42));
    expect(seen.read).toEqual({ level: 3 });
    expect(await store.get(r, { component: 'value' })).toBe(42);
    expect(seen.component).toBe('value');
  });

  it('paths never escape the root', () => {
    const store = makeStore();
    expect(() => store.storage.absolute('../outside.json')).toThrow(/escapes the datastore root/);
    expect(() => store.storage.absolute('a/../../x')).toThrow(/escapes the datastore root/);
  });

  it('getURIs predicts a path for an unstored dataset', () => {
    const store = makeStore();
    const r = ref('metric', 'StructuredDataDict');
    expect(() => store.getURIs(r)).toThrow(/has no artifacts/);
    const uris = store.getURIs(r, true);
    expect(uris.predicted).toBe(true);
    expect(uris.primary).toMatch(/metric_1_.*\.json#predicted$/);
  });
});

describe('FileDatastore trash and ingest', () => {
  it('trash + emptyTrash deletes files unless another dataset uses the same file', async () => {
    const store = makeStore();
    const a = ref('metric', 'StructuredDataDict', 1);
    await store.put({ a: 1 }, a);
    const src = join(dir, 'shared.json');
    writeFileSync(src, '{"s": 1}');
    const s1 = ref('ing', 'StructuredDataDict', 2);
    const s2 = ref('ing2', 'StructuredDataDict', 2);
    const p = await store.prepareIngest([{ path: src, refs: [s1, s2] }], 'copy');
    db.transaction(() => p.commit(new UndoLog()));
    const aFile = store.getURIs(a).primary!.replace('file://', '');
    const sharedFile = store.getURIs(s1).primary!.replace('file://', '');
    db.transaction(() => store.trash([a, s1]));
    expect(store.locations.trashed().sort()).toEqual([a.id, s1.id].sort());
    await store.emptyTrash();
    expect(existsSync(aFile)).toBe(false);
    expect(existsSync(sharedFile)).toBe(true);
    expect(store.knows(a)).toBe(false);
    expect(await store.get(s2)).toEqual({ s: 1 });
    db.transaction(() => store.trash([s2]));
    await store.emptyTrash();
    expect(existsSync(sharedFile)).toBe(false);
  });

  it('prepareDeletion removes the files of its datasets only: not a shared file still used, never a direct ingest', async () => {
    const store = makeStore();
    const a = ref('metric', 'StructuredDataDict', 1);
    await store.put({ a: 1 }, a);
    const shared = join(dir, 'shared.json');
    writeFileSync(shared, '{"s": 1}');
    const s1 = ref('ing', 'StructuredDataDict', 2);
    const s2 = ref('ing2', 'StructuredDataDict', 2);
    const outside = join(dir, 'outside.json');
    writeFileSync(outside, '{"o": 1}');
    const d = ref('direct', 'StructuredDataDict', 3);
    const ingests: [FileDataset, TransferMode][] = [[{ path: shared, refs: [s1, s2] }, 'copy'], [{ path: outside, refs: [d] }, 'direct']];
    for (const [dataset, mode] of ingests) {
      const p = await store.prepareIngest([dataset], mode);
      db.transaction(() => p.commit(new UndoLog()));
    }
    const aFile = store.getURIs(a).primary!.replace('file://', '');
    const sharedCopy = store.getURIs(s1).primary!.replace('file://', '');
    const deletion = store.prepareDeletion([a, s1, d]);
    db.transaction(() => deletion.commit());
    await deletion.finish();
    expect(existsSync(aFile)).toBe(false);
    expect(existsSync(sharedCopy)).toBe(true);
    expect(existsSync(outside)).toBe(true);
    expect([a, s1, d].map((r) => store.knows(r))).toEqual([false, false, false]);
    expect(await store.get(s2)).toEqual({ s: 1 });
    const last = store.prepareDeletion([s2]);
    db.transaction(() => last.commit());
    await last.finish();
    expect(existsSync(sharedCopy)).toBe(false);
  });

  it('ingests with every transfer mode', async () => {
    const store = makeStore();
    const modes = ['copy', 'move', 'symlink', 'relsymlink', 'hardlink', 'link', 'direct', 'auto'] as const;
    for (const [i, mode] of modes.entries()) {
      const src = join(dir, `in-${mode}.json`);
      writeFileSync(src, JSON.stringify({ mode }));
      const r = ref('ingested', 'StructuredDataDict', i + 10);
      const p = await store.prepareIngest([{ path: src, refs: [r] }], mode);
      db.transaction(() => p.commit(new UndoLog()));
      expect(await store.get(r)).toEqual({ mode });
      const rec = store.storedInfo(r)[0];
      if (mode === 'direct') expect(rec.path).toBe(`file://${src}`);
      else {
        const stored = join(dir, 'store', rec.path);
        expect(rec.path).toMatch(new RegExp(`ingested_${i + 10}_.*\\.json$`));
        if (mode === 'symlink') expect(readlinkSync(stored)).toBe(src);
        if (mode === 'relsymlink') expect(readlinkSync(stored).startsWith('..')).toBe(true);
        if (mode === 'hardlink') expect(lstatSync(stored).nlink).toBe(2);
        if (mode === 'move') expect(existsSync(src)).toBe(false);
      }
    }
    // A file already inside the root is recorded where it is.
    mkdirSync(join(dir, 'store', 'inplace'), { recursive: true });
    writeFileSync(join(dir, 'store', 'inplace', 'x.json'), '{"x":1}');
    const r = ref('inplace', 'StructuredDataDict', 99);
    const p = await store.prepareIngest([{ path: join(dir, 'store', 'inplace', 'x.json'), refs: [r] }], undefined);
    db.transaction(() => p.commit(new UndoLog()));
    expect(store.storedInfo(r)[0].path).toBe('inplace/x.json');
    await expect(store.prepareIngest([{ path: join(dir, 'in-copy.json'), refs: [ref('z', 'StructuredDataDict', 5)] }], undefined)).rejects.toThrow(/inside the datastore root/);
    await expect(store.prepareIngest([{ path: join(dir, 'nope.json'), refs: [ref('z', 'StructuredDataDict', 5)] }], 'copy')).rejects.toThrow(/does not exist/);
  });

  it('retrieves artifacts with or without their paths, refusing to overwrite', async () => {
    const store = makeStore();
    const r = ref('metric', 'StructuredDataDict');
    await store.put({ a: 1 }, r);
    const out = join(dir, 'out');
    const files = store.retrieveArtifacts([r], out);
    expect(files[0].startsWith(join(out, 'u/test/metric'))).toBe(true);
    expect(() => store.retrieveArtifacts([r], out)).toThrow(/already exists/);
    expect(store.retrieveArtifacts([r], out, { overwrite: true })).toEqual(files);
    const flat = store.retrieveArtifacts([r], join(dir, 'flat'), { preservePath: false });
    expect(flat[0]).toBe(join(dir, 'flat', files[0].split('/').pop()!));
  });
});

describe('crash journal', () => {
  it('recovery removes temp files and unreferenced published files of dead processes only', async () => {
    const store = makeStore();
    const kept = ref('metric', 'StructuredDataDict', 1);
    await store.put({ a: 1 }, kept);
    const keptPath = join(dir, 'store', store.storedInfo(kept)[0].path);
    const tmp = join(dir, 'store', '.x.json.butler-tmp-999999-1');
    const stray = join(dir, 'store', 'stray.json');
    writeFileSync(tmp, 'partial');
    writeFileSync(stray, '{}');
    mkdirSync(join(dir, 'store', JOURNAL_DIR), { recursive: true });
    // pid 2^22+1 is above Linux's pid_max default range: a dead process.
    // A put that found a file already there ("keep") must not delete that file.
    const foreign = join(dir, 'store', 'foreign.json');
    writeFileSync(foreign, '{"not": "ours"}');
    writeFileSync(join(dir, 'store', JOURNAL_DIR, '4194305-abcd.log'), `tmp\t${tmp}\nput\t${stray}\nput\t${keptPath}\nput\t${foreign}\nkeep\t${foreign}\n`);
    const report = store.recover();
    expect(report).toEqual({ journals: 1, removedTemp: [tmp], removedUnreferenced: [stray] });
    expect(existsSync(foreign)).toBe(true);
    expect(existsSync(keptPath)).toBe(true);
    expect(readdirSync(join(dir, 'store', JOURNAL_DIR)).some((n) => n.startsWith('4194305-'))).toBe(false);
    // A live process's journal is left alone.
    const live = new CrashJournal(join(dir, 'store'));
    live.record('tmp', keptPath);
    expect(store.recover().journals).toBe(0);
    expect(existsSync(keptPath)).toBe(true);
    live.close();
  });
});

describe('crash journal size', () => {
  it('settle() trims a journal once it has grown past 1 MiB', () => {
    const journal = new CrashJournal(dir);
    const long = join(dir, 'x'.repeat(200));
    for (let i = 0; i < 6000; i++) journal.record('put', long);
    const file = readdirSync(join(dir, JOURNAL_DIR)).find((n) => n.startsWith(`${process.pid}-`))!;
    expect(statSync(join(dir, JOURNAL_DIR, file)).size).toBeGreaterThan(1 << 20);
    journal.settle();
    expect(statSync(join(dir, JOURNAL_DIR, file)).size).toBe(0);
    journal.close();
    expect(existsSync(join(dir, JOURNAL_DIR, file))).toBe(false);
  });
});

describe('InMemory and Chained datastores', () => {
  it('chained puts go to accepting children; constraints accept/reject', async () => {
    const file = makeStore({ constraints: { reject: ['all'], accept: ['StructuredDataDict'] } });
    const mem = new InMemoryDatastore({ constraints: { reject: ['metric'] } }, universe);
    const chain = new ChainedDatastore([mem, file], universe);
    const dict = ref('metric', 'StructuredDataDict');
    const list = ref('numbers', 'StructuredDataList');
    const both = ref('other', 'StructuredDataDict');
    for (const [obj, r] of [[{ a: 1 }, dict], [[1, 2], list], [{ b: 2 }, both]] as const) {
      const p = await chain.preparePut(obj, r);
      db.transaction(() => p.commit(new UndoLog()));
    }
    expect([mem.knows(dict), file.knows(dict)]).toEqual([false, true]);
    expect([mem.knows(list), file.knows(list)]).toEqual([true, false]);
    expect([mem.knows(both), file.knows(both)]).toEqual([true, true]);
    expect(chain.lastWarning).toBeUndefined();
    expect(await chain.get(list)).toEqual([1, 2]);
    expect(chain.getURIs(both).primary).toMatch(/^file:/);
    expect(chain.name).toBe(`ChainedDatastore[${mem.name},FileDatastore@<butlerRoot>]`);
    const rejected = new ChainedDatastore([new InMemoryDatastore({ constraints: { reject: ['all'] } }, universe)], universe);
    await expect(rejected.preparePut({}, dict)).rejects.toThrow(/No datastore in ChainedDatastore\[.*\] accepts dataset metric@/);
  });

  it('in-memory components, parameters and trash', async () => {
    const mem = new InMemoryDatastore({}, universe);
    const r = ref('whole', 'StructuredComposite');
    const p = await mem.preparePut({ summary: { s: 1 }, data: [1, 2, 3] }, r);
    p.commit(new UndoLog());
    expect(await mem.get(r, { component: 'summary' })).toEqual({ s: 1 });
    expect(await mem.get(r, { parameters: { slice: [2, 3] } })).toEqual({ summary: { s: 1 }, data: [3] });
    mem.trash([r]);
    expect(mem.knows(r)).toBe(false);
    await mem.emptyTrash();
    await expect(mem.get(r)).rejects.toThrow(/not in datastore/);
  });

  it('createDatastore builds a chain from config and rejects unknown classes', () => {
    const chain = createDatastore({
      cls: 'lsst.daf.butler.datastores.chainedDatastore.ChainedDatastore',
      datastores: [{ cls: 'lsst.daf.butler.datastores.inMemoryDatastore.InMemoryDatastore' }, baseConfig('<butlerRoot>/files')],
    }, { db, universe, storageClasses, butlerRoot: dir });
    expect(chain.names).toHaveLength(3);
    expect(chain.names[2]).toBe('FileDatastore@<butlerRoot>/files');
    expect(() => createDatastore({ cls: 'x.S3Datastore' }, { db, universe, storageClasses, butlerRoot: dir })).toThrow(/Unsupported datastore class "x\.S3Datastore"/);
    expect(() => new ChainedDatastore([chain], universe, [1, 2])).toThrow(/one entry per child/);
  });
});
