// ChainedDatastore: several datastores as one. A put goes to every child whose
// constraints accept it (error if none); reads come from the first child that has it.
import type { DatasetRef } from '../datasets/index.js';
import type { DimensionUniverse } from '../dimensions/index.js';
import type { ConfigValue } from '../config/index.js';
import { Constraints } from './constraints.js';
import { DatasetNotStoredError, type DatasetURIs, type Datastore, type GetOptions, type PreparedDeletion, type PreparedPut, type RetrieveOptions, type UndoLog } from './datastore.js';
import { conformerFor, lookupRef } from './refAdapter.js';

export class DatastoreValidationError extends Error {
  override name = 'DatastoreValidationError';
}

export class ChainedDatastore implements Datastore {
  readonly name: string;
  readonly names: readonly string[];
  readonly isEphemeral: boolean;
  readonly children: readonly Datastore[];
  private readonly chainConstraints: Constraints[];
  /** Set when the last put landed only in ephemeral children. */
  lastWarning: string | undefined;

  constructor(children: Datastore[], universe: DimensionUniverse, datastoreConstraints?: ConfigValue) {
    if (children.length === 0) throw new DatastoreValidationError('ChainedDatastore needs at least one child datastore');
    this.children = children;
    this.name = `ChainedDatastore[${children.map((c) => c.name).join(',')}]`;
    this.names = [this.name, ...children.flatMap((c) => c.names)];
    this.isEphemeral = children.every((c) => c.isEphemeral);
    const conformer = conformerFor(universe);
    if (datastoreConstraints === undefined || datastoreConstraints === null) this.chainConstraints = children.map(() => new Constraints(undefined));
    else {
      if (!Array.isArray(datastoreConstraints) || datastoreConstraints.length !== children.length) {
        throw new DatastoreValidationError(`datastore_constraints must list one entry per child datastore (${children.length}), got ${JSON.stringify(datastoreConstraints)}`);
      }
      this.chainConstraints = datastoreConstraints.map((c) => new Constraints(c && typeof c === 'object' && !Array.isArray(c) ? (c as { constraints?: ConfigValue }).constraints ?? c : undefined, conformer));
    }
  }

  private accepting(ref: DatasetRef): Datastore[] {
    const lref = lookupRef(ref);
    return this.children.filter((c, i) => this.chainConstraints[i].isAcceptable(lref) && c.accepts(ref));
  }

  accepts(ref: DatasetRef): boolean {
    return this.accepting(ref).length > 0;
  }

  get pendingWrites(): number {
    return this.children.reduce((n, c) => n + c.pendingWrites, 0);
  }

  get pendingBytes(): number {
    return this.children.reduce((n, c) => n + c.pendingBytes, 0);
  }

  settle(): void {
    for (const c of this.children) c.settle();
  }

  async flushWrites(limit = 0): Promise<void> {
    const errors: unknown[] = [];
    for (const c of this.children) {
      try {
        await c.flushWrites(limit);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  async preparePut(obj: unknown, ref: DatasetRef, opts: { defer?: boolean } = {}): Promise<PreparedPut> {
    const targets = this.accepting(ref);
    if (targets.length === 0) throw new DatastoreValidationError(`No datastore in ${this.name} accepts dataset ${ref.toString()}`);
    this.lastWarning = targets.every((t) => t.isEphemeral) && !this.isEphemeral
      ? `Dataset ${ref.toString()} was stored only in ephemeral datastores of ${this.name}`
      : undefined;
    const prepared: PreparedPut[] = [];
    try {
      for (const t of targets) prepared.push(await t.preparePut(obj, ref, opts));
    } catch (err) {
      for (const p of prepared) p.discard();
      throw err;
    }
    return {
      commit: (undo: UndoLog) => {
        for (const p of prepared) p.commit(undo);
      },
      discard: () => {
        for (const p of prepared) p.discard();
      },
    };
  }

  async get(ref: DatasetRef, options?: GetOptions): Promise<unknown> {
    for (const c of this.children) if (c.knows(ref)) return c.get(ref, options);
    throw new DatasetNotStoredError(`Dataset ${ref.toString()} is in none of the datastores of ${this.name}`);
  }

  knows(ref: DatasetRef): boolean {
    return this.children.some((c) => c.knows(ref));
  }

  exists(ref: DatasetRef): boolean {
    return this.children.some((c) => c.exists(ref));
  }

  getURIs(ref: DatasetRef, predict = false): DatasetURIs {
    for (const c of this.children) if (c.knows(ref) && !c.isEphemeral) return c.getURIs(ref);
    for (const c of this.children) if (c.knows(ref)) return c.getURIs(ref);
    if (predict) {
      const target = this.accepting(ref).find((c) => !c.isEphemeral) ?? this.accepting(ref)[0];
      if (target) return target.getURIs(ref, true);
    }
    throw new DatasetNotStoredError(`Dataset ${ref.toString()} is in none of the datastores of ${this.name}`);
  }

  trash(refs: readonly DatasetRef[]): void {
    for (const c of this.children) c.trash(refs);
  }

  async emptyTrash(): Promise<void> {
    for (const c of this.children) await c.emptyTrash();
  }

  prepareDeletion(refs: readonly DatasetRef[]): PreparedDeletion {
    const parts = this.children.map((c) => c.prepareDeletion(refs));
    return {
      commit: () => {
        for (const p of parts) p.commit();
      },
      finish: async () => {
        for (const p of parts) await p.finish();
      },
    };
  }

  forget(refs: readonly DatasetRef[]): void {
    for (const c of this.children) c.forget(refs);
  }

  retrieveArtifacts(refs: readonly DatasetRef[], destination: string, options?: RetrieveOptions): string[] {
    const out: string[] = [];
    for (const ref of refs) {
      const child = this.children.find((c) => !c.isEphemeral && c.knows(ref));
      if (!child) throw new DatasetNotStoredError(`Dataset ${ref.toString()} has no artifacts in ${this.name}`);
      out.push(...child.retrieveArtifacts([ref], destination, options));
    }
    return out;
  }

  close(): void {
    for (const c of this.children) c.close();
  }
}
