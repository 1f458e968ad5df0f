// Per-task loggers (names like lsst.isr.overscan, as the LSST stack names them) whose records can be
// captured per quantum: captureLogs() collects every record emitted inside its callback, including
// across awaits, without mixing records of quanta running at the same time.

import { AsyncLocalStorage } from 'node:async_hooks';

export type LogLevel = 'TRACE' | 'DEBUG' | 'VERBOSE' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

const LEVEL_NUMBERS: Record<LogLevel, number> = { TRACE: 5, DEBUG: 10, VERBOSE: 15, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 };

export interface LogRecord {
  name: string;
  level: LogLevel;
  levelno: number;
  message: string;
  /** ISO 8601 UTC. */
  asctime: string;
  /** Extra structured fields (e.g. the data ID of the quantum). */
  extra?: Record<string, string | number | boolean>;
}

export type LogSink = (record: LogRecord) => void;

const capture = new AsyncLocalStorage<LogRecord[]>();
const globalSinks = new Set<LogSink>();
let globalLevel: number = LEVEL_NUMBERS.INFO;
const levelOverrides = new Map<string, number>();

/** Adds a sink receiving every record at or above the configured level; returns a remover. */
export function addLogSink(sink: LogSink): () => void {
  globalSinks.add(sink);
  return () => globalSinks.delete(sink);
}

/** Sets the threshold for a logger and its children (`lsst.isr`), or globally when name is omitted. */
export function setLogLevel(level: LogLevel, name?: string): void {
  if (name === undefined) globalLevel = LEVEL_NUMBERS[level];
  else levelOverrides.set(name, LEVEL_NUMBERS[level]);
}

function thresholdFor(name: string): number {
  for (let n: string | undefined = name; n; n = n.includes('.') ? n.slice(0, n.lastIndexOf('.')) : undefined) {
    const v = levelOverrides.get(n);
    if (v !== undefined) return v;
  }
  return globalLevel;
}

/** Runs `fn` and returns its result together with every log record emitted inside it. */
export async function captureLogs<T>(fn: () => Promise<T> | T): Promise<{ result: T; records: LogRecord[] }> {
  const records: LogRecord[] = [];
  const result = await capture.run(records, fn);
  return { result, records };
}

/** Synchronous variant of captureLogs. */
export function captureLogsSync<T>(fn: () => T): { result: T; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const result = capture.run(records, fn);
  return { result, records };
}

export class TaskLogger {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  getChild(suffix: string): TaskLogger {
    return new TaskLogger(`${this.name}.${suffix}`);
  }
  isEnabledFor(level: LogLevel): boolean {
    return LEVEL_NUMBERS[level] >= thresholdFor(this.name);
  }
  log(level: LogLevel, message: string, extra?: Record<string, string | number | boolean>): void {
    if (!this.isEnabledFor(level)) return;
    const record: LogRecord = { name: this.name, level, levelno: LEVEL_NUMBERS[level], message, asctime: new Date().toISOString() };
    if (extra) record.extra = extra;
    capture.getStore()?.push(record);
    for (const sink of globalSinks) sink(record);
  }
  trace(message: string): void {
    this.log('TRACE', message);
  }
  debug(message: string): void {
    this.log('DEBUG', message);
  }
  verbose(message: string): void {
    this.log('VERBOSE', message);
  }
  info(message: string): void {
    this.log('INFO', message);
  }
  warning(message: string): void {
    this.log('WARNING', message);
  }
  error(message: string): void {
    this.log('ERROR', message);
  }
}
