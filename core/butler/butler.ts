// The Butler facade: one object over a registry and a datastore with daf_butler's API
// (put/get/getDeferred/getURI(s)/exists/ingest/pruneDatasets/removeRuns/transaction/
// export/import/retrieveArtifacts). A put is atomic: the artifact is staged first, then
// published together with its registry rows in one database transaction; if anything
// fails, neither a registry row nor a file remains.
import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import { ButlerConfig, Config, isConfigMap, type ConfigMap } from '../config/index.js';
import { DatasetRef, DatasetType, StorageClassFactory, makeDatasetId, type DatasetIdGenEnum } from '../datasets/index.js';
import { DataCoordinate, type DataIdInput } from '../dimensions/index.js';
import {
  ChainedDatastore, FileDatastore, UndoLog, createDatastore, lookupDatasetType, type Datastore, type DatasetURIs, type FileDataset, type RetrieveOptions, type TransferMode,
} from '../datastore/index.js';
import { resolveFormatter } from '../formatters/index.js';
import { DataIdExpander } from './dataIdExpander.js';
import { DatasetExistence, type DatasetExistenceFlags } from './existence.js';
import { makeRepoConfig, prepareRepoDirectory, sqlitePath, type MakeRepoOptions } from './makeRepo.js';
import { Registry } from '../registry/index.js';

export interface ButlerOptions {
  run?: string;
  collections?: string | string[];
  writeable?: boolean;
  searchPaths?: readonly string[];
  withoutDatastore?: boolean;
}

export type DatasetRefOrType = DatasetRef | DatasetType | string;

export interface GetOptions {
  parameters?: Record<string, unknown>;
  collections?: string | string[];
  component?: string;
}

export interface PruneOptions {
  disassociate?: boolean;
  unstore?: boolean;
  tags?: string[];
  purge?: boolean;
}

export interface ConfigValidationRow {
  datasetType: string;
  datastore: string;
  templateKey: string;
  formatter: string;
  problem: string;
}

export class DatasetNotFoundError extends Error {
  override name = 'DatasetNotFoundError';
}

export class MissingCollectionsError extends Error {
  override name = 'NoDefaultCollectionError';
}

/** A dataset whose read is deferred until get() (daf_butler's DeferredDatasetHandle). */
export class DeferredDatasetHandle {
  constructor(
    private readonly butler: Butler,
    readonly ref: DatasetRef,
    readonly parameters: Record<string, unknown> | undefined,
  ) {}

  get(opts: { parameters?: Record<string, unknown>; component?: string } = {}): Promise<unknown> {
    return this.butler.get(this.ref, undefined, { parameters: { ...(this.parameters ?? {}), ...(opts.parameters ?? {}) }, component: opts.component });
  }
}

interface TxFrame {
  undo: UndoLog;
  savepoint: string | undefined;
}

let savepointCounter = 0;

/** A transaction's puts wait for the file writes once this many artifacts (or bytes) are not yet on disk. */
const MAX_PENDING_WRITES = 4096;
const MAX_PENDING_BYTES = 256 << 20;

export class Butler {
  readonly config: ButlerConfig;
  readonly registry: Registry;
  readonly datastore: Datastore;
  readonly storageClasses: StorageClassFactory;
  /** Directory `<butlerRoot>` stands for. */
  readonly root: string;
  run: string | undefined;
  collections: string[] | undefined;
  readonly writeable: boolean;
  private readonly knownRuns = new Set<string>();
  private readonly expander: DataIdExpander;
  /** The transaction frame of the current async context (nested calls see their parent). */
  private readonly txContext = new AsyncLocalStorage<TxFrame>();
  /** Settles when the open outermost transaction ends; undefined when none is open. */
  private openTransaction: Promise<void> | undefined;

