// `butler conformance <suite> <cases.json>`: runs a conformance case file, prints each
// failing case, then "N passed, M failed"; exits 1 if any case failed.
import type { Command } from 'commander';
import { runSuiteFile, listSuites } from '../../core/conformance/index.js';
import type { CommandGroup } from './index.js';

export const conformanceCommands: CommandGroup = (program: Command) => {
  program
    .command('conformance')
    .description('Run a conformance case file against our implementation.')
    .argument('[suite]', 'suite name (omit with --list to see them)')
    .argument('[cases]', 'JSON case file')
    .option('--list', 'list the known suites')
    .option('-v, --verbose', 'also print passing cases')
    .action((suite: string | undefined, cases: string | undefined, opts: { list?: boolean; verbose?: boolean }) => {
      if (opts.list || suite === undefined) {
        for (const s of listSuites()) process.stdout.write(`${s.name.padEnd(26)} ${s.description}\n`);
        if (!opts.list) throw new Error('missing suite name and case file: butler conformance <suite> <cases.json>');
        return;
      }
      if (cases === undefined) throw new Error(`missing case file: butler conformance ${suite} <cases.json>`);
      const run = runSuiteFile(suite, cases);
      for (const r of run.results) {
        if (!r.ok) process.stdout.write(`FAIL ${r.id}: ${r.message ?? ''}\n`);
        else if (opts.verbose) process.stdout.write(`ok   ${r.id}\n`);
      }
      process.stdout.write(`${run.passed} passed, ${run.failed} failed\n`);
      if (run.failed > 0) process.exitCode = 1;
    });
};
