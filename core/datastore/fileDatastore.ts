// FileDatastore: datasets as files under a root, paths from file templates, formats from
// the formatter config, records in file_datastore_records (daf_butler's layout, so Python
// reads what we write and we read what it wrote). Writes are staged to temp files and
// published by rename inside the registry transaction; a crash journal lets the next open
// remove anything a killed process left behind.
import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConfigMap } from '../config/index.js';
import { isConfigMap } from '../config/index.js';
import { DatasetType, type DatasetRef, type StorageClassFactory } from '../datasets/index.js';
import type { DimensionUniverse } from '../dimensions/index.js';
import {
  delegateFor, ensureFormatLoaded, ensureStorageClassLoaded, resolveFormatter, serializers, storageClassType, type ReadContext, type Serializer, type WriteContext,
} from '../formatters/index.js';
import type { Database } from '../registry/db/database.js';
import { FileTemplates, lookupCacheKey, type FileTemplate, type LookupRef } from '../templates/index.js';
import type { FormatterChoice } from './formatterConfig.js';
import type { FormatterInfo } from '../formatters/index.js';
import { CompositesMap } from './composites.js';
import { Constraints } from './constraints.js';
import { DatasetNotStoredError, UndoLog, type DatasetURIs, type Datastore, type GetOptions, type PreparedDeletion, type PreparedPut, type RetrieveOptions } from './datastore.js';
import { FormatterFactory } from './formatterConfig.js';
import { CrashJournal, type RecoveryReport } from './journal.js';
import { DatasetLocationTable, FileRecordsTable, storedIdChunks, type StoredFileInfo } from './records.js';
import { conformerFor, lookupRef } from './refAdapter.js';
import { PosixStorage } from './storage/posixStorage.js';
import { StorageError, TRANSFER_MODES, type StagedFile, type TransferMode } from './storage/storage.js';
import type { FileOpFailure } from './storage/fileOps.js';
import { checksumBytes, checksumFile } from './checksum.js';
import type { FileJob } from './storage/fileOpsWorker.js';

export interface FileDatastoreOptions {
  /** The datastore config section with `<butlerRoot>` already replaced in `root`. */
  config: ConfigMap;
  db: Database;
  universe: DimensionUniverse;
  storageClasses: StorageClassFactory;
  /** Root as written in the config before replacement; names the datastore (FileDatastore@<butlerRoot>). */
  unexpandedRoot?: string;
}

/** A file to ingest and the datasets it holds. */
export interface FileDataset {
  path: string;
  refs: DatasetRef[];
  /** daf_butler formatter class name; looked up from config when absent. */
  formatter?: string;
}

/** Artifacts of a transaction are written in batches of this many (one journal write and one worker message each). */
const WRITE_BATCH = 64;
/** ...or sooner once this many bytes wait (large datasets go out at once). */
const WRITE_BATCH_BYTES = 8 << 20;

/** An artifact of a transaction waiting for its background write (deferred mode). */
interface PendingWrite {
  path: string;
  /** Released once handed to the storage. */
  bytes: Uint8Array;
  size: number;
  /** True once the file on disk is ours (only then may a rollback delete it). */
  published: boolean;
  /** Settles when its batch is done; null while still queued. */
  settled: Promise<void> | null;
}

interface WriteJob {
  job: FileJob;
  writes: PendingWrite[];
  settled: Promise<void>;
}

/** An artifact ready to publish: a staged temporary file, or (deferred mode) bytes still to write. */
interface StagedPart {
  staged?: StagedFile;
  bytes?: Uint8Array;
  path: string;
  info: StoredFileInfo;
}

const EMPTY_BYTES = new Uint8Array(0);
const NO_PARAMETERS: Record<string, unknown> = Object.freeze({});