  private constructor(config: ButlerConfig, registry: Registry, datastore: Datastore, storageClasses: StorageClassFactory, root: string, opts: ButlerOptions) {
    this.config = config;
    this.registry = registry;
    this.datastore = datastore;
    this.storageClasses = storageClasses;
    this.root = root;
    this.run = opts.run;
    this.collections = opts.collections === undefined ? undefined : Array.isArray(opts.collections) ? opts.collections : [opts.collections];
    this.writeable = opts.writeable ?? opts.run !== undefined;
    this.expander = new DataIdExpander(registry);
  }

  /** Creates a repository (butler.yaml + registry) and returns the configuration written. */
  static makeRepo(root: string, opts: MakeRepoOptions = {}): Config {
    const file = prepareRepoDirectory(root, opts.overwrite ?? false);
    const { full, written } = makeRepoConfig(opts);
    const dir = resolve(root);
    const dbPath = sqlitePath(String(full.get(['registry', 'db'])), dir);
    const registry = Registry.create(dbPath, { universe: opts.universe });
    registry.close();
    written.dumpToFile(file, { overwrite: true });
    return written;
  }

  /** Opens a repository from a directory, butler.yaml path or config. */
  static open(repo: string | Config | ConfigMap, opts: ButlerOptions = {}): Butler {
    const config = new ButlerConfig(typeof repo === 'string' ? repo : repo instanceof Config ? repo : new Config(repo), {
      searchPaths: opts.searchPaths,
      withoutDatastore: opts.withoutDatastore,
    });
    const root = config.butlerRoot();
    if (root === undefined) throw new Error('Butler configuration has no location: give a repository directory or a config with a top-level root');
    const writeable = opts.writeable ?? opts.run !== undefined;
    const dbPath = sqlitePath(String(config.get(['registry', 'db']) ?? ''), root);
    const registry = Registry.open(dbPath, { readOnly: !writeable });
    const storageClasses = new StorageClassFactory();
    const shipped = StorageClassFactory.default();
    for (const name of shipped.names()) storageClasses.register(shipped.get(name));
    const extra = config.get(['storageClasses']);
    if (isConfigMap(extra) && Object.keys(extra).length > 0) storageClasses.addFromConfig(extra, `${config.configFile ?? 'config'}: storageClasses`);
    let datastore: Datastore;
    try {
      const dsConfig = config.get(['datastore']);
      if (opts.withoutDatastore || !isConfigMap(dsConfig)) throw new Error('Butler opened without a datastore cannot read or write datasets');
      datastore = createDatastore(dsConfig, { db: registry.db, universe: registry.dimensions, storageClasses, butlerRoot: root });
    } catch (err) {
      registry.close();
      throw err;
    }
    const butler = new Butler(config, registry, datastore, storageClasses, root, { ...opts, writeable });
    if (writeable) {
      for (const ds of butler.fileDatastores()) ds.recover();
      // WAL checkpoints go to the file worker while it runs (a bulk transaction started it), not into commits.
      const files = butler.fileDatastores()[0];
      if (files) registry.db.setBackgroundCheckpoint((path) => files.storage.checkpointInBackground(path));
      if (opts.run !== undefined) butler.ensureRun(opts.run);
    }
    return butler;
  }

  /** File datastores inside this butler's datastore (for recovery, ingest and export). */
  fileDatastores(): FileDatastore[] {
    const out: FileDatastore[] = [];
    const walk = (d: Datastore) => {
      if (d instanceof FileDatastore) out.push(d);
      else if (d instanceof ChainedDatastore) d.children.forEach(walk);
    };
    walk(this.datastore);
    return out;
  }

  close(): void {
    this.datastore.close();
    this.registry.close();
  }

  private requireWriteable(what: string): void {
    if (!this.writeable) throw new Error(`Cannot ${what}: this Butler is read-only (open it with writeable: true or a run)`);
  }

  /** Expands a data ID for a dataset type (records cached per element, see DataIdExpander). */
  private expandFor(datasetType: DatasetType, dataId: DataIdInput | DataCoordinate): DataCoordinate {
    return this.expander.expand(datasetType, dataId);
  }

  private ensureRun(run: string): void {
    if (this.knownRuns.has(run)) return;
    this.registry.registerRun(run);
    this.knownRuns.add(run);
  }

