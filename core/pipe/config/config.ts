// Typed configs in the spirit of pex_config: a ConfigClass declares fields; an instance exposes
// them as typed properties whose setters validate; instances nest (ConfigField) and hold the
// configs of configurable subtasks (ConfigurableField, retargetable); freeze() makes the whole
// tree read-only; values load from and save to YAML; key=value overrides use dotted paths.

import YAML from 'yaml';
import { ConfigError, ConfigUsageError, describeValue } from './errors.js';
import { type FieldSpec, type JsonSchemaNode, type PlainValue, jsonSafe } from './fields.js';

export type FieldSet = Record<string, FieldSpec<unknown>>;

type ValueOf<F> = F extends FieldSpec<infer T> ? T : never;
export type ConfigValues<S extends FieldSet> = { -readonly [K in keyof S]: ValueOf<S[K]> };
/** A config instance with its fields as typed properties (untyped configs get none, so that every
 * concrete config is assignable to the generic Config<FieldSet>). */
export type Config<S extends FieldSet> = ConfigInstance<S> & (string extends keyof S ? unknown : ConfigValues<S>);

/** Any config class, type-erased (what generic code such as the registry and diff works with). */
export interface AnyConfigClass {
  readonly name: string;
  readonly doc: string;
  readonly fields: FieldSet;
  readonly base: AnyConfigClass | undefined;
  isSubclassOf(other: AnyConfigClass): boolean;
  make(overrides?: Record<string, unknown>, source?: string): ConfigInstance<FieldSet>;
  runValidators(config: ConfigInstance<FieldSet>): void;
  jsonSchema(): JsonSchemaNode;
}

/** Something that runs with a config: the target of a configurable (subtask) field. */
export interface ConfigurableTarget {
  /** Registry name of the task, e.g. "OverscanCorrectionTask". */
  readonly taskName: string;
  readonly ConfigClass: AnyConfigClass;
}

const targetRegistry = new Map<string, ConfigurableTarget>();

/** Makes a task findable by name when a saved config retargets a subtask. */
export function registerConfigurable(target: ConfigurableTarget): void {
  const existing = targetRegistry.get(target.taskName);
  if (existing && existing !== target) throw new ConfigUsageError(`a task named ${target.taskName} is already registered`);
  targetRegistry.set(target.taskName, target);
}

export function findConfigurable(name: string): ConfigurableTarget | undefined {
  return targetRegistry.get(name);
}

const RESERVED = new Set([
  'freeze', 'isFrozen', 'validate', 'toPlain', 'toYaml', 'apply', 'applyYaml', 'applyKeyValue', 'set', 'get', 'copy',
  'configClass', 'retarget', 'targetOf', 'history', 'constructor', 'equals', 'diff', 'rawValue',
]);

type Validator<S extends FieldSet> = (config: Config<S>) => void;
type ErasedHook = (config: ConfigInstance<FieldSet>) => void;

export interface ConfigClassOptions<S extends FieldSet> {
  /** Cross-field rules (e.g. IsrTask: doFlat and doApplyGains are mutually exclusive); throw to reject. */
  validate?: Validator<S>;
  /** Adjusts defaults after construction (pex_config `setDefaults`). */
  setDefaults?: (config: Config<S>) => void;
}

export class ConfigClass<S extends FieldSet> {
  readonly name: string;
  readonly doc: string;
  readonly fields: S;
  readonly base: AnyConfigClass | undefined;
  // Stored type-erased so that ConfigClass stays covariant in S (a subclass's class is usable
  // where the base class is expected).
  private readonly validators: ErasedHook[];
  private readonly defaultSetters: ErasedHook[];

  constructor(name: string, doc: string, fields: S, options: ConfigClassOptions<S> = {}, base?: AnyConfigClass) {
    for (const key of Object.keys(fields)) {
      if (RESERVED.has(key)) throw new ConfigUsageError(`${name}: field name "${key}" is reserved`);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new ConfigUsageError(`${name}: field name "${key}" is not an identifier`);
    }
    this.name = name;
    this.doc = doc;
    this.fields = fields;
    this.base = base;
    const baseClass = base as ConfigClass<FieldSet> | undefined;
    this.validators = [...(baseClass?.validators ?? []), ...(options.validate ? [options.validate as unknown as ErasedHook] : [])];
    this.defaultSetters = [...(baseClass?.defaultSetters ?? []), ...(options.setDefaults ? [options.setDefaults as unknown as ErasedHook] : [])];
  }

