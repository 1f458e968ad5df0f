// The provenance layout worker: ELK (layered, left to right) for graphs up to ELK_MAX_NODES, our
// linear-time layered layout beyond (ELK needs seconds to tens of seconds there). Off the UI thread
// so panning and the rest of the app stay responsive while a layout runs.
import ELK from 'elkjs/lib/elk.bundled.js';
import { layeredLayout, type LayoutEdgeInput, type LayoutNodeInput, type LayoutResult } from './layout.js';

export const ELK_MAX_NODES = 2000;

export interface LayoutRequest {
  id: number;
  nodes: LayoutNodeInput[];
  edges: LayoutEdgeInput[];
  engine: 'auto' | 'elk' | 'layered';
}
export type LayoutReply = { id: number; ok: true; result: LayoutResult } | { id: number; ok: false; message: string };

const elk = new ELK();

/** ELK options measured to stay interactive on provenance-shaped DAGs (see gui.md §2.5). */
const ELK_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.thoroughness': '1',
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': '16',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
};

async function elkLayout(nodes: LayoutNodeInput[], edges: LayoutEdgeInput[]): Promise<LayoutResult> {
  const t0 = performance.now();
  const ids = new Set(nodes.map((n) => n.id));
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: ELK_OPTIONS,
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  });
  const positions: LayoutResult['positions'] = {};
  let width = 0;
  let height = 0;
  for (const c of graph.children ?? []) {
    positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
    width = Math.max(width, (c.x ?? 0) + (c.width ?? 0));
    height = Math.max(height, (c.y ?? 0) + (c.height ?? 0));
  }
  return { positions, width, height, engine: 'elk', ms: performance.now() - t0 };
}

self.onmessage = async (ev: MessageEvent<LayoutRequest>) => {
  const { id, nodes, edges, engine } = ev.data;
  try {
    const useElk = engine === 'elk' || (engine === 'auto' && nodes.length <= ELK_MAX_NODES);
    const result = useElk ? await elkLayout(nodes, edges) : layeredLayout(nodes, edges);
    self.postMessage({ id, ok: true, result } satisfies LayoutReply);
  } catch (e) {
    self.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies LayoutReply);
  }
};
