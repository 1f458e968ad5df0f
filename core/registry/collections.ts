// Collections (SynthIntKey manager): RUN, TAGGED, CHAINED and CALIBRATION, the ordered
// chains between them, and search-path resolution for queries.
import type { Database } from './db/database.js';
import { type CollectionType, collectionTypeCode, collectionTypeFromCode } from './collectionType.js';
import { CollectionCycleError, CollectionTypeError, ConflictingDefinitionError, MissingCollectionError, OrphanedRecordError } from './errors.js';
import { globToRegExp, hasWildcard } from './glob.js';
import { suggest } from './suggest.js';

export interface CollectionRecord {
  id: number;
  name: string;
  type: CollectionType;
  doc: string | null;
}

export interface CollectionInfo extends CollectionRecord {
  /** Children of a CHAINED collection, in search order. */
  children: string[];
  /** CHAINED collections that list this one as a child. */
  parents: string[];
}

export class CollectionManager {
  private byName = new Map<string, CollectionRecord>();
  private byId = new Map<number, CollectionRecord>();
  private chains = new Map<number, number[]>();

  constructor(private readonly db: Database) {
    this.refresh();
  }

  /** Reloads the cache (after writes by another process). */
  refresh(): void {
    this.byName.clear();
    this.byId.clear();
    this.chains.clear();
    for (const r of this.db.prepare('SELECT collection_id AS id, name, type, doc FROM collection').all<{ id: number; name: string; type: number; doc: string | null }>()) {
      this.cache({ id: r.id, name: r.name, type: collectionTypeFromCode(r.type), doc: r.doc });
    }
    for (const r of this.db.prepare('SELECT parent, child FROM collection_chain ORDER BY parent, position').all<{ parent: number; child: number }>()) {
      const list = this.chains.get(r.parent) ?? [];
      list.push(r.child);
      this.chains.set(r.parent, list);
    }
  }

  private cache(rec: CollectionRecord): void {
    this.byName.set(rec.name, rec);
    this.byId.set(rec.id, rec);
  }

  /** Registers a collection; returns false if it already exists with the same type. */
  register(name: string, type: CollectionType, doc: string | null = null): boolean {
    validateCollectionName(name);
    const existing = this.find(name);
    if (existing) {
      if (existing.type !== type) {
        throw new ConflictingDefinitionError(`Collection '${name}' already exists with type ${existing.type}, not ${type}`);
      }
      return false;
    }
    this.db.transaction(() => {
      const r = this.db.prepare('INSERT INTO collection (name, type, doc) VALUES (?, ?, ?)').run(name, collectionTypeCode(type), doc);
      const id = Number(r.lastInsertRowid);
      if (type === 'RUN') this.db.prepare('INSERT INTO run (collection_id, host, timespan_begin, timespan_end) VALUES (?, NULL, NULL, NULL)').run(id);
      this.cache({ id, name, type, doc });
    });
    return true;
  }

  find(name: string): CollectionRecord | undefined {
    const rec = this.byName.get(name);
    if (rec) return rec;
    // One indexed probe before reloading everything, so misses stay cheap.
    if (this.db.prepare('SELECT 1 FROM collection WHERE name = ?').get(name) === undefined) return undefined;
    return this.reloadFor(() => this.byName.get(name));
  }

  get(name: string): CollectionRecord {
    const rec = this.find(name);
    if (!rec) throw new MissingCollectionError(`Collection '${name}' not found${suggest(name, [...this.byName.keys()])}`);
    return rec;
  }

  /** A cache miss may be another process's new collection: reload once and look again. */
  private reloadFor<T>(lookup: () => T | undefined): T | undefined {
    this.refresh();
    return lookup();
  }

  getById(id: number): CollectionRecord {
    const rec = this.byId.get(id) ?? this.reloadFor(() => this.byId.get(id));
    if (!rec) throw new MissingCollectionError(`Collection with id ${id} not found (the registry may have changed; refresh it)`);
    return rec;
  }

  /** Gets a collection and checks its type. */
  getOfType(name: string, type: CollectionType, purpose: string): CollectionRecord {
    const rec = this.get(name);
    if (rec.type !== type) throw new CollectionTypeError(`Collection '${name}' is ${rec.type}, but ${purpose} needs a ${type} collection`);
    return rec;
  }

