import { describe, expect, it } from 'vitest';
import { show } from './print.js';
import { compileWhere, formatWhere, parseWhere, UserExpressionError, type CompileContext, type ResolvedColumn } from '../../../core/registry/queries/expression/index.js';

// Random token soup: whatever a user types, the only failures are UserExpressionErrors
// (with a column inside the text), never crashes from inside the parser or compiler.
const PIECES = [
  'visit', 'visit.name', 'visit.timespan', 'visit.timespan.begin', 'visit.region', 'exposure.exposure_time', 'NULL', 'legacy',
  '1', '-2', '3.5', '.5', '1e3', "'x'", "'MC_*'", "T'2020-01-01'", "T'58938.5'", "T'bad'", '1..5', '1..9:2', ':b', ':list', ':missing',
  'AND', 'OR', 'NOT', 'IN', 'OVERLAPS', '(', ')', ',', '=', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%',
  'POINT(1, 2)', 'CIRCLE(1, 2, 3)', 'BOX(1, 2, 3, 4)', 'POLYGON(0, 0, 1, 0, 0, 1)', "GLOB(visit.name, 'a*')", "UUID('00000000000000000000000000000001')",
  "REGION('CIRCLE 1 2 3')", 'FOO(', '"', '!', '#', '\n',
];
const COLUMNS: Record<string, ResolvedColumn> = {
  visit: { type: 'int', sql: 'v.id' },
  'visit.name': { type: 'string', sql: 'v.name' },
  'visit.timespan': { type: 'timespan', beginSql: 'v.b', endSql: 'v.e' },
  'visit.region': { type: 'region', sql: 'v.region' },
  'exposure.exposure_time': { type: 'float', sql: 'e.t' },
};
const context: CompileContext = {
  resolve: (parts) => {
    const c = COLUMNS[parts.join('.')];
    if (!c) throw new Error(`unknown ${parts.join('.')}`);
    return c;
  },
  bind: { b: 2, list: [1, 2], legacy: 'x' },
};

describe('fuzzing the where language', () => {
  it('fails only with UserExpressionError carrying a valid position', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    let compiled = 0;
    for (let i = 0; i < 3000; i += 1) {
      const length = 1 + random(9);
      const text = Array.from({ length }, () => PIECES[random(PIECES.length)]).join(' ');
      try {
        const tree = parseWhere(text);
        // Whatever parses also round-trips through the canonical text.
        expect(show(parseWhere(formatWhere(tree))), text).toBe(show(tree));
        const result = compileWhere(tree, context);
        expect(result.sql.split('?').length - 1).toBe(result.params.length);
        compiled += 1;
      } catch (error) {
        if (!(error instanceof UserExpressionError)) throw new Error(`"${text}" threw ${(error as Error).stack}`, { cause: error });
        expect(error.column).toBeGreaterThanOrEqual(1);
        expect(error.expression).toBe(text);
      }
    }
    // The soup is mostly invalid, but a fair share must compile.
    expect(compiled).toBeGreaterThan(5);
  });
});
