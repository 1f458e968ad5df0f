// The ISR config form's server side: the JSON Schema and defaults of a task config, built-in and
// user presets (YAML files in <settings>/isr-presets, written atomically), validation of overrides
// field by field (every problem reported with its path, not only the first), the diff against the
// defaults and the overrides as YAML.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { ApiError } from '../../core/api/errors.js';
import type { ConfigDiffEntry, ConfigOverrides, IsrPreset, IsrTaskNameValue } from '../../core/api/sections/runs.js';
import { CfhtIsrConfig } from '../../core/isr/cfhtIsrTask.js';
import { IsrConfig, type IsrFields } from '../../core/isr/isrConfig.js';
import { configFromYaml, listIsrPresets, makeIsrConfig, presetDir } from '../../core/isr/presets.js';
import { configJsonSchema, type AnyConfigClass, type Config } from '../../core/pipe/config/index.js';

type SchemaNode = { type?: unknown; properties?: Record<string, SchemaNode> } & Record<string, unknown>;

const schemaCache = new Map<IsrTaskNameValue, SchemaNode>();

export function isrSchema(task: IsrTaskNameValue): SchemaNode {
  let s = schemaCache.get(task);
  if (!s) {
    const cls = (task === 'CfhtIsrTask' ? CfhtIsrConfig : IsrConfig) as unknown as AnyConfigClass;
    s = configJsonSchema(cls) as SchemaNode;
    schemaCache.set(task, s);
  }
  return s;
}

/** Plain values (JSON-safe: NaN/Infinity as strings, as the schema writes them). */
function jsonSafe(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

export function isrDefaults(task: IsrTaskNameValue): ConfigOverrides {
  return jsonSafe(makeIsrConfig(task).toPlain()) as ConfigOverrides;
}

/** Leaves of an overrides tree as [path, value], descending only into nested configs (not dict fields). */
function leaves(overrides: ConfigOverrides, schema: SchemaNode, prefix = ''): Array<[string[], unknown]> {
  const out: Array<[string[], unknown]> = [];
  for (const [key, value] of Object.entries(overrides)) {
    const node = schema.properties?.[key];
    const path = prefix ? `${prefix}.${key}` : key;
    if (node?.properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of leaves(value as ConfigOverrides, node, path)) out.push([[key, ...sub], v]);
    } else {
      out.push([[key], value]);
    }
  }
  return out;
}

function nest(path: string[], value: unknown): Record<string, unknown> {
  let v: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) v = { [path[i]]: v };
  return v as Record<string, unknown>;
}

export interface ConfigCheck {
  valid: boolean;
  issues: Array<{ path: string; message: string }>;
  diff: ConfigDiffEntry[];
  yaml: string;
}

