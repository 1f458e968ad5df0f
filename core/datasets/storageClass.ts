// StorageClass: what kind of in-memory object a dataset is, its components (written
// separately when disassembled), derived components (computed from the whole on read) and
// read parameters. Definitions are data (storageClasses.yaml), read by StorageClassFactory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { StorageClassError } from './errors.js';

const definitionSchema = z.object({
  pytype: z.string().optional(),
  inheritsFrom: z.string().optional(),
  components: z.record(z.string(), z.string()).optional(),
  derivedComponents: z.record(z.string(), z.string()).optional(),
  parameters: z.array(z.string()).optional(),
  delegate: z.string().optional(),
  converters: z.record(z.string(), z.string()).optional(),
});
export type StorageClassDefinition = z.infer<typeof definitionSchema>;

export class StorageClass {
  readonly name: string;
  readonly pytype: string;
  readonly inheritsFrom: string | null;
  /** Read/write components: component name → storage class name. */
  readonly components: Readonly<Record<string, string>>;
  /** Read-only components computed from the whole: component name → storage class name. */
  readonly derivedComponents: Readonly<Record<string, string>>;
  readonly parameters: readonly string[];
  readonly delegate: string | null;
  readonly converters: Readonly<Record<string, string>>;

  constructor(name: string, def: Required<Omit<StorageClassDefinition, 'inheritsFrom' | 'delegate'>> & { inheritsFrom: string | null; delegate: string | null }) {
    this.name = name;
    this.pytype = def.pytype;
    this.inheritsFrom = def.inheritsFrom;
    this.components = def.components;
    this.derivedComponents = def.derivedComponents;
    this.parameters = def.parameters;
    this.delegate = def.delegate;
    this.converters = def.converters;
  }

  /** A composite can be disassembled into its components. */
  isComposite(): boolean {
    return Object.keys(this.components).length > 0;
  }

  /** Components and derived components together. */
  allComponents(): Record<string, string> {
    return { ...this.components, ...this.derivedComponents };
  }

  /** The storage class name of a component (read/write or derived); throws if unknown. */
  componentStorageClassName(component: string): string {
    const sc = this.components[component] ?? this.derivedComponents[component];
    if (!sc) {
      const known = Object.keys(this.allComponents());
      throw new StorageClassError(`Storage class ${this.name} has no component '${component}'${known.length ? `; components are ${known.join(', ')}` : ' (it has no components)'}`);
    }
    return sc;
  }

  /** Throws if a read parameter is not one this storage class accepts. */
  validateParameters(params: Record<string, unknown>): void {
    const unknown = Object.keys(params).filter((p) => !this.parameters.includes(p));
    if (unknown.length > 0) {
      throw new StorageClassError(`Parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not understood by storage class ${this.name} (accepts: ${this.parameters.join(', ') || 'none'})`);
    }
  }

  equals(other: StorageClass): boolean {
    return JSON.stringify(this.toJSON()) === JSON.stringify(other.toJSON());
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name, pytype: this.pytype, inheritsFrom: this.inheritsFrom, components: this.components,
      derivedComponents: this.derivedComponents, parameters: this.parameters, delegate: this.delegate, converters: this.converters,
    };
  }
}

/** Registry of storage classes by name, loaded from daf_butler-shaped YAML (`storageClasses:` mapping). */
export class StorageClassFactory {
  private readonly classes = new Map<string, StorageClass>();
  private static defaultInstance: StorageClassFactory | null = null;

  /** A factory holding the storage classes shipped with butler-desktop. */
  static default(): StorageClassFactory {
    if (!StorageClassFactory.defaultInstance) {
      const f = new StorageClassFactory();
      const file = shippedDataFile('core/datasets/storageClasses.yaml');
      f.addFromYaml(readFileSync(file, 'utf8'), file);
      StorageClassFactory.defaultInstance = f;
    }
    return StorageClassFactory.defaultInstance;
  }

  addFromYaml(text: string, source: string): void {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      throw new StorageClassError(`Invalid YAML in ${source}: ${(err as Error).message}`, { cause: err });
    }
    this.addFromConfig(doc, source);
  }

  /**
   * Adds definitions from `{storageClasses: {Name: {...}}}` or a bare `{Name: {...}}` mapping.
   * Parents may be defined later in the same mapping; a redefinition that differs is an error.
   */
  addFromConfig(config: unknown, source: string): void {
    const root = (config && typeof config === 'object' && 'storageClasses' in config ? (config as { storageClasses: unknown }).storageClasses : config);
    if (!root || typeof root !== 'object') throw new StorageClassError(`${source}: expected a mapping of storage class definitions`);
    const pending = new Map<string, StorageClassDefinition>();
    for (const [name, raw] of Object.entries(root as Record<string, unknown>)) {
      const parsed = definitionSchema.safeParse(raw ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new StorageClassError(`${source}: storage class '${name}': ${issue.path.join('.') || 'definition'}: ${issue.message}`);
      }
      pending.set(name, parsed.data);
    }
    const resolving = new Set<string>();
    const resolve = (name: string): StorageClass => {
      const def = pending.get(name);
      if (!def) return this.get(name);
      if (resolving.has(name)) throw new StorageClassError(`${source}: storage class '${name}' inherits from itself`);
      resolving.add(name);
      const parent = def.inheritsFrom ? resolve(def.inheritsFrom) : null;
      const sc = new StorageClass(name, {
        pytype: def.pytype ?? parent?.pytype ?? 'object',
        inheritsFrom: def.inheritsFrom ?? null,
        components: { ...(parent?.components ?? {}), ...(def.components ?? {}) },
        derivedComponents: { ...(parent?.derivedComponents ?? {}), ...(def.derivedComponents ?? {}) },
        parameters: [...new Set([...(parent?.parameters ?? []), ...(def.parameters ?? [])])],
        delegate: def.delegate ?? parent?.delegate ?? null,
        converters: { ...(parent?.converters ?? {}), ...(def.converters ?? {}) },
      });
      pending.delete(name);
      resolving.delete(name);
      this.register(sc);
      return sc;
    };
    for (const name of [...pending.keys()]) if (pending.has(name)) resolve(name);
  }

  /** Adds a storage class; re-adding an identical one is a no-op, a different one is an error. */
  register(sc: StorageClass): void {
    const existing = this.classes.get(sc.name);
    if (existing && !existing.equals(sc)) {
      throw new StorageClassError(`Storage class '${sc.name}' is already defined differently (pytype ${existing.pytype} vs ${sc.pytype})`);
    }
    this.classes.set(sc.name, sc);
  }

  has(name: string): boolean {
    return this.classes.has(name);
  }

  get(name: string): StorageClass {
    const sc = this.classes.get(name);
    if (!sc) throw new StorageClassError(`Unknown storage class '${name}'; known storage classes: ${[...this.classes.keys()].sort().join(', ')}`);
    return sc;
  }

  names(): string[] {
    return [...this.classes.keys()].sort();
  }
}

/**
 * Finds a data file shipped in the source tree, both when running from sources (beside this
 * module) and from a dist/ bundle (walk up to the checkout root that holds it).
 */
function shippedDataFile(relPath: string): string {
  // The Electron main bundle is CommonJS: there import.meta is empty and __dirname is set.
  const here = typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
  const beside = join(here, relPath.split('/').pop()!);
  if (existsSync(beside)) return beside;
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, relPath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new StorageClassError(`Cannot find the shipped data file ${relPath} (looked beside ${here} and in its parent folders)`);
}