  private defaultCollections(collections: string | string[] | undefined): string[] {
    if (collections !== undefined) return Array.isArray(collections) ? collections : [collections];
    if (this.collections && this.collections.length > 0) return this.collections;
    if (this.run) return [this.run];
    throw new MissingCollectionsError('No collections given and this Butler has no default collections or run');
  }

  private resolveDatasetType(datasetType: DatasetType | string): DatasetType {
    if (typeof datasetType === 'string') {
      const [parent, component] = DatasetType.splitName(datasetType);
      const parentType = this.registry.getDatasetType(parent);
      return component === null ? parentType : parentType.makeComponentDatasetType(component, this.storageClasses);
    }
    const registered = this.registry.getDatasetType(datasetType.isComponent() ? datasetType.parentName : datasetType.name);
    const expected = datasetType.isComponent() ? datasetType.makeCompositeDatasetType() : datasetType;
    if (!registered.equals(expected)) {
      throw new Error(`Dataset type ${datasetType.name} given does not match the registered definition (${registered.differences(expected).join('; ')})`);
    }
    return datasetType;
  }

  // ---- transactions ----------------------------------------------------------------

  /**
   * Runs `fn` in one registry transaction (savepoints when nested): every put, ingest
   * and prune inside either all happen or none does, files included. Transactions and
   * writes started by other callers (other async contexts, e.g. concurrent requests)
   * wait until it ends instead of joining it.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    this.requireWriteable('start a transaction');
    const db = this.registry.db;
    // The last check and BEGIN run in one synchronous step, so nobody can slip in between.
    while (this.openTransaction && this.txContext.getStore() === undefined) await this.openTransaction;
    const parent = this.txContext.getStore();
    const outer = parent === undefined;
    const savepoint = outer ? undefined : `butler_tx_${++savepointCounter}`;
    db.exec(outer ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    let ended: () => void = () => undefined;
    if (outer) this.openTransaction = new Promise<void>((resolveEnded) => (ended = resolveEnded));
    const frame: TxFrame = { undo: new UndoLog(), savepoint };
    try {
      const result = await this.txContext.run(frame, fn);
      // Files written in the background must all exist before anything is committed.
      await this.datastore.flushWrites();
      if (outer) {
        db.exec('COMMIT');
        this.datastore.settle();
      } else {
        db.exec(`RELEASE ${savepoint}`);
        (parent as TxFrame).undo.onRollback(() => frame.undo.rollback());
      }
      return result;
    } catch (err) {
      try {
        await this.datastore.flushWrites().catch(() => undefined);
        if (db.inTransaction) {
          db.exec(outer ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}`);
          if (!outer) db.exec(`RELEASE ${savepoint}`);
        }
      } finally {
        frame.undo.rollback();
        // Runs, collections and records made in the rolled-back part are gone (a savepoint too).
        this.knownRuns.clear();
        this.expander.clear();
        this.registry.refresh();
        if (outer) this.datastore.settle();
      }
      throw err;
    } finally {
      if (outer) {
        this.openTransaction = undefined;
        ended();
      }
    }
  }

  /**
   * Runs the synchronous commit step of a write atomically: a savepoint inside the caller's
   * Butler transaction, else its own transaction (after waiting for another caller's
   * transaction to end). On failure, background writes settle before files are removed.
   */
  private async commitWrite(commit: (undo: UndoLog) => void, discard: () => void): Promise<void> {
    while (this.openTransaction && this.txContext.getStore() === undefined) await this.openTransaction;
    const frame = this.txContext.getStore();
    if (frame) {
      const failed = this.commitInFrame(frame, commit, discard);
      if (failed) await failed;
      return;
    }
    const undo = new UndoLog();
    try {
      this.registry.db.transaction(() => commit(undo));
    } catch (err) {
      await this.datastore.flushWrites().catch(() => undefined);
      undo.rollback();
      discard();
      throw err;
    }
    this.datastore.settle();
  }

