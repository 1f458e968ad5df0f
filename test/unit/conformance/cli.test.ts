// The conformance command prints failing cases and the summary line, exit 1 on failure.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), ...args], { cwd: root, encoding: 'utf8' });
}

describe('butler conformance', () => {
  it('reports a failing case, the summary and exit code 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conf-'));
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify([
      { id: 'good', template: '{run}/{visit}', datasetType: 'x', dimensions: ['visit'], requiredDimensions: ['visit'], dataId: { visit: 1 }, records: null, run: 'r', datasetId: null, expected: 'r/1', expectedError: null, errorStage: null, errorMessageContains: null },
      { id: 'bad', template: '{run}/{visit}', datasetType: 'x', dimensions: ['visit'], requiredDimensions: ['visit'], dataId: { visit: 1 }, records: null, run: 'r', datasetId: null, expected: 'r/2', expectedError: null, errorStage: null, errorMessageContains: null },
    ]));
    const r = cli(['conformance', 'filetemplate', file]);
    expect(r.stdout).toContain('FAIL bad: expected "r/2", got "r/1"');
    expect(r.stdout.trim().split('\n').pop()).toBe('1 passed, 1 failed');
    expect(r.status).toBe(1);
  });
  it('passes the shared config cases with exit code 0', () => {
    const r = cli(['conformance', 'config', resolve(root, '..', 'shared', 'reference', 'config_cases_runner.json')]);
    expect(r.stdout.trim().split('\n').pop()).toBe('14 passed, 0 failed');
    expect(r.status).toBe(0);
  });
});