  all(): CollectionRecord[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  getChain(name: string): string[] {
    const rec = this.getOfType(name, 'CHAINED', 'reading a chain');
    return (this.chains.get(rec.id) ?? []).map((id) => this.getById(id).name);
  }

  parentsOf(name: string): string[] {
    const rec = this.get(name);
    const out: string[] = [];
    for (const [parent, children] of this.chains) if (children.includes(rec.id)) out.push(this.getById(parent).name);
    return out.sort();
  }

  info(name: string): CollectionInfo {
    const rec = this.get(name);
    return { ...rec, children: rec.type === 'CHAINED' ? this.getChain(name) : [], parents: this.parentsOf(name) };
  }

  /** Replaces a chain's children (order matters); rejects unknown children and cycles. */
  setChain(name: string, children: string[], flatten = false): void {
    const parent = this.getOfType(name, 'CHAINED', 'setting a chain');
    let childRecs = children.map((c) => this.get(c));
    if (flatten) childRecs = this.flatten(children).map((c) => this.get(c));
    const seen = new Set<number>();
    childRecs = childRecs.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
    for (const c of childRecs) {
      if (c.id === parent.id || this.reaches(c.id, parent.id)) {
        throw new CollectionCycleError(`Cannot add '${c.name}' to chain '${name}': '${name}' would then contain itself`);
      }
    }
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM collection_chain WHERE parent = ?').run(parent.id);
      const ins = this.db.prepare('INSERT INTO collection_chain (parent, position, child) VALUES (?, ?, ?)');
      childRecs.forEach((c, i) => ins.run(parent.id, i, c.id));
    });
    this.chains.set(parent.id, childRecs.map((c) => c.id));
  }

  /** True if `target` is reachable from collection `from` through chains. */
  private reaches(from: number, target: number): boolean {
    const stack = [from];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === target) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(this.chains.get(id) ?? []));
    }
    return false;
  }

  /** Flattens names (recursing into chains) into an ordered, de-duplicated list of non-chain collections. */
  flatten(names: string[]): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (name: string) => {
      const rec = this.get(name);
      if (rec.type === 'CHAINED') {
        for (const id of this.chains.get(rec.id) ?? []) visit(this.getById(id).name);
      } else if (!seen.has(name)) {
        seen.add(name);
        out.push(name);
      }
    };
    for (const n of names) visit(n);
    return out;
  }

  /**
   * Resolves a collection expression (names and glob patterns) to collection names. Patterns
   * match in name order; explicit names keep the caller's order (search order matters).
   */
  resolveExpression(expression: string | string[]): string[] {
    const items = Array.isArray(expression) ? expression : [expression];
    const out: string[] = [];
    for (const item of items) {
      if (item === '...' || hasWildcard(item)) {
        const re = item === '...' ? /^/ : globToRegExp(item);
        out.push(...this.all().filter((c) => re.test(c.name)).map((c) => c.name));
      } else {
        this.get(item);
        out.push(item);
      }
    }
    return [...new Set(out)];
  }

  /** Removes a collection; RUNs take their datasets with them; chained children are not removed. */
  remove(name: string): void {
    const rec = this.get(name);
    const parents = this.parentsOf(name);
    if (parents.length > 0) {
      throw new OrphanedRecordError(`Collection '${name}' is still a child of chained collection${parents.length > 1 ? 's' : ''} ${parents.map((p) => `'${p}'`).join(', ')}; remove it from them first`);
    }
    this.db.transaction(() => {
      if (rec.type === 'RUN') {
        const stored = this.db.prepare('SELECT COUNT(*) AS n FROM dataset_location l JOIN dataset d ON d.id = l.dataset_id WHERE d.run_id = ?').get<{ n: number }>(rec.id)!.n;
        if (stored > 0) {
          throw new OrphanedRecordError(`RUN '${name}' still has ${stored} dataset${stored > 1 ? 's' : ''} stored in a datastore; remove them from the datastore first (butler remove-runs does both)`);
        }
      }
      this.db.prepare('DELETE FROM collection WHERE collection_id = ?').run(rec.id);
    });
    this.byName.delete(name);
    this.byId.delete(rec.id);
    this.chains.delete(rec.id);
  }
}

export function validateCollectionName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new Error('A collection name must be a non-empty string');
  if (hasWildcard(name)) throw new Error(`Collection name '${name}' contains a wildcard character (* ? [ ])`);
  if (/[\s,]/.test(name)) throw new Error(`Collection name '${name}' contains whitespace or a comma`);
}
