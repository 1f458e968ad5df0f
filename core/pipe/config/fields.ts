// Field kinds of typed task configs (the pex_config model): each field knows its doc, default,
// how to validate/coerce a value coming from YAML/JSON or from a `key=value` string, how to
// write it back, and how to describe itself in JSON Schema for the GUI's config form.

import { ConfigError, describeValue } from './errors.js';

export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };

export interface JsonSchemaNode {
  [key: string]: unknown;
}

export type FieldKind = 'bool' | 'int' | 'float' | 'string' | 'choice' | 'list' | 'dict' | 'config' | 'subtask';

export interface FieldOptions {
  /** What the field means, shown as the description in the GUI and in saved YAML. */
  doc: string;
  /** GUI section the field belongs to (e.g. "Overscan"); fields without one go to "General". */
  group?: string;
  /** Whether `null` (Python None) is an allowed value. */
  optional?: boolean;
  /** Extra check run after type validation; return a message when the value is not acceptable. */
  check?: (value: never) => string | undefined;
}

/**
 * One field. Methods (not function-typed properties) so that FieldSpec<number> is usable where a
 * FieldSpec<unknown> is expected.
 */
export interface FieldSpec<T> {
  readonly kind: FieldKind;
  readonly doc: string;
  readonly group: string | undefined;
  readonly optional: boolean;
  /** A fresh default value (configs nested in a field get their own instance). */
  defaultValue(): T;
  /** Validates a value from code, YAML or JSON; `path` names the field in errors. */
  coerce(value: unknown, path: string): T;
  /** Parses the text of a `key=value` override. */
  parseText(text: string, path: string): T;
  /** The value as YAML/JSON-compatible data. */
  toPlain(value: T): PlainValue;
  equals(a: T, b: T): boolean;
  jsonSchema(): JsonSchemaNode;
}

type CheckFn<T> = (value: T) => string | undefined;

abstract class ScalarField<T> implements FieldSpec<T> {
  abstract readonly kind: FieldKind;
  readonly doc: string;
  readonly group: string | undefined;
  readonly optional: boolean;
  protected readonly extraCheck: CheckFn<T> | undefined;
  protected readonly defaultVal: T;

  constructor(opts: FieldOptions, defaultVal: T) {
    this.doc = opts.doc;
    this.group = opts.group;
    this.optional = opts.optional ?? false;
    this.extraCheck = opts.check as CheckFn<T> | undefined;
    this.defaultVal = defaultVal;
  }

  defaultValue(): T {
    return this.defaultVal;
  }

  coerce(value: unknown, path: string): T {
    if (value === null || value === undefined) {
      if (this.optional) return null as T;
      throw new ConfigError(path, value, 'is required (this field is not optional)');
    }
    const v = this.coerceValue(value, path);
    if (this.extraCheck) {
      const problem = this.extraCheck(v);
      if (problem) throw new ConfigError(path, value, problem);
    }
    return v;
  }

  parseText(text: string, path: string): T {
    const t = text.trim();
    if (this.optional && (t === 'None' || t === 'null' || t === '~')) return null as T;
    return this.coerce(this.textToValue(t, path), path);
  }

  protected abstract coerceValue(value: unknown, path: string): T;
  protected abstract textToValue(text: string, path: string): unknown;

  toPlain(value: T): PlainValue {
    return value as PlainValue;
  }

  equals(a: T, b: T): boolean {
    return Object.is(a, b);
  }

  jsonSchema(): JsonSchemaNode {
    const node: JsonSchemaNode = { description: this.doc, ...this.typeSchema() };
    const def = this.toPlain(this.defaultVal);
    node.default = jsonSafe(def);
    if (this.optional) node.nullable = true;
    if (this.group) node['x-group'] = this.group;
    return node;
  }

  protected abstract typeSchema(): JsonSchemaNode;
}

