// Butler (datastore-level) commands of the `butler` CLI with daf_butler's names and
// options: ingest-files, prune-datasets, remove-runs, retrieve-artifacts, export, import,
// config-dump, config-validate.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { Butler, exportDatasets, importDatasets } from '../../core/butler/index.js';
import { ButlerConfig, Config } from '../../core/config/index.js';
import { parseIdGenMode, type DatasetRef } from '../../core/datasets/index.js';
import { TRANSFER_MODES, type TransferMode } from '../../core/datastore/index.js';
import { printJson, printTable } from '../output.js';
import type { CommandGroup } from './index.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s.length > 0)];
}

function parseTransfer(value: string): TransferMode {
  if (!(TRANSFER_MODES as readonly string[]).includes(value)) throw new Error(`--transfer must be one of ${TRANSFER_MODES.join(', ')}, got '${value}'`);
  return value as TransferMode;
}

/** `k=v,k2=v2` (repeatable) into a data ID; integers become numbers. */
function parseDataId(values: string[] | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const item of values ?? []) {
    const i = item.indexOf('=');
    if (i <= 0) throw new Error(`--data-id wants dimension=value, got '${item}'`);
    const v = item.slice(i + 1);
    out[item.slice(0, i)] = /^-?\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new Error(`${question} — no terminal to confirm on; rerun with --no-confirm to proceed`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

async function withButler<T>(repo: string, writeable: boolean, fn: (b: Butler) => Promise<T> | T): Promise<T> {
  if (!existsSync(repo)) throw new Error(`Repository ${repo} does not exist`);
  const butler = Butler.open(repo, { writeable });
  try {
    return await fn(butler);
  } finally {
    butler.close();
  }
}

/** Datasets selected by dataset types, collections and a where clause. */
function selectDatasets(butler: Butler, opts: { datasetType?: string[]; collections?: string[]; where?: string; findFirst?: boolean }): DatasetRef[] {
  const types = butler.registry.queryDatasetTypes(opts.datasetType && opts.datasetType.length > 0 ? opts.datasetType : ['*']);
  const collections = opts.collections && opts.collections.length > 0 ? opts.collections : ['*'];
  return types.flatMap((t) => (t.isComponent() ? [] : butler.registry.queryDatasets(t, { collections, where: opts.where, findFirst: opts.findFirst ?? false })));
}

/** Reads the ingest table: CSV (or ECSV) whose first column is the file and the others dimensions. */
function readIngestTable(file: string): { path: string; dataId: Record<string, string | number> }[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length < 2) throw new Error(`${file}: the table needs a header line and at least one row`);
  const split = (l: string) => (l.includes(',') ? l.split(',') : l.trim().split(/\s+/)).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const header = split(lines[0]);
  return lines.slice(1).map((line, n) => {
    const cells = split(line);
    if (cells.length !== header.length) throw new Error(`${file}:${n + 2}: ${cells.length} columns, but the header has ${header.length}`);
    const dataId: Record<string, string | number> = {};
    header.slice(1).forEach((h, i) => {
      const v = cells[i + 1];
      dataId[h] = /^-?\d+$/.test(v) ? Number(v) : v;
    });
    return { path: cells[0], dataId };
  });
}

export const butlerCommands: CommandGroup = (program: Command) => {
  program.command('ingest-files')
    .description('Ingest files listed in a table (first column: file; other columns: dimension values) as datasets of one type.')
    .argument('<repo>')
    .argument('<dataset_type>')
    .argument('<run>')
    .argument('<table_file>', 'CSV/ECSV/whitespace table')
    .addOption(new Option('--data-id <dim=value>', 'dimension values common to every file (repeatable, comma-separated)').argParser(collect))
    .option('--formatter <class>', 'daf_butler formatter class name (default: from the datastore config)')
    .addOption(new Option('--id-generation-mode <mode>', 'UNIQUE, DATAID_TYPE or DATAID_TYPE_RUN').default('UNIQUE'))
    .option('--prefix <path>', 'prefix for relative file names in the table')
    .addOption(new Option('--transfer <mode>', 'how files get into the datastore').default('auto').argParser(parseTransfer))
    .option('--no-track-file-attrs', 'do not record file sizes and checksums')
    .action(async (repo: string, datasetType: string, run: string, table: string, opts: { dataId?: string[]; formatter?: string; idGenerationMode: string; prefix?: string; transfer: TransferMode; trackFileAttrs: boolean }) => withButler(repo, true, async (butler) => {
      const common = parseDataId(opts.dataId);
      const rows = readIngestTable(table);
      const base = opts.prefix ?? dirname(resolve(table));
      const refs = await butler.ingest(
        rows.map((r) => ({ path: isAbsolute(r.path) ? r.path : join(base, r.path), datasetType, dataIds: [{ ...common, ...r.dataId }], run, formatter: opts.formatter })),
        { transfer: opts.transfer, idGenerationMode: parseIdGenMode(opts.idGenerationMode), recordValidationInfo: opts.trackFileAttrs },
      );
      process.stdout.write(`Ingested ${refs.length} dataset${refs.length === 1 ? '' : 's'} of type ${datasetType} into ${run}\n`);
    }));

  program.command('prune-datasets')
    .description('Remove datasets: --purge RUN deletes them entirely, --unstore deletes their files, --disassociate TAG removes them from tagged collections.')
    .argument('<repo>')
    .argument('[collections...]', 'collections to search (default: all)')
    .addOption(new Option('--datasets <types>', 'dataset types (comma-separated or repeated; default all)').argParser(collect))
    .option('--where <expr>', 'daf_butler query expression')
    .option('--find-all', 'all datasets, not only the first per data ID in collection order', false)
    .option('--unstore', 'delete the files, keep the registry entries', false)
    .option('--purge <run>', 'delete datasets of this RUN entirely (registry and files)')
    .addOption(new Option('--disassociate <tags>', 'TAGGED collections to remove the datasets from').argParser(collect))
    .option('--dry-run', 'show what would be removed', false)
    .option('--no-confirm', 'do not ask for confirmation')
    .option('--quiet', 'print nothing when done', false)
    .action(async (repo: string, collections: string[], opts: { datasets?: string[]; where?: string; findAll: boolean; unstore: boolean; purge?: string; disassociate?: string[]; dryRun: boolean; confirm: boolean; quiet: boolean }) => withButler(repo, true, async (butler) => {
      if (!opts.purge && !opts.unstore && !(opts.disassociate && opts.disassociate.length > 0)) {
        throw new Error('prune-datasets needs one of --purge RUN, --unstore or --disassociate TAG');
      }
      if (opts.purge) {
        if (butler.registry.getCollectionType(opts.purge) !== 'RUN') throw new Error(`--purge needs a RUN collection; ${opts.purge} is ${butler.registry.getCollectionType(opts.purge)}`);
        if (collections.length > 0 && !collections.includes(opts.purge)) throw new Error(`--purge ${opts.purge} must be one of the collections searched (${collections.join(', ')})`);
      }
      const search = opts.purge && collections.length === 0 ? [opts.purge] : collections;
      let refs = selectDatasets(butler, { datasetType: opts.datasets, collections: search, where: opts.where, findFirst: !opts.findAll && search.length > 0 && !search.some((c) => /[*?[]/.test(c)) });
      if (opts.purge) refs = refs.filter((r) => r.run === opts.purge);
      const rows = refs.map((r) => ({ type: r.datasetType.name, run: r.run, id: r.id, dataId: r.dataId.toString() }));
      if (opts.dryRun) {
        process.stdout.write(`Would remove ${refs.length} dataset${refs.length === 1 ? '' : 's'}:\n`);
        printTable(rows, ['type', 'run', 'id', 'dataId']);
        return;
      }
      if (refs.length === 0) {
        if (!opts.quiet) process.stdout.write('No datasets found.\n');
        return;
      }
      if (opts.confirm && !(await confirm(`Remove ${refs.length} dataset${refs.length === 1 ? '' : 's'}?`))) {
        process.stdout.write('Aborted.\n');
        return;
      }
      await butler.pruneDatasets(refs, { purge: Boolean(opts.purge), unstore: Boolean(opts.purge) || opts.unstore, disassociate: Boolean(opts.purge) || Boolean(opts.disassociate), tags: opts.disassociate ?? [] });
      if (!opts.quiet) process.stdout.write(`Removed ${refs.length} dataset${refs.length === 1 ? '' : 's'}.\n`);
    }));

  program.command('remove-runs')
    .description('Remove RUN collections and all their datasets (and files).')
    .argument('<repo>')
    .argument('<collection>', 'RUN name or glob')
    .option('--no-confirm', 'do not ask for confirmation')
    .option('--force', 'also remove runs that are children of CHAINED collections', false)
    .action(async (repo: string, pattern: string, opts: { confirm: boolean; force: boolean }) => withButler(repo, true, async (butler) => {
      const runs = butler.registry.queryCollections(pattern, { types: ['RUN'] });
      if (runs.length === 0) {
        process.stdout.write(`No RUN collections match '${pattern}'.\n`);
        return;
      }
      const rows = runs.map((run) => ({
        run,
        datasets: butler.registry.queryDatasetTypes().reduce((n, t) => n + (t.isComponent() ? 0 : butler.registry.countDatasets(t, { collections: [run] })), 0),
        parents: butler.registry.getCollectionParentChains(run).join(', '),
      }));
      const chained = rows.filter((r) => r.parents !== '');
      if (chained.length > 0 && !opts.force) {
        throw new Error(`Run${chained.length > 1 ? 's' : ''} ${chained.map((r) => r.run).join(', ')} belong to CHAINED collections (${chained.map((r) => r.parents).join('; ')}); use --force to remove them from the chains too`);
      }
      printTable(rows, ['run', 'datasets', 'parents']);
      if (opts.confirm && !(await confirm(`Remove ${runs.length} run${runs.length === 1 ? '' : 's'} and their datasets?`))) {
        process.stdout.write('Aborted.\n');
        return;
      }
      if (opts.force) {
        for (const r of chained) {
          for (const parent of butler.registry.getCollectionParentChains(r.run)) {
            butler.registry.setCollectionChain(parent, butler.registry.getCollectionChain(parent).filter((c) => c !== r.run));
          }
        }
      }
      await butler.removeRuns(runs);
      process.stdout.write(`Removed ${runs.length} run${runs.length === 1 ? '' : 's'}.\n`);
    }));

  program.command('retrieve-artifacts')
    .description('Copy the files of datasets to a directory.')
    .argument('<repo>')
    .argument('<dest>', 'destination directory')
    .addOption(new Option('--dataset-type <types>', 'dataset types (default all)').argParser(collect))
    .addOption(new Option('--collections <names>', 'collections to search').argParser(collect))
    .option('--where <expr>', 'daf_butler query expression')
    .option('--find-all', 'all datasets, not only the first per data ID', false)
    .addOption(new Option('--transfer <mode>', 'copy, link, symlink, hardlink or relsymlink').default('copy'))
    .option('--no-preserve-path', 'put every file directly in dest')
    .option('--clobber', 'overwrite existing files', false)
    .action(async (repo: string, dest: string, opts: { datasetType?: string[]; collections?: string[]; where?: string; findAll: boolean; transfer: string; preservePath: boolean; clobber: boolean }) => withButler(repo, false, (butler) => {
      if (!['copy', 'link', 'symlink', 'hardlink', 'relsymlink'].includes(opts.transfer)) throw new Error(`--transfer must be copy, link, symlink, hardlink or relsymlink, got '${opts.transfer}'`);
      const refs = selectDatasets(butler, { datasetType: opts.datasetType, collections: opts.collections, where: opts.where, findFirst: !opts.findAll && (opts.collections?.length ?? 0) > 0 });
      const files = butler.retrieveArtifacts(refs, dest, { transfer: opts.transfer as 'copy', preservePath: opts.preservePath, overwrite: opts.clobber });
      for (const f of files) process.stdout.write(`${f}\n`);
      process.stdout.write(`Number of artifacts retrieved into destination ${dest}: ${files.length}\n`);
    }));

  program.command('export')
    .description('Export datasets (records, collections, dataset types, file paths) to a daf_butler YAML export file, optionally copying the files.')
    .argument('<repo>')
    .argument('<export_file>', 'YAML file to write (relative to --directory when given)')
    .addOption(new Option('--dataset-type <types>', 'dataset types (default all)').argParser(collect))
    .addOption(new Option('--collections <names>', 'collections to search').argParser(collect))
    .option('--where <expr>', 'daf_butler query expression')
    .option('--directory <dir>', 'where to copy the files (paths in the export stay relative to it)')
    .addOption(new Option('--transfer <mode>', 'how files are copied into --directory').choices(['copy', 'link', 'symlink', 'hardlink', 'relsymlink']))
    .action(async (repo: string, file: string, opts: { datasetType?: string[]; collections?: string[]; where?: string; directory?: string; transfer?: 'copy' }) => withButler(repo, false, (butler) => {
      if (opts.transfer && !opts.directory) throw new Error('--transfer needs --directory');
      const refs = selectDatasets(butler, { datasetType: opts.datasetType, collections: opts.collections, where: opts.where });
      const tagged = (opts.collections ?? []).filter((c) => !/[*?[]/.test(c) && butler.registry.getCollectionType(c) !== 'RUN');
      const doc = exportDatasets(butler, refs, file, { directory: opts.directory, transfer: opts.transfer, collections: tagged });
      process.stdout.write(`Exported ${refs.length} dataset${refs.length === 1 ? '' : 's'} (${doc.datasetTypes.length} dataset types, ${doc.dimensions.reduce((n, d) => n + d.records.length, 0)} dimension records) to ${opts.directory ? join(opts.directory, basename(file)) : file}\n`);
    }));

  program.command('import')
    .description('Import a daf_butler YAML export (and its files) into a repository.')
    .argument('<repo>')
    .argument('<directory>', 'directory holding the export file and the files it lists')
    .option('--export-file <file>', 'export file (default: <directory>/export.yaml)')
    .addOption(new Option('--transfer <mode>', 'how files get into the datastore').default('auto').argParser(parseTransfer))
    .addOption(new Option('--skip-dimensions <elements>', 'dimension elements not to import').argParser(collect))
    .action(async (repo: string, directory: string, opts: { exportFile?: string; transfer: TransferMode; skipDimensions?: string[] }) => withButler(repo, true, async (butler) => {
      const file = opts.exportFile ?? join(directory, 'export.yaml');
      const refs = await importDatasets(butler, file, { directory, transfer: opts.transfer, skipDimensions: opts.skipDimensions });
      process.stdout.write(`Imported ${refs.length} dataset${refs.length === 1 ? '' : 's'} from ${file}\n`);
    }));

  program.command('config-dump')
    .description('Print the repository configuration with every default filled in.')
    .argument('<repo>')
    .option('--subset <key>', 'only this part, e.g. .datastore.templates (a leading delimiter selects nesting)')
    .addOption(new Option('--searchpath <dirs>', 'extra config search directories').argParser(collect))
    .option('--file <file>', 'write to a file instead of stdout')
    .option('--json', 'JSON instead of YAML', false)
    .action((repo: string, opts: { subset?: string; searchpath?: string[]; file?: string; json: boolean }) => {
      const config = new ButlerConfig(repo, { searchPaths: opts.searchpath });
      let out: Config = config;
      if (opts.subset) {
        const value = config.get(opts.subset);
        if (value === undefined) throw new Error(`${opts.subset} not found in the configuration of ${repo}`);
        out = value !== null && typeof value === 'object' && !Array.isArray(value) ? new Config(value) : Config.fromString(`${opts.subset.replace(/^\W/, '').split(/\W/).pop()}: ${JSON.stringify(value)}`);
      }
      if (opts.file) {
        out.dumpToFile(opts.file, { updateFile: false });
        process.stdout.write(`Wrote ${resolve(opts.file)}\n`);
      } else process.stdout.write(out.dump(opts.json ? 'json' : 'yaml'));
    });

  program.command('config-validate')
    .description('Check that every registered dataset type has a valid file template and a formatter.')
    .argument('<repo>')
    .addOption(new Option('--dataset-type <types>', 'only these dataset types').argParser(collect))
    .addOption(new Option('--ignore <types>', 'dataset types to skip').argParser(collect))
    .option('--quiet', 'print only problems', false)
    .option('--json', 'machine-readable output', false)
    .action((repo: string, opts: { datasetType?: string[]; ignore?: string[]; quiet: boolean; json: boolean }) => withButler(repo, false, (butler) => {
      const rows = butler.validateConfiguration({ datasetTypes: opts.datasetType, ignore: opts.ignore });
      const types = new Set(rows.map((r) => r.datasetType));
      const failures = rows.filter((r) => r.problem !== '');
      if (opts.json) printJson(rows);
      else if (!opts.quiet) printTable(rows.map((r) => ({ ...r })), ['datasetType', 'datastore', 'templateKey', 'formatter', 'problem']);
      else for (const f of failures) process.stdout.write(`${f.datasetType} (${f.datastore}): ${f.problem}\n`);
      if (failures.length > 0) throw new Error(`Configuration is not valid for ${failures.length} dataset type${failures.length === 1 ? '' : 's'}: ${failures.map((f) => f.datasetType).join(', ')}`);
      if (!opts.json) process.stdout.write(`Configuration valid for ${types.size} dataset type${types.size === 1 ? '' : 's'}.\n`);
    }));
};
