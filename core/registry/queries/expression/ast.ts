// The parsed form of a `where` expression. Every node keeps its source span so
// that type errors found later can point at the text the user wrote.
import type { TimeLiteralValue } from '../../../time/index.js';
import type { SourceSpan } from './errors.js';

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type BinaryOp = 'OR' | 'AND' | 'OVERLAPS' | ComparisonOp | ArithmeticOp;

interface Base {
  readonly span: SourceSpan;
}

export interface EmptyNode extends Base { readonly kind: 'empty' }
export interface BinaryNode extends Base { readonly kind: 'binary'; readonly op: BinaryOp; readonly lhs: WhereNode; readonly rhs: WhereNode; readonly opSpan: SourceSpan }
export interface UnaryNode extends Base { readonly kind: 'unary'; readonly op: 'NOT' | '+' | '-'; readonly operand: WhereNode }
export interface InNode extends Base { readonly kind: 'in'; readonly lhs: WhereNode; readonly items: readonly WhereNode[]; readonly negated: boolean }
/** A name such as `visit`, `visit.name`, `visit.timespan.begin` (a simple one may also be a legacy bind name). */
export interface IdentifierNode extends Base { readonly kind: 'identifier'; readonly parts: readonly string[]; readonly name: string }
export interface BindNode extends Base { readonly kind: 'bind'; readonly name: string }
export interface NumberNode extends Base { readonly kind: 'number'; readonly text: string; readonly value: number; readonly isInteger: boolean }
export interface StringNode extends Base { readonly kind: 'string'; readonly value: string }
export interface TimeNode extends Base { readonly kind: 'time'; readonly value: TimeLiteralValue }
export interface RangeNode extends Base { readonly kind: 'range'; readonly start: number; readonly stop: number; readonly stride: number | null }
/** UUID('...'): `hex` is the 32 lowercase hex digits (daf_butler's CHAR(32) encoding). */
export interface UuidNode extends Base { readonly kind: 'uuid'; readonly hex: string }
/** (a, b): a time range. */
export interface TupleNode extends Base { readonly kind: 'tuple'; readonly items: readonly [WhereNode, WhereNode] }
export interface GlobNode extends Base { readonly kind: 'glob'; readonly expression: IdentifierNode; readonly pattern: StringNode | BindNode }
export interface PointNode extends Base { readonly kind: 'point'; readonly ra: WhereNode; readonly dec: WhereNode }
export interface CircleNode extends Base { readonly kind: 'circle'; readonly ra: WhereNode; readonly dec: WhereNode; readonly radius: WhereNode }
export interface BoxNode extends Base { readonly kind: 'box'; readonly ra: WhereNode; readonly dec: WhereNode; readonly width: WhereNode; readonly height: WhereNode }
export interface PolygonNode extends Base { readonly kind: 'polygon'; readonly vertices: ReadonlyArray<readonly [WhereNode, WhereNode]> }
/** REGION('IVOA SIAv2 POS string'). */
export interface RegionNode extends Base { readonly kind: 'region'; readonly pos: WhereNode }

export type WhereNode =
  | EmptyNode | BinaryNode | UnaryNode | InNode | IdentifierNode | BindNode | NumberNode | StringNode | TimeNode
  | RangeNode | UuidNode | TupleNode | GlobNode | PointNode | CircleNode | BoxNode | PolygonNode | RegionNode;

/** Direct children, for generic walks. */
export function childrenOf(node: WhereNode): readonly WhereNode[] {
  switch (node.kind) {
    case 'binary': return [node.lhs, node.rhs];
    case 'unary': return [node.operand];
    case 'in': return [node.lhs, ...node.items];
    case 'tuple': return node.items;
    case 'glob': return [node.expression, node.pattern];
    case 'point': return [node.ra, node.dec];
    case 'circle': return [node.ra, node.dec, node.radius];
    case 'box': return [node.ra, node.dec, node.width, node.height];
    case 'polygon': return node.vertices.flat();
    case 'region': return [node.pos];
    default: return [];
  }
}
