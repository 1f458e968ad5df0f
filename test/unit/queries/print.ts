// Compact S-expression view of a parsed tree, for readable precedence assertions.
import type { WhereNode } from '../../../core/registry/queries/expression/index.js';

export function show(node: WhereNode): string {
  switch (node.kind) {
    case 'empty': return '<empty>';
    case 'binary': return `(${node.op} ${show(node.lhs)} ${show(node.rhs)})`;
    case 'unary': return `(${node.op} ${show(node.operand)})`;
    case 'in': return `(${node.negated ? 'NOT IN' : 'IN'} ${show(node.lhs)} [${node.items.map(show).join(' ')}])`;
    case 'identifier': return node.name;
    case 'bind': return `:${node.name}`;
    case 'number': return node.text;
    case 'string': return `'${node.value}'`;
    case 'time': return `T(${node.value.taiNs})`;
    case 'range': return `${node.start}..${node.stop}${node.stride === null ? '' : `:${node.stride}`}`;
    case 'uuid': return `UUID(${node.hex})`;
    case 'tuple': return `(TUPLE ${show(node.items[0])} ${show(node.items[1])})`;
    case 'glob': return `(GLOB ${show(node.expression)} ${show(node.pattern)})`;
    case 'point': return `(POINT ${show(node.ra)} ${show(node.dec)})`;
    case 'circle': return `(CIRCLE ${show(node.ra)} ${show(node.dec)} ${show(node.radius)})`;
    case 'box': return `(BOX ${show(node.ra)} ${show(node.dec)} ${show(node.width)} ${show(node.height)})`;
    case 'polygon': return `(POLYGON ${node.vertices.map(([a, b]) => `${show(a)} ${show(b)}`).join(' ')})`;
    case 'region': return `(REGION ${show(node.pos)})`;
  }
}
