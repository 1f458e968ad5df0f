// Compiles a parsed `where` tree to a parameterised SQL condition. Identifiers are
// turned into SQL by the registry (CompileContext.resolve, trusted names only);
// every user value becomes a `?` parameter. Types are checked on the way, with
// errors that name the identifier, its type and point at the text.
import { MAX_TAI_NS, MIN_TAI_NS, Timespan, formatTime, type TimeLiteralValue } from '../../../time/index.js';
import { unixMsToTaiNs } from '../../../time/convenience.js';
import {
  Box, Circle, ConvexPolygon, IntersectionRegion, UnionRegion, boxRegion, circleRegion, encodeRegionBase64, htmEnvelope,
  pointRegion, polygonRegion, COMMON_SKYPIX_LEVEL, REGION_OVERLAPS_FUNCTION, type IndexRanges, type Region,
} from '../../../sphgeom/index.js';
import type { BinaryNode, ComparisonOp, InNode, WhereNode } from './ast.js';
import { UserExpressionError, type SourceSpan } from './errors.js';
import { sourceOf } from './parser.js';
import { regionFromSiaPos } from './siaPos.js';

export type ScalarColumnType = 'int' | 'float' | 'string' | 'bool' | 'datetime' | 'uuid';
export type ColumnType = ScalarColumnType | 'timespan' | 'region';

/** A piece of SQL with its parameters, in order. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** What an identifier means in SQL, as decided by the registry (SQL text from trusted names only). */
export type ResolvedColumn =
  | {
      readonly type: ScalarColumnType;
      readonly sql: string;
      /** Storage of a datetime: TAI ns BIGINT (default) or a UTC 'YYYY-MM-DD HH:MM:SS.ffffff' TIMESTAMP text (datasets manager 1.0.0 ingest_date). */
      readonly datetimeEncoding?: 'tai_ns' | 'utc_text';
    }
  | { readonly type: 'timespan'; readonly beginSql: string; readonly endSql: string }
  | {
      readonly type: 'region';
      /** The base64 TEXT region column. */
      readonly sql: string;
      /**
       * Optional fast prefilter for overlaps with a literal region: given the region's HTM
       * envelope at `prefilterLevel` (default 7, daf_butler's common skypix), return a condition
       * selecting candidate rows (e.g. an EXISTS on <element>_skypix_overlap); the compiler ANDs
       * it with the exact `butler_region_overlaps` test, so it may be loose but must not miss rows.
       */
      readonly overlapPrefilter?: (envelope: IndexRanges, region: Region) => SqlFragment | null;
      readonly prefilterLevel?: number;
      /** Cap on envelope ranges handed to the prefilter (coarser trixels beyond it; default 200, 0 = no cap). */
      readonly prefilterMaxRanges?: number;
    };

export interface CompileContext {
  /** Maps ['visit', 'name'] to SQL; throw an Error with a clear message for unknown names. */
  resolve(identifier: readonly string[]): ResolvedColumn;
  /** Values for `:name` (and legacy bare-name) references. Lists only on the right of IN. */
  readonly bind?: Readonly<Record<string, unknown>>;
  /** Expression text for error displays when the tree did not come from parseWhere. */
  readonly expression?: string;
}

export interface CompiledWhere extends SqlFragment {
  /** True when the SQL calls butler_region_overlaps: register it with core/sphgeom's registerRegionFunctions(db). */
  readonly usesRegionFunction: boolean;
}

