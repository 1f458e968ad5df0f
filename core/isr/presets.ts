// ISR presets: YAML files in core/isr/presets (dist/data/isr-presets in the bundles) holding config
// overrides; `_task` names the task class (IsrTask or CfhtIsrTask) the preset is meant for.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { Config } from '../pipe/config/index.js';
import { CfhtIsrConfig } from './cfhtIsrTask.js';
import { IsrConfig, type IsrFields } from './isrConfig.js';

declare const __BUTLER_BUNDLED__: boolean | undefined;

export type IsrTaskName = 'IsrTask' | 'CfhtIsrTask';

function here(): string {
  return typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
}

export function presetDir(): string {
  const bundled = typeof __BUTLER_BUNDLED__ !== 'undefined' && __BUTLER_BUNDLED__;
  const candidates = bundled ? [join(here(), '..', 'data', 'isr-presets')] : [join(here(), 'presets'), join(here(), '..', '..', 'dist', 'data', 'isr-presets')];
  for (const d of candidates) if (existsSync(d)) return d;
  throw new Error(`ISR preset folder not found (looked in ${candidates.join(', ')})`);
}

export function listIsrPresets(): string[] {
  return readdirSync(presetDir()).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

/** A fresh config of the right class for a task name. */
export function makeIsrConfig(task: IsrTaskName = 'IsrTask'): Config<IsrFields> {
  return (task === 'CfhtIsrTask' ? CfhtIsrConfig.make() : IsrConfig.make()) as unknown as Config<IsrFields>;
}

/** Applies YAML overrides (a preset or a user file) and returns the config; `_task` selects the class. */
export function configFromYaml(text: string, source: string, task?: IsrTaskName): { config: Config<IsrFields>; task: IsrTaskName } {
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  const record = (data ?? {}) as Record<string, unknown>;
  if (typeof record !== 'object' || Array.isArray(record)) throw new Error(`${source}: expected a mapping of IsrTaskConfig fields`);
  const { _task: named, ...rest } = record;
  if (named !== undefined && named !== 'IsrTask' && named !== 'CfhtIsrTask') throw new Error(`${source}: _task must be IsrTask or CfhtIsrTask, got ${JSON.stringify(named)}`);
  const chosen = task ?? (named as IsrTaskName | undefined) ?? 'IsrTask';
  const config = makeIsrConfig(chosen);
  config.apply(rest, source);
  return { config, task: chosen };
}

export function loadIsrPreset(name: string, task?: IsrTaskName): { config: Config<IsrFields>; task: IsrTaskName } {
  const file = join(presetDir(), `${name}.yaml`);
  if (!existsSync(file)) throw new Error(`no ISR preset '${name}' (presets: ${listIsrPresets().join(', ')})`);
  return configFromYaml(readFileSync(file, 'utf8'), `preset ${name}`, task);
}
