import { describe, expect, it } from 'vitest';
import { formatWhere, parseWhere } from '../../../core/registry/queries/expression/index.js';
import { show } from './print.js';

describe('formatWhere', () => {
  it('writes canonical text with only the needed parentheses', () => {
    expect(formatWhere(parseWhere("visit   in (1..10:3,20) and (instrument='X' or not a=1)"))).toBe("visit IN (1..10:3, 20) AND (instrument = 'X' OR NOT a = 1)");
    expect(formatWhere(parseWhere('(a - b) - c = a - (b - c)'))).toBe('a - b - c = a - (b - c)');
    expect(formatWhere(parseWhere('-(a + 1) * 2 < 3'))).toBe('-(a + 1) * 2 < 3');
    expect(formatWhere(parseWhere("d = uuid('138F0B4B33BA5524B843E77079CED6AC')"))).toBe("d = UUID('138f0b4b-33ba-5524-b843-e77079ced6ac')");
    expect(formatWhere(parseWhere("t > T'2017-01-01'"))).toBe("t > T'2017-01-01T00:00:37.000000000/tai'");
    expect(formatWhere(parseWhere('(a = b) = c'))).toBe('(a = b) = c');
    expect(formatWhere(parseWhere(''))).toBe('');
  });

  it('round-trips: parse(format(tree)) has the same structure', () => {
    const expressions = [
      "((instrument='HSC' AND detector != 9) OR instrument='CFHT') AND tract=8766 AND patch.cell_x > 5 AND patch.cell_y < 4 AND band=:band",
      'x in (1,2,5..15) AND y NOT IN (-100..100:10, 1.1, .25, 1e2) OR :z in (\'a\', \'b\')',
      "visit.timespan OVERLAPS (T'2020-01-01', NULL) AND NOT (visit.region OVERLAPS CIRCLE(1, -2, 0.5 + 0.1))",
      "GLOB(visit.name, 'MC_*') AND r OVERLAPS POLYGON(0, 0, 1, 0, 0, 1) OR r OVERLAPS REGION('CIRCLE 1 2 3')",
      'a % b / c * -d + +e - f >= 0 AND NOT NOT g', 'a IN (1) = (b < c)', '(r OVERLAPS BOX(1, 2, 3, 4)) = (s = t)', '-a * -(b) - -1 = - - 2',
    ];
    for (const text of expressions) {
      const tree = parseWhere(text);
      expect(show(parseWhere(formatWhere(tree))), text).toBe(show(tree));
    }
  });
});
