// Local-filesystem storage: atomic publication by temp file + rename in the same
// directory, paths confined to the root, optional fsync for power-loss durability.
import {
  closeSync, copyFileSync, existsSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync,
  statSync, symlinkSync, unlinkSync, writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StorageError, type StagedFile, type Storage } from './storage.js';
import { checksumFile } from '../checksum.js';
import { FileOpsWorker, type FileJob } from './fileOpsWorker.js';
import { packContents } from './fileOps.js';

export interface PosixStorageOptions {
  /** fsync files and their directory before publishing (slower; survives power loss). */
  fsync?: boolean;
  /** Called with every temporary path before it is created (crash journal). */
  onTemp?: (tmpAbsPath: string) => void;
}

/** Marker in temporary file names: `.<basename>.butler-tmp-<pid>-<n>`. */
export const TEMP_MARKER = '.butler-tmp-';

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARKER);
}

let counter = 0;

/** One file worker per process: it holds no state, so every storage (and repository) shares it. */
const sharedFileOps = new FileOpsWorker();

const PLAIN_SEGMENTS = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$/;

/** A relative path of plain segments, none of them starting with a dot (so no `.` or `..`). */
function isPlainRelative(path: string): boolean {
  return PLAIN_SEGMENTS.test(path);
}

export class PosixStorage implements Storage {
  readonly kind = 'posix';
  readonly root: string;
  readonly rootUri: string;
  private readonly fsync: boolean;
  private readonly onTemp: ((p: string) => void) | undefined;
  private readonly knownDirs = new Set<string>();
  /** Bulk writes and removals, on the process's file worker once started. */
  private readonly files = sharedFileOps;

  constructor(root: string, options: PosixStorageOptions = {}) {
    this.root = resolve(root.startsWith('file://') ? fileURLToPath(root) : root);
    this.rootUri = pathToFileURL(this.root + sep).href;
    this.fsync = options.fsync ?? false;
    this.onTemp = options.onTemp;
  }

  /** Absolute local path for a stored path; relative paths may not leave the root. */
  absolute(path: string): string {
    // Plain relative paths (what templates make) cannot leave the root: no resolve() needed (a hot path).
    if (isPlainRelative(path)) return this.root + sep + path;
    if (path.startsWith('file://')) return fileURLToPath(path);
    if (isAbsolute(path)) return path;
    const abs = resolve(this.root, path);
    if (abs !== this.root && !abs.startsWith(this.root + sep)) {
      throw new StorageError(`Path ${JSON.stringify(path)} escapes the datastore root ${this.root}`);
    }
    return abs;
  }

  contains(absolutePath: string): boolean {
    const abs = resolve(absolutePath);
    return abs.startsWith(this.root + sep);
  }

  relative(absolutePath: string): string {
    if (!this.contains(absolutePath)) throw new StorageError(`${absolutePath} is not inside the datastore root ${this.root}`);
    return relative(this.root, resolve(absolutePath)).split(sep).join('/');
  }

  uri(path: string): string {
    // Plain relative paths need no percent-encoding: skip the URL machinery (a hot path).
    if (isPlainRelative(path)) return this.rootUri + path;
    return pathToFileURL(this.absolute(path)).href;
  }

  exists(path: string): boolean {
    return existsSync(this.absolute(path));
  }

  size(path: string): number | undefined {
    try {
      return statSync(this.absolute(path)).size;
    } catch {
      return undefined;
    }
  }

  /** The whole file; `expectedSize` (the recorded size) saves a stat when it is right. */
  async readBytes(path: string, expectedSize?: number): Promise<Uint8Array> {
    const abs = this.absolute(path);
    try {
      // Synchronous on purpose: for the small files datasets usually are, one blocking read is
      // several times faster than the thread-pool round trips of fs.promises.
      if (expectedSize !== undefined && expectedSize < SMALL_READ) return readKnownSize(abs, expectedSize);
      return new Uint8Array(readFileSync(abs));
    } catch (err) {
      throw new StorageError(`Cannot read ${abs}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file is missing' : (err as Error).message}`, { cause: err });
    }
  }

