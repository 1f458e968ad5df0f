// Recursive-descent parser for daf_butler's `where` grammar. Precedence, lowest
// first: OR, AND, NOT, OVERLAPS, (= !=), (< <= > >=), IN, (+ -), (* / %), unary + -.
// Comparisons do not chain (`a < b < c` is refused: write `a < b AND b < c`).
import { parseTimeLiteral, TimeLiteralError } from '../../../time/index.js';
import type { BinaryOp, IdentifierNode, WhereNode, BindNode, StringNode } from './ast.js';
import { UserExpressionError, UserExpressionSyntaxError, type SourceSpan } from './errors.js';
import { tokenize, type Token, type TokenType } from './lexer.js';

const UUID_TEXT = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** Parse a `where` expression; blank text gives an `empty` node (no constraint). */
export function parseWhere(text: string): WhereNode {
  const node = new Parser(text).parseAll();
  SOURCES.set(node, text);
  return node;
}

const SOURCES = new WeakMap<WhereNode, string>();

/** The text a tree returned by parseWhere was parsed from (for error displays). */
export function sourceOf(node: WhereNode): string | undefined {
  return SOURCES.get(node);
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseAll(): WhereNode {
    if (this.peek().type === 'EOF') return { kind: 'empty', span: { start: 0, end: this.text.length } };
    const node = this.parseOr();
    const next = this.peek();
    if (next.type !== 'EOF') throw this.syntaxError(next, this.unexpectedReason(next));
    return node;
  }

  // ---- token helpers
  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (this.index < this.tokens.length - 1) this.index += 1;
    return token;
  }

  private accept(type: TokenType): Token | null {
    return this.peek().type === type ? this.next() : null;
  }

  private expect(type: TokenType, what: string): Token {
    const token = this.peek();
    if (token.type !== type) throw this.syntaxError(token, `${what} expected`);
    return this.next();
  }

  private syntaxError(token: Token, reason: string): UserExpressionSyntaxError {
    if (token.type === 'EOF') {
      return new UserExpressionSyntaxError(`End of input reached while expecting further input: ${reason}`, this.text, { start: token.start, end: token.start + 1 }, '');
    }
    const shown = token.type === 'STRING' ? `'${token.value}'` : token.type === 'TIME' ? `T'${token.value}'` : token.type === 'BIND' ? `:${token.value}` : token.value;
    return new UserExpressionSyntaxError(`Syntax error at or near '${shown}': ${reason}`, this.text, token, shown);
  }

  private unexpectedReason(token: Token): string {
    if (token.type === '=' && this.peek(1).type === '=') return 'equality is a single "=" as in SQL';
    if (token.type === ')') return 'unbalanced parenthesis';
    return 'an operator (AND, OR, =, ...) or the end of the expression was expected';
  }

  private span(start: number, end: number): SourceSpan {
    return { start, end };
  }

  // ---- boolean levels
  private parseOr(): WhereNode {
    let lhs = this.parseAnd();
    for (let op = this.accept('OR'); op; op = this.accept('OR')) {
      const rhs = this.parseAnd();
      lhs = { kind: 'binary', op: 'OR', lhs, rhs, opSpan: op, span: this.span(lhs.span.start, rhs.span.end) };
    }
    return lhs;
  }

  private parseAnd(): WhereNode {
    let lhs = this.parseNot();
    for (let op = this.accept('AND'); op; op = this.accept('AND')) {
      const rhs = this.parseNot();
      lhs = { kind: 'binary', op: 'AND', lhs, rhs, opSpan: op, span: this.span(lhs.span.start, rhs.span.end) };
    }
    return lhs;
  }

  private parseNot(): WhereNode {
    const not = this.accept('NOT');
    if (not) {
      const operand = this.parseNot();
      return { kind: 'unary', op: 'NOT', operand, span: this.span(not.start, operand.span.end) };
    }
    return this.parseOverlaps();
  }

  private parseNonAssoc(types: readonly TokenType[], operand: () => WhereNode): WhereNode {
    const lhs = operand();
    const opToken = this.peek();
    if (!types.includes(opToken.type)) return lhs;
    this.next();
    const rhs = operand();
    const again = this.peek();
    if (types.includes(again.type)) {
      throw this.syntaxError(again, `'${opToken.value}' and '${again.value}' cannot be chained; combine comparisons with AND`);
    }
    const op = opToken.type as BinaryOp;
    return { kind: 'binary', op, lhs, rhs, opSpan: opToken, span: this.span(lhs.span.start, rhs.span.end) };
  }

  private parseOverlaps(): WhereNode {
    return this.parseNonAssoc(['OVERLAPS'], () => this.parseEquality());
  }

  private parseEquality(): WhereNode {
    return this.parseNonAssoc(['=', '!='], () => this.parseRelational());
  }

  private parseRelational(): WhereNode {
    return this.parseNonAssoc(['<', '<=', '>', '>='], () => this.parsePredicate());
  }

  private parsePredicate(): WhereNode {
    const lhs = this.parseAdditive();
    const negated = this.peek().type === 'NOT' && this.peek(1).type === 'IN';
    if (!negated && this.peek().type !== 'IN') return lhs;
    if (negated) this.next();
    this.next();
    this.expect('(', "'(' after IN");
    const items: WhereNode[] = [this.parseInItem()];
    while (this.accept(',')) items.push(this.parseInItem());
    const close = this.peek();
    if (close.type !== ')') throw this.syntaxError(close, "',' or ')' expected in the IN list (items are literals, ranges, bind names or UUID(...))");
    this.next();
    return { kind: 'in', lhs, items, negated, span: this.span(lhs.span.start, close.end) };
  }

  /** IN items: literals (signed numbers, strings, times, ranges), simple identifiers (legacy binds), binds, UUID(). */
  private parseInItem(): WhereNode {
    const token = this.peek();
    if ((token.type === '+' || token.type === '-') && this.peek(1).type === 'NUMBER') {
      this.next();
      return this.numberNode(this.next(), token);
    }
    switch (token.type) {
      case 'NUMBER': case 'STRING': case 'TIME': case 'RANGE': case 'BIND':
        return this.parsePrimary();
      case 'SIMPLE_ID': {
        const node = this.parsePrimary();
        if (node.kind === 'identifier' || node.kind === 'uuid') return node;
        throw new UserExpressionError(
          `Unsupported expression in IN list: only literals, ranges, bind names and UUID('...') are allowed`, this.text, node.span);
      }
      default:
        throw this.syntaxError(token, 'an IN list item (literal, range, bind name or UUID(...)) expected');
    }
  }

  // ---- arithmetic levels
  private parseAdditive(): WhereNode {
    let lhs = this.parseMultiplicative();
    for (;;) {
      const op = this.peek();
      if (op.type !== '+' && op.type !== '-') return lhs;
      this.next();
      const rhs = this.parseMultiplicative();
      lhs = { kind: 'binary', op: op.type, lhs, rhs, opSpan: op, span: this.span(lhs.span.start, rhs.span.end) };
    }
  }

  private parseMultiplicative(): WhereNode {
    let lhs = this.parseUnary();
    for (;;) {
      const op = this.peek();
      if (op.type !== '*' && op.type !== '/' && op.type !== '%') return lhs;
      this.next();
      const rhs = this.parseUnary();
      lhs = { kind: 'binary', op: op.type, lhs, rhs, opSpan: op, span: this.span(lhs.span.start, rhs.span.end) };
    }
  }

  private parseUnary(): WhereNode {
    const token = this.peek();
    if (token.type === '+' || token.type === '-') {
      this.next();
      // A sign directly before a number is part of the literal, as in daf_butler.
      if (this.peek().type === 'NUMBER') return this.numberNode(this.next(), token);
      const operand = this.parseUnary();
      return { kind: 'unary', op: token.type, operand, span: this.span(token.start, operand.span.end) };
    }
    return this.parsePrimary();
  }

  private numberNode(token: Token, sign: Token | null): WhereNode {
    const text = (sign?.type === '-' ? '-' : '') + token.value;
    const isInteger = /^-?\d+$/.test(text);
    return { kind: 'number', text, value: Number(text), isInteger, span: this.span(sign?.start ?? token.start, token.end) };
  }

  private parsePrimary(): WhereNode {
    const token = this.peek();
    switch (token.type) {
      case 'NUMBER':
        this.next();
        return this.numberNode(token, null);
      case 'STRING':
        this.next();
        return { kind: 'string', value: token.value, span: token };
      case 'TIME': {
        this.next();
        try {
          return { kind: 'time', value: parseTimeLiteral(token.value), span: token };
        } catch (error) {
          if (error instanceof TimeLiteralError) throw new UserExpressionSyntaxError(`Invalid time literal: ${error.message}`, this.text, token, `T'${token.value}'`);
          throw error;
        }
      }
      case 'RANGE': {
        this.next();
        const r = token.range as NonNullable<Token['range']>;
        return { kind: 'range', start: r.start, stop: r.stop, stride: r.stride, span: token };
      }
      case 'BIND':
        this.next();
        return { kind: 'bind', name: token.value, span: token };
      case 'QUALIFIED_ID':
        this.next();
        return { kind: 'identifier', parts: token.value.split('.'), name: token.value, span: token };
      case 'SIMPLE_ID':
        this.next();
        if (this.peek().type === '(') return this.parseCall(token);
        return { kind: 'identifier', parts: [token.value], name: token.value, span: token };
      case '(': {
        this.next();
        const first = this.parseOr();
        if (this.accept(',')) {
          const second = this.parseOr();
          const close = this.peek();
          if (close.type === ',') throw this.syntaxError(close, 'tuples have exactly two items (a time range: begin, end)');
          this.expect(')', "')' closing the (begin, end) tuple");
          return { kind: 'tuple', items: [first, second], span: this.span(token.start, close.end) };
        }
        this.expect(')', "')'");
        return first;
      }
      default:
        if (token.type === '=') throw this.syntaxError(token, 'equality is a single "=" as in SQL');
        throw this.syntaxError(token, token.type === 'EOF' ? 'an operand expected' : 'an operand (identifier, literal, bind name or function call) expected');
    }
  }

  private parseCall(nameToken: Token): WhereNode {
    this.expect('(', "'('");
    const args: WhereNode[] = [];
    if (this.peek().type !== ')') {
      args.push(this.parseOr());
      while (this.accept(',')) args.push(this.parseOr());
    }
    const close = this.expect(')', "',' or ')' in the argument list");
    const span = this.span(nameToken.start, close.end);
    const name = nameToken.value.toUpperCase();
    const fail = (reason: string, at: SourceSpan = span): never => {
      throw new UserExpressionError(reason, this.text, at);
    };
    const arity = (n: number, signature: string): void => {
      if (args.length !== n) fail(`${name}${signature} takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
    };
    switch (name) {
      case 'POINT':
        arity(2, '(ra, dec)');
        return { kind: 'point', ra: args[0], dec: args[1], span };
      case 'CIRCLE':
        arity(3, '(ra, dec, radius)');
        return { kind: 'circle', ra: args[0], dec: args[1], radius: args[2], span };
      case 'BOX':
        arity(4, '(ra, dec, width, height)');
        return { kind: 'box', ra: args[0], dec: args[1], width: args[2], height: args[3], span };
      case 'POLYGON': {
        if (args.length % 2 !== 0) fail(`POLYGON(ra1, dec1, ra2, dec2, ...) needs an even number of arguments, got ${args.length}`);
        if (args.length < 6) fail(`POLYGON needs at least three vertices (six numbers), got ${args.length / 2}`);
        const vertices: Array<readonly [WhereNode, WhereNode]> = [];
        for (let i = 0; i < args.length; i += 2) vertices.push([args[i], args[i + 1]]);
        return { kind: 'polygon', vertices, span };
      }
      case 'REGION':
        arity(1, "('SIAv2 POS string')");
        if (!['string', 'bind', 'identifier'].includes(args[0].kind)) fail('REGION() argument must be a string or a bind name', args[0].span);
        return { kind: 'region', pos: args[0], span };
      case 'GLOB': {
        arity(2, '(expression, pattern)');
        const [expression, pattern] = args;
        if (expression.kind !== 'identifier') fail('GLOB() first argument must be an identifier (a string column)', expression.span);
        if (pattern.kind !== 'string' && pattern.kind !== 'bind') fail("GLOB() second argument must be a 'string' or a :bind name", pattern.span);
        return { kind: 'glob', expression: expression as IdentifierNode, pattern: pattern as StringNode | BindNode, span };
      }
      case 'UUID': {
        arity(1, "('uuid-string')");
        const arg = args[0];
        if (arg.kind !== 'string') return fail("UUID() argument must be a string literal, e.g. UUID('138f0b4b-33ba-5524-b843-e77079ced6ac')", arg.span);
        const m = UUID_TEXT.exec(arg.value);
        if (!m) return fail(`UUID() argument '${arg.value}' is not a valid UUID`, arg.span);
        return { kind: 'uuid', hex: m.slice(1).join('').toLowerCase(), span };
      }
      default:
        return fail(`Unknown function ${nameToken.value}(); supported: GLOB, POINT, CIRCLE, BOX, POLYGON, REGION, UUID`, nameToken);
    }
  }
}
