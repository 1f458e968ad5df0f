// InMemoryDatastore: objects kept in this process only (ephemeral), with constraints,
// components and read parameters through the storage-class delegates, and trash.
import type { ConfigMap } from '../config/index.js';
import { DatasetType, type DatasetRef } from '../datasets/index.js';
import type { DimensionUniverse } from '../dimensions/index.js';
import { delegateFor } from '../formatters/index.js';
import { Constraints } from './constraints.js';
import { DatasetNotStoredError, type DatasetURIs, type Datastore, type GetOptions, type PreparedDeletion, type PreparedPut, type RetrieveOptions, type UndoLog } from './datastore.js';
import { conformerFor, lookupRef } from './refAdapter.js';

let instances = 0;

export class InMemoryDatastore implements Datastore {
  readonly name: string;
  readonly names: readonly string[];
  readonly isEphemeral = true;
  private readonly constraints: Constraints;
  private readonly objects = new Map<string, unknown>();
  private readonly trashed = new Set<string>();

  constructor(config: ConfigMap, universe: DimensionUniverse) {
    this.name = typeof config.name === 'string' ? config.name : `InMemoryDatastore@${++instances}`;
    this.names = [this.name];
    this.constraints = new Constraints(config.constraints, conformerFor(universe));
  }

  accepts(ref: DatasetRef): boolean {
    return this.constraints.isAcceptable(lookupRef(ref));
  }

  readonly pendingWrites = 0;
  readonly pendingBytes = 0;

  settle(): void {
    // No journal: nothing to trim.
  }

  async flushWrites(): Promise<void> {
    // Nothing is written in the background.
  }

  async preparePut(obj: unknown, ref: DatasetRef, _opts: { defer?: boolean } = {}): Promise<PreparedPut> {
    if (!this.accepts(ref)) throw new Error(`Dataset ${ref.toString()} is rejected by the constraints of datastore ${this.name}`);
    return {
      commit: (undo: UndoLog) => {
        if (this.objects.has(ref.id)) throw new Error(`Dataset ${ref.toString()} is already stored in ${this.name}`);
        this.objects.set(ref.id, obj);
        undo.onRollback(() => this.objects.delete(ref.id));
      },
      discard: () => undefined,
    };
  }

  async get(ref: DatasetRef, options: GetOptions = {}): Promise<unknown> {
    if (!this.objects.has(ref.id) || this.trashed.has(ref.id)) throw new DatasetNotStoredError(`Dataset ${ref.toString()} is not in datastore ${this.name}`);
    let obj = this.objects.get(ref.id);
    const component = options.component ?? DatasetType.splitName(ref.datasetType.name)[1] ?? undefined;
    if (component !== undefined) obj = delegateFor(obj).getComponent(obj, component);
    if (options.parameters && Object.keys(options.parameters).length > 0) obj = delegateFor(obj).handleParameters(obj, options.parameters);
    return obj;
  }

  knows(ref: DatasetRef): boolean {
    return this.objects.has(ref.id) && !this.trashed.has(ref.id);
  }

  exists(ref: DatasetRef): boolean {
    return this.knows(ref);
  }

  getURIs(ref: DatasetRef, predict = false): DatasetURIs {
    if (!this.knows(ref) && !predict) throw new DatasetNotStoredError(`Dataset ${ref.toString()} is not in datastore ${this.name}`);
    return { primary: `mem://${ref.id}${this.knows(ref) ? '' : '#predicted'}`, components: {}, predicted: !this.knows(ref) };
  }

  trash(refs: readonly DatasetRef[]): void {
    for (const r of refs) if (this.objects.has(r.id)) this.trashed.add(r.id);
  }

  async emptyTrash(): Promise<void> {
    for (const id of this.trashed) this.objects.delete(id);
    this.trashed.clear();
  }

  prepareDeletion(refs: readonly DatasetRef[]): PreparedDeletion {
    return {
      commit: () => this.trash(refs),
      finish: async () => {
        for (const r of refs) {
          if (!this.trashed.has(r.id)) continue;
          this.objects.delete(r.id);
          this.trashed.delete(r.id);
        }
      },
    };
  }

  forget(refs: readonly DatasetRef[]): void {
    for (const r of refs) {
      this.objects.delete(r.id);
      this.trashed.delete(r.id);
    }
  }

  retrieveArtifacts(_refs: readonly DatasetRef[], _destination: string, _options?: RetrieveOptions): string[] {
    throw new Error(`Datastore ${this.name} keeps objects in memory and has no artifacts to retrieve`);
  }

  close(): void {
    this.objects.clear();
  }
}
