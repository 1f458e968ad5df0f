// Suite "config": data-driven Config behaviours (../shared/reference/config_cases_runner.json).
import { Config, type ConfigMap, type ConfigValue } from '../../config/index.js';
import { asArray, runCase, type ConformanceSuite } from '../suite.js';

interface Step {
  op: string;
  data?: ConfigMap;
  key?: string;
  keys?: (string | number)[];
  value?: ConfigValue;
  delimiter?: string;
}

interface ConfigCase {
  n: number;
  behaviour: string;
  steps: Step[];
  expect: unknown;
}

function apply(config: Config | undefined, step: Step): { config: Config | undefined; value: unknown } {
  if (step.op === 'new') {
    const c = new Config(step.data ?? {});
    return { config: c, value: c };
  }
  if (!config) throw new Error(`step '${step.op}' before 'new'`);
  switch (step.op) {
    case 'get':
      return { config, value: config.require(step.key ?? '') };
    case 'getPath':
      return { config, value: config.require(step.keys ?? []) };
    case 'set':
      config.set(step.key ?? '', step.value ?? null);
      return { config, value: config };
    case 'update':
      return { config, value: config.update(step.data ?? {}) };
    case 'merge':
      return { config, value: config.merge(step.data ?? {}) };
    case 'toDict':
      return { config, value: config.toDict() };
    case 'names':
      return { config, value: config.names(step.delimiter) };
    case 'asArray':
      return { config, value: config.asArray(step.key ?? '') };
    default:
      throw new Error(`unknown op '${step.op}'`);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v instanceof Config) return sortKeys(v.toDict());
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export const configSuite: ConformanceSuite = {
  name: 'config',
  description: 'Config behaviours as step lists (config_cases_runner.json)',
  run(cases) {
    return asArray(cases, 'config').map((raw) => {
      const c = raw as unknown as ConfigCase;
      return runCase(`${c.n} ${c.behaviour}`, () => {
        let config: Config | undefined;
        const expectError = c.expect && typeof c.expect === 'object' && !Array.isArray(c.expect) && 'error' in c.expect ? String((c.expect as { error: unknown }).error) : undefined;
        let value: unknown;
        for (let i = 0; i < c.steps.length; i++) {
          const last = i === c.steps.length - 1;
          if (last && expectError) {
            try {
              apply(config, c.steps[i]);
            } catch (err) {
              const name = err instanceof Error ? err.name : typeof err;
              return name === expectError ? undefined : `expected ${expectError}, got ${name}: ${err instanceof Error ? err.message : String(err)}`;
            }
            return `expected ${expectError}, but the step succeeded`;
          }
          ({ config, value } = apply(config, c.steps[i]));
        }
        const last = c.steps[c.steps.length - 1];
        const same = last?.op === 'names' && Array.isArray(value) && Array.isArray(c.expect)
          ? deepEqual([...value].sort(), [...c.expect].sort())
          : deepEqual(value, c.expect);
        return same ? undefined : `expected ${JSON.stringify(c.expect)}, got ${JSON.stringify(sortKeys(value))}`;
      });
    });
  },
};
