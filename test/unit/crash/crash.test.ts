// Crash safety: a child doing thousands of puts (and purges) is killed with SIGKILL at
// random moments. After each kill the repository opens, every registry dataset has its
// file, no temporary file is left, and every file on disk is referenced by a datastore
// record (a live one, or one in the trash awaiting emptyTrash).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Butler } from '../../../core/butler/index.js';
import { JOURNAL_DIR, TEMP_MARKER } from '../../../core/datastore/index.js';
import { addCameraRecords, newRepo, registerType } from '../butler/helpers.js';

const root = resolve(__dirname, '../../..');
const TRIALS = 6;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function runAndKill(repo: string, run: string, delayMs: number): Promise<{ killed: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'putLoop.ts'), repo, run], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready') && !timer) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolvePromise({ killed: true });
      else if (code === 0) resolvePromise({ killed: false });
      else reject(new Error(`child failed (code ${code}): ${stderr}`));
    });
  });
}

describe('crash safety under SIGKILL', () => {
  it(`repository is consistent after ${TRIALS} random kills`, async () => {
    const repo = newRepo('crash-');
    const setup = Butler.open(repo, { writeable: true });
    addCameraRecords(setup, 200, 50);
    registerType(setup, 'metric', 'StructuredDataDict');
    setup.close();
    let total = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const { killed } = await runAndKill(repo, `crash/run${trial}`, 30 + Math.floor(Math.random() * 400));
      expect(killed).toBe(true);
      const butler = Butler.open(repo, { writeable: true });
      const refs = butler.registry.queryDatasets('metric', { collections: 'crash/*' });
      total += refs.length;
      for (const ref of refs) expect(butler.datastore.exists(ref), `dataset ${ref.toString()} lost its file`).toBe(true);
      const referenced = new Set(
        butler.registry.db.prepare('SELECT DISTINCT path FROM file_datastore_records').all<{ path: string }>().map((r) => r.path),
      );
      const files = walk(repo).map((p) => relative(repo, p)).filter((p) => p !== 'butler.yaml' && !p.startsWith('gen3.sqlite3') && !p.startsWith(JOURNAL_DIR));
      const temps = files.filter((p) => p.includes(TEMP_MARKER));
      expect(temps, 'temporary files left after recovery').toEqual([]);
      const stray = files.filter((p) => !referenced.has(p));
      expect(stray, 'files not referenced by any datastore record').toEqual([]);
      expect(readdirSync(join(repo, JOURNAL_DIR)).filter((n) => !n.startsWith(`${process.pid}-`)), 'journals of dead processes left').toEqual([]);
      butler.close();
    }
    expect(total).toBeGreaterThan(0);
  }, 60_000);
});