  /**
   * commitWrite inside the caller's transaction, synchronously when it succeeds (a put in a
   * transaction of thousands saves a promise chain). On failure the returned promise cleans
   * up (after background writes settle) and rejects.
   */
  private commitInFrame(frame: TxFrame, commit: (undo: UndoLog) => void, discard: () => void): Promise<never> | undefined {
    const undo = new UndoLog();
    try {
      this.registry.db.transaction(() => commit(undo));
    } catch (err) {
      return (async () => {
        await this.datastore.flushWrites().catch(() => undefined);
        undo.rollback();
        discard();
        throw err;
      })();
    }
    frame.undo.onRollback(() => undo.rollback());
    return undefined;
  }

  /** Empties the datastore trash unless the caller is inside a transaction (then it waits for the commit). */
  private async emptyTrashOutsideTransactions(): Promise<void> {
    if (this.txContext.getStore() !== undefined) return;
    while (this.openTransaction) await this.openTransaction;
    await this.datastore.emptyTrash();
  }

  // ---- writing ----------------------------------------------------------------------

  /** Stores an object as a new dataset; returns its resolved ref. */
  async put(obj: unknown, datasetRefOrType: DatasetRefOrType, dataId?: DataIdInput | DataCoordinate, opts: { run?: string } = {}): Promise<DatasetRef> {
    this.requireWriteable('put');
    let ref: DatasetRef;
    if (datasetRefOrType instanceof DatasetRef) {
      ref = datasetRefOrType;
      this.resolveDatasetType(ref.datasetType);
      if (!ref.dataId.hasRecords()) ref = ref.withDataId(this.expandFor(ref.datasetType, ref.dataId));
    } else {
      const run = opts.run ?? this.run;
      if (run === undefined) throw new Error('put needs a run: pass { run } or open the Butler with a run');
      const datasetType = this.resolveDatasetType(datasetRefOrType);
      if (datasetType.isComponent()) throw new Error(`Cannot put component dataset type ${datasetType.name}; put the composite ${datasetType.parentName}`);
      if (dataId === undefined && datasetType.dimensions.names.length > 0) throw new Error(`put of ${datasetType.name} needs a data ID with ${datasetType.dimensions.required.join(', ')}`);
      const expanded = this.expandFor(datasetType, dataId ?? {});
      ref = new DatasetRef(datasetType, expanded, run, makeDatasetId(datasetType.name, expanded.required, run, 'UNIQUE'));
    }
    this.ensureRun(ref.run);
    // Inside a transaction files are written in the background and awaited before COMMIT.
    const frame = this.txContext.getStore();
    const inTransaction = frame !== undefined;
    const prepared = await this.datastore.preparePut(obj, ref, { defer: inTransaction });
    const commit = (undo: UndoLog) => {
      this.registry.importDatasets([ref]);
      prepared.commit(undo);
    };
    if (frame === undefined) await this.commitWrite(commit, () => prepared.discard());
    else {
      const failed = this.commitInFrame(frame, commit, () => prepared.discard());
      if (failed) await failed;
    }
    // Bounds the memory held by artifacts still to write (a worker writes them meanwhile).
    if (inTransaction && (this.datastore.pendingWrites > MAX_PENDING_WRITES || this.datastore.pendingBytes > MAX_PENDING_BYTES)) {
      await this.datastore.flushWrites(Math.floor(this.datastore.pendingWrites / 2));
    }
    return ref;
  }