export class FileDatastore implements Datastore {
  readonly name: string;
  readonly names: readonly string[];
  readonly isEphemeral = false;
  readonly storage: PosixStorage;
  readonly templates: FileTemplates;
  readonly formatters: FormatterFactory;
  readonly composites: CompositesMap;
  readonly constraints: Constraints;
  readonly records: FileRecordsTable;
  readonly locations: DatasetLocationTable;
  readonly useChecksum: boolean;
  private readonly journal: CrashJournal;
  private readonly db: Database;
  private readonly storageClasses: StorageClassFactory;
  private readonly validated = new Set<string>();
  /** Formats (and format + storage class pairs) whose serializers are loaded: no await on the hot paths. */
  private readonly loaded = new Set<string>();
  /** Formatter, format and template per dataset type (+instrument): looked up once, used on every put. */
  private readonly plans = new Map<string, { choice: FormatterChoice; info: FormatterInfo; template: FileTemplate }>();
  private readonly optionsCache = new WeakMap<DatasetType, Map<string, Readonly<Record<string, unknown>>>>();
  /** Deferred writes not yet handed to the file worker, then those in flight (oldest first). */
  private queue: PendingWrite[] = [];
  private queuedBytes = 0;
  private readonly jobs: WriteJob[] = [];
  private readonly pendingByPath = new Map<string, PendingWrite>();
  private unwrittenBytes = 0;
  private readonly writeErrors: unknown[] = [];

  constructor(opts: FileDatastoreOptions) {
    const { config } = opts;
    const root = config.root;
    if (typeof root !== 'string' || root === '') throw new Error('FileDatastore config has no root');
    if (root.includes('<butlerRoot>')) throw new Error(`FileDatastore root ${root} still contains <butlerRoot>; open the datastore through the Butler`);
    const fsync = config.fsync === true;
    this.journal = new CrashJournal(resolve(root.startsWith('file://') ? fileURLToPath(root) : root), { fsync });
    this.storage = new PosixStorage(root, { fsync, onTemp: (p) => this.journal.record('tmp', p) });
    this.name = typeof config.name === 'string' ? config.name : `FileDatastore@${opts.unexpandedRoot ?? root}`;
    this.names = [this.name];
    const universe = conformerFor(opts.universe);
    this.templates = new FileTemplates(isConfigMap(config.templates) ? config.templates : {}, { universe });
    this.formatters = new FormatterFactory(config.formatters, universe);
    this.composites = new CompositesMap(config.composites, universe);
    this.constraints = new Constraints(config.constraints, universe);
    this.useChecksum = config.checksum === true;
    this.db = opts.db;
    this.storageClasses = opts.storageClasses;
    const recordsConfig = isConfigMap(config.records) ? config.records : {};
    this.records = new FileRecordsTable(opts.db, typeof recordsConfig.table === 'string' ? recordsConfig.table : 'file_datastore_records');
    this.records.ensureTables();
    this.locations = new DatasetLocationTable(opts.db, this.name);
  }

  /** Replays crash journals of dead processes (see journal.ts). */
  recover(): RecoveryReport {
    return CrashJournal.recover(this.storage.root, (abs) => {
      if (!this.storage.contains(abs)) return true;
      return this.records.isPathReferenced(this.storage.relative(abs));
    });
  }

  accepts(ref: DatasetRef): boolean {
    return this.constraints.isAcceptable(lookupRef(ref));
  }

  private checkedTemplate(lref: LookupRef) {
    const template = this.templates.getTemplate(lref);
    const key = `${template.template}\u0000${lref.datasetType.name}\u0000${lref.datasetType.dimensions.join(',')}`;
    if (!this.validated.has(key)) {
      template.validateTemplate(lref);
      this.validated.add(key);
    }
    return template;
  }

  /** The relative path (with extension) a ref would get. */
  predictPath(ref: DatasetRef): string {
    const lref = lookupRef(ref);
    const choice = this.formatters.get(lref);
    const info = resolveFormatter(choice.formatter, `${ref.datasetType.name} ${ref.id}`);
    return this.checkedTemplate(lref).format(lref) + info.extension;
  }

  private planFor(lref: LookupRef) {
    const key = lookupCacheKey(lref);
    let plan = this.plans.get(key);
    if (!plan) {
      const choice = this.formatters.get(lref);
      const info = resolveFormatter(choice.formatter, `${lref.datasetType.name} (${lref.id})`);
      plan = { choice, info, template: this.checkedTemplate(lref) };
      this.plans.set(key, plan);
    }
    return plan;
  }

