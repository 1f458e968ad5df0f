// The butler CLI commands of this area, run in-process through commander.
import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { butlerCommands } from '../../../cli/commands/butler.js';
import { Butler } from '../../../core/butler/index.js';
import { addCameraRecords, newRepo, registerType } from './helpers.js';

async function run(...args: string[]): Promise<string> {
  const program = new Command('butler').exitOverride();
  butlerCommands(program);
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

describe('butler CLI: ingest-files, config, export/import, retrieve, prune, remove-runs', () => {
  it('runs the whole cycle on a new repository', async () => {
    const repo = newRepo('cli-');
    const b = Butler.open(repo, { writeable: true });
    addCameraRecords(b);
    registerType(b, 'metric', 'StructuredDataDict');
    b.close();
    const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
    writeFileSync(join(dir, 'a.json'), '{"a": 1}');
    writeFileSync(join(dir, 'b.json'), '{"b": 2}');
    writeFileSync(join(dir, 'files.csv'), 'file,exposure,detector\na.json,100,0\nb.json,101,1\n');

    expect(await run('ingest-files', repo, 'metric', 'u/ingest', join(dir, 'files.csv'), '--data-id', 'instrument=Cam', '--transfer', 'copy', '--formatter', 'lsst.daf.butler.formatters.json.JsonFormatter', '--id-generation-mode', 'DATAID_TYPE_RUN'))
      .toBe('Ingested 2 datasets of type metric into u/ingest\n');
    const check = Butler.open(repo, { collections: 'u/ingest' });
    expect(await check.get('metric', { instrument: 'Cam', exposure: 101, detector: 1 })).toEqual({ b: 2 });
    check.close();

    expect(await run('config-validate', repo)).toContain('Configuration valid for 1 dataset type.');
    expect(await run('config-dump', repo, '--subset', '.datastore.records')).toBe('table: file_datastore_records\n');
    expect(await run('config-dump', repo)).toContain('physical_filter+detector+exposure:');

    const exportDir = mkdtempSync(join(tmpdir(), 'cli-export-'));
    expect(await run('export', repo, 'export.yaml', '--collections', 'u/ingest', '--directory', exportDir, '--transfer', 'copy')).toMatch(/^Exported 2 datasets \(1 dataset types, \d+ dimension records\)/);
    expect(readFileSync(join(exportDir, 'export.yaml'), 'utf8')).toContain('formatter: lsst.daf.butler.formatters.json.JsonFormatter');
    const other = newRepo('cli-import-');
    expect(await run('import', other, exportDir, '--transfer', 'copy')).toBe(`Imported 2 datasets from ${join(exportDir, 'export.yaml')}\n`);

    const out = mkdtempSync(join(tmpdir(), 'cli-ret-'));
    const retrieved = await run('retrieve-artifacts', other, out, '--collections', 'u/ingest');
    expect(retrieved).toContain(`Number of artifacts retrieved into destination ${out}: 2`);

    expect(await run('prune-datasets', repo, 'u/ingest', '--purge', 'u/ingest', '--dry-run')).toContain('Would remove 2 datasets');
    expect(await run('prune-datasets', repo, 'u/ingest', '--purge', 'u/ingest', '--no-confirm')).toBe('Removed 2 datasets.\n');
    await expect(run('prune-datasets', repo)).rejects.toThrow(/needs one of --purge RUN, --unstore or --disassociate TAG/);
    await expect(run('remove-runs', other, 'u/ingest')).rejects.toThrow(/no terminal to confirm on; rerun with --no-confirm/);
    expect(await run('remove-runs', other, 'u/*', '--no-confirm')).toContain('Removed 1 run.');
    expect(existsSync(join(other, 'u/ingest'))).toBe(true);
    const after = Butler.open(other);
    expect(after.registry.queryCollections('*', { types: ['RUN'] })).toEqual([]);
    after.close();
  });

  it('a bad config-validate names the dataset type and the problem', async () => {
    const repo = newRepo('cli-bad-');
    const yamlPath = join(repo, 'butler.yaml');
    // A template for `bad` that lacks its required dimensions instrument and exposure.
    writeFileSync(yamlPath, readFileSync(yamlPath, 'utf8').replace('datastore:\n', 'datastore:\n  templates:\n    bad: "{run}/{datasetType}_{detector}"\n'));
    const b = Butler.open(repo, { writeable: true });
    registerType(b, 'bad', 'StructuredDataDict');
    b.close();
    await expect(run('config-validate', repo, '--quiet')).rejects.toThrow(/Configuration is not valid for 1 dataset type: bad/);
  });
});