  /**
   * Ingests existing files. Each entry names the file and the refs it holds (resolved
   * refs, or data IDs with a dataset type and run to make them).
   */
  async ingest(
    datasets: readonly (FileDataset | { path: string; datasetType: DatasetType | string; dataIds: DataIdInput[]; run?: string; formatter?: string })[],
    opts: { transfer?: TransferMode | null; recordValidationInfo?: boolean; skipExisting?: boolean; idGenerationMode?: DatasetIdGenEnum } = {},
  ): Promise<DatasetRef[]> {
    this.requireWriteable('ingest');
    const store = this.fileDatastores()[0];
    if (!store) throw new Error('ingest needs a FileDatastore; this repository has none');
    const mode = opts.idGenerationMode ?? 'UNIQUE';
    const resolved: FileDataset[] = [];
    for (const ds of datasets) {
      if ('refs' in ds) {
        resolved.push(ds);
        continue;
      }
      const run = ds.run ?? this.run;
      if (run === undefined) throw new Error(`ingest of ${ds.path} needs a run`);
      const datasetType = this.resolveDatasetType(ds.datasetType);
      const refs = ds.dataIds.map((d) => {
        const expanded = this.expandFor(datasetType, d);
        return new DatasetRef(datasetType, expanded, run, makeDatasetId(datasetType.name, expanded.required, run, mode));
      });
      resolved.push({ path: ds.path, refs, formatter: ds.formatter });
    }
    let todo = resolved.map((ds) => ({ ...ds, refs: ds.refs.map((r) => (r.dataId.hasRecords() ? r : r.withDataId(this.expandFor(r.datasetType, r.dataId)))) }));
    if (opts.skipExisting) todo = todo.map((ds) => ({ ...ds, refs: ds.refs.filter((r) => this.registry.getDataset(r.id) === null) })).filter((ds) => ds.refs.length > 0);
    const refs = todo.flatMap((d) => d.refs);
    for (const r of refs) this.ensureRun(r.run);
    const transfer = opts.transfer === null ? undefined : (opts.transfer ?? 'auto');
    const prepared = await store.prepareIngest(todo, transfer, { recordValidationInfo: opts.recordValidationInfo });
    await this.commitWrite((undo) => {
      this.registry.importDatasets(refs);
      prepared.commit(undo);
    }, () => prepared.discard());
    return refs;
  }

  // ---- reading ----------------------------------------------------------------------

  /** Finds the ref for a dataset type (possibly a component) and data ID in collections. */
  findDataset(datasetType: DatasetType | string, dataId: DataIdInput | DataCoordinate | undefined, collections?: string | string[]): DatasetRef {
    const dt = this.resolveDatasetType(datasetType);
    const parent = dt.isComponent() ? dt.makeCompositeDatasetType() : dt;
    const colls = this.defaultCollections(collections);
    const ref = this.registry.findDataset(parent, dataId ?? {}, { collections: colls });
    if (!ref) {
      const shown = dataId instanceof DataCoordinate ? dataId.toString() : JSON.stringify(dataId ?? {});
      throw new DatasetNotFoundError(`Dataset ${dt.name} with data ID ${shown} could not be found in collections ${JSON.stringify(colls)}`);
    }
    return dt.isComponent() ? ref.makeComponentRef(dt.component() as string, this.storageClasses) : ref;
  }

  private resolveRef(datasetRefOrType: DatasetRefOrType, dataId: DataIdInput | DataCoordinate | undefined, collections: string | string[] | undefined): DatasetRef {
    if (datasetRefOrType instanceof DatasetRef) return datasetRefOrType;
    return this.findDataset(datasetRefOrType, dataId, collections);
  }

  async get(datasetRefOrType: DatasetRefOrType, dataId?: DataIdInput | DataCoordinate, opts: GetOptions = {}): Promise<unknown> {
    const ref = this.resolveRef(datasetRefOrType, dataId, opts.collections);
    const sc = this.storageClasses.has(ref.datasetType.storageClassName) ? this.storageClasses.get(ref.datasetType.storageClassName) : undefined;
    if (sc && opts.parameters && Object.keys(opts.parameters).length > 0 && sc.parameters.length > 0) sc.validateParameters(opts.parameters);
    const baseRef = ref.datasetType.isComponent() ? ref.makeCompositeRef() : ref;
    const component = opts.component ?? ref.datasetType.component() ?? undefined;
    return this.datastore.get(baseRef, { component, parameters: opts.parameters });
  }