  private async stagePart(obj: unknown, ref: DatasetRef, component: string | null, defer: boolean): Promise<StagedPart> {
    const lref = lookupRef(ref);
    const { choice, info, template } = this.planFor(lref);
    if (!this.loaded.has(info.format)) {
      await ensureFormatLoaded(info.format);
      this.loaded.add(info.format);
    }
    const serializer = serializers.getForObject(obj, info.format, this.storage.kind);
    const path = template.format(lref) + info.extension;
    let staged: StagedFile | undefined;
    let deferred: Uint8Array | undefined;
    const storage = this.storage;
    const location = { storageKind: storage.kind, path, get uri() { return storage.uri(path); }, options: choice.parameters };
    const ctx: WriteContext = {
      location,
      storageClass: ref.datasetType.storageClassName,
      writeBytes: async (bytes) => {
        if (defer) deferred = bytes;
        else staged = this.storage.stageBytes(path, bytes);
      },
      writeLocalFile: async (fn) => {
        staged = await this.storage.stageWith(path, fn);
      },
    };
    try {
      await serializer.write(obj, ctx);
    } catch (err) {
      if (staged) this.storage.discard(staged);
      throw err;
    }
    if (!staged && !deferred) throw new StorageError(`Serializer ${serializer.name} wrote nothing for ${ref.datasetType.name} (${ref.id})`);
    return {
      staged,
      bytes: deferred,
      path,
      info: {
        datasetId: ref.id,
        path,
        formatter: choice.formatter,
        storageClass: ref.datasetType.storageClassName,
        component,
        checksum: !this.useChecksum ? null : staged ? checksumFile(staged.tmp) : checksumBytes(deferred as Uint8Array),
        fileSize: staged ? staged.size : (deferred as Uint8Array).length,
      },
    };
  }

  /** The transaction has ended (committed or rolled back): nothing of it is in flight any more. */
  settle(): void {
    if (this.pendingByPath.size > 0) return;
    this.writeErrors.length = 0;
    this.journal.settle();
  }

  /** Deferred writes not yet on disk. */
  get pendingWrites(): number {
    return this.pendingByPath.size;
  }

  /** Bytes of the deferred writes not yet on disk. */
  get pendingBytes(): number {
    return this.unwrittenBytes;
  }

  /**
   * Queues an artifact for writing in the background (flushWrites() waits for it). Files are
   * created directly under their final names, never replacing one: nothing refers to them
   * before the transaction commits, which waits for them, and the crash journal lists them
   * first, so a killed process leaves nothing the next open does not remove.
   */
  private startWrite(path: string, bytes: Uint8Array): PendingWrite {
    // An existing file is refused by the write itself (reported at flush); this catches clashes within the batch.
    if (this.pendingByPath.has(path)) {
      throw new StorageError(`Refusing to overwrite existing file ${this.storage.absolute(path)}; another dataset already uses this path (check the file template)`);
    }
    const write: PendingWrite = { path, bytes, size: bytes.length, published: false, settled: null };
    this.queue.push(write);
    this.pendingByPath.set(path, write);
    this.queuedBytes += bytes.length;
    this.unwrittenBytes += bytes.length;
    if (this.queue.length >= WRITE_BATCH || this.queuedBytes >= WRITE_BATCH_BYTES) this.dispatch(true);
    return write;
  }

  /** Hands the queued writes to the storage as one batch (journal first). */
  private dispatch(full: boolean): void {
    if (this.queue.length === 0) return;
    const writes = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    const paths = writes.map((w) => this.storage.absolute(w.path));
    this.journal.recordAll('put', paths);
    // A transaction with several batches is worth the second core (the worker starts once, in the background).
    if (full) this.storage.startFileWorker();
    const job = this.storage.writeNewFiles(paths, writes.map((w) => w.bytes));
    for (const w of writes) w.bytes = EMPTY_BYTES;
    const entry: WriteJob = { job, writes, settled: Promise.resolve() };
    entry.settled = job.done.then((failures) => this.finishWrites(entry, paths, failures));
    for (const w of writes) w.settled = entry.settled;
    this.jobs.push(entry);
  }

