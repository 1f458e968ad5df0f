// The file-operations worker and its batches: new files only (never replacing one), failures
// reported per item, removals ignoring missing files, and the calling thread helping with
// whatever the worker has not claimed (each item done exactly once).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLAIM_SLOTS, packContents, workOnBatch, type FileOpFailure } from '../../../core/datastore/storage/fileOps.js';
import { FileOpsWorker } from '../../../core/datastore/storage/fileOpsWorker.js';

const dir = mkdtempSync(join(tmpdir(), 'file-ops-'));
const worker = new FileOpsWorker();
afterAll(() => {
  worker.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);

async function untilRunning(w: FileOpsWorker): Promise<void> {
  w.start();
  const deadline = Date.now() + 20_000;
  while (!w.running) {
    if (Date.now() > deadline) throw new Error('file worker did not start within 20 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('file batches on the calling thread', () => {
  it('write new files (making directories), refuse existing ones and report other failures per item', () => {
    const base = join(dir, 'inline');
    mkdirSync(base);
    writeFileSync(join(base, 'taken.json'), 'precious');
    writeFileSync(join(base, 'plainfile'), 'not a directory');
    const paths = [join(base, 'a/b/one.json'), join(base, 'taken.json'), join(base, 'plainfile/x.json'), join(base, 'a/two.json')];
    const failures: FileOpFailure[] = [];
    const done = workOnBatch({ kind: 'write', paths, ...packContents([bytes('1'), bytes('2'), bytes('3'), bytes('four')]), fsync: false }, new Int32Array(new SharedArrayBuffer(4)), failures);
    expect(done).toBe(4);
    expect(readFileSync(paths[0], 'utf8')).toBe('1');
    expect(readFileSync(paths[3], 'utf8')).toBe('four');
    expect(readFileSync(paths[1], 'utf8')).toBe('precious');
    expect(failures.map((f) => [f.index, f.code, f.existed])).toEqual([[1, 'EEXIST', true], [2, 'ENOTDIR', false]]);
  });

  it('remove every file once, naming each failure by its index; the worker takes removals from the back', () => {
    const base = join(dir, 'removals');
    const paths = Array.from({ length: 45 }, (_, i) => join(base, `d${Math.floor(i / 20)}`, `f${i}.json`));
    const create = () => {
      for (const p of paths) {
        mkdirSync(join(p, '..'), { recursive: true });
        writeFileSync(p, 'x');
      }
    };
    create();
    // A directory where a file was (unlink refuses it) and a file already gone (not an error).
    rmSync(paths[17]);
    mkdirSync(paths[17]);
    rmSync(paths[33]);
    const failures: FileOpFailure[] = [];
    const claim = new Int32Array(new SharedArrayBuffer(4 * CLAIM_SLOTS));
    expect(workOnBatch({ kind: 'remove', paths }, claim, failures)).toBe(45);
    expect(failures.map((f) => f.index)).toEqual([17]);
    expect(['EISDIR', 'EPERM']).toContain(failures[0].code);
    expect(paths.filter((p, i) => i !== 17 && existsSync(p))).toEqual([]);
    // Nothing is left to claim: a second thread arriving now does nothing.
    expect(workOnBatch({ kind: 'remove', paths }, claim, failures, true)).toBe(0);
    // The caller has taken the first 35 (counters as it leaves them): the worker removes the last 10, from the back.
    rmSync(paths[17], { recursive: true });
    create();
    const late = new Int32Array(new SharedArrayBuffer(4 * CLAIM_SLOTS));
    late[0] = 35;
    late[1] = 35;
    expect(workOnBatch({ kind: 'remove', paths }, late, failures, true)).toBe(10);
    expect(paths.map((p) => existsSync(p))).toEqual(paths.map((_, i) => i < 35));
    expect(Array.from(late)).toEqual([46, 35, 10]);
  });

  it('before the worker runs, a batch is done at once by the caller', async () => {
    const idle = new FileOpsWorker();
    const path = join(dir, 'idle.txt');
    const job = idle.submit({ kind: 'write', paths: [path], ...packContents([bytes('now')]), fsync: true });
    expect(readFileSync(path, 'utf8')).toBe('now');
    expect(await job.done).toEqual([]);
    const removal = idle.submit({ kind: 'remove', paths: [path, join(dir, 'never-existed.txt')] });
    expect(existsSync(path)).toBe(false);
    expect(await removal.done).toEqual([]);
  });
});

describe('file batches on the worker', () => {
  it('writes and removes hundreds of files, the caller helping: each file exactly once, right contents', async () => {
    await untilRunning(worker);
    const base = join(dir, 'worker');
    const n = 600;
    const paths = Array.from({ length: n }, (_, i) => join(base, `d${i % 7}`, `f${i}.json`));
    const contents = paths.map((_, i) => bytes(JSON.stringify({ i, pad: 'x'.repeat(i % 50) })));
    const job = worker.submit({ kind: 'write', paths, ...packContents(contents), fsync: false });
    job.help();
    expect(await job.done).toEqual([]);
    for (let i = 0; i < n; i++) expect(JSON.parse(readFileSync(paths[i], 'utf8'))).toEqual({ i, pad: 'x'.repeat(i % 50) });
    // A second write of the same paths is refused item by item, wherever it runs.
    const again = worker.submit({ kind: 'write', paths: paths.slice(0, 20), ...packContents(contents.slice(0, 20).map(() => bytes('other'))), fsync: false });
    const refused = await again.done;
    expect(refused.map((f) => f.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(refused.every((f) => f.existed && f.code === 'EEXIST')).toBe(true);
    expect(readFileSync(paths[0], 'utf8')).toBe(JSON.stringify({ i: 0, pad: '' }));
    const removal = worker.submit({ kind: 'remove', paths: [...paths, join(base, 'missing.json')] });
    removal.help();
    expect(await removal.done).toEqual([]);
    for (let d = 0; d < 7; d++) expect(readdirSync(join(base, `d${d}`))).toEqual([]);
  });
});
