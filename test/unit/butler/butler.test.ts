// The Butler facade on new repositories and on the shared real daf_butler repository.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdtempSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { Butler, DatasetExistence, exportDatasets, importDatasets, existenceIsTrue } from '../../../core/butler/index.js';
import { addCameraRecords, newRepo, registerType } from './helpers.js';
import { DatasetType } from '../../../core/datasets/index.js';

const sharedRepo = resolve(__dirname, '../../../..', 'shared', 'data', 'daf_butler', 'lsstcam_raw_repo');
const dataId = { instrument: 'Cam', detector: 0, exposure: 100 };

function setup(opts: { composite?: boolean } = {}) {
  const root = newRepo();
  if (opts.composite) {
    writeFileSync(join(root, 'butler.yaml'), readFileSync(join(root, 'butler.yaml'), 'utf8') + `storageClasses:
  MetricComposite:
    pytype: dict
    components: {summary: StructuredDataDict, data: StructuredDataList}
    parameters: [slice]
`);
  }
  const butler = Butler.open(root, { run: 'u/test' });
  addCameraRecords(butler);
  registerType(butler, 'metric', 'StructuredDataDict');
  return { root, butler };
}

describe('Butler.makeRepo', () => {
  it('writes the same butler.yaml keys as daf_butler and refuses to overwrite', () => {
    const root = newRepo();
    const written = YAML.parse(readFileSync(join(root, 'butler.yaml'), 'utf8'));
    const real = YAML.parse(readFileSync(join(sharedRepo, 'butler.yaml'), 'utf8'));
    expect(written).toEqual(real);
    expect(existsSync(join(root, 'gen3.sqlite3'))).toBe(true);
    expect(() => Butler.makeRepo(root)).toThrow(/A repository already exists at .*butler\.yaml is present/);
  });
  it('datastore roots and registry paths may use environment variables', async () => {
    const base = mkdtempSync(join(tmpdir(), 'env-'));
    process.env.H3_TEST_DATA = join(base, 'data');
    const root = join(base, 'repo');
    Butler.makeRepo(root, { config: { datastore: { root: '${H3_TEST_DATA}/files' } }, forceConfigRoot: false });
    const butler = Butler.open(root, { run: 'u/test' });
    addCameraRecords(butler);
    registerType(butler, 'metric', 'StructuredDataDict');
    const ref = await butler.put({ a: 1 }, 'metric', dataId);
    expect(butler.getURI(ref).startsWith(`file://${base}/data/files/u/test/`)).toBe(true);
    expect(butler.datastore.name).toBe('FileDatastore@${H3_TEST_DATA}/files');
    butler.close();
    delete process.env.H3_TEST_DATA;
  });

  it('standalone writes the expanded config including templates and formatters', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'sa-')), 'repo');
    Butler.makeRepo(root, { standalone: true });
    const written = YAML.parse(readFileSync(join(root, 'butler.yaml'), 'utf8'));
    expect(written.datastore.templates.default).toMatch(/^\{run:\/\}/);
    expect(written.datastore.formatters.StructuredDataDict).toBe('lsst.daf.butler.formatters.yaml.YamlFormatter');
    expect(written.datastore.root).toBe('<butlerRoot>');
  });
});