  getDeferred(datasetRefOrType: DatasetRefOrType, dataId?: DataIdInput | DataCoordinate, opts: GetOptions = {}): DeferredDatasetHandle {
    const ref = this.resolveRef(datasetRefOrType, dataId, opts.collections);
    if (!this.datastore.knows(ref.datasetType.isComponent() ? ref.makeCompositeRef() : ref)) {
      throw new DatasetNotFoundError(`Dataset ${ref.toString()} is known to the registry but has no artifacts in ${this.datastore.name}`);
    }
    return new DeferredDatasetHandle(this, ref, opts.parameters);
  }

  getURIs(datasetRefOrType: DatasetRefOrType, dataId?: DataIdInput | DataCoordinate, opts: { collections?: string | string[]; predict?: boolean; run?: string } = {}): DatasetURIs {
    let ref: DatasetRef;
    if (opts.predict && !(datasetRefOrType instanceof DatasetRef)) {
      const run = opts.run ?? this.run;
      if (run === undefined) throw new Error('Predicting a URI needs a run');
      const dt = this.resolveDatasetType(datasetRefOrType);
      const expanded = this.expandFor(dt, dataId ?? {});
      ref = new DatasetRef(dt, expanded, run, makeDatasetId(dt.name, expanded.required, run, 'UNIQUE'));
    } else ref = this.resolveRef(datasetRefOrType, dataId, opts.collections);
    const base = ref.datasetType.isComponent() ? ref.makeCompositeRef() : ref;
    const uris = this.datastore.getURIs(base, opts.predict);
    const component = ref.datasetType.component();
    if (component && uris.components[component]) return { primary: uris.components[component], components: {}, predicted: uris.predicted };
    return uris;
  }

  /** The single URI of a dataset; an error if it was disassembled into components. */
  getURI(datasetRefOrType: DatasetRefOrType, dataId?: DataIdInput | DataCoordinate, opts: { collections?: string | string[]; predict?: boolean; run?: string } = {}): string {
    const uris = this.getURIs(datasetRefOrType, dataId, opts);
    if (uris.primary === undefined) {
      throw new Error(`Dataset was disassembled into ${Object.keys(uris.components).length} component files (${Object.keys(uris.components).join(', ')}); use getURIs`);
    }
    return uris.primary;
  }

  /** daf_butler's DatasetExistence flags (VERIFIED when the artifacts were checked). */
  exists(datasetRefOrType: DatasetRefOrType, dataId?: DataIdInput | DataCoordinate, opts: { collections?: string | string[]; fullCheck?: boolean } = {}): DatasetExistenceFlags {
    let ref: DatasetRef;
    try {
      ref = this.resolveRef(datasetRefOrType, dataId, opts.collections);
    } catch (err) {
      if (err instanceof DatasetNotFoundError) return DatasetExistence.UNRECOGNIZED;
      throw err;
    }
    let flags = 0;
    if (this.registry.getDataset(ref.id) !== null) flags |= DatasetExistence.RECORDED;
    const base = ref.datasetType.isComponent() ? ref.makeCompositeRef() : ref;
    if (this.datastore.knows(base)) {
      flags |= DatasetExistence.DATASTORE;
      if (opts.fullCheck ?? true) {
        if (this.datastore.exists(base)) flags |= DatasetExistence._ARTIFACT;
      } else flags |= DatasetExistence._ASSUMED;
    }
    return flags;
  }

  // ---- removal ----------------------------------------------------------------------