  /** A subclass with more fields (pex_config subclassing), keeping this class's rules. */
  extend<S2 extends FieldSet>(name: string, doc: string, fields: S2, options: ConfigClassOptions<S & S2> = {}): ConfigClass<S & S2> {
    for (const key of Object.keys(fields)) {
      if (Object.hasOwn(this.fields, key)) throw new ConfigUsageError(`${name}: field "${key}" already exists in ${this.name}`);
    }
    return new ConfigClass<S & S2>(name, doc, { ...this.fields, ...fields } as S & S2, options, this as unknown as AnyConfigClass);
  }

  isSubclassOf(other: AnyConfigClass): boolean {
    for (let c: AnyConfigClass | undefined = this as unknown as AnyConfigClass; c; c = c.base) if (c === other) return true;
    return false;
  }

  /** A new instance with defaults, then `overrides` (plain data as from YAML) applied. */
  make(overrides?: Record<string, unknown>, source?: string): Config<S> {
    const instance = new ConfigInstance<S>(this) as Config<S>;
    for (const setDefaults of this.defaultSetters) setDefaults(instance as unknown as ConfigInstance<FieldSet>);
    instance.history.length = 0;
    if (overrides) instance.apply(overrides, source);
    return instance;
  }

  fromYaml(text: string, source = 'YAML'): Config<S> {
    const c = this.make();
    c.applyYaml(text, source);
    return c;
  }

  runValidators(config: ConfigInstance<FieldSet>): void {
    for (const v of this.validators) v(config);
  }

  /** JSON Schema (2020-12) of the config: the GUI renders it as a form. */
  jsonSchema(): JsonSchemaNode {
    return configSchema(this as unknown as AnyConfigClass);
  }
}

export function defineConfig<S extends FieldSet>(name: string, doc: string, fields: S, options?: ConfigClassOptions<S>): ConfigClass<S> {
  return new ConfigClass(name, doc, fields, options);
}

/** A field holding a nested config (pex_config ConfigField). */
export class NestedConfigField<S extends FieldSet> implements FieldSpec<Config<S>> {
  readonly kind: 'config' | 'subtask' = 'config';
  readonly doc: string;
  readonly group: string | undefined;
  readonly optional = false;
  readonly configClass: ConfigClass<S>;
  constructor(configClass: ConfigClass<S>, doc: string, group?: string) {
    this.configClass = configClass;
    this.doc = doc;
    this.group = group;
  }
  defaultValue(): Config<S> {
    return this.configClass.make();
  }
  coerce(value: unknown, path: string): Config<S> {
    if (value instanceof ConfigInstance) {
      if (!value.configClass.isSubclassOf(this.configClass as unknown as AnyConfigClass)) {
        throw new ConfigError(path, value.configClass.name, `is not a ${this.configClass.name}`);
      }
      return value.copy() as Config<S>;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError(path, value, `is not a mapping of ${this.configClass.name} fields`);
    }
    const c = this.configClass.make();
    c.apply(value as Record<string, unknown>, undefined, path);
    return c;
  }
  parseText(text: string, path: string): Config<S> {
    throw new ConfigError(path, text, `cannot be set as a whole; set its fields (${path}.<field>=...)`);
  }
  toPlain(value: Config<S>): PlainValue {
    return value.toPlain();
  }
  equals(a: Config<S>, b: Config<S>): boolean {
    return a.equals(b as unknown as ConfigInstance<FieldSet>);
  }
  jsonSchema(): JsonSchemaNode {
    const node = configSchema(this.configClass as unknown as AnyConfigClass);
    node.description = this.doc;
    if (this.group) node['x-group'] = this.group;
    return node;
  }
}

/** The config of a configurable subtask (pex_config ConfigurableField); its target can be retargeted. */
export class SubtaskField<S extends FieldSet> extends NestedConfigField<S> {
  override readonly kind = 'subtask' as const;
  readonly target: ConfigurableTarget;
  /** `configClass` is the (typed) config class every target of this field must use or extend. */
  constructor(target: ConfigurableTarget, configClass: ConfigClass<S>, doc: string, group?: string) {
    super(configClass, doc, group);
    if (!target.ConfigClass.isSubclassOf(configClass as unknown as AnyConfigClass)) {
      throw new ConfigUsageError(`subtask target ${target.taskName} uses ${target.ConfigClass.name}, not a ${configClass.name}`);
    }
    this.target = target;
  }
  override jsonSchema(): JsonSchemaNode {
    const node = super.jsonSchema();
    node['x-subtask'] = this.target.taskName;
    return node;
  }
}

