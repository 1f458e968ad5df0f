// Software versions recorded with every quantum (pipe_base records a `packages` dataset per run;
// we keep them per quantum so a row stands alone).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: Record<string, string> | undefined;

function here(): string {
  return typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
}

/** butler-desktop's own version: the nearest package.json named butler-desktop above this file. */
function appVersion(): string {
  for (let dir = here(), i = 0; i < 6; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'butler-desktop' && pkg.version) return pkg.version;
    } catch {
      // An unreadable package.json further up is not ours; keep looking.
    }
  }
  return 'unknown';
}

export function packageVersions(): Record<string, string> {
  cached ??= {
    'butler-desktop': appVersion(),
    node: process.versions.node,
    v8: process.versions.v8,
    sqlite: process.versions.sqlite ?? 'better-sqlite3',
    platform: `${process.platform}-${process.arch}`,
  };
  return { ...cached };
}
