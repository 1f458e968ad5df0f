// Small persistent settings (recent repositories, window state) as JSON files in a settings directory,
// written atomically (temp file + rename) so a crash never leaves a half-written file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Browser mode's settings directory: $BUTLER_DESKTOP_HOME, else $XDG_CONFIG_HOME/butler-desktop, else ~/.config/butler-desktop. */
export function defaultSettingsDir(): string {
  if (process.env.BUTLER_DESKTOP_HOME) return process.env.BUTLER_DESKTOP_HOME;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'butler-desktop');
}

export function readJsonFile<T>(path: string, fallback: T, check: (v: unknown) => v is T): T {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return check(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

export function writeJsonFileAtomic(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export class RecentRepositories {
  private readonly file: string;
  constructor(settingsDir: string, private readonly max = 10) {
    this.file = join(settingsDir, 'recent-repositories.json');
  }
  list(): string[] {
    return readJsonFile(this.file, [], isStringArray);
  }
  add(path: string): string[] {
    const next = [path, ...this.list().filter((p) => p !== path)].slice(0, this.max);
    writeJsonFileAtomic(this.file, next);
    return next;
  }
  clear(): void {
    writeJsonFileAtomic(this.file, []);
  }
}
