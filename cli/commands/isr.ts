// ISR from the command line: `butler isr` runs IsrTask/CfhtIsrTask on one raw CCD and writes the
// postISRCCD exposure; `butler isr-config` prints a config (YAML with docs), its diff from the
// defaults, or the JSON Schema the GUI renders.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { FitsFile } from '../../core/fits/fits-file.js';
import { readExposureFits, writeExposureFits } from '../../core/formatters/fits/exposureFits.js';
import { readMegaPrimeRaw } from '../../core/formatters/fits/megaPrimeRaw.js';
import { Exposure, Image, MaskedImage, makeVisitInfo } from '../../core/image/index.js';
import { type IsrTaskName, configFromYaml, listIsrPresets, loadIsrPreset, makeIsrConfig, runIsr } from '../../core/isr/index.js';
import { type Config, type ConfigClass, type FieldSet, configJsonSchema } from '../../core/pipe/config/index.js';
import type { IsrFields } from '../../core/isr/isrConfig.js';
import { printJson } from '../output.js';
import type { CommandGroup } from './index.js';

interface ConfigOptions {
  preset?: string;
  configFile?: string;
  config?: string[];
  task?: string;
}

function taskName(text: string | undefined): IsrTaskName | undefined {
  if (text === undefined) return undefined;
  if (text !== 'IsrTask' && text !== 'CfhtIsrTask') throw new Error(`--task must be IsrTask or CfhtIsrTask, got '${text}'`);
  return text;
}

/** Preset, then config file, then -c key=value overrides (daf_butler's -c/-C order). */
export function buildIsrConfig(opts: ConfigOptions): { config: Config<IsrFields>; task: IsrTaskName } {
  const wanted = taskName(opts.task);
  const start = opts.preset ? loadIsrPreset(opts.preset, wanted) : { config: makeIsrConfig(wanted ?? 'IsrTask'), task: wanted ?? ('IsrTask' as IsrTaskName) };
  const config = start.config;
  let task = start.task;
  if (opts.configFile) {
    const fromFile = configFromYaml(readFileSync(opts.configFile, 'utf8'), opts.configFile, task);
    // The file applies on top of the preset: re-apply it to the preset's config.
    config.apply(fromFile.config.diff().reduce<Record<string, unknown>>((acc, d) => setPath(acc, d.path, d.b), {}), opts.configFile);
    task = fromFile.task;
  }
  for (const kv of opts.config ?? []) config.applyKeyValue(kv);
  return { config, task };
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1]] = value;
  return obj;
}

/** A calibration: an afw Exposure FITS, or a plain image (primary or first image HDU) with DARKTIME. */
function readCalib(path: string, what: string): Exposure {
  try {
    return readExposureFits(path);
  } catch {
    const f = FitsFile.open(path);
    try {
      const h = f.hdus.find((x) => (x.kind === 'image' || x.kind === 'compressed-image') && x.axes.length >= 2 && x.axes[0] > 0);
      if (!h) throw new Error(`${what} ${path}: no image HDU`);
      const img = f.readImageFloat32(h.index);
      const header = f.imageHeader(h.index);
      const dark = header.getNumber('DARKTIME') ?? NaN;
      return new Exposure(new MaskedImage(new Image(img.data, img.axes[0], img.axes[1])), { metadata: header.clone(), visitInfo: makeVisitInfo(Math.max(0, header.getNumber('EXPTIME') ?? 0), dark) });
    } finally {
      f.close();
    }
  }
}

const collect = (v: string, acc: string[]) => [...acc, v];
/** Preset names for the help text; never fails (a missing preset folder only shows up when one is used). */
function presetNames(): string {
  try {
    return listIsrPresets().join(', ');
  } catch {
    return 'see core/isr/presets';
  }
}
/** JSON for people: NaN and ±Infinity spelled out (JSON.stringify would print null). */
const show = (v: unknown): string => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v));

