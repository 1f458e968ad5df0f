import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registryCommands } from '../../../cli/commands/registry.js';
import { Registry } from '../../../core/registry/index.js';
import { realRepo, tempDir } from './fixtures.js';

/** Runs `butler <args>` in-process with the registry commands; returns stdout. */
async function butler(...args: string[]): Promise<string> {
  const program = new Command('butler').exitOverride();
  registryCommands(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  try {
    await program.parseAsync(['node', 'butler', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('butler registry commands on the shared real repository', () => {
  it('query-datasets lists the four raws with their data IDs (acceptance)', async () => {
    const out = await butler('query-datasets', realRepo, 'raw', '--collections', 'LSSTCam/raw/all');
    const lines = out.trimEnd().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['type', 'run', 'id', 'instrument', 'detector', 'exposure']);
    expect(lines).toHaveLength(6);
    expect(lines[2].split(/\s+/)).toEqual(['raw', 'LSSTCam/raw/all', '25a23b30-cccf-5499-b4fd-3931ad1aafd4', 'LSSTCam', '94', '2025041500052']);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[5])).toEqual(['2025041500052', '2025041500053', '2025041500054', '2025041500055']);
  });

  it('filters with --where and prints JSON', async () => {
    const json = JSON.parse(await butler('query-datasets', realRepo, '--collections', 'LSSTCam/raw/all', '--where', "exposure.observation_type = 'acq'", '--json'));
    expect(json.map((d: { dataId: { exposure: number } }) => d.dataId.exposure)).toEqual([2025041500054, 2025041500055]);
    expect(JSON.parse(await butler('query-data-ids', realRepo, 'exposure', '--where', 'exposure.seq_num = 53', '--json'))).toEqual([
      { instrument: 'LSSTCam', exposure: 2025041500053, band: 'i', day_obs: 20250415, group: '2025-04-16T00:25:46.032', physical_filter: 'i_39' },
    ]);
    const records = await butler('query-dimension-records', realRepo, 'detector', '--where', "purpose = 'WAVEFRONT'", '--limit', '2');
    expect(records).toMatch(/R00_SW0/);
    expect(records.trimEnd().split('\n')).toHaveLength(4);
  });

  it('explains a query: SQL with placeholders, parameters and the SQLite plan', async () => {
    const out = await butler('query-datasets', realRepo, 'raw', '--collections', 'LSSTCam/raw/all', '--where', "exposure.obs_id = 'MC_O_20250415_000054'", '--explain');
    expect(out).toMatch(/^-- raw\nSELECT /);
    expect(out).not.toMatch(/SELECT[^\n]*MC_O_20250415_000054/);
    expect(out).toMatch(/parameters: \[.*"MC_O_20250415_000054"/);
    expect(out).toMatch(/plan:\n {2}(SEARCH|SCAN) /);
  });

  it('reports errors by throwing clear messages', async () => {
    await expect(butler('query-datasets', realRepo, 'raw', '--collections', 'nope')).rejects.toThrow(/Collection 'nope' not found/);
    await expect(butler('query-datasets', realRepo, 'rawr')).rejects.toThrow(/Dataset type 'rawr' is not registered/);
    await expect(butler('query-collections', '/nonexistent/repo')).rejects.toThrow(/does not exist/);
  });
});

describe('butler registry commands that write', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const repo = path.join(dir, 'repo');

  it('creates a repository with butler.yaml and a daf_butler registry', async () => {
    await butler('create', repo);
    expect(existsSync(path.join(repo, 'butler.yaml'))).toBe(true);
    expect(readFileSync(path.join(repo, 'butler.yaml'), 'utf8')).toMatch(/registry:/);
    const r = Registry.open(repo, { readOnly: true });
    expect(r.dimensions.version).toBe(7);
    r.close();
    await expect(butler('create', repo)).rejects.toThrow();
  });

  it('registers dataset types and runs, builds chains in every mode, and shows trees', async () => {
    await butler('register-dataset-type', repo, 'bias', 'ExposureF', 'instrument', 'detector', '--is-calibration');
    expect(await butler('query-dataset-types', repo, '--verbose')).toMatch(/bias\s+instrument, detector\s+ExposureF\s+true/);
    await expect(butler('register-dataset-type', repo, 'bias', 'NoSuchClass', 'instrument')).rejects.toThrow(/Unknown storage class 'NoSuchClass'/);
    for (const run of ['r1', 'r2', 'r3']) await butler('register-run', repo, run);
    expect(await butler('collection-chain', repo, 'chain', 'r1', 'r2')).toBe('[r1, r2]\n');
    expect(await butler('collection-chain', repo, 'chain', 'r3', '--mode', 'prepend')).toBe('[r3, r1, r2]\n');
    expect(await butler('collection-chain', repo, 'chain', 'r1', '--mode', 'remove')).toBe('[r3, r2]\n');
    expect(await butler('collection-chain', repo, 'chain', 'r1', '--mode', 'extend')).toBe('[r3, r2, r1]\n');
    expect(await butler('collection-chain', repo, 'chain', '--mode', 'pop')).toBe('[r2, r1]\n');
    expect(await butler('collection-chain', repo, 'outer', 'chain', 'r3')).toBe('[chain, r3]\n');
    await expect(butler('collection-chain', repo, 'chain', 'outer', '--mode', 'extend')).rejects.toThrow(/would then contain itself/);
    const tree = await butler('query-collections', repo, 'outer');
    const squeeze = (text: string) => text.trimEnd().split('\n').slice(2).map((l) => l.replace(/(\S)\s+/g, '$1 '));
    expect(squeeze(tree)).toEqual(['outer CHAINED', '  chain CHAINED', '    r2 RUN', '    r1 RUN', '  r3 RUN']);
    const table = await butler('query-collections', repo, '--chains', 'TABLE', '--collection-type', 'CHAINED');
    expect(table).toMatch(/chain\s+CHAINED\s+r2\n\s+r1\n/);
    const inverse = await butler('query-collections', repo, 'r1', '--chains', 'INVERSE-TREE');
    expect(squeeze(inverse)).toEqual(['r1 RUN', '  chain CHAINED', '    outer CHAINED']);
    const flat = JSON.parse(await butler('query-collections', repo, '--json'));
    expect(flat.find((c: { name: string }) => c.name === 'outer').children).toEqual(['chain', 'r3']);
  });

  it('certifies calibrations and removes collections', async () => {
    const r = Registry.open(repo);
    r.insertDimensionData('instrument', [{ name: 'Cam' }]);
    r.insertDimensionData('detector', [{ instrument: 'Cam', id: 1 }, { instrument: 'Cam', id: 2 }]);
    r.insertDatasets('bias', [{ instrument: 'Cam', detector: 1 }, { instrument: 'Cam', detector: 2 }], 'r1');
    r.close();
    expect(await butler('certify-calibrations', repo, 'r1', 'calib', 'bias', '--begin-date', '2025-01-01T00:00:00', '--end-date', '2025-06-01')).toMatch(/Certified 2 bias datasets into 'calib' for \[2025-01-01T00:00:00.000, 2025-06-01T00:00:00.000\)/);
    await expect(butler('certify-calibrations', repo, 'r1', 'calib', 'bias', '--begin-date', '2025-05-01')).rejects.toThrow(/overlaps the existing range/);
    const out = await butler('query-datasets', repo, 'bias', '--collections', 'calib', '--find-first', '--timespan-begin', '2025-02-01', '--timespan-end', '2025-02-02');
    expect(out.trimEnd().split('\n')).toHaveLength(4);
    await expect(butler('remove-collections', repo, 'r1', '--no-confirm')).rejects.toThrow(/is a RUN; remove RUN collections with remove-runs/);
    await expect(butler('remove-collections', repo, 'chain', '--no-confirm')).rejects.toThrow(/still a child of chained collection 'outer'/);
    expect(await butler('remove-collections', repo, 'outer', 'calib', '--no-confirm')).toMatch(/Removed 2 collections/);
    expect(JSON.parse(await butler('query-collections', repo, '--json')).map((c: { name: string }) => c.name)).toEqual(['chain', 'r1', 'r2', 'r3']);
    expect(await butler('associate', repo, 'best', 'bias', '--collections', 'r1', '--where', 'detector = 2')).toMatch(/Associated 1 dataset with 'best'/);
  });
});