/** JSON has no NaN/Infinity: the schema writes them as strings, which the form sends back as such. */
export function jsonSafe(v: PlainValue): PlainValue {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1', 't', 'y']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0', 'f', 'n']);

class BoolField extends ScalarField<boolean> {
  readonly kind = 'bool' as const;
  protected coerceValue(value: unknown, path: string): boolean {
    if (typeof value === 'boolean') return value;
    throw new ConfigError(path, value, 'is not a boolean (use true or false)');
  }
  protected textToValue(text: string, path: string): unknown {
    const t = text.toLowerCase();
    if (TRUE_WORDS.has(t)) return true;
    if (FALSE_WORDS.has(t)) return false;
    throw new ConfigError(path, text, 'is not a boolean (use true or false)');
  }
  protected typeSchema(): JsonSchemaNode {
    return { type: 'boolean' };
  }
}

export interface NumberOptions<T extends number> extends FieldOptions {
  default: T;
  min?: number;
  max?: number;
  /** Exclusive bounds (value must be strictly greater / smaller). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** Accept NaN (defaults to true when the default is NaN: "unset" in pex_config style). */
  allowNaN?: boolean;
  /** Accept ±Infinity. */
  allowInfinite?: boolean;
}

function parseNumberText(text: string): number | undefined {
  const t = text.toLowerCase();
  if (t === 'nan' || t === '.nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === '.inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-.inf' || t === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
  return Number(text);
}

class NumberField extends ScalarField<number> {
  readonly kind: 'int' | 'float';
  private readonly o: NumberOptions<number>;

  constructor(kind: 'int' | 'float', opts: NumberOptions<number>) {
    super(opts, opts.default);
    this.kind = kind;
    this.o = { ...opts, allowNaN: opts.allowNaN ?? Number.isNaN(opts.default) };
    if (!Number.isNaN(opts.default) || !this.o.allowNaN) this.coerce(opts.default, '(default)');
  }

  protected coerceValue(value: unknown, path: string): number {
    let v: number;
    if (typeof value === 'number') v = value;
    else if (typeof value === 'string' && this.kind === 'float' && /^[+-]?(nan|infinity|inf)$/i.test(value.trim())) {
      v = parseNumberText(value.trim()) as number;
    } else if (typeof value === 'bigint') v = Number(value);
    else throw new ConfigError(path, value, `is not ${this.kind === 'int' ? 'an integer' : 'a number'}`);
    if (Number.isNaN(v)) {
      if (this.o.allowNaN) return v;
      throw new ConfigError(path, value, 'is NaN, which this field does not accept');
    }
    if (!Number.isFinite(v)) {
      if (!this.o.allowInfinite) throw new ConfigError(path, value, 'is infinite, which this field does not accept');
    } else if (this.kind === 'int' && !Number.isInteger(v)) {
      throw new ConfigError(path, value, 'is not an integer');
    }
    const { min, max } = this.o;
    if (min !== undefined && (this.o.minExclusive ? !(v > min) : !(v >= min))) {
      throw new ConfigError(path, value, `is out of range: must be ${this.o.minExclusive ? '>' : '>='} ${min}`);
    }
    if (max !== undefined && (this.o.maxExclusive ? !(v < max) : !(v <= max))) {
      throw new ConfigError(path, value, `is out of range: must be ${this.o.maxExclusive ? '<' : '<='} ${max}`);
    }
    return v;
  }

  protected textToValue(text: string, path: string): unknown {
    const v = parseNumberText(text);
    if (typeof v !== 'number') throw new ConfigError(path, text, `is not ${this.kind === 'int' ? 'an integer' : 'a number'}`);
    return v;
  }

  protected typeSchema(): JsonSchemaNode {
    const s: JsonSchemaNode = { type: this.kind === 'int' ? 'integer' : 'number' };
    if (this.o.min !== undefined) s[this.o.minExclusive ? 'exclusiveMinimum' : 'minimum'] = this.o.min;
    if (this.o.max !== undefined) s[this.o.maxExclusive ? 'exclusiveMaximum' : 'maximum'] = this.o.max;
    if (this.o.allowNaN) s['x-allowNaN'] = true;
    if (this.o.allowInfinite) s['x-allowInfinite'] = true;
    return s;
  }
}

export interface StringOptions extends FieldOptions {
  default: string | null;
  /** Regular expression the value must match. */
  pattern?: RegExp;
}

class StringField extends ScalarField<string> {
  readonly kind = 'string' as const;
  private readonly pattern: RegExp | undefined;
  constructor(opts: StringOptions) {
    super(opts, opts.default as string);
    this.pattern = opts.pattern;
  }
  protected coerceValue(value: unknown, path: string): string {
    if (typeof value !== 'string') throw new ConfigError(path, value, 'is not a string');
    if (this.pattern && !this.pattern.test(value)) throw new ConfigError(path, value, `does not match ${this.pattern}`);
    return value;
  }
  protected textToValue(text: string): unknown {
    // Quotes are optional on the command line: key='a b' and key=a b mean the same.
    const m = /^(['"])(.*)\1$/.exec(text);
    return m ? m[2] : text;
  }
  protected typeSchema(): JsonSchemaNode {
    return this.pattern ? { type: 'string', pattern: this.pattern.source } : { type: 'string' };
  }
}

export interface ChoiceOptions<C extends string> extends FieldOptions {
  default: NoInfer<C>;
  /** Allowed values, each with its own doc (as pex_config's ChoiceField `allowed`). */
  allowed: Record<C, string>;
}

class ChoiceField<C extends string> extends ScalarField<C> {
  readonly kind = 'choice' as const;
  readonly allowed: Record<C, string>;
  constructor(opts: ChoiceOptions<C>) {
    super(opts, opts.default);
    this.allowed = opts.allowed;
    this.coerce(opts.default, '(default)');
  }
  protected coerceValue(value: unknown, path: string): C {
    if (typeof value !== 'string' || !Object.hasOwn(this.allowed, value)) {
      throw new ConfigError(path, value, `is not one of the allowed values: ${Object.keys(this.allowed).join(', ')}`);
    }
    return value as C;
  }
  protected textToValue(text: string): unknown {
    const m = /^(['"])(.*)\1$/.exec(text);
    return m ? m[2] : text;
  }
  protected typeSchema(): JsonSchemaNode {
    const keys = Object.keys(this.allowed) as C[];
    return { type: 'string', enum: keys, 'x-enumDescriptions': keys.map((k) => this.allowed[k]) };
  }
}

export type ItemKind = 'int' | 'float' | 'string' | 'bool';
type ItemType<K extends ItemKind> = K extends 'string' ? string : K extends 'bool' ? boolean : number;

export interface ListOptions<K extends ItemKind> extends FieldOptions {
  item: K;
  default: ItemType<K>[];
  minLength?: number;
  maxLength?: number;
  /** Values each item must be one of. */
  itemChoices?: readonly ItemType<K>[];
}

function coerceItem(kind: ItemKind, value: unknown, path: string): string | number | boolean {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw new ConfigError(path, value, 'is not a string');
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw new ConfigError(path, value, 'is not a boolean');
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new ConfigError(path, value, 'is not an integer');
      return value;
    case 'float':
      if (typeof value === 'string' && /^[+-]?(nan|inf|infinity)$/i.test(value)) return parseNumberText(value) as number;
      if (typeof value !== 'number') throw new ConfigError(path, value, 'is not a number');
      return value;
  }
}

function splitListText(text: string): string[] {
  let t = text.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  if (t.trim() === '') return [];
  return t.split(',').map((s) => s.trim().replace(/^(['"])(.*)\1$/, '$2'));
}

function textToItem(kind: ItemKind, text: string, path: string): string | number | boolean {
  if (kind === 'string') return text;
  if (kind === 'bool') {
    if (TRUE_WORDS.has(text.toLowerCase())) return true;
    if (FALSE_WORDS.has(text.toLowerCase())) return false;
    throw new ConfigError(path, text, 'is not a boolean');
  }
  const v = parseNumberText(text);
  if (typeof v !== 'number') throw new ConfigError(path, text, `is not ${kind === 'int' ? 'an integer' : 'a number'}`);
  return v;
}

class ListField<K extends ItemKind> implements FieldSpec<ItemType<K>[]> {
  readonly kind = 'list' as const;
  readonly doc: string;
  readonly group: string | undefined;
  readonly optional: boolean;
  private readonly o: ListOptions<K>;
  constructor(opts: ListOptions<K>) {
    this.o = opts;
    this.doc = opts.doc;
    this.group = opts.group;
    this.optional = opts.optional ?? false;
    this.coerce(opts.default, '(default)');
  }
  defaultValue(): ItemType<K>[] {
    return [...this.o.default];
  }
  coerce(value: unknown, path: string): ItemType<K>[] {
    if (value === null || value === undefined) {
      if (this.optional) return null as unknown as ItemType<K>[];
      throw new ConfigError(path, value, 'is required (this field is not optional)');
    }
    if (!Array.isArray(value)) throw new ConfigError(path, value, `is not a list of ${this.o.item} values`);
    const out = value.map((v, i) => coerceItem(this.o.item, v, `${path}[${i}]`)) as ItemType<K>[];
    if (this.o.itemChoices) {
      out.forEach((v, i) => {
        if (!this.o.itemChoices!.includes(v)) {
          throw new ConfigError(`${path}[${i}]`, v, `is not one of the allowed values: ${this.o.itemChoices!.join(', ')}`);
        }
      });
    }
    if (this.o.minLength !== undefined && out.length < this.o.minLength) {
      throw new ConfigError(path, value, `has ${out.length} items; at least ${this.o.minLength} are required`);
    }
    if (this.o.maxLength !== undefined && out.length > this.o.maxLength) {
      throw new ConfigError(path, value, `has ${out.length} items; at most ${this.o.maxLength} are allowed`);
    }
    const check = this.o.check as CheckFn<ItemType<K>[]> | undefined;
    const problem = check?.(out);
    if (problem) throw new ConfigError(path, value, problem);
    return out;
  }
  parseText(text: string, path: string): ItemType<K>[] {
    if (this.optional && ['None', 'null', '~'].includes(text.trim())) return null as unknown as ItemType<K>[];
    return this.coerce(splitListText(text).map((t, i) => textToItem(this.o.item, t, `${path}[${i}]`)), path);
  }
  toPlain(value: ItemType<K>[]): PlainValue {
    return value === null ? null : [...value];
  }
  equals(a: ItemType<K>[], b: ItemType<K>[]): boolean {
    if (a === null || b === null) return a === b;
    return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  }
  jsonSchema(): JsonSchemaNode {
    const items: JsonSchemaNode = { type: this.o.item === 'int' ? 'integer' : this.o.item === 'float' ? 'number' : this.o.item === 'bool' ? 'boolean' : 'string' };
    if (this.o.itemChoices) items.enum = [...this.o.itemChoices];
    const node: JsonSchemaNode = { description: this.doc, type: 'array', items, default: jsonSafe(this.toPlain(this.o.default)) };
    if (this.o.minLength !== undefined) node.minItems = this.o.minLength;
    if (this.o.maxLength !== undefined) node.maxItems = this.o.maxLength;
    if (this.optional) node.nullable = true;
    if (this.group) node['x-group'] = this.group;
    return node;
  }
}

export interface DictOptions<K extends ItemKind> extends FieldOptions {
  /** Kind of the values; keys are strings. */
  item: K;
  default: Record<string, ItemType<K>>;
}

class DictField<K extends ItemKind> implements FieldSpec<Record<string, ItemType<K>>> {
  readonly kind = 'dict' as const;
  readonly doc: string;
  readonly group: string | undefined;
  readonly optional: boolean;
  private readonly o: DictOptions<K>;
  constructor(opts: DictOptions<K>) {
    this.o = opts;
    this.doc = opts.doc;
    this.group = opts.group;
    this.optional = opts.optional ?? false;
  }
  defaultValue(): Record<string, ItemType<K>> {
    return { ...this.o.default };
  }
  coerce(value: unknown, path: string): Record<string, ItemType<K>> {
    if (value === null || value === undefined) {
      if (this.optional) return null as unknown as Record<string, ItemType<K>>;
      throw new ConfigError(path, value, 'is required (this field is not optional)');
    }
    if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(path, value, `is not a mapping of ${this.o.item} values`);
    const out: Record<string, ItemType<K>> = {};
    for (const [k, v] of Object.entries(value)) out[k] = coerceItem(this.o.item, v, `${path}[${JSON.stringify(k)}]`) as ItemType<K>;
    return out;
  }
  parseText(text: string, path: string): Record<string, ItemType<K>> {
    // key=value syntax for dicts: {a: 1, b: 2} (YAML flow mapping).
    let t = text.trim();
    if (!(t.startsWith('{') && t.endsWith('}'))) throw new ConfigError(path, text, 'is not a mapping; write it as {key: value, ...}');
    t = t.slice(1, -1);
    const out: Record<string, unknown> = {};
    for (const part of t.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      const i = part.indexOf(':');
      if (i < 0) throw new ConfigError(path, part, 'is not a "key: value" pair');
      const k = part.slice(0, i).trim().replace(/^(['"])(.*)\1$/, '$2');
      out[k] = textToItem(this.o.item, part.slice(i + 1).trim().replace(/^(['"])(.*)\1$/, '$2'), `${path}[${JSON.stringify(k)}]`);
    }
    return this.coerce(out, path);
  }
  toPlain(value: Record<string, ItemType<K>>): PlainValue {
    return value === null ? null : { ...value };
  }
  equals(a: Record<string, ItemType<K>>, b: Record<string, ItemType<K>>): boolean {
    if (a === null || b === null) return a === b;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && Object.is(a[k], b[k]));
  }
  jsonSchema(): JsonSchemaNode {
    const t = this.o.item === 'int' ? 'integer' : this.o.item === 'float' ? 'number' : this.o.item === 'bool' ? 'boolean' : 'string';
    const node: JsonSchemaNode = { description: this.doc, type: 'object', additionalProperties: { type: t }, default: jsonSafe(this.toPlain(this.o.default)) };
    if (this.group) node['x-group'] = this.group;
    return node;
  }
}

/** Field factories, the public way to declare fields: `f.bool({doc, default})` etc. */
export const f = {
  bool: (opts: FieldOptions & { default: boolean }): FieldSpec<boolean> => new BoolField(opts, opts.default),
  int: (opts: NumberOptions<number>): FieldSpec<number> => new NumberField('int', opts),
  float: (opts: NumberOptions<number>): FieldSpec<number> => new NumberField('float', opts),
  string: (opts: StringOptions): FieldSpec<string> => new StringField(opts),
  optionalString: (opts: Omit<StringOptions, 'optional'>): FieldSpec<string | null> => new StringField({ ...opts, optional: true }),
  choice: <const C extends string>(opts: ChoiceOptions<C>): FieldSpec<C> => new ChoiceField(opts),
  list: <K extends ItemKind>(opts: ListOptions<K>): FieldSpec<ItemType<K>[]> => new ListField(opts),
  dict: <K extends ItemKind>(opts: DictOptions<K>): FieldSpec<Record<string, ItemType<K>>> => new DictField(opts),
};

export { describeValue };
