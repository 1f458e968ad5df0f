// Graph layouts for the provenance view, pure functions (they run in the layout worker and in the
// benchmark). `layeredLayout` is linear-time Sugiyama-lite: layers by longest path from the sources
// (Kahn order), then one down and one up barycentre sweep to order each layer, then coordinates.
// It is what large graphs get (beyond ~2k nodes ELK takes seconds to tens of seconds).

export interface LayoutNodeInput {
  id: string;
  width: number;
  height: number;
  /** Tie-break inside a layer before the barycentre sweeps (e.g. the data ID as text). */
  order?: string;
}
export interface LayoutEdgeInput {
  source: string;
  target: string;
}
export interface LayoutResult {
  positions: Record<string, { x: number; y: number }>;
  width: number;
  height: number;
  engine: 'elk' | 'layered';
  ms: number;
}

export const LAYER_GAP = 90;
export const NODE_GAP = 16;

/** Longest-path layering + barycentre ordering, left to right. Cycles (never in provenance) are broken arbitrarily. */
export function layeredLayout(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[]): LayoutResult {
  const t0 = performance.now();
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.id, i));
  const n = nodes.length;
  const outs: number[][] = Array.from({ length: n }, () => []);
  const ins: number[][] = Array.from({ length: n }, () => []);
  const indeg = new Int32Array(n);
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    outs[s].push(t);
    ins[t].push(s);
    indeg[t]++;
  }
  // Kahn's order gives the longest path from any source in one pass.
  const layer = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  const seen = new Uint8Array(n);
  for (let head = 0; head < queue.length || queue.length < n; head++) {
    if (head >= queue.length) {
      // A cycle: take the first unseen node as a source.
      const next = seen.findIndex((v) => v === 0);
      if (next < 0) break;
      queue.push(next);
      indeg[next] = 0;
    }
    const v = queue[head];
    if (seen[v]) continue;
    seen[v] = 1;
    for (const w of outs[v]) {
      if (layer[w] < layer[v] + 1) layer[w] = layer[v] + 1;
      if (--indeg[w] === 0) queue.push(w);
    }
  }
  let nLayers = 0;
  for (let i = 0; i < n; i++) nLayers = Math.max(nLayers, layer[i] + 1);
  const layers: number[][] = Array.from({ length: nLayers }, () => []);
  for (let i = 0; i < n; i++) layers[layer[i]].push(i);
  for (const l of layers) l.sort((a, b) => (nodes[a].order ?? nodes[a].id).localeCompare(nodes[b].order ?? nodes[b].id));
  const pos = new Float64Array(n);
  const setPositions = (l: number[]) => l.forEach((v, i) => (pos[v] = i));
  layers.forEach(setPositions);
  const sweep = (l: number[], neighbours: number[][]) => {
    const key = new Float64Array(l.length);
    l.forEach((v, i) => {
      const nb = neighbours[v];
      if (nb.length === 0) key[i] = pos[v];
      else {
        let s = 0;
        for (const w of nb) s += pos[w];
        key[i] = s / nb.length;
      }
    });
    const order = l.map((v, i) => ({ v, k: key[i], i }));
    order.sort((a, b) => a.k - b.k || a.i - b.i);
    for (let i = 0; i < order.length; i++) l[i] = order[i].v;
    setPositions(l);
  };
  for (let i = 1; i < nLayers; i++) sweep(layers[i], ins);
  for (let i = nLayers - 2; i >= 0; i--) sweep(layers[i], outs);

  const positions: LayoutResult['positions'] = {};
  let x = 0;
  let height = 0;
  for (const l of layers) {
    let w = 0;
    let y = 0;
    for (const v of l) {
      positions[nodes[v].id] = { x, y };
      y += nodes[v].height + NODE_GAP;
      w = Math.max(w, nodes[v].width);
    }
    height = Math.max(height, y);
    x += w + LAYER_GAP;
  }
  // Centre each layer vertically so short layers sit in the middle of long ones.
  for (const l of layers) {
    const last = l[l.length - 1];
    if (last === undefined) continue;
    const span = positions[nodes[last].id].y + nodes[last].height;
    const shift = (height - span) / 2;
    for (const v of l) positions[nodes[v].id].y += shift;
  }
  return { positions, width: Math.max(0, x - LAYER_GAP), height, engine: 'layered', ms: performance.now() - t0 };
}

/** A directed path from `from` to `to` (node and edge ids), trying both directions; null when none. */
export function findPath(edges: readonly LayoutEdgeInput[], from: string, to: string): { nodes: string[]; edges: number[] } | null {
  const walk = (a: string, b: string) => {
    const out = new Map<string, Array<{ to: string; edge: number }>>();
    edges.forEach((e, i) => {
      const list = out.get(e.source) ?? [];
      list.push({ to: e.target, edge: i });
      out.set(e.source, list);
    });
    const prev = new Map<string, { node: string; edge: number }>();
    const queue = [a];
    const seen = new Set([a]);
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head];
      if (v === b) break;
      for (const { to: w, edge } of out.get(v) ?? []) {
        if (seen.has(w)) continue;
        seen.add(w);
        prev.set(w, { node: v, edge });
        queue.push(w);
      }
    }
    if (!seen.has(b)) return null;
    const nodes = [b];
    const path: number[] = [];
    for (let v = b; v !== a; ) {
      const p = prev.get(v)!;
      path.push(p.edge);
      nodes.push(p.node);
      v = p.node;
    }
    return { nodes: nodes.reverse(), edges: path.reverse() };
  };
  return walk(from, to) ?? walk(to, from);
}