export const configField = <S extends FieldSet>(configClass: ConfigClass<S>, doc: string, group?: string): NestedConfigField<S> =>
  new NestedConfigField(configClass, doc, group);
export const subtaskField = <S extends FieldSet>(target: ConfigurableTarget, configClass: ConfigClass<S>, doc: string, group?: string): SubtaskField<S> =>
  new SubtaskField(target, configClass, doc, group);

function isNested(field: FieldSpec<unknown>): field is NestedConfigField<FieldSet> {
  return field instanceof NestedConfigField;
}

/** One change to a config, with where it came from (a file, the command line, code). */
export interface HistoryEntry {
  path: string;
  value: PlainValue;
  source: string;
}

export class ConfigInstance<S extends FieldSet> {
  readonly configClass: AnyConfigClass;
  readonly history: HistoryEntry[] = [];
  private readonly values = new Map<string, unknown>();
  private readonly targets = new Map<string, ConfigurableTarget>();
  private frozen = false;

  constructor(configClass: ConfigClass<S>) {
    this.configClass = configClass as unknown as AnyConfigClass;
    for (const [name, field] of Object.entries(configClass.fields)) {
      this.values.set(name, field.defaultValue());
      if (field instanceof SubtaskField) this.targets.set(name, field.target as ConfigurableTarget);
      Object.defineProperty(this, name, {
        enumerable: true,
        get: () => this.values.get(name),
        set: (v: unknown) => this.setField(name, v, 'code'),
      });
    }
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  private field(name: string, prefix: string): FieldSpec<unknown> {
    const field = this.configClass.fields[name];
    if (!field) {
      const known = Object.keys(this.configClass.fields);
      const near = known.filter((k) => k.toLowerCase() === name.toLowerCase() || k.toLowerCase().includes(name.toLowerCase()));
      throw new ConfigUsageError(
        `${this.configClass.name} has no field "${prefix}${name}"` + (near.length ? ` (did you mean ${near.map((n) => prefix + n).join(', ')}?)` : ''),
      );
    }
    return field;
  }

  private setField(name: string, value: unknown, source: string, prefix = ''): void {
    const path = prefix + name;
    if (this.frozen) throw new ConfigUsageError(`config ${this.configClass.name} is frozen: cannot set ${path} to ${describeValue(value)}`);
    const field = this.field(name, prefix);
    const v = field.coerce(value, path);
    this.values.set(name, v);
    this.history.push({ path: name, value: field.toPlain(v), source });
  }

  /** Sets a field by dotted path (`overscan.fitType`) from a value of the right type. */
  set(path: string, value: unknown, source = 'code'): void {
    const { owner, name, prefix } = this.resolve(path);
    owner.setField(name, value, source, prefix);
  }

  get(path: string): unknown {
    const { owner, name } = this.resolve(path);
    return owner.values.get(name);
  }

  private resolve(path: string): { owner: ConfigInstance<FieldSet>; name: string; prefix: string } {
    const parts = path.split('.');
    if (parts.some((p) => p === '')) throw new ConfigUsageError(`bad config field path "${path}"`);
    let owner = this as unknown as ConfigInstance<FieldSet>;
    let prefix = '';
    for (const part of parts.slice(0, -1)) {
      const field = owner.field(part, prefix);
      if (!isNested(field)) throw new ConfigUsageError(`${prefix}${part} is a ${field.kind} field, not a nested config: cannot resolve "${path}"`);
      owner = owner.values.get(part) as ConfigInstance<FieldSet>;
      prefix += part + '.';
    }
    const name = parts[parts.length - 1];
    owner.field(name, prefix);
    return { owner, name, prefix };
  }

  /** Applies nested plain data (as loaded from YAML); nested mappings update nested configs in place. */
  apply(data: Record<string, unknown>, source = 'code', prefix = ''): void {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new ConfigUsageError(`${source}: expected a mapping of ${this.configClass.name} fields${prefix ? ` at ${prefix.replace(/\.$/, '')}` : ''}`);
    }
    for (const [name, value] of Object.entries(data)) {
      if (name === '_target') continue;
      const field = this.field(name, prefix);
      if (isNested(field)) {
        if (value instanceof ConfigInstance) {
          this.setField(name, value, source, prefix);
          continue;
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          throw new ConfigError(prefix + name, value, `is not a mapping of ${field.configClass.name} fields`, source);
        }
        const record = value as Record<string, unknown>;
        if (typeof record._target === 'string') this.retarget(name, record._target);
        if (this.frozen) throw new ConfigUsageError(`config ${this.configClass.name} is frozen: cannot change ${prefix}${name}`);
        (this.values.get(name) as ConfigInstance<FieldSet>).apply(record, source, `${prefix}${name}.`);
      } else {
        try {
          this.setField(name, value, source, prefix);
        } catch (e) {
          if (e instanceof ConfigError && !e.source) throw new ConfigError(e.path, e.value, e.problem, source);
          throw e;
        }
      }
    }
  }

