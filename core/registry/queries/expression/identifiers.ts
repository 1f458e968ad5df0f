// What an expression refers to, so the registry can plan joins before compiling:
// the dotted identifiers (dimension tables, dataset fields) and the bind names.
import { childrenOf, type WhereNode } from './ast.js';

export interface IdentifierRef {
  /** The dotted parts, e.g. ['visit', 'timespan', 'begin']. */
  readonly parts: readonly string[];
  /** The text as written, e.g. 'visit.timespan.begin'. */
  readonly name: string;
  /** 0-based source offset of the first use. */
  readonly offset: number;
}

function walk(node: WhereNode, visit: (n: WhereNode) => void): void {
  visit(node);
  for (const child of childrenOf(node)) walk(child, visit);
}

/**
 * Distinct identifiers used, in order of first appearance. `NULL` is not an identifier;
 * simple names present in `bind` are legacy bind references and are left out.
 */
export function referencedIdentifiers(node: WhereNode, bind?: Readonly<Record<string, unknown>>): IdentifierRef[] {
  const seen = new Map<string, IdentifierRef>();
  walk(node, (n) => {
    if (n.kind !== 'identifier') return;
    if (n.parts.length === 1 && (n.name.toUpperCase() === 'NULL' || (bind !== undefined && Object.hasOwn(bind, n.name)))) return;
    if (!seen.has(n.name)) seen.set(n.name, { parts: n.parts, name: n.name, offset: n.span.start });
  });
  return [...seen.values()];
}

/** Distinct `:name` bind names used, in order of first appearance. */
export function referencedBindNames(node: WhereNode): string[] {
  const names: string[] = [];
  walk(node, (n) => {
    if (n.kind === 'bind' && !names.includes(n.name)) names.push(n.name);
  });
  return names;
}