describe('put/get/URIs/exists', () => {
  it('round-trips through the default daf_butler template and records', async () => {
    const { root, butler } = setup();
    const ref = await butler.put({ a: 1, nested: { b: [1, 2] } }, 'metric', dataId);
    expect(await butler.get('metric', dataId)).toEqual({ a: 1, nested: { b: [1, 2] } });
    expect(await butler.get(ref)).toEqual({ a: 1, nested: { b: [1, 2] } });
    expect(await butler.get('metric', dataId, { component: 'nested' })).toEqual({ b: [1, 2] });
    const uri = butler.getURI(ref);
    expect(uri).toBe(`file://${root}/u/test/metric/20250101/CAM_100/metric_Cam_r_01_CAM_100_R00_S00_u_test.yaml`);
    expect(butler.exists('metric', dataId)).toBe(DatasetExistence.VERIFIED);
    expect(butler.exists('metric', { ...dataId, detector: 1 })).toBe(DatasetExistence.UNRECOGNIZED);
    const deferred = butler.getDeferred('metric', dataId);
    expect(await deferred.get({ component: 'a' })).toBe(1);
    expect(butler.getURI('metric', { ...dataId, detector: 1 }, { predict: true })).toMatch(/R00_S01_u_test\.yaml#predicted$/);
    butler.close();
  });

  it('a failed put leaves neither a registry row nor a file', async () => {
    const { root, butler } = setup();
    registerType(butler, 'bad', 'StructuredDataDict');
    const exploding = { ok: 1, get boom(): number { throw new Error('cannot serialise boom'); } };
    await expect(butler.put(exploding, 'bad', dataId)).rejects.toThrow('cannot serialise boom');
    await butler.put({ a: 1 }, 'metric', dataId);
    // Same data ID again: the registry refuses, and the already staged file must vanish.
    await expect(butler.put({ a: 2 }, 'metric', dataId)).rejects.toThrow(/already exists/);
    const count = butler.registry.queryDatasets('metric', { collections: 'u/test' }).length;
    expect(count).toBe(1);
    const dir = join(root, 'u/test/metric/20250101/CAM_100');
    expect(readdirSync(dir)).toEqual(['metric_Cam_r_01_CAM_100_R00_S00_u_test.yaml']);
    expect(butler.registry.queryDatasets('bad', { collections: 'u/test' })).toEqual([]);
    butler.close();
  });

  it('transaction: everything inside rolls back together, files included', async () => {
    const { root, butler } = setup();
    await expect(butler.transaction(async () => {
      await butler.put({ a: 1 }, 'metric', dataId);
      await butler.put({ a: 2 }, 'metric', { ...dataId, exposure: 101 });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(butler.registry.queryDatasets('metric', { collections: 'u/test' })).toEqual([]);
    expect(existsSync(join(root, 'u/test/metric/20250101/CAM_100/metric_Cam_r_01_CAM_100_R00_S00_u_test.yaml'))).toBe(false);
    await butler.transaction(async () => {
      await butler.put({ a: 1 }, 'metric', dataId);
      await expect(butler.transaction(async () => {
        await butler.put({ a: 2 }, 'metric', { ...dataId, exposure: 101 });
        throw new Error('inner');
      })).rejects.toThrow('inner');
    });
    const refs = butler.registry.queryDatasets('metric', { collections: 'u/test' });
    expect(refs.map((r) => r.dataId.values.exposure)).toEqual([100]);
    expect(existsSync(join(root, 'u/test/metric/20250101/CAM_101'))).toBe(true);
    expect(readdirSync(join(root, 'u/test/metric/20250101/CAM_101'))).toEqual([]);
    butler.close();
  });

  it('a concurrent caller neither joins nor is rolled back with another caller\'s transaction', async () => {
    const { butler } = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const failing = butler.transaction(async () => {
      await butler.put({ a: 1 }, 'metric', dataId);
      await gate;
      throw new Error('abort A');
    });
    // B starts while A's transaction is open: it waits for A to end, then commits on its own.
    const other = butler.put({ b: 1 }, 'metric', { ...dataId, exposure: 101 });
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect(failing).rejects.toThrow('abort A');
    const b = await other;
    expect(butler.registry.queryDatasets('metric', { collections: 'u/test' }).map((r) => r.id)).toEqual([b.id]);
    expect(await butler.get(b)).toEqual({ b: 1 });
    butler.close();
  });

  it('a background write failing inside a transaction rolls everything back', async () => {
    const { root, butler } = setup();
    // A plain file where the second dataset's directory must go: its write fails (ENOTDIR).
    const blocker = join(root, 'u/test/metric/20250101/CAM_101');
    mkdirSync(dirname(blocker), { recursive: true });
    writeFileSync(blocker, 'not a directory');
    await expect(butler.transaction(async () => {
      await butler.put({ a: 1 }, 'metric', dataId);
      await butler.put({ a: 2 }, 'metric', { ...dataId, exposure: 101 });
      await butler.put({ a: 3 }, 'metric', { ...dataId, exposure: 102 });
      // Reading inside the transaction waits for the file being written.
      expect(await butler.get('metric', dataId)).toEqual({ a: 1 });
    })).rejects.toThrow(/Cannot write .*CAM_101.*ENOTDIR/);
    expect(butler.registry.queryDatasets('metric', { collections: 'u/test' })).toEqual([]);
    const left = readdirSync(join(root, 'u/test/metric/20250101'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(left.map((e) => e.name)).toEqual(['CAM_101']);
    butler.close();
  });

  it('inside a transaction an existing file at the target path is never replaced', async () => {
    const { butler } = setup();
    const target = fileURLToPath(butler.getURI('metric', dataId, { predict: true }).replace(/#predicted$/, ''));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, 'precious');
    await expect(butler.transaction(async () => {
      await butler.put({ a: 1 }, 'metric', dataId);
    })).rejects.toThrow(/Refusing to overwrite existing file/);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(butler.registry.queryDatasets('metric', { collections: 'u/test' })).toEqual([]);
    expect(readdirSync(dirname(target))).toEqual([basename(target)]);
    butler.close();
  });

  it('disassembled composites: component files, reading one component, parameters', async () => {
    const { root } = setup({ composite: true });
    const yamlPath = join(root, 'butler.yaml');
    writeFileSync(yamlPath, readFileSync(yamlPath, 'utf8') + 'datastore_extra: 1\n');
    const cfg = YAML.parse(readFileSync(yamlPath, 'utf8'));
    cfg.datastore.composites = { disassembled: { MetricComposite: true } };
    cfg.datastore.formatters = { StructuredDataList: 'lsst.daf.butler.formatters.json.JsonFormatter' };
    writeFileSync(yamlPath, YAML.stringify(cfg));
    const butler = Butler.open(root, { run: 'u/test' });
    registerType(butler, 'comp', 'MetricComposite');
    const ref = await butler.put({ summary: { n: 3 }, data: [1, 2, 3] }, 'comp', dataId);
    const uris = butler.getURIs(ref);
    expect(uris.primary).toBeUndefined();
    expect(uris.components.data).toMatch(/comp\.data\/.*comp_data_.*\.json$/);
    expect(uris.components.summary).toMatch(/\.yaml$/);
    expect(await butler.get('comp.data', dataId)).toEqual([1, 2, 3]);
    expect(butler.getURI('comp.summary', dataId)).toBe(uris.components.summary);
    expect(await butler.get('comp', dataId, { parameters: { slice: [0, 2] } })).toEqual({ summary: { n: 3 }, data: [1, 2] });
    expect(() => butler.getURI(ref)).toThrow(/disassembled into 2 component files/);
    butler.close();
  });
});

describe('a chained datastore behind the Butler', () => {
  it('puts to every accepting child, reads from the first, prunes from all', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'chain-')), 'repo');
    Butler.makeRepo(root, {
      config: {
        datastore: {
          cls: 'lsst.daf.butler.datastores.chainedDatastore.ChainedDatastore',
          datastores: [
            { cls: 'lsst.daf.butler.datastores.inMemoryDatastore.InMemoryDatastore', constraints: { reject: ['big'] } },
            { cls: 'lsst.daf.butler.datastores.fileDatastore.FileDatastore', root: '<butlerRoot>/files' },
          ],
        },
      },
    });
    const written = YAML.parse(readFileSync(join(root, 'butler.yaml'), 'utf8'));
    expect(written.datastore.cls).toBe('lsst.daf.butler.datastores.chainedDatastore.ChainedDatastore');
    const butler = Butler.open(root, { run: 'u/test' });
    expect(butler.datastore.names).toHaveLength(3);
    addCameraRecords(butler);
    registerType(butler, 'metric', 'StructuredDataDict');
    registerType(butler, 'big', 'StructuredDataDict');
    const m = await butler.put({ a: 1 }, 'metric', dataId);
    const big = await butler.put({ b: 2 }, 'big', dataId);
    const [memory, files] = (butler.datastore as unknown as { children: { knows(r: unknown): boolean }[] }).children;
    expect([memory.knows(m), files.knows(m)]).toEqual([true, true]);
    expect([memory.knows(big), files.knows(big)]).toEqual([false, true]);
    expect(butler.getURI(m)).toMatch(new RegExp(`^file://${root}/files/u/test/metric/`));
    expect(await butler.get(big)).toEqual({ b: 2 });
    await butler.pruneDatasets([m, big], { purge: true, unstore: true });
    expect([memory.knows(m), files.knows(m), files.knows(big)]).toEqual([false, false, false]);
    expect(butler.registry.queryDatasets('*', { collections: 'u/test' })).toEqual([]);
    butler.close();
  });
});

describe('prune, removeRuns, ingest, export/import, retrieve', () => {
  it('pruneDatasets purge removes rows and files; unstore keeps the registry row', async () => {
    const { butler } = setup();
    const a = await butler.put({ a: 1 }, 'metric', dataId);
    const b = await butler.put({ b: 1 }, 'metric', { ...dataId, exposure: 101 });
    const aFile = fileURLToPath(butler.getURI(a));
    const bFile = fileURLToPath(butler.getURI(b));
    await expect(butler.pruneDatasets([a], { purge: true, unstore: false })).rejects.toThrow(/purge requires disassociate and unstore/);
    await butler.pruneDatasets([a], { purge: true, unstore: true });
    expect(existsSync(aFile)).toBe(false);
    expect(butler.registry.getDataset(a.id)).toBeNull();
    await butler.pruneDatasets([b], { unstore: true, disassociate: false });
    expect(existsSync(bFile)).toBe(false);
    expect(butler.exists(b)).toBe(DatasetExistence.RECORDED);
    expect(existenceIsTrue(butler.exists(b))).toBe(false);
    butler.close();
  });

  it('removeRuns deletes the run, its datasets and artifacts', async () => {
    const { butler } = setup();
    const a = await butler.put({ a: 1 }, 'metric', dataId);
    const file = fileURLToPath(butler.getURI(a));
    await butler.removeRuns(['u/test']);
    expect(existsSync(file)).toBe(false);
    expect(() => butler.registry.getCollectionType('u/test')).toThrow();
    butler.registry.registerCollection('tag', 'TAGGED');
    await expect(butler.removeRuns(['tag'])).rejects.toThrow(/is of type TAGGED, not RUN/);
    butler.close();
  });

  it('ingests external files, exports and imports into another repository with the files', async () => {
    const { butler } = setup();
    const src = join(mkdtempSync(join(tmpdir(), 'ing-')), 'external.json');
    writeFileSync(src, JSON.stringify({ ext: true }));
    registerType(butler, 'ext', 'StructuredDataDict');
    const [ing] = await butler.ingest([{ path: src, datasetType: 'ext', dataIds: [dataId], formatter: 'lsst.daf.butler.formatters.json.JsonFormatter' }], { transfer: 'copy' });
    expect(await butler.get(ing)).toEqual({ ext: true });
    expect(butler.getURI(ing)).toMatch(/ext_Cam_r_01_CAM_100_R00_S00_u_test\.json$/);
    const m = await butler.put({ a: 1 }, 'metric', dataId);
    const exportDir = mkdtempSync(join(tmpdir(), 'exp-'));
    const doc = exportDatasets(butler, [ing, m], 'export.yaml', { directory: exportDir, transfer: 'copy' });
    expect(doc.datasets).toHaveLength(2);
    const text = readFileSync(join(exportDir, 'export.yaml'), 'utf8');
    expect(text).toContain('description: Butler Data Repository Export');
    expect(text).toContain('version: 1.0.2');
    expect(text).toContain(`- !uuid ${ing.id}`);
    expect(text).toMatch(/- type: dimension\n {4}element: instrument/);
    butler.close();

    const target = Butler.open(newRepo('import-'), { writeable: true });
    const imported = await importDatasets(target, join(exportDir, 'export.yaml'), { transfer: 'copy' });
    expect(imported.map((r) => r.id).sort()).toEqual([ing.id, m.id].sort());
    expect(await target.get('ext', dataId, { collections: 'u/test' })).toEqual({ ext: true });
    expect(await target.get('metric', dataId, { collections: 'u/test' })).toEqual({ a: 1 });
    target.close();
  });

  it('export/import keeps TAGGED and CALIBRATION memberships (with validity ranges)', async () => {
    const { butler } = setup();
    const bias = DatasetType.fromNames(butler.registry.dimensions, 'bias', ['instrument', 'detector'], 'StructuredDataDict', { isCalibration: true });
    butler.registry.registerDatasetType(bias);
    const ref = await butler.put({ level: 1000 }, 'bias', { instrument: 'Cam', detector: 1 });
    butler.registry.registerCollection('calib', 'CALIBRATION');
    butler.registry.registerCollection('tagged', 'TAGGED');
    const begin = 1_700_000_000_000_000_000n;
    butler.registry.certify('calib', [ref], { begin, end: null });
    butler.registry.associate('tagged', [ref]);
    const dir = mkdtempSync(join(tmpdir(), 'calexp-'));
    exportDatasets(butler, [ref], 'export.yaml', { directory: dir, transfer: 'copy', collections: ['calib', 'tagged'] });
    const text = readFileSync(join(dir, 'export.yaml'), 'utf8');
    expect(text).toMatch(/collection_type: CALIBRATION\n\s+validity_ranges:\n\s+- begin: !butler_time\/tai\/iso .*\n\s+end: null/);
    butler.close();
    const target = Butler.open(newRepo('calimp-'), { writeable: true });
    await importDatasets(target, join(dir, 'export.yaml'));
    const assoc = target.registry.queryDatasetAssociations('bias', { collections: ['calib'] });
    expect(assoc.map((a) => [a.ref.id, a.timespan?.begin])).toEqual([[ref.id, begin]]);
    expect(target.registry.queryDatasets('bias', { collections: 'tagged' }).map((r) => r.id)).toEqual([ref.id]);
    expect(await target.get('bias', { instrument: 'Cam', detector: 1 }, { collections: 'u/test' })).toEqual({ level: 1000 });
    target.close();
  });

  it('retrieveArtifacts copies files out, keeping their paths', async () => {
    const { butler } = setup();
    const a = await butler.put({ a: 1 }, 'metric', dataId);
    const out = mkdtempSync(join(tmpdir(), 'ret-'));
    const files = butler.retrieveArtifacts([a], out);
    expect(files).toEqual([join(out, 'u/test/metric/20250101/CAM_100/metric_Cam_r_01_CAM_100_R00_S00_u_test.yaml')]);
    expect(readFileSync(files[0], 'utf8')).toContain('a: 1');
    butler.close();
  });
});

describe('the real daf_butler repository (shared, read-only)', () => {
  it('opens read-only, lists the raws and gives their URIs; FITS raws read through the registered formatter', async () => {
    const butler = Butler.open(sharedRepo);
    const refs = butler.registry.queryDatasets('raw', { collections: 'LSSTCam/raw/all' });
    expect(refs).toHaveLength(4);
    const ref = refs.find((r) => r.dataId.values.exposure === 2025041500054);
    expect(ref).toBeDefined();
    expect(butler.getURI(ref!)).toBe(`file://${sharedRepo}/LSSTCam/raw/all/raw/20250415/MC_O_20250415_000054/raw_LSSTCam_i_39_MC_O_20250415_000054_R22_S11_LSSTCam_raw_all.fits`);
    expect(butler.exists(ref!)).toBe(DatasetExistence.VERIFIED);
    await expect(butler.put({}, 'raw', {}, { run: 'x' })).rejects.toThrow(/read-only/);
    const header = (await butler.get(ref!, undefined, { component: 'metadata' })) as { getString(k: string): string | undefined };
    expect(header.getString('OBSID')).toBe('MC_O_20250415_000054');
    // These files hold headers only: reading pixels is a clear error naming the file.
    await expect(butler.get(ref!)).rejects.toThrow(/raw_LSSTCam_i_39_MC_O_20250415_000054_R22_S11_LSSTCam_raw_all\.fits: no IMAGE HDU/);
    butler.close();
  });

  it('a pickle record gives a clear error naming formatter and file', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'real-')), 'repo');
    cpSync(sharedRepo, copy, { recursive: true });
    const butler = Butler.open(copy, { writeable: true });
    const ref = butler.registry.queryDatasets('raw', { collections: 'LSSTCam/raw/all' })[0];
    butler.registry.db.prepare("UPDATE file_datastore_records SET formatter = 'lsst.daf.butler.formatters.pickle.PickleFormatter' WHERE dataset_id = ?").run(ref.id.replace(/-/g, ''));
    await expect(butler.get(ref)).rejects.toThrow(/Formatter lsst\.daf\.butler\.formatters\.pickle\.PickleFormatter \(used for file:\/\/.*\.fits\) is not supported/);
    butler.close();
  });
});
