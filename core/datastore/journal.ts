// Crash journal: before a temporary or final artifact is created (or an artifact is to be
// deleted), its path is appended to a per-process journal file. Appends are plain writes
// (they survive a killed process; fsync only when the storage is configured to). When a
// repository opens, journals left by dead processes are replayed: temporary files are
// removed, and final files that no datastore record references are removed too. A stray
// temporary file is therefore any `.<name>.butler-tmp-<pid>-<n>` file listed in a journal.
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readTextIfExists } from './storage/posixStorage.js';

/** tmp: a temporary file; put: a file about to be published; del: about to be deleted; keep: a put that found the file already there (not ours). */
export type JournalKind = 'tmp' | 'put' | 'del' | 'keep';

export const JOURNAL_DIR = '.butler-journal';

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RecoveryReport {
  journals: number;
  removedTemp: string[];
  removedUnreferenced: string[];
}

export class CrashJournal {
  private readonly dir: string;
  private readonly file: string;
  private fd: number | undefined;
  private written = 0;
  private readonly fsync: boolean;

  constructor(root: string, opts: { fsync?: boolean } = {}) {
    this.dir = join(root, JOURNAL_DIR);
    this.file = join(this.dir, `${process.pid}-${randomBytes(4).toString('hex')}.log`);
    this.fsync = opts.fsync ?? false;
  }

  record(kind: JournalKind, absPath: string): void {
    this.append(`${kind}\t${absPath}\n`);
  }

  /** Records many paths with one write (a batch of puts or deletions). */
  recordAll(kind: JournalKind, absPaths: readonly string[]): void {
    if (absPaths.length === 0) return;
    let text = '';
    for (const p of absPaths) text += `${kind}\t${p}\n`;
    this.append(text);
  }

  private append(text: string): void {
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.fd = openSync(this.file, 'a');
    }
    const bytes = Buffer.from(text);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.written += bytes.length;
    if (this.fsync) fsyncSync(this.fd);
  }

  /** Forgets settled entries; call only when no write is in flight. */
  settle(): void {
    if (this.fd !== undefined && this.written > 1 << 20) {
      ftruncateSync(this.fd, 0);
      this.written = 0;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.file, { force: true });
  }

  /**
   * Replays journals of dead processes. `isReferenced` tells whether an absolute path is
   * still used by a datastore record (live or in the trash).
   */
  static recover(root: string, isReferenced: (absPath: string) => boolean): RecoveryReport {
    const dir = join(root, JOURNAL_DIR);
    const report: RecoveryReport = { journals: 0, removedTemp: [], removedUnreferenced: [] };
    if (!existsSync(dir)) return report;
    for (const name of readdirSync(dir)) {
      const m = /^(\d+)-[0-9a-f]+\.log$/.exec(name);
      if (!m || processAlive(Number(m[1]))) continue;
      const text = readTextIfExists(join(dir, name)) ?? '';
      report.journals++;
      // The last entry for a path decides (a 'keep' cancels an earlier 'put').
      const last = new Map<string, JournalKind>();
      for (const line of text.split('\n')) {
        const tab = line.indexOf('\t');
        if (tab < 0) continue;
        last.set(line.slice(tab + 1), line.slice(0, tab) as JournalKind);
      }
      for (const [path, kind] of last) {
        if (kind === 'keep' || !existsSync(path)) continue;
        if (kind === 'tmp') {
          rmSync(path, { force: true });
          report.removedTemp.push(path);
        } else if (!isReferenced(path)) {
          rmSync(path, { force: true });
          report.removedUnreferenced.push(path);
        }
      }
      unlinkSync(join(dir, name));
    }
    return report;
  }
}
