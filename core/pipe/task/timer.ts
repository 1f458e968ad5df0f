// Method timing recorded into task metadata with lsst.utils.timer's key names:
// <method>StartUtc / EndUtc (ISO), <method>StartCpuTime / EndCpuTime (s, user+system of the
// process), <method>StartUserTime / EndUserTime, <method>StartSystemTime / EndSystemTime,
// <method>StartMaxResidentSetSize / EndMaxResidentSetSize (bytes), and our <method>Duration (s, wall).

import type { TaskMetadata } from './metadata.js';

function snapshot(metadata: TaskMetadata, prefix: string): void {
  const usage = process.resourceUsage();
  const user = usage.userCPUTime / 1e6;
  const system = usage.systemCPUTime / 1e6;
  metadata.add(`${prefix}Utc`, new Date().toISOString());
  metadata.add(`${prefix}CpuTime`, user + system);
  metadata.add(`${prefix}UserTime`, user);
  metadata.add(`${prefix}SystemTime`, system);
  metadata.add(`${prefix}MaxResidentSetSize`, usage.maxRSS * 1024);
}

/** Times a synchronous call. */
export function timeCall<T>(metadata: TaskMetadata, method: string, fn: () => T): T {
  snapshot(metadata, `${method}Start`);
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    metadata.add(`${method}Duration`, (performance.now() - t0) / 1000);
    snapshot(metadata, `${method}End`);
  }
}

/** Times an asynchronous call. */
export async function timeCallAsync<T>(metadata: TaskMetadata, method: string, fn: () => Promise<T>): Promise<T> {
  snapshot(metadata, `${method}Start`);
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    metadata.add(`${method}Duration`, (performance.now() - t0) / 1000);
    snapshot(metadata, `${method}End`);
  }
}