  private finishWrites(entry: WriteJob, paths: string[], failures: FileOpFailure[]): void {
    const failed = new Map<number, FileOpFailure>();
    for (const f of failures) {
      if (f.index >= 0) failed.set(f.index, f);
      else this.writeErrors.push(new StorageError(f.message));
    }
    entry.writes.forEach((w, i) => {
      const f = failed.get(i);
      if (f === undefined) w.published = true;
      else if (f.existed) {
        // Not ours: recovery must not delete it.
        this.journal.record('keep', paths[i]);
        this.writeErrors.push(new StorageError(`Refusing to overwrite existing file ${paths[i]}; another dataset already uses this path (check the file template)`));
      } else this.writeErrors.push(new StorageError(`Cannot write ${paths[i]}: ${f.message}`));
      this.unwrittenBytes -= w.size;
      if (this.pendingByPath.get(w.path) === w) this.pendingByPath.delete(w.path);
    });
    this.jobs.splice(this.jobs.indexOf(entry), 1);
  }

  /**
   * Waits until at most `limit` deferred writes are not on disk (0: all), doing the unclaimed
   * ones itself meanwhile. Throws the first write error, after every write has settled, so
   * the caller can roll back; the error stays (every later flush throws it) until settle():
   * writes still queued were dropped, so the transaction cannot commit any more.
   */
  async flushWrites(limit = 0): Promise<void> {
    while (this.pendingByPath.size > limit && this.writeErrors.length === 0) {
      if (this.jobs.length === 0) this.dispatch(false);
      const oldest = this.jobs[0];
      if (oldest === undefined) break;
      oldest.job.help();
      await oldest.settled;
    }
    if (this.writeErrors.length > 0) {
      // The transaction will roll back: queued artifacts need not be written at all.
      for (const w of this.queue.splice(0)) {
        this.unwrittenBytes -= w.size;
        w.settled = Promise.resolve();
        if (this.pendingByPath.get(w.path) === w) this.pendingByPath.delete(w.path);
      }
      this.queuedBytes = 0;
      await Promise.all(this.jobs.map((j) => j.settled));
      throw this.writeErrors[0];
    }
  }

  /** Waits for the deferred write of one artifact (queued ones are sent first). */
  private async awaitWrite(path: string): Promise<void> {
    const write = this.pendingByPath.get(path);
    if (write === undefined) return;
    if (write.settled === null) this.dispatch(false);
    await write.settled;
  }

  /**
   * Serialises a dataset. With `defer` (used inside Butler transactions) the bytes are kept
   * in memory and written in the background when committed; the Butler waits for them
   * before the database commit, so a dataset is never committed without its file.
   */
  async preparePut(obj: unknown, ref: DatasetRef, opts: { defer?: boolean } = {}): Promise<PreparedPut> {
    const defer = opts.defer ?? false;
    const lref = lookupRef(ref);
    if (!this.constraints.isAcceptable(lref)) {
      throw new Error(`Dataset ${ref.toString()} is rejected by the constraints of datastore ${this.name}`);
    }
    const sc = this.storageClasses.get(ref.datasetType.storageClassName);
    const parts: StagedPart[] = [];
    try {
      if (this.composites.shouldBeDisassembled(lref, sc.isComposite())) {
        const pieces = delegateFor(obj).disassemble(obj, Object.keys(sc.components));
        if (Object.keys(pieces).length === 0) throw new Error(`Composite ${ref.toString()} has none of its components (${Object.keys(sc.components).join(', ')}) to write`);
        for (const [component, value] of Object.entries(pieces)) {
          parts.push(await this.stagePart(value, ref.makeComponentRef(component, this.storageClasses), component, defer));
        }
      } else {
        parts.push(await this.stagePart(obj, ref, null, defer));
      }
    } catch (err) {
      for (const p of parts) if (p.staged) this.storage.discard(p.staged);
      throw err;
    }
    return {
      commit: (undo: UndoLog) => {
        for (const p of parts) {
          if (p.staged) {
            this.journal.record('put', this.storage.absolute(p.path));
            try {
              this.storage.commit(p.staged);
            } catch (err) {
              this.journal.record('keep', this.storage.absolute(p.path));
              throw err;
            }
            undo.onRollback(() => this.storage.remove(p.path));
          } else {
            const write = this.startWrite(p.path, p.bytes as Uint8Array);
            // On rollback the caller has waited for background writes (flushWrites) first;
            // a file that was already there (the write refused it) is not ours to delete.
            undo.onRollback(() => {
              if (write.published) this.storage.remove(p.path);
            });
          }
        }
        this.records.insert(parts.map((p) => p.info));
        this.locations.insert([ref.id]);
      },
      discard: () => {
        for (const p of parts) if (p.staged) this.storage.discard(p.staged);
      },
    };
  }

