// Processing commands: `butler run-isr` (build the ISR quantum graph, run it on worker threads
// with a progress bar, summarise) and `butler provenance` (lineage of a dataset as a tree or JSON).
// Thin adapters over core/pipe/graph, core/pipe/execution and core/provenance.
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import { Butler } from '../../core/butler/index.js';
import '../../core/formatters/fits/index.js';
import '../../core/instrument/index.js';
import { listIsrPresets, loadIsrPreset, makeIsrConfig, type IsrTaskName } from '../../core/isr/presets.js';
import type { IsrFields } from '../../core/isr/isrConfig.js';
import type { Config } from '../../core/pipe/config/index.js';
import { buildIsrGraph, CALIBRATION_CONNECTIONS, type IsrQuantumGraph } from '../../core/pipe/graph/index.js';
import { applyOutputCollections, executeIsrGraph, planOutputCollections, type ExecutionEvent, type ExecutionReport } from '../../core/pipe/execution/index.js';
import { datasetLineage, getQuantum, lineageToDot, lineageToMermaid, type Lineage, type LineageDirection, type LineageNode } from '../../core/provenance/index.js';
import { printJson, printTable, type Row } from '../output.js';
import type { CommandGroup } from './index.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s.length > 0)];
}

function repeat(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Strips pipetask's task label (`isr:doDark=false`) from an override or config file argument. */
function unlabel(text: string, what: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/.exec(text);
  if (!m || m[1].length === 1) return text;
  if (m[1] !== 'isr') throw new Error(`${what} '${text}' names task label '${m[1]}'; this pipeline has only 'isr'`);
  return m[2];
}

/** The mapping a YAML override file sets, and its `_task` if it names one. */
function yamlOverrides(text: string, file: string): { task: unknown; values: Record<string, unknown> } {
  let data: unknown;
  try {
    data = YAML.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${file}: not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  if (data === null || data === undefined) return { task: undefined, values: {} };
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file}: expected a mapping of IsrTaskConfig fields`);
  const { _task: task, ...values } = data as Record<string, unknown>;
  return { task, values };
}

/** --preset: `default` (IsrTask defaults), `cfht` (CfhtIsrTask, obs_cfht overrides with calibrations and output on) or a preset file name. */
export function isrConfigFromOptions(opts: { preset?: string; configFile?: string[]; config?: string[] }): { config: Config<IsrFields>; task: IsrTaskName } {
  let made: { config: Config<IsrFields>; task: IsrTaskName };
  const preset = opts.preset ?? 'default';
  if (preset === 'default') made = { config: makeIsrConfig('IsrTask'), task: 'IsrTask' };
  else if (preset === 'cfht') {
    made = loadIsrPreset('cfht-megacam');
    // obs_cfht leaves calibrations and the output off; a run with run-isr applies and writes them.
    made.config.apply({ doBias: true, doDark: true, doFlat: true, doWrite: true }, 'run-isr --preset cfht');
  } else if (listIsrPresets().includes(preset)) made = loadIsrPreset(preset);
  else throw new Error(`unknown --preset '${preset}' (choose default, cfht or one of ${listIsrPresets().join(', ')})`);
  for (const fileArg of opts.configFile ?? []) {
    const file = unlabel(fileArg, '--config-file');
    if (!existsSync(file)) throw new Error(`--config-file ${file}: no such file`);
    const { task: named, values } = yamlOverrides(readFileSync(file, 'utf8'), file);
    if (named !== undefined && named !== made.task) throw new Error(`${file}: _task ${String(named)} does not match the task of the preset (${made.task})`);
    made.config.apply(values, file);
  }
  for (const kv of opts.config ?? []) made.config.applyKeyValue(unlabel(kv, '--config'), `-c ${kv}`);
  if (!made.config.doWrite) throw new Error('doWrite=false: run-isr exists to write postISRCCD; drop the override (or -c doWrite=true)');
  made.config.validate();
  made.config.freeze();
  return made;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** A progress display on stderr: a redrawn bar on a terminal, one line per finished quantum otherwise. */
export class ProgressDisplay {
  private readonly out: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly t0 = performance.now();
  private total = 0;
  private drawn = false;

  constructor(out: NodeJS.WriteStream = process.stderr) {
    this.out = out;
    this.tty = out.isTTY === true;
  }

  onEvent(e: ExecutionEvent): void {
    if (e.type === 'start') {
      this.total = e.total;
      this.line(`Running ${e.total} ISR quanta on ${e.jobs} worker thread${e.jobs === 1 ? '' : 's'} into ${e.run}${e.alreadyDone ? ` (${e.alreadyDone} already done, skipped)` : ''}`);
    } else if (e.type === 'progress') {
      const finished = e.done + e.failed + e.cancelled;
      if (this.tty) {
        const width = 30;
        const fill = this.total === 0 ? width : Math.round((finished / this.total) * width);
        const elapsed = (performance.now() - this.t0) / 1000;
        const eta = finished > 0 ? (elapsed / finished) * (this.total - finished) : NaN;
        const text = `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${finished}/${this.total}  ok ${e.done}  failed ${e.failed}  running ${e.running}  ${formatDuration(elapsed)} elapsed, ETA ${formatDuration(eta)}`;
        this.out.write(`\r\x1b[2K${text}`);
        this.drawn = true;
      }
    } else if (e.type === 'quantum-done') {
      const r = e.result;
      const what = `exposure ${r.exposure} detector ${r.detector}`;
      if (r.status === 'failed') this.line(`FAILED ${what}: ${r.error ?? ''}`);
      else if (r.status === 'cancelled') this.line(`cancelled ${what}`);
      else if (!this.tty) this.line(`done ${what} in ${r.timings ? r.timings.total.toFixed(2) : '?'} s`);
    } else if (e.type === 'finish') {
      if (this.drawn) this.out.write('\n');
      this.drawn = false;
    }
  }

  private line(text: string): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
    this.drawn = false;
  }
}

function printSummary(report: ExecutionReport, chain: string | undefined): void {
  const c = report.counts;
  const lines = [
    `run-isr: ${report.status} in ${report.seconds.toFixed(1)} s`,
    `  output run:   ${report.run}${chain ? ` (chained as ${chain})` : ''}`,
    `  succeeded:    ${c.succeeded}`,
    `  failed:       ${c.failed}`,
    `  cancelled:    ${c.cancelled}`,
    `  not run:      ${c.notRun}`,
    `  already done: ${c.alreadyDone}`,
  ];
  if (report.stopReason) lines.push(`  stopped:      ${report.stopReason}`);
  const failed = report.quanta.filter((q) => q.status === 'failed');
  if (failed.length > 0) {
    lines.push('failed quanta:');
    for (const q of failed.slice(0, 50)) lines.push(`  exposure ${q.exposure} detector ${q.detector} (quantum ${q.id}): ${q.error ?? ''}`);
    if (failed.length > 50) lines.push(`  ... and ${failed.length - 50} more`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

/** The quantum graph as rows (pipetask's --show graph, as a table): one per quantum, with the calibration runs. */
export function graphRows(graph: IsrQuantumGraph): Row[] {
  const rows: Row[] = graph.quanta.map((q) => ({
    status: 'to run',
    instrument: q.instrument,
    exposure: q.exposure,
    detector: q.detector,
    physical_filter: q.physicalFilter,
    raw: q.raw.run,
    ...Object.fromEntries(CALIBRATION_CONNECTIONS.map((c) => [c, q.calibrations[c]?.run ?? ''])),
  }));
  for (const { quantum: q } of graph.alreadyDone) rows.push({ status: 'done', instrument: q.instrument, exposure: q.exposure, detector: q.detector, physical_filter: q.physicalFilter, raw: q.raw.run });
  for (const m of graph.missing) rows.push({ status: `missing ${m.datasetType}`, instrument: m.instrument, exposure: m.exposure, detector: m.detector });
  return rows;
}

function dataIdText(d: Record<string, string | number>): string {
  const parts = Object.entries(d).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : v}`);
  return `{${parts.join(', ')}}`;
}

function nodeText(n: LineageNode): string {
  if (n.kind === 'dataset') return `${n.datasetType}@${dataIdText(n.dataId)} [${n.run}] ${n.id}${n.exists ? '' : ' (no longer in the registry)'}`;
  const seconds = (Date.parse(n.endTime) - Date.parse(n.startTime)) / 1000;
  return `quantum ${n.id} ${n.taskLabel} (${n.taskClass}) ${n.status}, ${n.startTime} (${seconds.toFixed(2)} s) [${n.run}]`;
}

/** The lineage as an indented tree from the dataset: ancestors upward, descendants downward. */
export function lineageTree(l: Lineage): string {
  const byId = new Map(l.nodes.map((n) => [n.id, n]));
  const out: string[] = [];
  const root = byId.get(l.root);
  out.push(root ? nodeText(root) : l.root);
  const walk = (datasetId: string, prefix: string, dir: 'up' | 'down', seen: Set<string>) => {
    const quanta = dir === 'up' ? l.edges.filter((e) => e.kind === 'output' && e.target === datasetId).map((e) => e.source) : l.edges.filter((e) => e.kind !== 'output' && e.source === datasetId).map((e) => e.target);
    quanta.forEach((qId, qi) => {
      const lastQ = qi === quanta.length - 1;
      const q = byId.get(qId);
      out.push(`${prefix}${lastQ ? '└─' : '├─'} ${dir === 'up' ? 'made by' : 'used by'} ${q ? nodeText(q) : qId}`);
      if (seen.has(qId)) return;
      const next = new Set(seen).add(qId);
      const childPrefix = prefix + (lastQ ? '   ' : '│  ');
      const links = dir === 'up' ? l.edges.filter((e) => e.kind !== 'output' && e.target === qId) : l.edges.filter((e) => e.kind === 'output' && e.source === qId);
      links.forEach((e, i) => {
        const lastL = i === links.length - 1;
        const dsId = dir === 'up' ? e.source : e.target;
        const ds = byId.get(dsId);
        out.push(`${childPrefix}${lastL ? '└─' : '├─'} ${e.connection}${e.kind === 'prerequisite' ? ' (prerequisite)' : ''}: ${ds ? nodeText(ds) : dsId}`);
        walk(dsId, childPrefix + (lastL ? '   ' : '│  '), dir, next);
      });
    });
  };
  if (l.direction !== 'descendants') {
    out.push('ancestors:');
    const before = out.length;
    walk(l.root, '', 'up', new Set());
    if (out.length === before) out.push('  (none recorded: not produced by a recorded quantum)');
  }
  if (l.direction !== 'ancestors') {
    out.push('descendants:');
    const before = out.length;
    walk(l.root, '', 'down', new Set());
    if (out.length === before) out.push('  (none recorded)');
  }
  return out.join('\n') + '\n';
}

export const pipeCommands: CommandGroup = (program: Command) => {
  program
    .command('run-isr')
    .description(
      'Run ISR over raws selected by a data query: one quantum per (exposure, detector), calibrations found by exposure time, ' +
        'parallel worker threads, outputs (postISRCCD, isr_metadata, isr_log, isr_config) and provenance written atomically per quantum. ' +
        'Collections follow pipetask: --output CHAIN makes a timestamped RUN <CHAIN>/<YYYYMMDDTHHMMSSZ> chained before the inputs; ' +
        '--output-run RUN alone writes a plain RUN; --extend-run resumes a run, skipping quanta already done.',
    )
    .argument('<repo>', 'repository')
    .option('-i, --input <collections>', 'input collections (raws and CALIBRATION collections), in search order; repeat or comma-separate', collect)
    .option('-o, --output <chain>', 'CHAINED output collection (pipetask --output)')
    .option('--output-run <run>', 'output RUN (default <output>/<timestamp>)')
    .option('--extend-run', 'write into the existing run (--output-run, or the first child of --output), skipping quanta already done')
    .option('-d, --where <expr>', 'data query selecting the raws, e.g. "exposure = 806045 AND detector IN (0..8)"')
    .option('-j, --jobs <n>', 'worker threads (default: all cores, at most one per 1.4 GB of memory)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--jobs must be a positive integer, got '${v}'`);
      return n;
    })
    .option('-c, --config <key=value>', 'config override (pipetask style; "isr:" label optional), repeatable', repeat)
    .option('-C, --config-file <file>', 'YAML config overrides, repeatable', repeat)
    .option('--preset <name>', `config preset: default (IsrTask defaults), cfht (CfhtIsrTask with obs_cfht's overrides, calibrations on) or ${'a preset file'}`, 'default')
    .option('--fail-fast', 'stop at the first failed quantum')
    .option('--skip-missing', 'leave out quanta whose calibrations are missing (listed) instead of failing')
    .option('--json', 'print the execution report as JSON instead of a summary')
    .option('--dry-run', 'build the quantum graph and print it (one row per quantum with the calibration runs found); write nothing')
    .action(async (repo: string, opts: { input?: string[]; output?: string; outputRun?: string; extendRun?: boolean; where?: string; jobs?: number; config?: string[]; configFile?: string[]; preset?: string; failFast?: boolean; skipMissing?: boolean; json?: boolean; dryRun?: boolean }) => {
      if (!existsSync(repo)) throw new Error(`Repository ${repo} does not exist`);
      const { config, task } = isrConfigFromOptions(opts);
      const butler = Butler.open(repo, { writeable: !opts.dryRun });
      const controller = new AbortController();
      let interrupts = 0;
      const onSigint = () => {
        interrupts++;
        if (interrupts === 1) {
          process.stderr.write('\ninterrupt: stopping (running quanta are cancelled, finished ones kept); press Ctrl-C again to quit at once\n');
          controller.abort();
        } else process.exit(130);
      };
      process.on('SIGINT', onSigint);
      try {
        const plan = planOutputCollections(butler.registry, { ...(opts.output ? { output: opts.output } : {}), ...(opts.outputRun ? { outputRun: opts.outputRun } : {}), inputs: opts.input ?? [], extendRun: opts.extendRun ?? false });
        const graph = buildIsrGraph(butler.registry, { inputCollections: plan.inputs, ...(opts.where ? { where: opts.where } : {}), config, taskName: task, outputRun: plan.run, skipMissing: opts.skipMissing ?? false, skipExisting: plan.extending });
        if (opts.dryRun) {
          printTable(graphRows(graph), ['status', 'instrument', 'exposure', 'detector', 'physical_filter', 'raw', ...CALIBRATION_CONNECTIONS], opts.json ?? false);
          if (!opts.json) process.stdout.write(`${graph.quanta.length} quanta to run into ${plan.run}${plan.chain ? ` (chained as ${plan.chain.name})` : ''}, ${graph.alreadyDone.length} already done, ${new Set(graph.missing.map((m) => `${m.exposure}/${m.detector}`)).size} left out for missing calibrations\n`);
          return;
        }
        for (const m of graph.missing) process.stderr.write(`skipped (missing calibration): ${m.message}\n`);
        applyOutputCollections(butler.registry, plan);
        const progress = new ProgressDisplay();
        const report = await executeIsrGraph(butler, graph, { ...(opts.jobs ? { jobs: opts.jobs } : {}), failFast: opts.failFast ?? false, signal: controller.signal, onEvent: (e) => progress.onEvent(e) });
        if (opts.json) printJson(report);
        else printSummary(report, plan.chain?.name);
        if (report.status !== 'succeeded') {
          const c = report.counts;
          throw new Error(`${c.failed} quant${c.failed === 1 ? 'um' : 'a'} failed, ${c.cancelled} cancelled, ${c.notRun} not run; rerun with --extend-run${opts.output ? '' : ` --output-run ${report.run}`} to resume`);
        }
      } finally {
        process.off('SIGINT', onSigint);
        butler.close();
      }
    });

  program
    .command('provenance')
    .description('Lineage of a dataset from recorded quanta: what made it (ancestors) and what was made from it (descendants). Tree for people, --json for machines.')
    .argument('<repo>', 'repository')
    .argument('<dataset-id>', 'dataset UUID')
    .option('--depth <k>', 'quantum hops to follow (default: all)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--depth must be a non-negative integer, got '${v}'`);
      return n;
    })
    .option('--direction <dir>', 'ancestors, descendants or both', 'both')
    .option('--json', 'print nodes and edges (and each quantum in full) as JSON')
    .option('--dot', 'print the graph as Graphviz DOT (like pipetask --qgraph-dot)')
    .option('--mermaid', 'print the graph as a Mermaid flowchart')
    .action((repo: string, id: string, opts: { depth?: number; direction: string; json?: boolean; dot?: boolean; mermaid?: boolean }) => {
      if ([opts.json, opts.dot, opts.mermaid].filter(Boolean).length > 1) throw new Error('choose one of --json, --dot, --mermaid');
      if (!existsSync(repo)) throw new Error(`Repository ${repo} does not exist`);
      if (!['ancestors', 'descendants', 'both'].includes(opts.direction)) throw new Error(`--direction must be ancestors, descendants or both, got '${opts.direction}'`);
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Error(`'${id}' is not a dataset UUID`);
      const butler = Butler.open(repo, { writeable: false });
      try {
        const lineage = datasetLineage(butler.registry, id, { direction: opts.direction as LineageDirection, ...(opts.depth !== undefined ? { depth: opts.depth } : {}) });
        if (opts.json) {
          const quanta = lineage.nodes.filter((n) => n.kind === 'quantum').map((n) => getQuantum(butler.registry.db, n.id));
          printJson({ ...lineage, quanta });
        } else if (opts.dot) process.stdout.write(lineageToDot(lineage));
        else if (opts.mermaid) process.stdout.write(lineageToMermaid(lineage));
        else process.stdout.write(lineageTree(lineage));
      } finally {
        butler.close();
      }
    });
};