  /** daf_butler's pruneDatasets: disassociate from tags, unstore artifacts, or purge entirely. */
  async pruneDatasets(refs: readonly DatasetRef[], opts: PruneOptions = {}): Promise<void> {
    this.requireWriteable('prune datasets');
    const { disassociate = true, unstore = false, tags = [], purge = false } = opts;
    if (purge && !(disassociate && unstore)) throw new TypeError('pruneDatasets: purge requires disassociate and unstore');
    if (!purge && !unstore && !(disassociate && tags.length > 0)) {
      throw new TypeError('pruneDatasets: nothing to do (give purge, unstore, or disassociate with tags)');
    }
    for (const tag of tags) {
      const type = this.registry.getCollectionType(tag);
      if (type !== 'TAGGED') throw new TypeError(`pruneDatasets: collection ${tag} is of type ${type}, not TAGGED`);
    }
    const list = [...refs];
    if (purge && this.txContext.getStore() === undefined) {
      // Outside a transaction the trash round trip is not needed: records and registry rows go
      // in one transaction, then the files (both threads), then any earlier leftovers in the trash.
      const deletion = this.datastore.prepareDeletion(list);
      await this.commitWrite(() => {
        deletion.commit();
        this.registry.removeDatasets(list);
      }, () => undefined);
      await deletion.finish();
      await this.emptyTrashOutsideTransactions();
      return;
    }
    await this.commitWrite(() => {
      if (purge) {
        this.datastore.trash(list);
        this.registry.removeDatasets(list);
        return;
      }
      if (disassociate) for (const tag of tags) this.registry.disassociate(tag, list);
      if (unstore) this.datastore.trash(list);
    }, () => undefined);
    if (purge || unstore) await this.emptyTrashOutsideTransactions();
  }

  /** Removes RUN collections with all their datasets (artifacts too unless unstore is false). */
  async removeRuns(names: readonly string[], opts: { unstore?: boolean } = {}): Promise<void> {
    this.requireWriteable('remove runs');
    const unstore = opts.unstore ?? true;
    const work: { run: string; refs: DatasetRef[] }[] = [];
    for (const run of names) {
      const type = this.registry.getCollectionType(run);
      if (type !== 'RUN') throw new TypeError(`Collection ${run} is of type ${type}, not RUN; only RUN collections can be removed with removeRuns`);
      const refs = this.registry.queryDatasetTypes().flatMap((dt) => (dt.isComponent() ? [] : this.registry.queryDatasets(dt, { collections: [run] })));
      work.push({ run, refs });
    }
    await this.commitWrite(() => {
      for (const { run, refs } of work) {
        if (unstore) this.datastore.trash(refs);
        else this.datastore.forget(refs);
        this.registry.removeDatasets(refs);
        this.registry.removeCollection(run);
        this.knownRuns.delete(run);
      }
    }, () => undefined);
    if (unstore) await this.emptyTrashOutsideTransactions();
  }

  retrieveArtifacts(refs: readonly DatasetRef[], destination: string, opts: RetrieveOptions = {}): string[] {
    return this.datastore.retrieveArtifacts(refs, destination, opts);
  }

  /**
   * Checks every registered dataset type (or those named) against each file datastore's
   * templates and formatters, like daf_butler's validateConfiguration. One row per
   * (dataset type, datastore); `problem` is empty when valid.
   */
  validateConfiguration(opts: { datasetTypes?: string[]; ignore?: string[] } = {}): ConfigValidationRow[] {
    const ignore = new Set(opts.ignore ?? []);
    const types = this.registry.queryDatasetTypes(opts.datasetTypes && opts.datasetTypes.length > 0 ? opts.datasetTypes : ['*']).filter((t) => !ignore.has(t.name));
    const rows: ConfigValidationRow[] = [];
    for (const t of types) {
      const entity = lookupDatasetType(t);
      for (const store of this.fileDatastores()) {
        const row: ConfigValidationRow = { datasetType: t.name, datastore: store.name, templateKey: '', formatter: '', problem: '' };
        const problems: string[] = [];
        try {
          const [key, template] = store.templates.getTemplateWithMatch(entity);
          row.templateKey = key.toString();
          template.validateTemplate(entity);
        } catch (err) {
          problems.push(err instanceof Error ? err.message : String(err));
        }
        try {
          row.formatter = store.formatters.get(entity).formatter;
          resolveFormatter(row.formatter, `dataset type ${t.name}`);
        } catch (err) {
          problems.push(err instanceof Error ? err.message : String(err));
        }
        row.problem = problems.join('; ');
        rows.push(row);
      }
    }
    return rows;
  }
}