  /** Writes one dataset in its own transaction (the Butler uses preparePut + commit instead). */
  async put(obj: unknown, ref: DatasetRef): Promise<void> {
    const prepared = await this.preparePut(obj, ref);
    const undo = new UndoLog();
    try {
      this.db.transaction(() => prepared.commit(undo));
    } catch (err) {
      undo.rollback();
      prepared.discard();
      throw err;
    } finally {
      this.journal.settle();
    }
  }

  /** Formatter options configured for a dataset type (+instrument), cached. */
  private readOptions(ref: DatasetRef): Readonly<Record<string, unknown>> {
    let byInstrument = this.optionsCache.get(ref.datasetType);
    if (!byInstrument) {
      byInstrument = new Map();
      this.optionsCache.set(ref.datasetType, byInstrument);
    }
    const instrument = String(ref.dataId.values.instrument ?? '');
    let options = byInstrument.get(instrument);
    if (!options) {
      options = this.formatters.find(lookupRef(ref))?.parameters ?? {};
      byInstrument.set(instrument, options);
    }
    return options;
  }

  private recordsOf(ref: DatasetRef): StoredFileInfo[] {
    const records = this.records.get(ref.id);
    if (records.length === 0) throw new DatasetNotStoredError(`Dataset ${ref.toString()} has no artifacts in datastore ${this.name}`);
    return records;
  }

  private async readRecord(ref: DatasetRef, rec: StoredFileInfo, component: string | undefined, parameters: Record<string, unknown>): Promise<unknown> {
    if (this.pendingByPath.size > 0) await this.awaitWrite(rec.path);
    const info = resolveFormatter(rec.formatter, () => this.storage.uri(rec.path));
    const loadKey = `${info.format}\u0000${rec.storageClass}`;
    if (!this.loaded.has(loadKey)) {
      await Promise.all([ensureFormatLoaded(info.format), ensureStorageClassLoaded(rec.storageClass)]);
      this.loaded.add(loadKey);
    }
    const serializer: Serializer = serializers.get(storageClassType(rec.storageClass), info.format, this.storage.kind);
    let own: Record<string, unknown> = NO_PARAMETERS;
    let rest: Record<string, unknown> = NO_PARAMETERS;
    if (Object.keys(parameters).length > 0) {
      const handled = new Set(serializer.handledParameters ?? []);
      own = Object.fromEntries(Object.entries(parameters).filter(([k]) => handled.has(k)));
      rest = Object.fromEntries(Object.entries(parameters).filter(([k]) => !handled.has(k)));
    }
    const readsComponent = component !== undefined && (serializer.readsComponent?.(component) ?? false);
    const options = this.readOptions(ref);
    const storage = this.storage;
    const ctx: ReadContext = {
      // The URI is only needed in messages: computed on demand.
      location: { storageKind: storage.kind, path: rec.path, get uri() { return storage.uri(rec.path); }, options },
      storageClass: rec.storageClass,
      component: readsComponent ? component : undefined,
      parameters: own,
      readBytes: () => this.storage.readBytes(rec.path, rec.fileSize ?? undefined),
      localPath: () => this.storage.localPath(rec.path),
      dataset: { datasetType: ref.datasetType.name, dataId: ref.dataId.values, id: ref.id, run: ref.run },
    };
    let obj = await serializer.read(ctx);
    if (component !== undefined && !readsComponent) obj = delegateFor(obj).getComponent(obj, component);
    if (Object.keys(rest).length > 0) obj = delegateFor(obj).handleParameters(obj, rest);
    return obj;
  }

