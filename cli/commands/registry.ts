// Registry commands of the `butler` CLI, with daf_butler's names and options: create,
// register-dataset-type, register-run, query-collections, query-dataset-types, query-datasets,
// query-data-ids, query-dimension-records, collection-chain, certify-calibrations, associate,
// remove-collections, remove-dataset-type. Tables for people, --json for machines.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { DimensionUniverse, type DimensionRecord, isTimespanNs } from '../../core/dimensions/index.js';
import { DatasetType, type DatasetRef } from '../../core/datasets/index.js';
import { Butler } from '../../core/butler/index.js';
import {
  type CollectionType, formatTimespan, parseCollectionType, parseTaiDate, Registry, REGISTRY_FILENAME,
} from '../../core/registry/index.js';
import { printJson, printTable, type Row } from '../output.js';
import type { CommandGroup } from './index.js';

const CHAIN_MODES = ['TABLE', 'INVERSE-TABLE', 'TREE', 'INVERSE-TREE', 'FLATTEN', 'NO-CHILDREN'] as const;
type ChainMode = (typeof CHAIN_MODES)[number];

function openRepo(repo: string, writeable = false): Registry {
  if (!existsSync(repo)) throw new Error(`Repository ${repo} does not exist`);
  return Registry.open(repo, { readOnly: !writeable });
}

function withRegistry<T>(repo: string, writeable: boolean, fn: (r: Registry) => T): T {
  const registry = openRepo(repo, writeable);
  try {
    return fn(registry);
  } finally {
    registry.close();
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s.length > 0)];
}

function parseBind(values: string[] | undefined): Record<string, unknown> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) throw new Error(`--bind wants name=value, got '${v}'`);
    const raw = v.slice(i + 1);
    out[v.slice(0, i)] = /^-?\d+$/.test(raw) ? Number(raw) : /^-?\d*\.\d+(e[+-]?\d+)?$/i.test(raw) ? Number(raw) : raw;
  }
  return out;
}

function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`--limit wants an integer, got '${text}'`);
  return n;
}

