// The graph the provenance view draws, independent of React Flow: nodes (datasets, quanta, or the
// aggregated task / dataset-type bundles of a run) and edges, merged as the user expands, with node
// sizes and labels, and export as a standalone SVG.
import type { AggregateEdge, AggregateNode, GraphEdge, GraphNode } from '../../../core/api/sections/provenanceGraph.js';

export type ViewNode =
  | { kind: 'dataset' | 'quantum'; id: string; node: GraphNode; expanded: boolean }
  | { kind: 'aggregate'; id: string; node: AggregateNode; expanded: boolean };
export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  kind: 'input' | 'prerequisite' | 'output';
  label: string;
}
export interface ViewGraph {
  nodes: Map<string, ViewNode>;
  edges: Map<string, ViewEdge>;
}

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 46;

export function emptyGraph(): ViewGraph {
  return { nodes: new Map(), edges: new Map() };
}

export function formatDataId(dataId: Record<string, string | number>): string {
  return Object.entries(dataId)
    .filter(([k]) => k !== 'instrument')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

export function nodeTitle(n: ViewNode): string {
  if (n.kind === 'aggregate') return n.node.kind === 'task' ? `${n.node.label} × ${n.node.count}` : `${n.node.label} (${n.node.count})`;
  if (n.node.kind === 'dataset') return n.node.datasetType;
  return n.node.taskLabel;
}

export function nodeSubtitle(n: ViewNode): string {
  if (n.kind === 'aggregate') {
    if (n.node.kind !== 'task') return 'dataset type';
    return Object.entries(n.node.status).map(([s, c]) => `${c} ${s}`).join(', ');
  }
  return formatDataId(n.node.dataId) || n.node.run;
}

/** Adds nodes and edges (existing ones keep their expanded flag); returns a new graph object. */
export function mergeGraph(g: ViewGraph, nodes: readonly GraphNode[], edges: readonly GraphEdge[], expandedId?: string): ViewGraph {
  const out: ViewGraph = { nodes: new Map(g.nodes), edges: new Map(g.edges) };
  for (const n of nodes) {
    const old = out.nodes.get(n.id);
    out.nodes.set(n.id, { kind: n.kind, id: n.id, node: n, expanded: old?.expanded ?? false });
  }
  for (const e of edges) {
    const id = `${e.source}>${e.target}`;
    out.edges.set(id, { id, source: e.source, target: e.target, kind: e.kind, label: e.connection });
  }
  if (expandedId) {
    const n = out.nodes.get(expandedId);
    if (n) out.nodes.set(expandedId, { ...n, expanded: true } as ViewNode);
  }
  return out;
}

export function aggregateGraph(nodes: readonly AggregateNode[], edges: readonly AggregateEdge[]): ViewGraph {
  const g = emptyGraph();
  for (const n of nodes) g.nodes.set(n.id, { kind: 'aggregate', id: n.id, node: n, expanded: false });
  for (const e of edges) {
    const id = `${e.source}>${e.target}`;
    g.edges.set(id, { id, source: e.source, target: e.target, kind: e.kind, label: `${e.count}` });
  }
  return g;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A standalone SVG of the graph at its laid-out positions (what "Export SVG" saves and PNG rasterises). */
export function graphToSvg(g: ViewGraph, positions: Record<string, { x: number; y: number }>, highlight: ReadonlySet<string> = new Set()): { svg: string; width: number; height: number } {
  const pad = 20;
  let w = 0;
  let h = 0;
  for (const p of Object.values(positions)) {
    w = Math.max(w, p.x + NODE_WIDTH);
    h = Math.max(h, p.y + NODE_HEIGHT);
  }
  const width = Math.ceil(w + 2 * pad);
  const height = Math.ceil(h + 2 * pad);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#667"/></marker></defs>',
  ];
  for (const e of g.edges.values()) {
    const a = positions[e.source];
    const b = positions[e.target];
    if (!a || !b) continue;
    const on = highlight.has(e.id);
    parts.push(
      `<line x1="${a.x + pad + NODE_WIDTH}" y1="${a.y + pad + NODE_HEIGHT / 2}" x2="${b.x + pad}" y2="${b.y + pad + NODE_HEIGHT / 2}" stroke="${on ? '#d9480f' : '#889'}" stroke-width="${on ? 3 : 1.2}"${e.kind === 'prerequisite' ? ' stroke-dasharray="5 3"' : ''} marker-end="url(#arrow)"/>`,
    );
  }
  for (const n of g.nodes.values()) {
    const p = positions[n.id];
    if (!p) continue;
    const isQuantum = n.kind === 'quantum' || (n.kind === 'aggregate' && n.node.kind === 'task');
    const failed = n.kind === 'quantum' && n.node.kind === 'quantum' && n.node.status !== 'succeeded';
    const fill = isQuantum ? (failed ? '#ffe3e3' : '#e7f0ff') : '#f1f3f5';
    const stroke = highlight.has(n.id) ? '#d9480f' : isQuantum ? '#4263eb' : '#868e96';
    const rx = isQuantum ? 4 : 18;
    parts.push(
      `<g transform="translate(${p.x + pad},${p.y + pad})"><rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="${rx}" fill="${fill}" stroke="${stroke}" stroke-width="${highlight.has(n.id) ? 3 : 1.2}"/>` +
        `<text x="10" y="18" font-weight="bold">${esc(nodeTitle(n))}</text><text x="10" y="35" fill="#555">${esc(nodeSubtitle(n).slice(0, 34))}</text></g>`,
    );
  }
  parts.push('</svg>');
  return { svg: parts.join('\n'), width, height };
}
