// The ISR config form's model, generated from the config's JSON Schema: the leaf fields grouped by
// section (nested configs such as overscan join their parent's section), reading and writing values
// in a nested overrides object (a field at its default is removed, so overrides are only what the
// user changed), parsing what is typed, and instant checks (type, range, choices) while typing. The
// server's isr.checkConfig is the authority; these checks only make typing feel immediate.

export type SchemaNode = {
  type?: string;
  title?: string;
  description?: string;
  default?: unknown;
  enum?: string[];
  'x-enumDescriptions'?: string[];
  'x-group'?: string;
  'x-groups'?: string[];
  'x-allowNaN'?: boolean;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
};

export type Overrides = Record<string, unknown>;

export interface FormField {
  path: string[];
  /** Dotted path, as config files and errors name it (overscan.fitType). */
  key: string;
  node: SchemaNode;
  group: string;
}

export function formFields(schema: SchemaNode): { groups: string[]; fields: FormField[] } {
  const fields: FormField[] = [];
  const walk = (node: SchemaNode, prefix: string[], inherited: string | null) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = [...prefix, name];
      const group = inherited ?? child['x-group'] ?? 'General';
      if (child.type === 'object' && child.properties) walk(child, path, inherited ?? child['x-group'] ?? `${name} (${child.description ?? 'subtask'})`);
      else fields.push({ path, key: path.join('.'), node: child, group });
    }
  };
  walk(schema, [], null);
  const groups: string[] = [];
  for (const f of fields) if (!groups.includes(f.group)) groups.push(f.group);
  // "Not available here" (steps this implementation refuses) goes last.
  groups.sort((a, b) => Number(/not available/i.test(a)) - Number(/not available/i.test(b)));
  return { groups, fields };
}

export function getAt(o: Overrides, path: readonly string[]): unknown {
  let v: unknown = o;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A copy of `o` with the value set, or removed (with empty parents) when it equals the default. */
export function setAt(o: Overrides, path: readonly string[], value: unknown, defaultValue: unknown): Overrides {
  const remove = same(value, defaultValue);
  const rec = (cur: Overrides, i: number): Overrides => {
    const out: Overrides = { ...cur };
    const k = path[i];
    if (i === path.length - 1) {
      if (remove) delete out[k];
      else out[k] = value;
      return out;
    }
    const child = cur[k] !== null && typeof cur[k] === 'object' && !Array.isArray(cur[k]) ? (cur[k] as Overrides) : {};
    const next = rec(child, i + 1);
    if (Object.keys(next).length === 0) delete out[k];
    else out[k] = next;
    return out;
  };
  return rec(o, 0);
}

/** Text shown in an input for a value. */
export function valueToText(node: SchemaNode, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (node.type === 'array') return Array.isArray(v) ? v.map(String).join(', ') : String(v);
  if (node.type === 'object') return JSON.stringify(v);
  return String(v);
}

/** Parses typed text into a value of the field's type, or an error saying what is expected. */
export function parseText(node: SchemaNode, text: string): { value: unknown } | { error: string } {
  const t = text.trim();
  if (t === '' && node.nullable) return { value: null };
  switch (node.type) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(t)) return { error: `expected an integer, got "${text}"` };
      return checkRange(node, Number(t));
    }
    case 'number': {
      if (/^[+-]?(nan)$/i.test(t)) return node['x-allowNaN'] ? { value: 'NaN' } : { error: 'NaN is not allowed here' };
      if (/^[+-]?(inf|infinity)$/i.test(t)) return { value: t.startsWith('-') ? '-Infinity' : 'Infinity' };
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) return { error: `expected a number, got "${text}"` };
      return checkRange(node, n);
    }
    case 'array': {
      const items = t === '' ? [] : t.split(',').map((s) => s.trim());
      const out: unknown[] = [];
      for (const item of items) {
        const r = node.items ? parseText(node.items, item) : { value: item };
        if ('error' in r) return { error: `item "${item}": ${r.error}` };
        out.push(r.value);
      }
      if (node.items?.enum) for (const x of out) if (!node.items.enum.includes(String(x))) return { error: `"${String(x)}" is not one of ${node.items.enum.join(', ')}` };
      return { value: out };
    }
    case 'object': {
      try {
        const v: unknown = JSON.parse(t || '{}');
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: 'expected a JSON object such as {"key": 1.0}' };
        return { value: v };
      } catch {
        return { error: 'expected a JSON object such as {"key": 1.0}' };
      }
    }
    case 'string': {
      if (node.enum && !node.enum.includes(t)) return { error: `must be one of ${node.enum.join(', ')}` };
      if (node.pattern && !new RegExp(node.pattern).test(t)) return { error: `must match ${node.pattern}` };
      return { value: text };
    }
    default:
      return { value: text };
  }
}

function checkRange(node: SchemaNode, n: number): { value: number } | { error: string } {
  if (node.minimum !== undefined && n < node.minimum) return { error: `must be ≥ ${node.minimum}` };
  if (node.exclusiveMinimum !== undefined && n <= node.exclusiveMinimum) return { error: `must be > ${node.exclusiveMinimum}` };
  if (node.maximum !== undefined && n > node.maximum) return { error: `must be ≤ ${node.maximum}` };
  if (node.exclusiveMaximum !== undefined && n >= node.exclusiveMaximum) return { error: `must be < ${node.exclusiveMaximum}` };
  return { value: n };
}