  applyYaml(text: string, source = 'YAML'): void {
    let data: unknown;
    try {
      data = YAML.parse(text);
    } catch (e) {
      throw new ConfigUsageError(`${source}: not valid YAML: ${(e as Error).message}`, { cause: e });
    }
    if (data === null || data === undefined) return;
    if (typeof data !== 'object' || Array.isArray(data)) throw new ConfigUsageError(`${source}: expected a mapping of config fields, got ${describeValue(data)}`);
    this.apply(data as Record<string, unknown>, source);
  }

  /** Applies one `dotted.path=value` override with the field's own text parser. */
  applyKeyValue(assignment: string, source = 'command line'): void {
    const i = assignment.indexOf('=');
    if (i <= 0) throw new ConfigUsageError(`${source}: config override "${assignment}" is not of the form key=value`);
    const path = assignment.slice(0, i).trim();
    const text = assignment.slice(i + 1);
    const { owner, name, prefix } = this.resolve(path);
    const field = owner.field(name, prefix);
    owner.setField(name, field.parseText(text, path), source, prefix);
  }

  /** Points a subtask field at another task whose config class is the same or a subclass. */
  retarget(name: string, target: ConfigurableTarget | string): void {
    if (this.frozen) throw new ConfigUsageError(`config ${this.configClass.name} is frozen: cannot retarget ${name}`);
    const field = this.field(name, '');
    if (!(field instanceof SubtaskField)) throw new ConfigUsageError(`${name} is not a subtask field: cannot retarget it`);
    const t = typeof target === 'string' ? findConfigurable(target) : target;
    if (!t) throw new ConfigUsageError(`cannot retarget ${name}: no task named "${String(target)}" is registered`);
    if (!t.ConfigClass.isSubclassOf(field.configClass as unknown as AnyConfigClass)) {
      throw new ConfigUsageError(`cannot retarget ${name} to ${t.taskName}: its config ${t.ConfigClass.name} is not a ${field.configClass.name}`);
    }
    this.targets.set(name, t);
    const fresh = t.ConfigClass.make();
    this.values.set(name, fresh);
  }

  /** The task a subtask field currently points at. */
  targetOf(name: string): ConfigurableTarget {
    const t = this.targets.get(name);
    if (!t) throw new ConfigUsageError(`${this.configClass.name}.${name} is not a subtask field`);
    return t;
  }

  validate(prefix = ''): void {
    for (const [name, field] of Object.entries(this.configClass.fields)) {
      if (isNested(field)) (this.values.get(name) as ConfigInstance<FieldSet>).validate(`${prefix}${name}.`);
    }
    try {
      this.configClass.runValidators(this as unknown as ConfigInstance<FieldSet>);
    } catch (e) {
      if (prefix && e instanceof Error && !(e instanceof ConfigError)) throw new ConfigUsageError(`${prefix.replace(/\.$/, '')}: ${e.message}`);
      throw e;
    }
  }

  /** Validates, then makes this config and every nested one read-only. */
  freeze(): this {
    this.validate();
    this.freezeTree();
    return this;
  }

  private freezeTree(): void {
    this.frozen = true;
    for (const [name, field] of Object.entries(this.configClass.fields)) {
      if (isNested(field)) (this.values.get(name) as ConfigInstance<FieldSet>).freezeTree();
    }
  }

