// Shared output helpers for CLI commands: aligned tables for people, JSON for machines,
// and one place that turns an error into a message and an exit code.

export type Row = Record<string, string | number | boolean | null | undefined>;

/** Prints rows as an aligned table (daf_butler's astropy-table look) or as JSON. */
export function printTable(rows: Row[], columns: string[], json = false, out: NodeJS.WritableStream = process.stdout): void {
  if (json) {
    out.write(JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))), null, 2) + '\n');
    return;
  }
  const cells = rows.map((r) => columns.map((c) => (r[c] === undefined || r[c] === null ? '' : String(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join(' ').trimEnd();
  out.write(line(columns) + '\n');
  out.write(widths.map((w) => '-'.repeat(w)).join(' ') + '\n');
  for (const row of cells) out.write(line(row) + '\n');
}

export function printJson(value: unknown, out: NodeJS.WritableStream = process.stdout): void {
  out.write(JSON.stringify(value, null, 2) + '\n');
}

/** Writes an error for a person and returns the exit code to use. */
export function reportError(err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`butler: error: ${message}\n`);
  if (process.env.BUTLER_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  return 1;
}
