// The conformance-suite registry: each suite turns one case file into per-case
// results. Later features add their suites with registerSuite().

export interface CaseResult {
  id: string;
  ok: boolean;
  /** Why the case failed (expected vs got), or a note. */
  message?: string;
}

export interface ConformanceSuite {
  name: string;
  description: string;
  /** Runs every case in the parsed case file. */
  run(cases: unknown): CaseResult[];
}

const suites = new Map<string, ConformanceSuite>();

export function registerSuite(suite: ConformanceSuite, opts: { overwrite?: boolean } = {}): void {
  if (suites.has(suite.name) && !opts.overwrite) throw new Error(`Conformance suite '${suite.name}' is already registered`);
  suites.set(suite.name, suite);
}

export function getSuite(name: string): ConformanceSuite {
  const suite = suites.get(name);
  if (!suite) throw new Error(`Unknown conformance suite '${name}'; known suites: ${[...suites.keys()].sort().join(', ')}`);
  return suite;
}

export function listSuites(): ConformanceSuite[] {
  return [...suites.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs one case and turns any thrown error into a failed result. */
export function runCase(id: string, fn: () => CaseResult | string | undefined): CaseResult {
  try {
    const r = fn();
    if (r === undefined) return { id, ok: true };
    if (typeof r === 'string') return { id, ok: false, message: r };
    return r;
  } catch (err) {
    return { id, ok: false, message: `unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` };
  }
}

/** Runs `fn` expecting an error named `name`; returns a failure message or undefined. */
export function expectError(fn: () => unknown, name: string, contains?: string | null): string | undefined {
  try {
    const got = fn();
    return `expected ${name}, got ${JSON.stringify(got)}`;
  } catch (err) {
    const errName = err instanceof Error ? err.name : typeof err;
    const message = err instanceof Error ? err.message : String(err);
    if (errName !== name) return `expected ${name}, got ${errName}: ${message}`;
    if (contains && !message.includes(contains)) return `expected message containing ${JSON.stringify(contains)}, got ${JSON.stringify(message)}`;
    return undefined;
  }
}

export function asArray(cases: unknown, suite: string): Record<string, unknown>[] {
  const list = Array.isArray(cases) ? cases : (cases as { cases?: unknown })?.cases;
  if (!Array.isArray(list)) throw new Error(`${suite}: case file must be a JSON list or an object with a "cases" list`);
  return list as Record<string, unknown>[];
}
