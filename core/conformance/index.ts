// Conformance runner: the built-in suites, and running a case file.
import { readFileSync } from 'node:fs';
import { configSuite } from './suites/config.js';
import { datasetIdSuite } from './suites/datasetId.js';
import { fileTemplateSuite } from './suites/fileTemplate.js';
import { fileTemplateLookupSuite } from './suites/fileTemplateLookup.js';
import { fileTemplateValidationSuite } from './suites/fileTemplateValidation.js';
import { getSuite, listSuites, registerSuite, type CaseResult } from './suite.js';

export { registerSuite, getSuite, listSuites, runCase, expectError, type CaseResult, type ConformanceSuite } from './suite.js';

for (const suite of [fileTemplateSuite, fileTemplateLookupSuite, fileTemplateValidationSuite, configSuite, datasetIdSuite]) {
  registerSuite(suite, { overwrite: true });
}

export interface SuiteRun {
  suite: string;
  file: string;
  results: CaseResult[];
  passed: number;
  failed: number;
}

/** Runs a suite on a JSON case file. */
export function runSuiteFile(suiteName: string, file: string): SuiteRun {
  const suite = getSuite(suiteName);
  let cases: unknown;
  try {
    cases = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read case file ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const results = suite.run(cases);
  const passed = results.filter((r) => r.ok).length;
  return { suite: suiteName, file, results, passed, failed: results.length - passed };
}

export function suiteNames(): string[] {
  return listSuites().map((s) => s.name);
}
