// Errors from config handling always say which field (dotted path) and which value was wrong.

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return String(value);
  }
}

export class ConfigError extends Error {
  readonly path: string;
  readonly value: unknown;
  readonly problem: string;
  /** Where the value came from (a file name, "command line"), when known. */
  readonly source: string | undefined;
  constructor(path: string, value: unknown, problem: string, source?: string) {
    super(`${source ? source + ': ' : ''}config field ${path}: value ${describeValue(value)} ${problem}`);
    this.name = 'ConfigError';
    this.path = path;
    this.value = value;
    this.problem = problem;
    this.source = source;
  }
}

/** Errors not about one value: unknown fields, frozen configs, cross-field rules. */
export class ConfigUsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigUsageError';
  }
}