// ---- typed intermediate values
type Scalar = 'int' | 'float' | 'string' | 'uuid' | 'datetime' | 'bool';
interface ScalarValue {
  readonly t: Scalar;
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Set for literals and binds (used for constant folding and region arguments). */
  readonly literal?: number | bigint | string | boolean;
  /** Set for plain column references. */
  readonly column?: string;
  readonly encoding?: 'tai_ns' | 'utc_text';
}
interface NullValue { readonly t: 'null' }
interface TimespanValue { readonly t: 'timespan'; readonly begin: SqlFragment; readonly end: SqlFragment; readonly column?: string }
interface RegionValue {
  readonly t: 'region';
  readonly literal?: Region;
  readonly column?: { readonly name: string; readonly resolved: Extract<ResolvedColumn, { type: 'region' }> };
}
interface ListValue { readonly t: 'list'; readonly items: readonly (ScalarValue | NullValue)[]; readonly name: string }
interface RangeValue { readonly t: 'range'; readonly start: number; readonly stop: number; readonly stride: number }
type Value = ScalarValue | NullValue | TimespanValue | RegionValue | ListValue | RangeValue;

const INT64_MAX = 9_223_372_036_854_775_807n;

const SQL_COMPARISON: Record<ComparisonOp, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function isNumeric(v: Value): v is ScalarValue {
  return v.t === 'int' || v.t === 'float';
}

function frag(sql: string, params: readonly unknown[] = []): SqlFragment {
  return { sql, params };
}

/** Compile a tree from parseWhere. An empty expression compiles to "1" (no constraint). */
export function compileWhere(node: WhereNode, context: CompileContext): CompiledWhere {
  return new Compiler(node, context).run();
}

class Compiler {
  private readonly text: string;
  private usesRegionFunction = false;

  constructor(private readonly root: WhereNode, private readonly context: CompileContext) {
    this.text = sourceOf(root) ?? context.expression ?? '';
  }

  run(): CompiledWhere {
    if (this.root.kind === 'empty') return { sql: '1', params: [], usesRegionFunction: false };
    const value = this.compile(this.root);
    if (value.t !== 'bool') {
      throw this.error(`The expression must be a condition (true/false), but ${this.describe(this.root, value)} is not`, this.root.span);
    }
    return { sql: value.sql, params: [...value.params], usesRegionFunction: this.usesRegionFunction };
  }

  // ---- helpers
  private error(reason: string, span: SourceSpan): UserExpressionError {
    return new UserExpressionError(reason, this.text, span);
  }

  private textOf(node: WhereNode): string {
    return this.text ? this.text.slice(node.span.start, node.span.end) : node.kind;
  }

  private typeName(v: Value): string {
    return v.t === 'null' ? 'NULL' : v.t === 'list' ? 'list' : v.t;
  }

  private describe(node: WhereNode, v: Value): string {
    return `${this.textOf(node)} (${this.typeName(v)})`;
  }

  private param(value: unknown, t: Scalar, literal: ScalarValue['literal']): ScalarValue {
    return { t, sql: '?', params: [value], literal };
  }

  // ---- node dispatch
  private compile(node: WhereNode): Value {
    switch (node.kind) {
      case 'empty':
        return { t: 'bool', sql: '1', params: [] };
      case 'number':
        return this.numberValue(node.text, node.value, node.isInteger, node.span);
      case 'string':
        return this.param(node.value, 'string', node.value);
      case 'time':
        return this.param(node.value.taiNs, 'datetime', node.value.taiNs);
      case 'uuid':
        return this.param(node.hex, 'uuid', node.hex);
      case 'range':
        throw this.error(`Range literal ${this.textOf(node)} is only allowed inside IN (...)`, node.span);
      case 'identifier':
        return this.identifier(node.parts, node.name, node.span);
      case 'bind':
        return this.bindValue(node.name, node.span);
      case 'binary':
        return this.binary(node);
      case 'unary':
        return this.unary(node.op, node.operand, node.span);
      case 'in':
        return this.inList(node);
      case 'tuple':
        return this.tuple(node.items, node.span);
      case 'glob':
        return this.glob(node.expression, node.pattern);
      case 'point':
        return this.regionLiteral(() => pointRegion(this.number(node.ra, 'POINT'), this.number(node.dec, 'POINT')), node.span);
      case 'circle':
        return this.regionLiteral(() => circleRegion(this.number(node.ra, 'CIRCLE'), this.number(node.dec, 'CIRCLE'), this.number(node.radius, 'CIRCLE')), node.span);
      case 'box':
        return this.regionLiteral(
          () => boxRegion(this.number(node.ra, 'BOX'), this.number(node.dec, 'BOX'), this.number(node.width, 'BOX'), this.number(node.height, 'BOX')),
          node.span,
        );
      case 'polygon':
        return this.regionLiteral(() => polygonRegion(node.vertices.map(([ra, dec]) => [this.number(ra, 'POLYGON'), this.number(dec, 'POLYGON')] as const)), node.span);
      case 'region': {
        const pos = this.compile(node.pos);
        if (pos.t !== 'string' || typeof pos.literal !== 'string') {
          throw this.error(`REGION() needs a literal string or string bind, got ${this.describe(node.pos, pos)}`, node.pos.span);
        }
        const text = pos.literal;
        return this.regionLiteral(() => regionFromSiaPos(text), node.span);
      }
    }
  }

