import { describe, expect, it } from 'vitest';
import {
  parseWhere, tokenize, referencedIdentifiers, referencedBindNames, UserExpressionSyntaxError, UserExpressionError,
} from '../../../core/registry/queries/expression/index.js';
import { show } from './print.js';

const p = (text: string): string => show(parseWhere(text));

describe('lexer', () => {
  it('tokenizes every literal kind with positions', () => {
    const tokens = tokenize("visit.name IN (1..10:3, -5 .. 5) AND t'2020-01-01' < :t OR x != 1.5e-3 % .5");
    expect(tokens.map((t) => t.type)).toEqual([
      'QUALIFIED_ID', 'IN', '(', 'RANGE', ',', 'RANGE', ')', 'AND', 'TIME', '<', 'BIND', 'OR', 'SIMPLE_ID', '!=', 'NUMBER', '%', 'NUMBER', 'EOF',
    ]);
    expect(tokens[3].range).toEqual({ start: 1, stop: 10, stride: 3 });
    expect(tokens[5].range).toEqual({ start: -5, stop: 5, stride: null });
    expect(tokens[8].value).toBe('2020-01-01');
    expect(tokens[10].value).toBe('t');
    expect(tokens[0]).toMatchObject({ start: 0, end: 10 });
  });

  it('reserved words are case-insensitive, identifiers keep their case', () => {
    expect(tokenize('a and B Or not C in (1) OverLaps d').map((t) => t.type)).toEqual(
      ['SIMPLE_ID', 'AND', 'SIMPLE_ID', 'OR', 'NOT', 'SIMPLE_ID', 'IN', '(', 'NUMBER', ')', 'OVERLAPS', 'SIMPLE_ID', 'EOF']);
    expect(tokenize('Visit')[0].value).toBe('Visit');
  });

  it('reports unexpected characters with a column and caret', () => {
    let error: unknown;
    try {
      tokenize('visit = "x"');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserExpressionSyntaxError);
    const err = error as UserExpressionSyntaxError;
    expect(err.column).toBe(9);
    expect(err.expression).toBe('visit = "x"');
    expect(err.message).toContain('single quotes');
    expect(err.message).toContain('  visit = "x"\n          ^');
  });
});

describe('parser: grammar', () => {
  it('literals', () => {
    expect(p('a = 1')).toBe('(= a 1)');
    expect(p('a = -1')).toBe('(= a -1)');
    expect(p('a = +1.2e-5')).toBe('(= a 1.2e-5)');
    expect(p('a = .5')).toBe('(= a .5)');
    // Strings have no escapes (as daf_butler): a doubled quote ends one string and starts another.
    expect(() => p("a = 'it''s'")).toThrow(/Syntax error at or near ''s''/);
    expect(p("a = 'x y'")).toBe("(= a 'x y')");
    expect(p("t = T'2020-01-01 00:00:00/tai'")).toBe('(= t T(1577836800000000000))');
    expect(p("d = UUID('138f0b4b-33ba-5524-b843-e77079ced6ac')")).toBe('(= d UUID(138f0b4b33ba5524b843e77079ced6ac))');
    expect(p('v IN (1..10:3)')).toBe('(IN v [1..10:3])');
  });

  it('identifiers have 1-3 parts', () => {
    expect(parseWhere('visit.timespan.begin > 0')).toMatchObject({ lhs: { parts: ['visit', 'timespan', 'begin'] } });
    expect(() => parseWhere('a.b.c.d = 1')).toThrow(UserExpressionSyntaxError);
  });

  it('precedence: OR < AND < NOT < OVERLAPS < (= !=) < (< <= > >=) < IN < (+ -) < (* / %) < unary', () => {
    expect(p('a OR b AND c')).toBe('(OR a (AND b c))');
    expect(p('a AND b OR c AND d')).toBe('(OR (AND a b) (AND c d))');
    expect(p('NOT a = 1 AND b')).toBe('(AND (NOT (= a 1)) b)');
    expect(p('NOT NOT a')).toBe('(NOT (NOT a))');
    expect(p('a = 1 OVERLAPS b')).toBe('(OVERLAPS (= a 1) b)');
    expect(p('a = b < c')).toBe('(= a (< b c))');
    expect(p('a < b + c * d')).toBe('(< a (+ b (* c d)))');
    expect(p('a - b - c')).toBe('(- (- a b) c)');
    expect(p('a / b % c * d')).toBe('(* (% (/ a b) c) d)');
    expect(p('-a * b')).toBe('(* (- a) b)');
    expect(p('(a OR b) AND c')).toBe('(AND (OR a b) c)');
    expect(p('a + 1 IN (2, 3)')).toBe('(IN (+ a 1) [2 3])');
    expect(p('a IN (1) = b')).toBe('(= (IN a [1]) b)');
  });

  it('IN and NOT IN with literals, ranges, binds, legacy names and UUID()', () => {
    expect(p("v NOT IN (1, -2, 'x', T'58938.5', 5..9, :ids, name, UUID('00000000000000000000000000000001'))"))
      .toBe("(NOT IN v [1 -2 'x' T(1585569600000000000) 5..9 :ids name UUID(00000000000000000000000000000001)])");
    expect(() => parseWhere('v IN (a + 1)')).toThrow(UserExpressionSyntaxError);
    expect(() => parseWhere('v IN (POINT(1, 2))')).toThrow(/only literals, ranges, bind names and UUID/);
    expect(() => parseWhere('v IN ()')).toThrow(/IN list item/);
  });

  it('tuples, functions, case-insensitive names', () => {
    expect(p("ts OVERLAPS (T'58938.5', :end)")).toBe('(OVERLAPS ts (TUPLE T(1585569600000000000) :end))');
    expect(p("glob(visit.name, 'a*')")).toBe("(GLOB visit.name 'a*')");
    expect(p('r OVERLAPS Point(1, -2)')).toBe('(OVERLAPS r (POINT 1 -2))');
    expect(p('r OVERLAPS CIRCLE(0.5 + 0.1, -1 * :d, 1 / 10)')).toBe('(OVERLAPS r (CIRCLE (+ 0.5 0.1) (* -1 :d) (/ 1 10)))');
    expect(p('r OVERLAPS box(1, 2, 3, 4)')).toBe('(OVERLAPS r (BOX 1 2 3 4))');
    expect(p('r OVERLAPS POLYGON(0, 0, 1, 0, 0, 1)')).toBe('(OVERLAPS r (POLYGON 0 0 1 0 0 1))');
    expect(p("r OVERLAPS REGION('CIRCLE 1 2 3')")).toBe("(OVERLAPS r (REGION 'CIRCLE 1 2 3'))");
  });

  it('function argument checks name the function', () => {
    expect(() => parseWhere('r OVERLAPS POINT(1)')).toThrow(/POINT\(ra, dec\) takes 2 arguments, got 1/);
    expect(() => parseWhere('r OVERLAPS CIRCLE()')).toThrow(/CIRCLE\(ra, dec, radius\) takes 3 arguments, got 0/);
    expect(() => parseWhere('r OVERLAPS POLYGON(0, 0, 1, 0)')).toThrow(/at least three vertices/);
    expect(() => parseWhere('r OVERLAPS POLYGON(0, 0, 1, 0, 1)')).toThrow(/even number/);
    expect(() => parseWhere("GLOB('a', visit.name)")).toThrow(/first argument must be an identifier/);
    expect(() => parseWhere('GLOB(visit.name, 3)')).toThrow(/second argument/);
    expect(() => parseWhere("d = UUID('nope')")).toThrow(/'nope' is not a valid UUID/);
    expect(() => parseWhere('FOO(1) = 2')).toThrow(/Unknown function FOO\(\)/);
  });

  it('blank text is an empty expression', () => {
    expect(parseWhere('  \n ').kind).toBe('empty');
  });
});