  async get(ref: DatasetRef, options: GetOptions = {}): Promise<unknown> {
    const refComponent = DatasetType.splitName(ref.datasetType.name)[1] ?? undefined;
    const component = options.component ?? refComponent;
    const parameters = options.parameters ?? {};
    const records = this.recordsOf(ref);
    if (records.length === 1 && records[0].component === null) return this.readRecord(ref, records[0], component, parameters);
    // Disassembled composite: one artifact per component.
    if (component !== undefined) {
      const rec = records.find((r) => r.component === component);
      if (rec) return this.readRecord(ref, rec, undefined, parameters);
    }
    const parts: Record<string, unknown> = {};
    for (const rec of records) parts[rec.component ?? ''] = await this.readRecord(ref, rec, undefined, {});
    const compositeType = storageClassType(refComponent === undefined ? ref.datasetType.storageClassName : (ref.datasetType.parentStorageClassName ?? ref.datasetType.storageClassName));
    const delegate = delegateFor(compositeType);
    let whole = delegate.assemble(parts);
    if (component !== undefined) whole = delegateFor(whole).getComponent(whole, component);
    if (Object.keys(parameters).length > 0) whole = delegateFor(whole).handleParameters(whole, parameters);
    return whole;
  }

  knows(ref: DatasetRef): boolean {
    return this.records.has(ref.id);
  }

  exists(ref: DatasetRef): boolean {
    const records = this.records.get(ref.id);
    return records.length > 0 && records.every((r) => this.pendingByPath.has(r.path) || this.storage.exists(r.path));
  }

  getURIs(ref: DatasetRef, predict = false): DatasetURIs {
    const records = this.records.get(ref.id);
    if (records.length === 0) {
      if (!predict) throw new DatasetNotStoredError(`Dataset ${ref.toString()} has no artifacts in datastore ${this.name}`);
      return { primary: this.storage.uri(this.predictPath(ref)) + '#predicted', components: {}, predicted: true };
    }
    const out: DatasetURIs = { primary: undefined, components: {}, predicted: false };
    for (const r of records) {
      if (r.component === null) out.primary = this.storage.uri(r.path);
      else out.components[r.component] = this.storage.uri(r.path);
    }
    return out;
  }

  /** Stored records of a dataset (for export and inspection). */
  storedInfo(ref: DatasetRef): StoredFileInfo[] {
    return this.records.get(ref.id);
  }

  trash(refs: readonly DatasetRef[]): void {
    this.locations.moveToTrash(refs.map((r) => r.id));
  }

  async emptyTrash(): Promise<void> {
    if (!this.locations.hasTrash()) return;
    const doomed = this.records.deletablePaths(this.name).map((p) => this.storage.absolute(p));
    this.journal.recordAll('del', doomed);
    // The datasets are gone from the registry: their files go on the file worker (if running)
    // while this thread forgets the records, then it helps. A failure in between leaves
    // trashed records of missing files, which the next emptyTrash clears.
    const removal = this.storage.startRemoval(doomed);
    this.db.transaction(() => {
      this.records.deleteTrashed(this.name);
      this.locations.clearTrash();
    });
    await removal();
    this.journal.settle();
  }

  /**
   * A purge's share: inside the registry transaction the records and locations go and the files
   * no other dataset uses are journalled; after the commit those files are removed (file worker
   * and this thread together). A crash in between leaves unreferenced files the next open removes.
   */
  prepareDeletion(refs: readonly DatasetRef[]): PreparedDeletion {
    let doomed: string[] = [];
    return {
      commit: () => {
        const ids = storedIdChunks(refs.map((r) => r.id));
        const candidates = this.records.deleteReturningRelativePaths(ids);
        this.locations.remove(ids);
        const inUse = candidates.length > 0 ? this.records.pathsInUse(candidates) : new Set<string>();
        doomed = candidates.filter((p) => !inUse.has(p)).map((p) => this.storage.absolute(p));
        this.journal.recordAll('del', doomed);
      },
      finish: async () => {
        await this.storage.startRemoval(doomed)();
        this.journal.settle();
      },
    };
  }

  forget(refs: readonly DatasetRef[]): void {
    const ids = storedIdChunks(refs.map((r) => r.id));
    this.db.transaction(() => {
      this.records.delete(ids);
      this.locations.remove(ids);
    });
  }