  private numberValue(text: string, value: number, isInteger: boolean, span: SourceSpan): ScalarValue {
    if (isInteger) {
      const big = BigInt(text);
      if (big > INT64_MAX || big < -INT64_MAX - 1n) throw this.error(`Integer ${text} does not fit in a 64-bit column`, span);
      const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      return this.param(safe ? Number(big) : big, 'int', safe ? Number(big) : big);
    }
    if (!Number.isFinite(value)) throw this.error(`Number ${text} is out of range for a 64-bit float`, span);
    return this.param(value, 'float', value);
  }

  private regionLiteral(build: () => Region, span: SourceSpan): RegionValue {
    try {
      return { t: 'region', literal: build() };
    } catch (error) {
      if (error instanceof UserExpressionError) throw error;
      throw this.error((error as Error).message, span);
    }
  }

  /** A numeric argument of a region function: literal numbers, binds, and arithmetic on them. */
  private number(node: WhereNode, fn: string): number {
    const v = this.compile(node);
    if (v.t === 'int' || v.t === 'float') {
      if (typeof v.literal === 'number') return v.literal;
      if (typeof v.literal === 'bigint') return Number(v.literal);
    }
    throw this.error(`Expression '${this.textOf(node)}' in ${fn}() is not a literal number`, node.span);
  }

  private identifier(parts: readonly string[], name: string, span: SourceSpan): Value {
    const bind = this.context.bind;
    if (parts.length === 1) {
      if (bind !== undefined && Object.hasOwn(bind, name)) return this.bindValue(name, span);
      if (name.toUpperCase() === 'NULL') return { t: 'null' };
    }
    let resolved: ResolvedColumn;
    try {
      resolved = this.context.resolve(parts);
    } catch (error) {
      // `x.timespan.begin` / `.end`: fall back to the timespan's column when the registry only knows the timespan.
      const last = parts[parts.length - 1];
      if (parts.length >= 2 && (last === 'begin' || last === 'end')) {
        let parent: ResolvedColumn | null;
        try {
          parent = this.context.resolve(parts.slice(0, -1));
        } catch {
          parent = null;
        }
        if (parent?.type === 'timespan') {
          return { t: 'datetime', sql: last === 'begin' ? parent.beginSql : parent.endSql, params: [], column: name, encoding: 'tai_ns' };
        }
      }
      throw this.error((error as Error).message || `Unknown identifier ${name}`, span);
    }
    switch (resolved.type) {
      case 'timespan':
        return { t: 'timespan', begin: frag(resolved.beginSql), end: frag(resolved.endSql), column: name };
      case 'region':
        return { t: 'region', column: { name, resolved } };
      default:
        return { t: resolved.type, sql: resolved.sql, params: [], column: name, encoding: resolved.datetimeEncoding };
    }
  }