  toPlain(): { [key: string]: PlainValue } {
    const out: { [key: string]: PlainValue } = {};
    for (const [name, field] of Object.entries(this.configClass.fields)) {
      const plain = field.toPlain(this.values.get(name));
      if (field instanceof SubtaskField && this.targets.get(name) !== field.target && plain && typeof plain === 'object' && !Array.isArray(plain)) {
        out[name] = { _target: this.targets.get(name)!.taskName, ...plain };
      } else out[name] = plain;
    }
    return out;
  }

  /** Saved form: YAML with each field's doc as a comment above it; loads back with applyYaml. */
  toYaml(): string {
    const doc = new YAML.Document(this.toPlain());
    annotate(doc.contents, this as unknown as ConfigInstance<FieldSet>);
    doc.commentBefore = ` ${this.configClass.name}: ${this.configClass.doc}`;
    return doc.toString({ lineWidth: 0 });
  }

  copy(): Config<S> {
    const c = this.configClass.make() as unknown as Config<S>;
    for (const [name, t] of this.targets) if (t !== (this.configClass.fields[name] as SubtaskField<FieldSet>).target) c.retarget(name, t);
    c.apply(this.toPlain(), 'copy');
    c.history.length = 0;
    c.history.push(...this.history);
    return c;
  }

  equals(other: ConfigInstance<FieldSet>): boolean {
    return this.configClass === (other.configClass as unknown) && diffConfigs(this as unknown as ConfigInstance<FieldSet>, other).length === 0;
  }

  /** Differences from another config, or from this class's defaults when none is given. */
  diff(other?: ConfigInstance<FieldSet>): ConfigDifference[] {
    return diffConfigs(other ?? (this.configClass.make() as unknown as ConfigInstance<FieldSet>), this as unknown as ConfigInstance<FieldSet>);
  }

  /** Internal accessors for the diff and schema code. */
  rawValue(name: string): unknown {
    return this.values.get(name);
  }
}

export interface ConfigDifference {
  path: string;
  /** Value in the first config (the defaults when diffing against defaults). */
  a: PlainValue;
  b: PlainValue;
}

export function diffConfigs(a: ConfigInstance<FieldSet>, b: ConfigInstance<FieldSet>, prefix = ''): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  const names = new Set([...Object.keys(a.configClass.fields), ...Object.keys(b.configClass.fields)]);
  for (const name of names) {
    const fa = a.configClass.fields[name];
    const fb = b.configClass.fields[name];
    const path = prefix + name;
    if (!fa || !fb) {
      out.push({ path, a: fa ? fa.toPlain(a.rawValue(name)) : null, b: fb ? fb.toPlain(b.rawValue(name)) : null });
      continue;
    }
    if (isNested(fa) && isNested(fb)) {
      out.push(...diffConfigs(a.rawValue(name) as ConfigInstance<FieldSet>, b.rawValue(name) as ConfigInstance<FieldSet>, path + '.'));
    } else if (fa.kind !== fb.kind || !fa.equals(a.rawValue(name), b.rawValue(name))) {
      out.push({ path, a: fa.toPlain(a.rawValue(name)), b: fb.toPlain(b.rawValue(name)) });
    }
  }
  return out;
}

function annotate(node: unknown, config: ConfigInstance<FieldSet>): void {
  if (!YAML.isMap(node)) return;
  for (const pair of node.items) {
    const key = YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const field = config.configClass.fields[key];
    if (!field) continue;
    if (YAML.isScalar(pair.key) || YAML.isNode(pair.key)) (pair.key as YAML.Node).commentBefore = ' ' + field.doc.replace(/\n/g, '\n ');
    if (isNested(field)) annotate(pair.value, config.rawValue(key) as ConfigInstance<FieldSet>);
  }
}

function configSchema(cls: AnyConfigClass): JsonSchemaNode {
  const properties: Record<string, JsonSchemaNode> = {};
  const groups: string[] = [];
  for (const [name, field] of Object.entries(cls.fields)) {
    const node = field.jsonSchema();
    node.title = name;
    properties[name] = node;
    const g = field.group ?? 'General';
    if (!groups.includes(g)) groups.push(g);
  }
  return {
    type: 'object',
    title: cls.name,
    description: cls.doc,
    properties,
    additionalProperties: false,
    'x-order': Object.keys(cls.fields),
    'x-groups': groups,
  };
}

/** The full JSON Schema document for a config class. */
export function configJsonSchema(cls: AnyConfigClass): JsonSchemaNode {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...configSchema(cls) };
}

export { jsonSafe };
