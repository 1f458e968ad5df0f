// Task metadata (lsst.pipe.base TaskMetadata): nested, JSON-serialisable key/value data that a task
// records while it runs (statistics, timings, counts). Scalars may be appended to form arrays.

export type MetadataScalar = string | number | boolean | null;
export type MetadataValue = MetadataScalar | MetadataScalar[] | TaskMetadata;

export interface MetadataJson {
  [key: string]: MetadataScalar | MetadataScalar[] | MetadataJson;
}

export class TaskMetadata {
  private readonly entries = new Map<string, MetadataValue>();

  /** Sets a value; dotted keys create nested metadata (`a.b` → {a: {b}}). */
  set(key: string, value: MetadataScalar | MetadataScalar[] | TaskMetadata): void {
    const { owner, name } = this.owner(key, true);
    if (typeof value === 'number' && !Number.isFinite(value)) {
      // Keep NaN/Inf representable in JSON without losing them.
      owner.entries.set(name, Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity');
      return;
    }
    owner.entries.set(name, Array.isArray(value) ? [...value] : value);
  }

  /** Appends to an array value (creating it), as lsst's `TaskMetadata.add`. */
  add(key: string, value: MetadataScalar): void {
    const { owner, name } = this.owner(key, true);
    const cur = owner.entries.get(name);
    if (cur === undefined) owner.entries.set(name, [value]);
    else if (Array.isArray(cur)) cur.push(value);
    else if (cur instanceof TaskMetadata) throw new Error(`metadata key ${key} holds nested metadata; cannot append a value`);
    else owner.entries.set(name, [cur, value]);
  }

  get(key: string): MetadataValue | undefined {
    const { owner, name } = this.owner(key, false);
    return owner?.entries.get(name);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Nested metadata under `key`, created if needed. */
  child(key: string): TaskMetadata {
    const cur = this.get(key);
    if (cur instanceof TaskMetadata) return cur;
    if (cur !== undefined) throw new Error(`metadata key ${key} holds a value, not nested metadata`);
    const m = new TaskMetadata();
    this.set(key, m);
    return m;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  private owner(key: string, create: boolean): { owner: TaskMetadata; name: string } {
    const parts = key.split('.');
    if (parts.some((p) => p === '')) throw new Error(`bad metadata key "${key}"`);
    let m = this as TaskMetadata;
    for (const p of parts.slice(0, -1)) {
      let next = m.entries.get(p);
      if (!(next instanceof TaskMetadata)) {
        if (!create) return { owner: new TaskMetadata(), name: parts[parts.length - 1] };
        if (next !== undefined) throw new Error(`metadata key ${p} in "${key}" holds a value, not nested metadata`);
        next = new TaskMetadata();
        m.entries.set(p, next);
      }
      m = next;
    }
    return { owner: m, name: parts[parts.length - 1] };
  }

  toJSON(): MetadataJson {
    const out: MetadataJson = {};
    for (const [k, v] of this.entries) out[k] = v instanceof TaskMetadata ? v.toJSON() : Array.isArray(v) ? [...v] : v;
    return out;
  }

  static fromJSON(data: MetadataJson): TaskMetadata {
    const m = new TaskMetadata();
    for (const [k, v] of Object.entries(data)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) m.entries.set(k, TaskMetadata.fromJSON(v));
      else m.entries.set(k, Array.isArray(v) ? [...v] : v);
    }
    return m;
  }
}
