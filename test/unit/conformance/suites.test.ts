// Runs every conformance suite on the shared reference case files: all cases must pass.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runSuiteFile, suiteNames } from '../../../core/conformance/index.js';

const reference = resolve(__dirname, '../../../..', 'shared', 'reference');

const files: Record<string, string> = {
  filetemplate: 'filetemplate_cases.json',
  'filetemplate-lookup': 'filetemplate_lookup_cases.json',
  'filetemplate-validation': 'filetemplate_validation_cases.json',
  config: 'config_cases_runner.json',
  'dataset-id': 'dataset_id_cases.json',
};

describe('conformance suites on the shared case files', () => {
  it('has every required suite registered', () => {
    expect(suiteNames()).toEqual(expect.arrayContaining(Object.keys(files)));
  });
  for (const [suite, file] of Object.entries(files)) {
    it(`${suite}: every case in ${file} passes`, () => {
      const run = runSuiteFile(suite, resolve(reference, file));
      const failures = run.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.message}`);
      expect(failures).toEqual([]);
      expect(run.passed).toBeGreaterThanOrEqual(13);
    });
  }
  it('an unknown suite is a clear error listing the known ones', () => {
    expect(() => runSuiteFile('nope', 'x.json')).toThrow(/Unknown conformance suite 'nope'; known suites: .*filetemplate/);
  });
});