  /**
   * Prepares an ingest: each file is transferred into the store (or recorded in place),
   * with one record per ref. `transfer` follows daf_butler: undefined means the files are
   * already inside the root.
   */
  async prepareIngest(datasets: readonly FileDataset[], transfer: TransferMode | undefined, opts: { recordValidationInfo?: boolean } = {}): Promise<PreparedPut> {
    if (transfer !== undefined && !TRANSFER_MODES.includes(transfer)) {
      throw new Error(`Unknown transfer mode '${String(transfer)}'; expected one of ${TRANSFER_MODES.join(', ')}`);
    }
    const plans: { src: string; dest: string; mode: TransferMode | undefined; infos: StoredFileInfo[] }[] = [];
    for (const ds of datasets) {
      if (ds.refs.length === 0) throw new Error(`Ingest of ${ds.path}: no dataset refs given`);
      const src = resolve(ds.path.startsWith('file://') ? fileURLToPath(ds.path) : ds.path);
      if (!existsSync(src)) throw new Error(`Ingest: file ${src} does not exist`);
      let mode = transfer;
      if (mode === 'auto') mode = this.storage.contains(src) ? undefined : 'copy';
      if (mode === undefined && !this.storage.contains(src)) {
        throw new Error(`Ingest without transfer needs ${src} to be inside the datastore root ${this.storage.root}; pass a transfer mode (e.g. copy, link, direct)`);
      }
      for (const ref of ds.refs) {
        if (!this.constraints.isAcceptable(lookupRef(ref))) throw new Error(`Dataset ${ref.toString()} is rejected by the constraints of datastore ${this.name}`);
      }
      const first = ds.refs[0];
      const lref = lookupRef(first);
      const formatter = ds.formatter ?? this.formatters.get(lref).formatter;
      let dest: string;
      if (mode === undefined) dest = this.storage.relative(src);
      else if (mode === 'direct') dest = pathToFileURL(src).href;
      else dest = this.checkedTemplate(lref).format(lref) + extname(src);
      const record = opts.recordValidationInfo ?? true;
      const size = record ? this.storage.size(src) ?? null : null;
      const checksum = record && this.useChecksum ? checksumFile(src) : null;
      plans.push({
        src,
        dest,
        mode,
        infos: ds.refs.map((ref) => ({ datasetId: ref.id, path: dest, formatter, storageClass: ref.datasetType.storageClassName, component: null, checksum, fileSize: size })),
      });
    }
    return {
      commit: (undo: UndoLog) => {
        for (const plan of plans) {
          if (plan.mode !== undefined && plan.mode !== 'direct' && plan.mode !== 'auto') {
            this.journal.record('put', this.storage.absolute(plan.dest));
            this.storage.transferIn(plan.src, plan.dest, plan.mode);
            const { src, dest, mode } = plan;
            undo.onRollback(() => {
              if (mode === 'move') this.storage.transferOut(dest, src, 'copy');
              this.storage.remove(dest);
            });
          }
          this.records.insert(plan.infos);
          this.locations.insert(plan.infos.map((i) => i.datasetId));
        }
      },
      discard: () => undefined,
    };
  }

  retrieveArtifacts(refs: readonly DatasetRef[], destination: string, options: RetrieveOptions = {}): string[] {
    const { transfer = 'copy', preservePath = true, overwrite = false } = options;
    const written: string[] = [];
    const seen = new Set<string>();
    for (const ref of refs) {
      for (const rec of this.recordsOf(ref)) {
        if (seen.has(rec.path)) continue;
        seen.add(rec.path);
        const relPath = rec.path.includes('://') ? basename(fileURLToPath(rec.path)) : rec.path;
        const target = resolve(destination, preservePath ? relPath : basename(relPath));
        if (!target.startsWith(resolve(destination))) throw new StorageError(`Refusing to write outside ${destination}: ${target}`);
        if (existsSync(target)) {
          if (!overwrite) throw new StorageError(`Cannot retrieve ${rec.path}: ${target} already exists (use overwrite)`);
          this.storage.remove(target);
        }
        this.storage.transferOut(rec.path, target, transfer);
        written.push(target);
      }
    }
    return written;
  }

  close(): void {
    this.storage.close();
    this.journal.close();
  }
}