export const isrCommands: CommandGroup = (program: Command) => {
  program
    .command('isr')
    .argument('<raw>', 'raw FITS file (MegaPrime multi-extension raw, plain or .fits.fz)')
    .description('Instrument Signature Removal of one CCD: overscan, assembly, bias, variance, linearity, crosstalk, defects, dark, flat, fringe, interpolation (ip_isr IsrTask order and defaults).')
    .requiredOption('-o, --output <file>', 'postISRCCD output (afw Exposure FITS: IMAGE/MASK/VARIANCE)')
    .option('--detector <id>', 'detector number or name (ccdNN) inside the raw')
    .option('--bias <file>', 'master bias (trimmed and assembled)')
    .option('--dark <file>', 'master dark (its DARKTIME scales it)')
    .option('--flat <file>', 'master flat')
    .option('--preset <name>', `config preset (${presetNames()})`)
    .option('-C, --config-file <yaml>', 'YAML file of config overrides')
    .option('-c, --config <key=value>', 'config override with a dotted path, e.g. overscan.fitType=MEDIAN_PER_ROW (repeatable)', collect, [])
    .option('--task <name>', 'IsrTask or CfhtIsrTask (default: from the preset, else IsrTask)')
    .option('--json', 'print the run summary as JSON')
    .action((rawFile: string, opts: ConfigOptions & { output: string; detector?: string; bias?: string; dark?: string; flat?: string; json?: boolean }) => {
      const { config, task } = buildIsrConfig(opts);
      // Calibrations not given are simply not applied (rather than an error about missing inputs).
      if (!opts.bias) config.doBias = false;
      if (!opts.dark) config.doDark = false;
      if (!opts.flat) config.doFlat = false;
      const raw = readMegaPrimeRaw(rawFile, opts.detector === undefined ? {} : { detector: /^\d+$/.test(opts.detector) ? Number(opts.detector) : opts.detector });
      const t0 = performance.now();
      const result = runIsr(
        {
          raw,
          ...(opts.bias ? { bias: readCalib(opts.bias, 'bias') } : {}),
          ...(opts.dark ? { dark: readCalib(opts.dark, 'dark') } : {}),
          ...(opts.flat ? { flat: readCalib(opts.flat, 'flat') } : {}),
        },
        config,
      );
      const seconds = (performance.now() - t0) / 1000;
      writeExposureFits(opts.output, result.exposure);
      const summary = { raw: rawFile, detector: result.exposure.detector?.name ?? null, task, output: opts.output, fused: result.fused, seconds, metadata: result.metadata };
      if (opts.json) printJson(summary);
      else {
        process.stdout.write(`${task} ${summary.detector ?? ''}: ${result.exposure.width}×${result.exposure.height} written to ${opts.output} in ${seconds.toFixed(2)} s (${result.fused ? 'fused pass' : 'step by step'})\n`);
        const diff = config.diff();
        if (diff.length) process.stdout.write(`config differs from the defaults in ${diff.map((d) => d.path).join(', ')}\n`);
      }
    });

  program
    .command('isr-config')
    .description('Print an ISR config as YAML with every field documented, its differences from the defaults, or its JSON Schema.')
    .option('--preset <name>', `start from a preset (${presetNames()})`)
    .option('-C, --config-file <yaml>', 'YAML file of config overrides')
    .option('-c, --config <key=value>', 'config override (repeatable)', collect, [])
    .option('--task <name>', 'IsrTask or CfhtIsrTask')
    .option('--diff', 'only the fields that differ from the defaults')
    .option('--schema', 'the JSON Schema of the config class (what the GUI form is built from)')
    .option('--json', 'JSON instead of YAML')
    .action((opts: ConfigOptions & { diff?: boolean; schema?: boolean; json?: boolean }) => {
      const { config } = buildIsrConfig(opts);
      config.validate();
      if (opts.schema) printJson(configJsonSchema(config.configClass as unknown as ConfigClass<FieldSet>));
      else if (opts.diff) {
        const diff = config.diff();
        if (opts.json) printJson(diff);
        else for (const d of diff) process.stdout.write(`${d.path}: ${show(d.a)} → ${show(d.b)}\n`);
      } else if (opts.json) printJson(config.toPlain());
      else process.stdout.write(config.toYaml());
    });
};