describe('parser: errors carry the column and a caret', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['visit = ', 9, /End of input/],
    ['visit == 1', 8, /single "="/],
    ['visit = 1 visit', 11, /Syntax error at or near 'visit'/],
    ['a < b < c', 7, /cannot be chained/],
    ['(a = 1', 7, /End of input/],
    ['a = 1)', 6, /unbalanced parenthesis/],
    ['a IN 1', 6, /'\(' after IN/],
    ["a = 'abc", 5, /Unterminated string/],
    ["t > T'2020-13-01'", 5, /Invalid time literal.*does not match format "iso"/],
    ['a = (1, 2, 3)', 10, /exactly two items/],
    ['a = NOT b', 5, /operand/],
  ];
  it.each(cases)('%s', (text, column, message) => {
    let error: unknown;
    try {
      parseWhere(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserExpressionSyntaxError);
    const err = error as UserExpressionSyntaxError;
    expect(err.column).toBe(column);
    expect(err.expression).toBe(text);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`(column ${column})`);
    expect(err.message.split('\n')[2]).toBe(' '.repeat(column + 1) + '^'.repeat(err.message.split('\n')[2].trim().length));
  });

  it('multi-line expressions report line and column', () => {
    const err = (() => {
      try {
        parseWhere("instrument = 'X'\n  AND visit = = 3");
      } catch (e) {
        return e as UserExpressionError;
      }
      throw new Error('no error');
    })();
    expect(err.line).toBe(2);
    expect(err.column).toBe(15);
    expect(err.message).toContain('line 2, column 15');
    expect(err.message).toContain('  AND visit = = 3\n                ^');
  });
});

describe('referenced names', () => {
  it('lists distinct identifiers and binds in order, skipping NULL and legacy binds', () => {
    const tree = parseWhere("visit.name = :n AND visit > 3 AND visit.name != NULL AND instrument IN (:i, legacy) AND visit.timespan OVERLAPS :n");
    expect(referencedIdentifiers(tree).map((r) => r.name)).toEqual(['visit.name', 'visit', 'instrument', 'legacy', 'visit.timespan']);
    expect(referencedIdentifiers(tree, { legacy: 1 }).map((r) => r.parts.join('/'))).toEqual(['visit/name', 'visit', 'instrument', 'visit/timespan']);
    expect(referencedIdentifiers(tree)[0].offset).toBe(0);
    expect(referencedBindNames(tree)).toEqual(['n', 'i']);
  });
});
