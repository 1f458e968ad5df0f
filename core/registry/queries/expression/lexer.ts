// Tokens of daf_butler's expression language (its PLY lexer's rules, in the same
// order of precedence: time literal, string, range, number, identifiers, bind, operators).
import { UserExpressionSyntaxError } from './errors.js';

export type TokenType =
  | 'TIME' | 'STRING' | 'RANGE' | 'NUMBER' | 'QUALIFIED_ID' | 'SIMPLE_ID' | 'BIND'
  | 'AND' | 'OR' | 'NOT' | 'IN' | 'OVERLAPS'
  | '(' | ')' | ',' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | 'EOF';

export interface Token {
  readonly type: TokenType;
  /** Text as written (quotes stripped for TIME/STRING, colon stripped for BIND). */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** RANGE only. */
  readonly range?: { start: number; stop: number; stride: number | null };
}

const RESERVED: Record<string, TokenType> = { AND: 'AND', OR: 'OR', NOT: 'NOT', IN: 'IN', OVERLAPS: 'OVERLAPS' };

// Sticky, case-insensitive regexes tried in PLY's order.
const TIME = /[tT]'([^'\n]*)'/y;
const STRING = /'([^'\n]*)'/y;
const RANGE = /(-?\d+)[ \t]*\.\.[ \t]*(-?\d+)(?:[ \t]*:[ \t]*([1-9]\d*))?/y;
const NUMBER = /(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/y;
const QUALIFIED = /[a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*){1,2}/y;
const SIMPLE = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const BIND = /:([a-zA-Z_][a-zA-Z0-9_]*)/y;
const TWO_CHAR = new Set(['!=', '<=', '>=']);
const ONE_CHAR = new Set(['(', ')', ',', '=', '<', '>', '+', '-', '*', '/', '%']);

function at(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    const c = text[pos];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      pos += 1;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((c === 'T' || c === 't') && text[pos + 1] === "'") {
      m = at(TIME, text, pos);
      if (!m) throw unterminated(text, pos + 1, 'time literal');
      tokens.push({ type: 'TIME', value: m[1], start: pos, end: pos + m[0].length });
      pos += m[0].length;
      continue;
    }
    if (c === "'") {
      m = at(STRING, text, pos);
      if (!m) throw unterminated(text, pos, 'string');
      tokens.push({ type: 'STRING', value: m[1], start: pos, end: pos + m[0].length });
      pos += m[0].length;
      continue;
    }
    if ((c >= '0' && c <= '9') || c === '-' || c === '.') {
      m = at(RANGE, text, pos);
      if (m) {
        tokens.push({
          type: 'RANGE', value: m[0], start: pos, end: pos + m[0].length,
          range: { start: Number(m[1]), stop: Number(m[2]), stride: m[3] === undefined ? null : Number(m[3]) },
        });
        pos += m[0].length;
        continue;
      }
      if (c !== '-') {
        m = at(NUMBER, text, pos);
        if (m) {
          tokens.push({ type: 'NUMBER', value: m[0], start: pos, end: pos + m[0].length });
          pos += m[0].length;
          continue;
        }
      }
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_') {
      m = at(QUALIFIED, text, pos);
      if (m) {
        tokens.push({ type: 'QUALIFIED_ID', value: m[0], start: pos, end: pos + m[0].length });
        pos += m[0].length;
        continue;
      }
      m = at(SIMPLE, text, pos) as RegExpExecArray;
      const reserved = RESERVED[m[0].toUpperCase()];
      tokens.push({ type: reserved ?? 'SIMPLE_ID', value: reserved ?? m[0], start: pos, end: pos + m[0].length });
      pos += m[0].length;
      continue;
    }
    if (c === ':') {
      m = at(BIND, text, pos);
      if (m) {
        tokens.push({ type: 'BIND', value: m[1], start: pos, end: pos + m[0].length });
        pos += m[0].length;
        continue;
      }
    }
    const two = text.slice(pos, pos + 2);
    if (TWO_CHAR.has(two)) {
      tokens.push({ type: two as TokenType, value: two, start: pos, end: pos + 2 });
      pos += 2;
      continue;
    }
    if (ONE_CHAR.has(c)) {
      tokens.push({ type: c as TokenType, value: c, start: pos, end: pos + 1 });
      pos += 1;
      continue;
    }
    const hint = c === '"' ? ' (strings use single quotes)' : c === '=' ? '' : c === '!' ? ' (use != for "not equal")' : '';
    throw new UserExpressionSyntaxError(`Unexpected character '${c}'${hint}`, text, { start: pos, end: pos + 1 }, c);
  }
  tokens.push({ type: 'EOF', value: '', start: n, end: n });
  return tokens;
}

function unterminated(text: string, pos: number, what: string): UserExpressionSyntaxError {
  return new UserExpressionSyntaxError(`Unterminated ${what}: no closing quote on this line`, text, { start: pos, end: text.length }, text.slice(pos));
}