/** Applies the overrides one field at a time so every bad field is reported, then runs the config's validators. */
export function checkIsrConfig(task: IsrTaskNameValue, overrides: ConfigOverrides): ConfigCheck & { config: Config<IsrFields> } {
  const issues: ConfigCheck['issues'] = [];
  const good: Array<[string[], unknown]> = [];
  // Each field on a scratch config (applying a subtask's dict replaces the subtask's values, so
  // leaves cannot be applied one by one to the same config), then the good ones together.
  for (const [path, value] of leaves(overrides, isrSchema(task))) {
    try {
      makeIsrConfig(task).apply(nest(path, value), 'form');
      good.push([path, value]);
    } catch (e) {
      issues.push({ path: path.join('.'), message: stripSource(e instanceof Error ? e.message : String(e)) });
    }
  }
  const config = makeIsrConfig(task);
  const merged: Record<string, unknown> = {};
  for (const [path, value] of good) {
    let cur = merged;
    for (const p of path.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
    cur[path[path.length - 1]] = value;
  }
  try {
    config.apply(merged, 'form');
  } catch (e) {
    issues.push({ path: '', message: stripSource(e instanceof Error ? e.message : String(e)) });
  }
  if (issues.length === 0) {
    try {
      config.validate();
    } catch (e) {
      issues.push({ path: '', message: stripSource(e instanceof Error ? e.message : String(e)) });
    }
  }
  const diff = config.diff().map((d) => ({ path: d.path, default: jsonSafe(d.a), value: jsonSafe(d.b) }));
  return { valid: issues.length === 0, issues, diff, yaml: overridesYaml(task, overrides), config };
}

/** "form: overscan.fitType: ..." → "overscan.fitType: ..." (the form already says where it came from). */
function stripSource(message: string): string {
  return message.replace(/^form:\s*/, '');
}

export function overridesYaml(task: IsrTaskNameValue, overrides: ConfigOverrides): string {
  return YAML.stringify({ _task: task, ...overrides });
}

export function parseIsrYaml(text: string, task: IsrTaskNameValue | undefined, source = 'the YAML file'): { task: IsrTaskNameValue; overrides: ConfigOverrides } {
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (e) {
    throw new ApiError('BAD_PARAMS', `${source} is not valid YAML: ${(e as Error).message}`);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new ApiError('BAD_PARAMS', `${source} must be a mapping of IsrTaskConfig fields (field: value), got ${Array.isArray(data) ? 'a list' : typeof data}`);
  try {
    // configFromYaml checks every field against the task's config class and names the bad one.
    const parsed = configFromYaml(text, source, task);
    const { _task: _ignored, ...overrides } = data as Record<string, unknown>;
    void _ignored;
    return { task: parsed.task, overrides: jsonSafe(overrides) as ConfigOverrides };
  } catch (e) {
    throw new ApiError('BAD_PARAMS', e instanceof Error ? e.message : String(e));
  }
}

/** Built-in presets (core/isr/presets) then the user's (settings folder), each with its YAML text. */
export class IsrPresets {
  private readonly dir: string;
  constructor(settingsDir: string) {
    this.dir = join(settingsDir, 'isr-presets');
  }

  list(): IsrPreset[] {
    const out: IsrPreset[] = [];
    for (const name of listIsrPresets()) {
      const yaml = readFileSync(join(presetDir(), `${name}.yaml`), 'utf8');
      const { task, overrides } = parseIsrYaml(yaml, undefined, `preset ${name}`);
      out.push({ name, source: 'builtin', task, overrides, yaml });
    }
    if (existsSync(this.dir)) {
      for (const file of readdirSync(this.dir).filter((f) => f.endsWith('.yaml')).sort()) {
        const name = file.slice(0, -5);
        const yaml = readFileSync(join(this.dir, file), 'utf8');
        try {
          const { task, overrides } = parseIsrYaml(yaml, undefined, `user preset ${name}`);
          out.push({ name, source: 'user', task, overrides, yaml });
        } catch {
          // A preset that no longer parses (edited by hand, or an older field set) is skipped, not fatal.
        }
      }
    }
    return out;
  }

  save(name: string, task: IsrTaskNameValue, overrides: ConfigOverrides): IsrPreset {
    if (listIsrPresets().includes(name)) throw new ApiError('BAD_PARAMS', `'${name}' is a built-in preset; choose another name`);
    const check = checkIsrConfig(task, overrides);
    if (!check.valid) throw new ApiError('BAD_PARAMS', `the config has problems, fix them before saving: ${check.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    mkdirSync(this.dir, { recursive: true });
    const yaml = `# ISR preset '${name}' saved by butler-desktop\n${overridesYaml(task, overrides)}`;
    const file = join(this.dir, `${name}.yaml`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, yaml);
    renameSync(tmp, file);
    return { name, source: 'user', task, overrides, yaml };
  }

  remove(name: string): void {
    const file = join(this.dir, `${name}.yaml`);
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name) || !existsSync(file)) throw new ApiError('NOT_FOUND', `no user preset '${name}'`);
    rmSync(file);
  }
}