  async localPath(path: string): Promise<string> {
    const abs = this.absolute(path);
    if (!existsSync(abs)) throw new StorageError(`Cannot read ${abs}: file is missing`);
    return abs;
  }

  private ensureDir(dir: string): void {
    if (this.knownDirs.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.knownDirs.add(dir);
  }

  private tempFor(abs: string): string {
    const tmp = join(dirname(abs), `.${basename(abs)}${TEMP_MARKER}${process.pid}-${++counter}`);
    this.onTemp?.(tmp);
    return tmp;
  }

  stageBytes(path: string, bytes: Uint8Array): StagedFile {
    const abs = this.absolute(path);
    this.ensureDir(dirname(abs));
    const tmp = this.tempFor(abs);
    const fd = openSync(tmp, 'wx');
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      if (this.fsync) fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw err;
    }
    closeSync(fd);
    return { path, tmp, size: bytes.length };
  }

  async stageWith(path: string, fn: (tmpPath: string) => Promise<void>): Promise<StagedFile> {
    const abs = this.absolute(path);
    this.ensureDir(dirname(abs));
    const tmp = this.tempFor(abs);
    try {
      await fn(tmp);
      if (this.fsync) {
        const fd = openSync(tmp, 'r');
        fsyncSync(fd);
        closeSync(fd);
      }
      return { path, tmp, size: statSync(tmp).size };
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  commit(staged: StagedFile): void {
    const abs = this.absolute(staged.path);
    // link() publishes without ever replacing an existing file (rename would, silently).
    let linked = false;
    try {
      linkSync(staged.tmp, abs);
      linked = true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || existsSync(abs)) {
        throw new StorageError(`Refusing to overwrite existing file ${abs}; another dataset already uses this path (check the file template)`, { cause: err });
      }
      // File systems without hard links: check-then-rename instead.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
      renameSync(staged.tmp, abs);
    }
    if (linked) unlinkSync(staged.tmp);
    if (this.fsync) {
      const fd = openSync(dirname(abs), 'r');
      fsyncSync(fd);
      closeSync(fd);
    }
  }

  discard(staged: StagedFile): void {
    rmSync(staged.tmp, { force: true });
  }

  remove(path: string): boolean {
    const abs = this.absolute(path);
    try {
      unlinkSync(abs);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new StorageError(`Cannot remove ${abs}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Removes many artifacts (missing ones are ignored). */
  async removeMany(paths: readonly string[]): Promise<void> {
    await this.startRemoval(paths.map((p) => this.absolute(p)))();
  }

  /**
   * Starts removing files (absolute paths; missing ones are ignored) on the file worker when it
   * runs, else right here; the returned function helps with what is left and waits for the end.
   */
  startRemoval(absPaths: readonly string[]): () => Promise<void> {
    if (absPaths.length === 0) return async () => undefined;
    const paths = [...absPaths];
    const job = this.files.submit({ kind: 'remove', paths });
    return async () => {
      job.help();
      const failures = await job.done;
      if (failures.length > 0) {
        const f = failures[0];
        const what = f.index >= 0 ? paths[f.index] : `${paths.length} files`;
        throw new StorageError(`Cannot remove ${what}: ${f.message}${failures.length > 1 ? ` (and ${failures.length - 1} more failures)` : ''}`);
      }
    };
  }

  /**
   * Creates new files (absolute paths inside the root), never replacing one, as one batch: on
   * the file worker when it runs (the caller may help), else right here. A failed item is
   * reported in the job's failures and leaves no file of ours behind.
   */
  writeNewFiles(absPaths: string[], data: readonly Uint8Array[]): FileJob {
    return this.files.submit({ kind: 'write', paths: absPaths, ...packContents(data), fsync: this.fsync });
  }

  /** Starts the file worker in the background (for bulk writes and removals). */
  startFileWorker(): void {
    this.files.start();
  }

  /** Checkpoints an SQLite WAL on the file worker; null when it is not running (then the caller does it). */
  checkpointInBackground(dbPath: string): Promise<void> | null {
    return this.files.checkpoint(dbPath);
  }

  /** Whether batches go to the file worker now (else the calling thread does them). */
  get fileWorkerRunning(): boolean {
    return this.files.running;
  }

  close(): void {
    // The file worker is shared by every storage of the process and idles unreferenced: nothing to stop.
  }

  transferIn(source: string, path: string, mode: 'copy' | 'move' | 'link' | 'symlink' | 'hardlink' | 'relsymlink'): void {
    const src = resolve(source);
    if (!existsSync(src)) throw new StorageError(`Cannot ingest ${src}: file does not exist`);
    const abs = this.absolute(path);
    if (existsSync(abs) || isBrokenLink(abs)) throw new StorageError(`Cannot ingest ${src}: ${abs} already exists in the datastore`);
    this.ensureDir(dirname(abs));
    placeFile(src, abs, mode, (final) => this.tempFor(final));
  }

  transferOut(path: string, destination: string, mode: 'copy' | 'link' | 'symlink' | 'hardlink' | 'relsymlink'): void {
    const src = this.absolute(path);
    if (!existsSync(src)) throw new StorageError(`Cannot retrieve ${src}: file is missing`);
    mkdirSync(dirname(destination), { recursive: true });
    placeFile(src, resolve(destination), mode, (final) => join(dirname(final), `.${basename(final)}${TEMP_MARKER}${process.pid}-${++counter}`));
  }

  checksum(path: string): string {
    return checksumFile(this.absolute(path));
  }
}

function isBrokenLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Puts `src` at `dest` with a transfer mode; copies go through a temp file + rename. */
function placeFile(src: string, dest: string, mode: string, tempFor: (final: string) => string): void {
  switch (mode) {
    case 'copy': {
      const tmp = tempFor(dest);
      try {
        copyFileSync(src, tmp);
        linkSync(tmp, dest);
      } finally {
        rmSync(tmp, { force: true });
      }
      return;
    }
    case 'move':
      try {
        renameSync(src, dest);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        placeFile(src, dest, 'copy', tempFor);
        unlinkSync(src);
      }
      return;
    case 'hardlink':
      linkSync(src, dest);
      return;
    case 'link':
      try {
        linkSync(src, dest);
      } catch {
        symlinkSync(src, dest);
      }
      return;
    case 'symlink':
      symlinkSync(src, dest);
      return;
    case 'relsymlink':
      symlinkSync(relative(dirname(dest), src), dest);
      return;
    default:
      throw new StorageError(`Unknown transfer mode '${mode}'`);
  }
}

/** Files below this size are read at their recorded size, without an fstat. */
const SMALL_READ = 1 << 16;
/** Scratch for those reads (synchronous, so never shared by two reads at once). */
const SCRATCH = new Uint8Array(SMALL_READ + 1);

/**
 * Reads a small file whose size is probably `size`: asking for one byte more and getting
 * exactly `size` proves the end of the file (open, read, close: no fstat); the bytes are copied
 * out of the scratch buffer. A file of another length (rewritten outside the Butler?) is read
 * whole instead.
 */
function readKnownSize(abs: string, size: number): Uint8Array {
  const fd = openSync(abs, 'r');
  let n = 0;
  try {
    for (;;) {
      const got = readSync(fd, SCRATCH, n, size + 1 - n, null);
      if (got === 0) break;
      n += got;
      if (n > size) break;
    }
  } finally {
    closeSync(fd);
  }
  if (n === size) return SCRATCH.slice(0, size);
  return new Uint8Array(readFileSync(abs));
}

/** Reads a whole local file synchronously (small helper for journals). */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
