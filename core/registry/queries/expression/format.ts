// Canonical text of a parsed expression: keywords upper-case, single spaces, and only
// the parentheses precedence needs. Re-parsing the text gives the same tree, so it can
// be shown in logs, stored in history, or pasted into daf_butler.
import { formatTime } from '../../../time/index.js';
import type { WhereNode } from './ast.js';

// Binding strength, higher binds tighter (matches the parser's levels).
const LEVEL: Record<string, number> = {
  OR: 1, AND: 2, NOT: 3, OVERLAPS: 4, '=': 5, '!=': 5, '<': 6, '<=': 6, '>': 6, '>=': 6, IN: 7, '+': 8, '-': 8, '*': 9, '/': 9, '%': 9,
};
const ATOM = 11;

function levelOf(node: WhereNode): number {
  switch (node.kind) {
    case 'binary': return LEVEL[node.op];
    case 'unary': return node.op === 'NOT' ? LEVEL.NOT : 10;
    case 'in': return LEVEL.IN;
    case 'number': return node.text.startsWith('-') ? 10 : ATOM;
    default: return ATOM;
  }
}

function hexToUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Text that parses back to the same tree. Time literals are written as exact TAI ISO strings. */
export function formatWhere(node: WhereNode): string {
  const wrap = (child: WhereNode, min: number): string => {
    const text = formatWhere(child);
    return levelOf(child) < min ? `(${text})` : text;
  };
  switch (node.kind) {
    case 'empty': return '';
    case 'binary': {
      const level = LEVEL[node.op];
      // Left-associative levels accept an equal-level left operand; comparisons do not chain.
      const leftAssoc = node.op === 'OR' || node.op === 'AND' || level >= LEVEL['+'];
      return `${wrap(node.lhs, leftAssoc ? level : level + 1)} ${node.op} ${wrap(node.rhs, level + 1)}`;
    }
    case 'unary':
      if (node.op === 'NOT') return `NOT ${wrap(node.operand, LEVEL.NOT)}`;
      // A sign written directly before a number or range would become part of that literal.
      if (node.operand.kind === 'number' || node.operand.kind === 'range') return `${node.op}(${formatWhere(node.operand)})`;
      return `${node.op}${wrap(node.operand, 10)}`;
    case 'in':
      return `${wrap(node.lhs, LEVEL['+'])} ${node.negated ? 'NOT IN' : 'IN'} (${node.items.map(formatWhere).join(', ')})`;
    case 'identifier': return node.name;
    case 'bind': return `:${node.name}`;
    case 'number': return node.text;
    case 'string': return `'${node.value}'`;
    case 'time': return `T'${formatTime(node.value.taiNs, { separator: 'T' })}/tai'`;
    case 'range': return `${node.start}..${node.stop}${node.stride === null ? '' : `:${node.stride}`}`;
    case 'uuid': return `UUID('${hexToUuid(node.hex)}')`;
    case 'tuple': return `(${formatWhere(node.items[0])}, ${formatWhere(node.items[1])})`;
    case 'glob': return `GLOB(${formatWhere(node.expression)}, ${formatWhere(node.pattern)})`;
    case 'point': return `POINT(${formatWhere(node.ra)}, ${formatWhere(node.dec)})`;
    case 'circle': return `CIRCLE(${[node.ra, node.dec, node.radius].map(formatWhere).join(', ')})`;
    case 'box': return `BOX(${[node.ra, node.dec, node.width, node.height].map(formatWhere).join(', ')})`;
    case 'polygon': return `POLYGON(${node.vertices.flat().map(formatWhere).join(', ')})`;
    case 'region': return `REGION(${formatWhere(node.pos)})`;
  }
}