function parseOffset(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--offset wants a non-negative integer, got '${text}'`);
  return n;
}

/** The minimal butler.yaml daf_butler's `butler create` writes (datastore at the repo root, SQLite registry). */
export function minimalButlerYaml(): string {
  return [
    'datastore:',
    '  cls: lsst.daf.butler.datastores.fileDatastore.FileDatastore',
    '  records:',
    '    table: file_datastore_records',
    '  root: <butlerRoot>',
    'registry:',
    '  db: sqlite:///<butlerRoot>/gen3.sqlite3',
    '  managers:',
    '    attributes: lsst.daf.butler.registry.attributes.DefaultButlerAttributeManager',
    '    collections: lsst.daf.butler.registry.collections.synthIntKey.SynthIntKeyCollectionManager',
    '    datasets: lsst.daf.butler.registry.datasets.byDimensions._manager.ByDimensionsDatasetRecordStorageManagerUUID',
    '    datastores: lsst.daf.butler.registry.bridge.monolithic.MonolithicDatastoreRegistryBridgeManager',
    '    dimensions: lsst.daf.butler.registry.dimensions.static.StaticDimensionRecordStorageManager',
    '    opaque: lsst.daf.butler.registry.opaque.ByNameOpaqueTableStorageManager',
    '',
  ].join('\n');
}

export interface CreateOptions {
  dimensionConfig?: string;
  seedConfig?: string;
  standalone?: boolean;
  override?: boolean;
}

/**
 * Creates REPO/butler.yaml and REPO/gen3.sqlite3 (daf_butler's `butler create`) through
 * Butler.makeRepo; a custom dimension universe (which makeRepo does not take) is handled here.
 */
export function createRepository(repo: string, options: CreateOptions = {}): void {
  if (!options.dimensionConfig) {
    Butler.makeRepo(repo, { config: options.seedConfig, standalone: options.standalone, overwrite: options.override });
    return;
  }
  if (options.seedConfig || options.standalone) throw new Error('--dimension-config cannot be combined with --seed-config or --standalone');
  const yamlPath = join(repo, 'butler.yaml');
  if (existsSync(yamlPath) || existsSync(join(repo, REGISTRY_FILENAME))) {
    throw new Error(`${repo} already holds a repository (butler.yaml or ${REGISTRY_FILENAME} exists)`);
  }
  let universe: DimensionUniverse | undefined;
  if (options.dimensionConfig) {
    const text = readFileSync(options.dimensionConfig, 'utf8');
    universe = DimensionUniverse.fromConfig(parseYaml(text), options.dimensionConfig);
  }
  mkdirSync(repo, { recursive: true });
  Registry.create(join(repo, REGISTRY_FILENAME), { universe }).close();
  const tmp = `${yamlPath}.tmp-${process.pid}`;
  writeFileSync(tmp, minimalButlerYaml());
  renameSync(tmp, yamlPath);
}

function chainRows(registry: Registry, names: string[], mode: ChainMode): Row[] {
  const rows: Row[] = [];
  const type = (n: string) => registry.getCollectionType(n);
  if (mode === 'NO-CHILDREN') return names.map((n) => ({ Name: n, Type: type(n) }));
  if (mode === 'FLATTEN') {
    return registry.queryCollections(names, { flattenChains: true, includeChains: false }).map((n) => ({ Name: n, Type: type(n) }));
  }
  if (mode === 'TABLE' || mode === 'INVERSE-TABLE') {
    const col = mode === 'TABLE' ? 'Children' : 'Parents';
    for (const n of names) {
      const related = mode === 'TABLE' ? (type(n) === 'CHAINED' ? registry.getCollectionChain(n) : []) : registry.getCollectionParentChains(n);
      if (related.length === 0) rows.push({ Name: n, Type: type(n), [col]: '' });
      related.forEach((c, i) => rows.push({ Name: i === 0 ? n : '', Type: i === 0 ? type(n) : '', [col]: c }));
    }
    return rows;
  }
  const walk = (n: string, depth: number, seen: Set<string>) => {
    rows.push({ Name: `${'  '.repeat(depth)}${n}`, Type: type(n) });
    if (seen.has(n)) return;
    const next = mode === 'TREE' ? (type(n) === 'CHAINED' ? registry.getCollectionChain(n) : []) : registry.getCollectionParentChains(n);
    for (const c of next) walk(c, depth + 1, new Set([...seen, n]));
  };
  for (const n of names) walk(n, 0, new Set());
  return rows;
}

function datasetRows(refs: DatasetRef[]): { columns: string[]; rows: Row[] } {
  const dims = refs.length > 0 ? [...refs[0].datasetType.dimensions.required] : [];
  const rows = refs.map((r) => ({ type: r.datasetType.name, run: r.run, id: r.id, ...r.dataId.required } as Row));
  return { columns: ['type', 'run', 'id', ...dims], rows };
}

function recordCell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (isTimespanNs(v)) return formatTimespan(v);
  if (typeof v === 'bigint') return v.toString();
  return v as string | number | boolean;
}

function recordJson(r: DimensionRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, isTimespanNs(v) ? { begin: v.begin?.toString() ?? null, end: v.end?.toString() ?? null } : typeof v === 'bigint' ? v.toString() : v]));
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new Error(`${question} — refusing without confirmation; pass --no-confirm to proceed non-interactively`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export const registryCommands: CommandGroup = (program: Command) => {
  program.command('create')
    .description('Create an empty repository (butler.yaml + SQLite registry with daf_butler\'s schema, dimension universe v7).')
    .argument('<repo>', 'directory to create')
    .option('--seed-config <file>', 'configuration merged over the defaults')
    .option('--dimension-config <file>', 'YAML/JSON dimension universe to use instead of daf_butler\'s default (v7)')
    .option('--standalone', 'write the full configuration, not just the non-default keys', false)
    .option('--override', 'replace an existing butler.yaml', false)
    .action((repo: string, opts: CreateOptions) => {
      createRepository(repo, opts);
      process.stdout.write(`Created repository ${repo}\n`);
    });

  program.command('register-dataset-type')
    .description('Register a dataset type.')
    .argument('<repo>')
    .argument('<dataset_type>')
    .argument('<storage_class>')
    .argument('[dimensions...]', 'dimension names')
    .option('--is-calibration', 'datasets of this type can be certified into CALIBRATION collections', false)
    .action((repo: string, name: string, storageClass: string, dimensions: string[], opts: { isCalibration: boolean }) => withRegistry(repo, true, (r) => {
      if (!r.storageClasses.has(storageClass)) throw new Error(`Unknown storage class '${storageClass}'; known: ${r.storageClasses.names().join(', ')}`);
      const dt = DatasetType.fromNames(r.dimensions, name, dimensions, storageClass, { isCalibration: opts.isCalibration });
      const inserted = r.registerDatasetType(dt);
      if (!inserted) process.stdout.write(`Dataset type '${name}' already exists with this definition\n`);
    }));

  program.command('register-run')
    .description('Register a RUN collection.')
    .argument('<repo>')
    .argument('<run>')
    .option('--doc <text>', 'documentation string')
    .action((repo: string, run: string, opts: { doc?: string }) => withRegistry(repo, true, (r) => {
      if (!r.registerRun(run, opts.doc)) process.stdout.write(`RUN '${run}' already exists\n`);
    }));

  program.command('query-collections')
    .description('List collections (chains shown as a tree by default).')
    .argument('<repo>')
    .argument('[glob...]', 'collection names or glob patterns')
    .addOption(new Option('--collection-type <type>', 'only these types (repeatable)').argParser(collect))
    .addOption(new Option('--chains <mode>', 'how to show chains').choices([...CHAIN_MODES]).default('TREE'))
    .option('--json', 'machine-readable output', false)
    .action((repo: string, globs: string[], opts: { collectionType?: string[]; chains: ChainMode; json: boolean }) => withRegistry(repo, false, (r) => {
      const types = opts.collectionType?.map(parseCollectionType) as CollectionType[] | undefined;
      const names = r.queryCollections(globs.length > 0 ? globs : undefined, { types });
      if (opts.json) {
        printJson(names.map((n) => {
          const info = r.getCollectionInfo(n);
          return { name: n, type: info.type, doc: info.doc, children: info.children, parents: info.parents };
        }));
        return;
      }
      const rows = chainRows(r, names, opts.chains);
      const columns = opts.chains === 'TABLE' ? ['Name', 'Type', 'Children'] : opts.chains === 'INVERSE-TABLE' ? ['Name', 'Type', 'Parents'] : ['Name', 'Type'];
      printTable(rows, columns);
    }));

  program.command('query-dataset-types')
    .description('List dataset types.')
    .argument('<repo>')
    .argument('[glob...]')
    .option('-v, --verbose', 'show dimensions and storage class', false)
    .option('--components', 'include component dataset types', false)
    .option('--json', 'machine-readable output', false)
    .action((repo: string, globs: string[], opts: { verbose: boolean; components: boolean; json: boolean }) => withRegistry(repo, false, (r) => {
      const types = r.queryDatasetTypes(globs.length > 0 ? globs : undefined, { components: opts.components });
      if (opts.json) return printJson(types.map((t) => t.toJSON()));
      if (!opts.verbose) return printTable(types.map((t) => ({ name: t.name })), ['name']);
      printTable(types.map((t) => ({ name: t.name, dimensions: t.dimensions.required.join(', '), storageClass: t.storageClassName, isCalibration: t.isCalibration })), ['name', 'dimensions', 'storageClass', 'isCalibration']);
    }));

  program.command('query-datasets')
    .description('List datasets (one table per dataset type).')
    .argument('<repo>')
    .argument('[glob...]', 'dataset type names or globs (default: all)')
    .addOption(new Option('--collections <names>', 'collections to search, in order (comma-separated or repeated; globs allowed without --find-first)').argParser(collect))
    .option('--where <expr>', 'daf_butler query expression, e.g. "instrument = \'LSSTCam\' AND detector = 94"')
    .addOption(new Option('--bind <name=value>', 'bind values for :name in --where (repeatable)').argParser(collect))
    .option('--find-first', 'keep only the first dataset per data ID in collection order', false)
    .addOption(new Option('--order-by <terms>', 'comma-separated columns, - for descending').argParser(collect))
    .option('--limit <n>', 'at most n datasets per dataset type', parseLimit)
    .option('--offset <n>', 'skip the first n', parseOffset)
    .option('--timespan-begin <iso>', 'calibrations valid after this TAI time')
    .option('--timespan-end <iso>', 'calibrations valid before this TAI time')
    .option('--explain', 'print the SQL, its parameters and SQLite\'s query plan instead of the datasets', false)
    .option('--json', 'machine-readable output', false)
    .action((repo: string, globs: string[], opts: { collections?: string[]; where?: string; bind?: string[]; findFirst: boolean; orderBy?: string[]; limit?: number; offset?: number; timespanBegin?: string; timespanEnd?: string; explain: boolean; json: boolean }) => withRegistry(repo, false, (r) => {
      const patterns = globs.length > 0 ? globs : ['*'];
      const types = r.queryDatasetTypes(patterns);
      const explicit = patterns.filter((p) => !/[*?[\]]/.test(p) && p !== '...');
      for (const name of explicit) r.getDatasetType(name);
      const timespan = opts.timespanBegin || opts.timespanEnd
        ? { begin: opts.timespanBegin ? parseTaiDate(opts.timespanBegin) : null, end: opts.timespanEnd ? parseTaiDate(opts.timespanEnd) : null }
        : undefined;
      const all: DatasetRef[][] = [];
      for (const t of types) {
        const query = {
          collections: opts.collections ?? ['*'], where: opts.where, bind: parseBind(opts.bind), findFirst: opts.findFirst,
          orderBy: opts.orderBy, limit: opts.limit, offset: opts.offset, timespan,
        };
        if (opts.explain) {
          const plan = r.explainQueryDatasets(t.name, query);
          process.stdout.write(`-- ${t.name}\n`);
          if (!plan) {
            process.stdout.write('(no collection in the search path holds this dataset type: no SQL is run)\n');
            continue;
          }
          const steps = r.db.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`).all<{ detail: string }>(...(plan.params as (string | number | bigint | null)[]));
          process.stdout.write(`${plan.sql}\nparameters: ${JSON.stringify(plan.params, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}\nplan:\n${steps.map((x) => `  ${x.detail}`).join('\n')}\n`);
          continue;
        }
        const refs = r.queryDatasets(t.name, query);
        if (refs.length > 0) all.push(refs);
      }
      if (opts.explain) return;
      if (opts.json) return printJson(all.flat().map((ref) => ({ type: ref.datasetType.name, run: ref.run, id: ref.id, dataId: ref.dataId.toJSON() })));
      if (all.length === 0) {
        process.stdout.write('No datasets found.\n');
        return;
      }
      all.forEach((refs, i) => {
        if (i > 0) process.stdout.write('\n');
        const { columns, rows } = datasetRows(refs);
        printTable(rows, columns);
      });
    }));

  program.command('query-data-ids')
    .description('List data IDs for dimensions.')
    .argument('<repo>')
    .argument('<dimensions...>')
    .addOption(new Option('--collections <names>', 'collections for --datasets').argParser(collect))
    .addOption(new Option('--datasets <types>', 'only data IDs with datasets of these types').argParser(collect))
    .option('--where <expr>', 'query expression')
    .addOption(new Option('--bind <name=value>', 'bind values (repeatable)').argParser(collect))
    .addOption(new Option('--order-by <terms>', 'comma-separated, - for descending').argParser(collect))
    .option('--limit <n>', 'at most n', parseLimit)
    .option('--offset <n>', 'skip the first n', parseOffset)
    .option('--json', 'machine-readable output', false)
    .action((repo: string, dimensions: string[], opts: { collections?: string[]; datasets?: string[]; where?: string; bind?: string[]; orderBy?: string[]; limit?: number; offset?: number; json: boolean }) => withRegistry(repo, false, (r) => {
      const ids = r.queryDataIds(dimensions, { collections: opts.collections, datasets: opts.datasets, where: opts.where, bind: parseBind(opts.bind), orderBy: opts.orderBy, limit: opts.limit, offset: opts.offset });
      if (opts.json) return printJson(ids.map((d) => d.toJSON()));
      if (ids.length === 0) {
        process.stdout.write('No data IDs found.\n');
        return;
      }
      printTable(ids.map((d) => d.toJSON() as Row), [...ids[0].dimensions.dataCoordinateKeys]);
    }));

  program.command('query-dimension-records')
    .description('List the records of a dimension element.')
    .argument('<repo>')
    .argument('<element>')
    .addOption(new Option('--collections <names>', 'collections for --datasets').argParser(collect))
    .addOption(new Option('--datasets <types>', 'only records related to datasets of these types').argParser(collect))
    .option('--where <expr>', 'query expression')
    .addOption(new Option('--bind <name=value>', 'bind values (repeatable)').argParser(collect))
    .addOption(new Option('--order-by <terms>', 'comma-separated, - for descending').argParser(collect))
    .option('--limit <n>', 'at most n', parseLimit)
    .option('--offset <n>', 'skip the first n', parseOffset)
    .option('--json', 'machine-readable output', false)
    .action((repo: string, element: string, opts: { collections?: string[]; datasets?: string[]; where?: string; bind?: string[]; orderBy?: string[]; limit?: number; offset?: number; json: boolean }) => withRegistry(repo, false, (r) => {
      const records = r.queryDimensionRecords(element, { collections: opts.collections, datasets: opts.datasets, where: opts.where, bind: parseBind(opts.bind), orderBy: opts.orderBy, limit: opts.limit, offset: opts.offset });
      if (opts.json) return printJson(records.map(recordJson));
      if (records.length === 0) {
        process.stdout.write('No dimension records found.\n');
        return;
      }
      const columns = r.dimensions.getElement(element).recordFieldNames;
      printTable(records.map((rec) => Object.fromEntries(columns.map((c) => [c, recordCell(rec[c])])) as Row), columns);
    }));

  program.command('collection-chain')
    .description('Define or modify a CHAINED collection (created if missing).')
    .argument('<repo>')
    .argument('<parent>')
    .argument('[children...]', 'child collections (for pop: positions, default 0)')
    .addOption(new Option('--mode <mode>', 'how to change the chain').choices(['redefine', 'extend', 'remove', 'prepend', 'pop']).default('redefine'))
    .option('--doc <text>', 'documentation for a new chain')
    .option('--flatten', 'replace chained children by their own children', false)
    .action((repo: string, parent: string, childArgs: string[], opts: { mode: string; doc?: string; flatten: boolean }) => withRegistry(repo, true, (r) => {
      const children = childArgs.flatMap((c) => c.split(',')).map((c) => c.trim()).filter((c) => c.length > 0);
      r.transaction(() => {
        if (r.queryCollections(parent).length === 0) {
          if (opts.mode !== 'redefine' && opts.mode !== 'extend' && opts.mode !== 'prepend') throw new Error(`Chain '${parent}' does not exist, so --mode ${opts.mode} has nothing to change`);
          r.registerCollection(parent, 'CHAINED', opts.doc);
        }
        const current = r.getCollectionChain(parent);
        let next: string[];
        switch (opts.mode) {
          case 'redefine':
            next = children;
            break;
          case 'extend':
            next = [...current, ...children.filter((c) => !current.includes(c))];
            break;
          case 'prepend':
            next = [...children, ...current.filter((c) => !children.includes(c))];
            break;
          case 'remove': {
            const missing = children.filter((c) => !current.includes(c));
            if (missing.length > 0) throw new Error(`Chain '${parent}' has no child ${missing.map((m) => `'${m}'`).join(', ')}; its children are ${current.join(', ') || '(none)'}`);
            next = current.filter((c) => !children.includes(c));
            break;
          }
          default: {
            const positions = (children.length > 0 ? children : ['0']).map((p) => {
              const n = Number(p);
              if (!Number.isInteger(n) || n < -current.length || n >= current.length) throw new Error(`--mode pop wants positions within the chain of ${current.length}, got '${p}'`);
              return n < 0 ? current.length + n : n;
            });
            next = current.filter((_, i) => !positions.includes(i));
          }
        }
        r.setCollectionChain(parent, next, { flatten: opts.flatten });
      });
      process.stdout.write(`[${r.getCollectionChain(parent).join(', ')}]\n`);
    }));

  program.command('certify-calibrations')
    .description('Certify calibrations from an input collection into a CALIBRATION collection for a validity range (TAI).')
    .argument('<repo>')
    .argument('<input_collection>')
    .argument('<output_collection>')
    .argument('<dataset_type_name>')
    .option('--begin-date <iso>', 'start of the validity range (TAI); unbounded if omitted')
    .option('--end-date <iso>', 'end of the validity range (TAI, exclusive); unbounded if omitted')
    .option('--search-all-inputs', 'search all children of a chained input, not only the first match', false)
    .action((repo: string, input: string, output: string, datasetTypeName: string, opts: { beginDate?: string; endDate?: string; searchAllInputs: boolean }) => withRegistry(repo, true, (r) => {
      const timespan = { begin: opts.beginDate ? parseTaiDate(opts.beginDate) : null, end: opts.endDate ? parseTaiDate(opts.endDate) : null };
      r.transaction(() => {
        const refs = r.queryDatasets(datasetTypeName, { collections: input, findFirst: !opts.searchAllInputs });
        if (refs.length === 0) throw new Error(`No ${datasetTypeName} datasets found in '${input}'`);
        r.registerCollection(output, 'CALIBRATION');
        r.certify(output, refs, timespan);
        process.stdout.write(`Certified ${refs.length} ${datasetTypeName} dataset${refs.length > 1 ? 's' : ''} into '${output}' for ${formatTimespan(timespan)}\n`);
      });
    }));

  program.command('associate')
    .description('Add datasets to a TAGGED collection (created if missing).')
    .argument('<repo>')
    .argument('<collection>')
    .argument('[dataset_type...]', 'dataset types (default: all)')
    .addOption(new Option('--collections <names>', 'collections to search').argParser(collect))
    .option('--where <expr>', 'query expression')
    .option('--find-first', 'first dataset per data ID only', false)
    .action((repo: string, collection: string, types: string[], opts: { collections?: string[]; where?: string; findFirst: boolean }) => withRegistry(repo, true, (r) => {
      if (!opts.collections) throw new Error('associate needs --collections to search');
      r.transaction(() => {
        r.registerCollection(collection, 'TAGGED');
        let n = 0;
        for (const t of r.queryDatasetTypes(types.length > 0 ? types : undefined)) {
          const refs = r.queryDatasets(t.name, { collections: opts.collections!, where: opts.where, findFirst: opts.findFirst });
          r.associate(collection, refs);
          n += refs.length;
        }
        process.stdout.write(`Associated ${n} dataset${n === 1 ? '' : 's'} with '${collection}'\n`);
      });
    }));

  program.command('remove-collections')
    .description('Remove non-RUN collections (use remove-runs for RUNs).')
    .argument('<repo>')
    .argument('<collection...>', 'names or globs')
    .option('--no-confirm', 'do not ask for confirmation')
    .action(async (repo: string, globs: string[], opts: { confirm: boolean }) => {
      const registry = openRepo(repo, true);
      try {
        const names = registry.queryCollections(globs);
        if (names.length === 0) throw new Error(`No collections match ${globs.join(', ')}`);
        const runs = names.filter((n) => registry.getCollectionType(n) === 'RUN');
        if (runs.length > 0) throw new Error(`${runs.map((n) => `'${n}'`).join(', ')} ${runs.length > 1 ? 'are RUNs' : 'is a RUN'}; remove RUN collections with remove-runs`);
        printTable(names.map((n) => ({ Collection: n, Type: registry.getCollectionType(n) })), ['Collection', 'Type']);
        if (opts.confirm && !(await confirm(`Remove ${names.length} collection${names.length > 1 ? 's' : ''}?`))) {
          process.stdout.write('Aborted.\n');
          return;
        }
        registry.transaction(() => {
          for (const n of names) registry.removeCollection(n);
        });
        process.stdout.write(`Removed ${names.length} collection${names.length > 1 ? 's' : ''}.\n`);
      } finally {
        registry.close();
      }
    });

  program.command('remove-dataset-type')
    .description('Remove dataset types that have no datasets.')
    .argument('<repo>')
    .argument('<dataset_type...>')
    .action((repo: string, names: string[]) => withRegistry(repo, true, (r) => {
      r.transaction(() => {
        for (const n of names) r.removeDatasetType(n);
      });
    }));
};