  private bindValue(name: string, span: SourceSpan): Value {
    const bind = this.context.bind;
    if (bind === undefined || !Object.hasOwn(bind, name)) {
      const known = bind ? Object.keys(bind) : [];
      throw this.error(`Bind name :${name} is not in the bind map${known.length ? ` (known: ${known.join(', ')})` : ' (no bind values were given)'}`, span);
    }
    const value = bind[name];
    if (Array.isArray(value) || value instanceof Set) {
      const items = [...(value as Iterable<unknown>)].map((item) => {
        const v = this.bindScalar(item, name, span);
        if (v.t !== 'null' && !(['int', 'float', 'string', 'uuid', 'datetime', 'bool'] as string[]).includes(v.t)) {
          throw this.error(`Bind :${name} is a list containing a ${v.t}; lists may hold numbers, strings, times or UUIDs only`, span);
        }
        return v as ScalarValue | NullValue;
      });
      return { t: 'list', items, name };
    }
    return this.bindScalar(value, name, span);
  }

  private bindScalar(value: unknown, name: string, span: SourceSpan): Value {
    if (value === null || value === undefined) return { t: 'null' };
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw this.error(`Bind :${name} is ${value}, not a finite number`, span);
      return this.param(value, Number.isInteger(value) ? 'int' : 'float', value);
    }
    if (typeof value === 'bigint') return this.param(value, 'int', value);
    if (typeof value === 'string') return this.param(value, 'string', value);
    if (typeof value === 'boolean') return this.param(value ? 1 : 0, 'bool', value);
    if (value instanceof Date) return this.param(unixMsToTaiNs(value.getTime()), 'datetime', unixMsToTaiNs(value.getTime()));
    if (value instanceof Timespan) {
      return { t: 'timespan', begin: frag('?', [value.begin]), end: frag('?', [value.end]) };
    }
    if (value instanceof ConvexPolygon || value instanceof Circle || value instanceof Box || value instanceof UnionRegion || value instanceof IntersectionRegion) {
      return { t: 'region', literal: value };
    }
    if (typeof value === 'object' && typeof (value as TimeLiteralValue).taiNs === 'bigint') {
      const ns = (value as TimeLiteralValue).taiNs;
      return this.param(ns, 'datetime', ns);
    }
    throw this.error(
      `Bind :${name} has an unsupported value type (${Object.prototype.toString.call(value).slice(8, -1)}); ` +
        'use a number, bigint, string, boolean, Date, time literal value, Timespan or sphgeom region',
      span,
    );
  }

  // ---- operators
  private binary(node: BinaryNode): Value {
    const { op } = node;
    if (op === 'AND' || op === 'OR') {
      const lhs = this.requireBool(node.lhs, op);
      const rhs = this.requireBool(node.rhs, op);
      return { t: 'bool', sql: `(${lhs.sql} ${op} ${rhs.sql})`, params: [...lhs.params, ...rhs.params] };
    }
    const lhs = this.compile(node.lhs);
    const rhs = this.compile(node.rhs);
    this.rejectList(lhs, node.lhs);
    this.rejectList(rhs, node.rhs);
    if (op === 'OVERLAPS') return this.overlaps(node, lhs, rhs);
    if (op === '+' || op === '-' || op === '*' || op === '/' || op === '%') return this.arithmetic(node, lhs, rhs);
    return this.comparison(node, op, lhs, rhs);
  }

  private rejectList(v: Value, node: WhereNode): void {
    if (v.t === 'list') throw this.error(`Bind :${v.name} is a list; lists are only allowed on the right of IN (...)`, node.span);
  }

  private requireBool(node: WhereNode, op: string): ScalarValue {
    const v = this.compile(node);
    if (v.t !== 'bool') throw this.error(`${op} needs conditions on both sides, but ${this.describe(node, v)} is not a condition`, node.span);
    return v;
  }

  private unary(op: 'NOT' | '+' | '-', operand: WhereNode, span: SourceSpan): Value {
    if (op === 'NOT') {
      const v = this.requireBool(operand, 'NOT');
      return { t: 'bool', sql: `(NOT ${v.sql})`, params: v.params };
    }
    const v = this.compile(operand);
    if (!isNumeric(v)) throw this.error(`Unary '${op}' needs a number, but ${this.describe(operand, v)} is not`, span);
    if (op === '+') return v;
    if (v.literal !== undefined && typeof v.literal !== 'string' && typeof v.literal !== 'boolean') {
      const negated = typeof v.literal === 'bigint' ? -v.literal : -v.literal;
      return this.param(negated, v.t, negated);
    }
    return { t: v.t, sql: `(-${v.sql})`, params: v.params };
  }

  private arithmetic(node: BinaryNode, lhs: Value, rhs: Value): Value {
    const op = node.op;
    if (!isNumeric(lhs) || !isNumeric(rhs)) {
      const bad = !isNumeric(lhs) ? [node.lhs, lhs] as const : [node.rhs, rhs] as const;
      throw this.error(`Operator '${op}' needs numbers, but ${this.describe(bad[0], bad[1])} is not a number`, bad[0].span);
    }
    const t: Scalar = lhs.t === 'int' && rhs.t === 'int' ? 'int' : 'float';
    // Fold constants so region-function arguments like 0.5 + 0.1 are literals.
    if (typeof lhs.literal === 'number' && typeof rhs.literal === 'number') {
      const a = lhs.literal;
      const b = rhs.literal;
      if ((op === '/' || op === '%') && b === 0) throw this.error(`Division by zero in ${this.textOf(node)}`, node.span);
      const value = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? (t === 'int' ? Math.trunc(a / b) : a / b) : a % b;
      if (Number.isFinite(value) && (t === 'float' || Number.isSafeInteger(value))) return this.param(value, t, value);
    }
    return { t, sql: `(${lhs.sql} ${op} ${rhs.sql})`, params: [...lhs.params, ...rhs.params] };
  }

  private comparison(node: BinaryNode, op: ComparisonOp, lhs: Value, rhs: Value): Value {
    if (lhs.t === 'null' || rhs.t === 'null') {
      const other = lhs.t === 'null' ? rhs : lhs;
      if (op !== '=' && op !== '!=') throw this.error(`NULL can only be compared with = or != (got '${op}')`, node.opSpan);
      if (other.t === 'null') return { t: 'bool', sql: op === '=' ? '1' : '0', params: [] };
      if (other.t === 'timespan') return { t: 'bool', sql: `(${other.begin.sql} IS ${op === '=' ? '' : 'NOT '}NULL)`, params: other.begin.params };
      if (other.t === 'region') {
        if (!other.column) throw this.error('A literal region is never NULL', node.span);
        return { t: 'bool', sql: `(${other.column.resolved.sql} IS ${op === '=' ? '' : 'NOT '}NULL)`, params: [] };
      }
      const s = other as ScalarValue;
      return { t: 'bool', sql: `(${s.sql} IS ${op === '=' ? '' : 'NOT '}NULL)`, params: s.params };
    }
    if (lhs.t === 'timespan' && rhs.t === 'timespan') {
      if (op !== '=' && op !== '!=') throw this.error(`Timespans can be compared only with =, != or OVERLAPS (got '${op}'); compare ${this.textOf(node.lhs)}.begin or .end instead`, node.opSpan);
      const eq = `(${lhs.begin.sql} = ${rhs.begin.sql} AND ${lhs.end.sql} = ${rhs.end.sql})`;
      return { t: 'bool', sql: op === '=' ? eq : `(NOT ${eq})`, params: [...lhs.begin.params, ...rhs.begin.params, ...lhs.end.params, ...rhs.end.params] };
    }
    const [a, b] = this.coercePair(node, op, lhs, rhs);
    return { t: 'bool', sql: `(${a.sql} ${SQL_COMPARISON[op]} ${b.sql})`, params: [...a.params, ...b.params] };
  }

  /** Check two operands may be compared with `op`, converting literals to the column's storage where needed. */
  private coercePair(node: { lhs: WhereNode; rhs: WhereNode; opSpan: SourceSpan; span: SourceSpan }, op: string, lhs: Value, rhs: Value): [ScalarValue, ScalarValue] {
    const mismatch = (): UserExpressionError =>
      this.error(`Cannot compare ${this.describe(node.lhs, lhs)} with ${this.describe(node.rhs, rhs)} using '${op}'`, node.span);
    if (lhs.t === 'timespan' || rhs.t === 'timespan' || lhs.t === 'region' || rhs.t === 'region') {
      const which = lhs.t === 'timespan' || lhs.t === 'region' ? lhs.t : rhs.t;
      throw this.error(
        which === 'region'
          ? `Regions can only be compared with OVERLAPS (${this.describe(node.lhs, lhs)} ${op} ${this.describe(node.rhs, rhs)})`
          : `Cannot compare ${this.describe(node.lhs, lhs)} with ${this.describe(node.rhs, rhs)} using '${op}'; use OVERLAPS, or .begin/.end`,
        node.span,
      );
    }
    if (lhs.t === 'null' || rhs.t === 'null' || lhs.t === 'list' || rhs.t === 'list' || lhs.t === 'range' || rhs.t === 'range') throw mismatch();
    let a = lhs;
    let b = rhs;
    if (isNumeric(a) && isNumeric(b)) return [a, b];
    // A string literal against a UUID column: accept dashed or plain hex, compare as CHAR(32) hex.
    if (a.t === 'uuid' && b.t === 'string' && typeof b.literal === 'string') b = this.uuidFromString(b, node.rhs);
    if (b.t === 'uuid' && a.t === 'string' && typeof a.literal === 'string') a = this.uuidFromString(a, node.lhs);
    if (a.t !== b.t) throw mismatch();
    const ordering = op === '<' || op === '<=' || op === '>' || op === '>=';
    if (ordering && !(['int', 'float', 'string', 'datetime'] as Scalar[]).includes(a.t)) {
      throw this.error(`Operator '${op}' cannot order ${this.describe(node.lhs, lhs)} values`, node.opSpan);
    }
    if (a.t === 'datetime') [a, b] = this.alignDatetimes(a, b, node.span);
    return [a, b];
  }

  private uuidFromString(v: ScalarValue, node: WhereNode): ScalarValue {
    const hex = String(v.literal).replace(/^urn:uuid:/i, '').replace(/[{}-]/g, '').toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(hex)) throw this.error(`'${String(v.literal)}' is not a valid UUID`, node.span);
    return this.param(hex, 'uuid', hex);
  }

  /** TIMESTAMP-text datetime columns (old ingest_date) are compared as UTC text. */
  private alignDatetimes(a: ScalarValue, b: ScalarValue, span: SourceSpan): [ScalarValue, ScalarValue] {
    const enc = (v: ScalarValue): 'tai_ns' | 'utc_text' => v.encoding ?? 'tai_ns';
    if (enc(a) === enc(b)) return [a, b];
    const toText = (v: ScalarValue): ScalarValue => {
      if (typeof v.literal !== 'bigint') throw this.error('Cannot compare a TIMESTAMP-text time column with a nanosecond time column', span);
      const text = formatTime(v.literal, { scale: 'utc', precision: 6, separator: ' ' });
      return this.param(text, 'datetime', text);
    };
    return enc(a) === 'utc_text' ? [a, toText(b)] : [toText(a), b];
  }

  private overlaps(node: BinaryNode, lhs: Value, rhs: Value): Value {
    if (lhs.t === 'timespan' || rhs.t === 'timespan') {
      const asSpan = (v: Value, n: WhereNode): TimespanValue => {
        if (v.t === 'timespan') return v;
        if (v.t === 'datetime') return { t: 'timespan', begin: frag(v.sql, v.params), end: frag(v.sql, v.params) };
        throw this.error(`OVERLAPS with a timespan needs a timespan, a (begin, end) tuple or a time on the other side, but ${this.describe(n, v)} is not`, n.span);
      };
      const a = asSpan(lhs, node.lhs);
      const b = asSpan(rhs, node.rhs);
      if (lhs.t !== 'timespan' || rhs.t !== 'timespan') {
        // A timespan contains an instant: begin <= t < end.
        const span = lhs.t === 'timespan' ? a : b;
        const t = lhs.t === 'timespan' ? (rhs as ScalarValue) : (lhs as ScalarValue);
        return { t: 'bool', sql: `(${span.begin.sql} <= ${t.sql} AND ${span.end.sql} > ${t.sql})`, params: [...span.begin.params, ...t.params, ...span.end.params, ...t.params] };
      }
      // Half-open intervals overlap iff each begins before the other ends.
      return { t: 'bool', sql: `(${a.begin.sql} < ${b.end.sql} AND ${b.begin.sql} < ${a.end.sql})`, params: [...a.begin.params, ...b.end.params, ...b.begin.params, ...a.end.params] };
    }
    if (lhs.t === 'region' && rhs.t === 'region') return this.regionOverlaps(node, lhs, rhs);
    const bad = lhs.t === 'region' ? [node.rhs, rhs] as const : [node.lhs, lhs] as const;
    throw this.error(`OVERLAPS works on timespans and regions, but ${this.describe(bad[0], bad[1])} is neither`, bad[0].span);
  }

  private regionOverlaps(node: BinaryNode, lhs: RegionValue, rhs: RegionValue): Value {
    if (!lhs.column && !rhs.column) throw this.error('Spatial overlap comparison requires at least one dimension region column', node.span);
    this.usesRegionFunction = true;
    if (lhs.column && rhs.column) {
      return { t: 'bool', sql: `(${REGION_OVERLAPS_FUNCTION}(${lhs.column.resolved.sql}, ${rhs.column.resolved.sql}) = 1)`, params: [] };
    }
    const column = (lhs.column ?? rhs.column) as NonNullable<RegionValue['column']>;
    const region = (lhs.column ? rhs.literal : lhs.literal) as Region;
    const exact = frag(`(${REGION_OVERLAPS_FUNCTION}(${column.resolved.sql}, ?) = 1)`, [encodeRegionBase64(region)]);
    const { overlapPrefilter, prefilterLevel, prefilterMaxRanges } = column.resolved;
    const prefilter = overlapPrefilter?.(htmEnvelope(region, prefilterLevel ?? COMMON_SKYPIX_LEVEL, prefilterMaxRanges ?? 200), region) ?? null;
    if (prefilter === null) return { t: 'bool', ...exact };
    return { t: 'bool', sql: `(${prefilter.sql} AND ${exact.sql})`, params: [...prefilter.params, ...exact.params] };
  }

  private tuple(items: readonly [WhereNode, WhereNode], span: SourceSpan): Value {
    const bound = (n: WhereNode, unbounded: bigint): { fragment: SqlFragment; literal: bigint | null | undefined } => {
      const v = this.compile(n);
      if (v.t === 'null') return { fragment: frag('?', [unbounded]), literal: null };
      if (v.t === 'datetime' && (v.encoding ?? 'tai_ns') === 'tai_ns') {
        return { fragment: frag(v.sql, v.params), literal: typeof v.literal === 'bigint' ? v.literal : undefined };
      }
      throw this.error(
        `A (begin, end) time range needs times or NULL, but ${this.describe(n, v)} is not a time (time strings need a T prefix: T'2020-01-01')`,
        n.span,
      );
    };
    const begin = bound(items[0], MIN_TAI_NS);
    const end = bound(items[1], MAX_TAI_NS);
    if (begin.literal !== undefined && end.literal !== undefined) {
      // Both literal: normalise as daf_butler's Timespan does (instant padding, empty).
      let ts: Timespan;
      try {
        ts = Timespan.of(begin.literal, end.literal);
      } catch (error) {
        throw this.error((error as Error).message, span);
      }
      return { t: 'timespan', begin: frag('?', [ts.begin]), end: frag('?', [ts.end]) };
    }
    return { t: 'timespan', begin: begin.fragment, end: end.fragment };
  }

  private glob(expression: WhereNode, pattern: WhereNode): Value {
    const column = this.compile(expression);
    if (column.t !== 'string' || column.column === undefined) {
      throw this.error(`GLOB() first argument must be a string column, but ${this.describe(expression, column)} is not`, expression.span);
    }
    const p = this.compile(pattern);
    if (p.t !== 'string' || typeof p.literal !== 'string') throw this.error(`GLOB() pattern must be a string, got ${this.describe(pattern, p)}`, pattern.span);
    // Only * and ? are wildcards; SQLite's [...] classes must match literally.
    const escaped = p.literal.replace(/\[/g, '[[]');
    return { t: 'bool', sql: `(${column.sql} GLOB ?)`, params: [...column.params, escaped] };
  }

  private inList(node: InNode): Value {
    const lhs = this.compile(node.lhs);
    if (lhs.t === 'list' || lhs.t === 'null' || lhs.t === 'range' || lhs.t === 'timespan' || lhs.t === 'region' || lhs.t === 'bool') {
      throw this.error(`IN needs a number, string, time or UUID on its left, but ${this.describe(node.lhs, lhs)} is not`, node.lhs.span);
    }
    const values: ScalarValue[] = [];
    const parts: SqlFragment[] = [];
    let allowsNull = false;
    const addScalar = (v: Value, itemNode: WhereNode): void => {
      if (v.t === 'null') {
        allowsNull = true;
        return;
      }
      const [, b] = this.coercePair({ lhs: node.lhs, rhs: itemNode, opSpan: itemNode.span, span: itemNode.span }, 'IN', lhs, v);
      if (b.column !== undefined || b.literal === undefined) parts.push(frag(`${lhs.sql} = ${b.sql}`, [...lhs.params, ...b.params]));
      else values.push(b);
    };
    for (const item of node.items) {
      if (item.kind === 'range') {
        if (lhs.t !== 'int') throw this.error(`Range ${this.textOf(item)} needs an integer on the left of IN, but ${this.describe(node.lhs, lhs)} is not`, item.span);
        const stride = item.stride ?? 1;
        for (const bound of [item.start, item.stop, stride]) {
          if (!Number.isSafeInteger(bound)) throw this.error(`Range ${this.textOf(item)} has a bound too large to represent exactly`, item.span);
        }
        if (item.start > item.stop) continue;
        const within = `${lhs.sql} BETWEEN ? AND ?`;
        if (stride === 1) parts.push(frag(`(${within})`, [...lhs.params, item.start, item.stop]));
        else parts.push(frag(`(${within} AND (${lhs.sql} - ?) % ? = 0)`, [...lhs.params, item.start, item.stop, ...lhs.params, item.start, stride]));
        continue;
      }
      const v = this.compile(item);
      if (v.t === 'list') {
        for (const element of v.items) addScalar(element, item);
        continue;
      }
      addScalar(v, item);
    }
    if (values.length === 1) parts.unshift(frag(`${lhs.sql} = ?`, [...lhs.params, ...values[0].params]));
    else if (values.length > 1) parts.unshift(frag(`${lhs.sql} IN (${values.map(() => '?').join(', ')})`, [...lhs.params, ...values.flatMap((v) => v.params)]));
    if (allowsNull) parts.push(frag(`${lhs.sql} IS NULL`, lhs.params));
    const sql = parts.length === 0 ? '0' : parts.length === 1 ? `(${parts[0].sql})` : `(${parts.map((p) => p.sql).join(' OR ')})`;
    const params = parts.flatMap((p) => p.params);
    return { t: 'bool', sql: node.negated ? `(NOT ${sql})` : sql, params };
  }
}
