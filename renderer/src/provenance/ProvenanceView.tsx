// The provenance graph: for a dataset, its k-hop neighbourhood of datasets and quanta that grows as
// nodes are clicked; for a run, the aggregated task × dataset-type graph whose task bundles expand
// into their quanta. Layout runs in a Web Worker (ELK up to ~2k nodes, our layered layout beyond);
// React Flow draws only what is visible. Shift-click a second node to highlight the path between
// them; export the graph as SVG or PNG.
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { Background, Controls, Handle, MiniMap, Position, ReactFlow, useReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useConnection } from '../api/context.js';
import { toApiError } from '../api/useQuery.js';
import { useRouteStore } from '../state/stores.js';
import type { LayoutResult } from './layout.js';
import { findPath } from './layout.js';
import { layoutGraph } from './layoutClient.js';
import { aggregateGraph, emptyGraph, graphToSvg, mergeGraph, NODE_HEIGHT, NODE_WIDTH, nodeSubtitle, nodeTitle, type ViewGraph, type ViewNode } from './graphModel.js';
import { NodeDetails } from './NodeDetails.js';
import './provenance.css';

type ProvNodeData = { title: string; subtitle: string; kind: string; status: string; highlighted: boolean; expanded: boolean; root: boolean };
type ProvNode = Node<ProvNodeData, 'prov'>;

const ProvNodeView = memo(function ProvNodeView({ data, selected }: NodeProps<ProvNode>) {
  return (
    <div
      className={`prov-node prov-${data.kind} status-${data.status}${data.highlighted ? ' highlighted' : ''}${selected ? ' selected' : ''}${data.root ? ' root' : ''}`}
      data-testid="prov-node"
      data-kind={data.kind}
      data-label={data.title}
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
      title={`${data.title}\n${data.subtitle}${data.expanded ? '' : '\n(click to expand)'}`}
    >
      <Handle type="target" position={Position.Left} />
      <div className="prov-title">{data.title}</div>
      <div className="prov-sub">{data.subtitle}</div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
const nodeTypes = { prov: ProvNodeView };

/** Fits the view to the graph whenever a new layout lands (after an expansion or a page of quanta). */
function FitOnLayout({ layout }: { layout: LayoutResult | null }) {
  const flow = useReactFlow();
  useEffect(() => {
    if (!layout) return;
    // After React Flow has measured the new nodes.
    const t = window.setTimeout(() => void flow.fitView({ duration: 200, maxZoom: 1.2 }), 30);
    return () => window.clearTimeout(t);
  }, [flow, layout]);
  return null;
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function status(n: ViewNode): string {
  if (n.kind === 'quantum' && n.node.kind === 'quantum') return n.node.status;
  if (n.kind === 'aggregate' && n.node.kind === 'task') return Object.keys(n.node.status).some((s) => s !== 'succeeded') ? 'failed' : 'succeeded';
  if (n.kind === 'dataset' && n.node.kind === 'dataset' && !n.node.exists) return 'gone';
  return 'ok';
}

export function ProvenanceView({ dataset, run }: { dataset: string | null; run: string | null }) {
  const { api } = useConnection();
  const navigate = useRouteStore((s) => s.navigate);
  const [graph, setGraph] = useState<ViewGraph>(emptyGraph);
  const [mode, setMode] = useState<'lineage' | 'aggregate' | 'bundle'>(dataset ? 'lineage' : 'aggregate');
  const [layout, setLayout] = useState<LayoutResult | null>(null);
  const [selected, setSelected] = useState<string | null>(dataset);
  const [pathEnds, setPathEnds] = useState<[string, string] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [depth, setDepth] = useState(1);
  const [bundle, setBundle] = useState<{ task: string; total: number; loaded: number } | null>(null);
  const [recorded, setRecorded] = useState(true);

  const loadAggregate = useCallback(
    async (name: string) => {
      setBusy(true);
      try {
        const g = await api.call('provenance.runGraph', { run: name });
        setGraph(aggregateGraph(g.nodes, g.edges));
        setMode('aggregate');
        setBundle(null);
        setError(null);
      } catch (e) {
        setError(toApiError(e).message);
      } finally {
        setBusy(false);
      }
    },
    [api],
  );

  useEffect(() => {
    if (dataset) {
      api
        .call('provenance.lineage', { id: dataset, direction: 'both', depth })
        .then((l) => {
          setRecorded(l.recorded);
          setGraph(mergeGraph(emptyGraph(), l.nodes, l.edges, dataset));
          setMode('lineage');
          setError(null);
        })
        .catch((e: unknown) => setError(toApiError(e).message));
    } else if (run) {
      api
        .call('provenance.runGraph', { run })
        .then((g) => {
          setGraph(aggregateGraph(g.nodes, g.edges));
          setMode('aggregate');
          setError(null);
        })
        .catch((e: unknown) => setError(toApiError(e).message));
    }
  }, [api, dataset, run, depth]);

  useEffect(() => {
    let current = true;
    const nodes = [...graph.nodes.values()].map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT, order: `${nodeTitle(n)} ${nodeSubtitle(n)}` }));
    const edges = [...graph.edges.values()].map((e) => ({ source: e.source, target: e.target }));
    if (nodes.length === 0) return;
    layoutGraph(nodes, edges)
      .then((r) => current && setLayout(r))
      .catch((e: unknown) => current && setError(toApiError(e).message));
    return () => {
      current = false;
    };
  }, [graph]);

  const path = useMemo(() => {
    if (!pathEnds) return null;
    return findPath([...graph.edges.values()], pathEnds[0], pathEnds[1]);
  }, [graph, pathEnds]);
  const highlight = useMemo(() => {
    const s = new Set<string>();
    if (!path) return s;
    const edges = [...graph.edges.values()];
    for (const n of path.nodes) s.add(n);
    for (const i of path.edges) s.add(edges[i].id);
    return s;
  }, [graph, path]);

  const flowNodes: ProvNode[] = useMemo(() => {
    if (!layout) return [];
    const out: ProvNode[] = [];
    for (const n of graph.nodes.values()) {
      const p = layout.positions[n.id];
      if (!p) continue;
      out.push({
        id: n.id,
        type: 'prov',
        position: p,
        selected: n.id === selected,
        data: { title: nodeTitle(n), subtitle: nodeSubtitle(n), kind: n.kind === 'aggregate' ? `agg-${n.node.kind}` : n.kind, status: status(n), highlighted: highlight.has(n.id), expanded: n.expanded, root: n.id === dataset },
      });
    }
    return out;
  }, [graph, layout, selected, highlight, dataset]);

  const flowEdges: Edge[] = useMemo(
    () =>
      [...graph.edges.values()].map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: mode === 'aggregate' ? e.label : undefined,
        className: `prov-edge edge-${e.kind}${highlight.has(e.id) ? ' highlighted' : ''}`,
        style: highlight.has(e.id) ? { stroke: '#d9480f', strokeWidth: 3 } : e.kind === 'prerequisite' ? { strokeDasharray: '5 3' } : undefined,
      })),
    [graph, mode, highlight],
  );

  const expand = useCallback(
    async (n: ViewNode) => {
      if (n.expanded) return;
      setBusy(true);
      try {
        if (n.kind === 'aggregate') {
          if (n.node.kind !== 'task' || !run) return;
          const b = await api.call('provenance.bundle', { run, taskLabel: n.node.label, limit: 500, offset: 0 });
          setGraph(mergeGraph(emptyGraph(), b.nodes, b.edges));
          setMode('bundle');
          setBundle({ task: n.node.label, total: b.total, loaded: b.nodes.filter((x) => x.kind === 'quantum').length });
        } else if (n.kind === 'dataset') {
          const l = await api.call('provenance.lineage', { id: n.id, direction: 'both', depth: 1 });
          setGraph((g) => mergeGraph(g, l.nodes, l.edges, n.id));
        } else {
          const q = await api.call('provenance.quantum', { id: n.id });
          const nodes = [...q.inputs, ...q.outputs].filter((d) => !graph.nodes.has(d.datasetId));
          setGraph((g) =>
            mergeGraph(
              g,
              nodes.map((d) => ({ kind: 'dataset' as const, id: d.datasetId, datasetType: d.datasetType, run: d.run, dataId: d.datasetType === q.outputs[0]?.datasetType ? q.dataId : {}, exists: true, hops: 1 })),
              [
                ...q.inputs.map((i) => ({ source: i.datasetId, target: q.id, connection: i.connection, kind: i.kind })),
                ...q.outputs.map((o) => ({ source: q.id, target: o.datasetId, connection: o.connection, kind: 'output' as const })),
              ],
              n.id,
            ),
          );
        }
        setError(null);
      } catch (e) {
        setError(toApiError(e).message);
      } finally {
        setBusy(false);
      }
    },
    [api, run, graph],
  );

  const loadMore = useCallback(async () => {
    if (!bundle || !run) return;
    setBusy(true);
    try {
      const b = await api.call('provenance.bundle', { run, taskLabel: bundle.task, limit: 500, offset: bundle.loaded });
      setGraph((g) => mergeGraph(g, b.nodes, b.edges));
      setBundle({ ...bundle, loaded: bundle.loaded + b.nodes.filter((x) => x.kind === 'quantum').length });
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  }, [api, bundle, run]);

  const onNodeClick = useCallback(
    (event: React.MouseEvent, node: Node) => {
      if (event.shiftKey && selected && selected !== node.id) {
        setPathEnds([selected, node.id]);
        return;
      }
      setSelected(node.id);
      setPathEnds(null);
      const n = graph.nodes.get(node.id);
      if (n) void expand(n);
    },
    [graph, selected, expand],
  );

  const exportSvg = () => {
    if (!layout) return;
    const { svg } = graphToSvg(graph, layout.positions, highlight);
    download('provenance.svg', new Blob([svg], { type: 'image/svg+xml' }));
  };
  const exportPng = () => {
    if (!layout) return;
    const { svg, width, height } = graphToSvg(graph, layout.positions, highlight);
    const img = new Image();
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    img.onload = () => {
      const scale = Math.min(2, 16384 / Math.max(width, height));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      const ctx = canvas.getContext('2d');
      if (!ctx) return setError('this browser cannot draw to a canvas: export SVG instead');
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? download('provenance.png', b) : setError('the PNG could not be encoded (graph too large?): export SVG instead')), 'image/png');
    };
    img.onerror = () => setError('the graph could not be rasterised: export SVG instead');
    img.src = url;
  };

  const selectedNode = selected ? graph.nodes.get(selected) ?? null : null;
  const quanta = [...graph.nodes.values()].filter((n) => n.kind === 'quantum').length;
  const datasets = [...graph.nodes.values()].filter((n) => n.kind === 'dataset').length;

  return (
    <div className="provenance-view" data-testid="provenance-view">
      <div className="view-header">
        <h2>Provenance</h2>
        <span className="muted">{dataset ? `of dataset ${dataset}` : run ? `of run ${run}` : ''}</span>
      </div>
      <div className="prov-toolbar">
        {dataset && (
          <label>
            Hops{' '}
            <select value={depth} onChange={(e) => setDepth(Number(e.target.value))} aria-label="Hops around the dataset">
              {[1, 2, 3, 5, 1000].map((d) => (
                <option key={d} value={d}>
                  {d === 1000 ? 'all' : d}
                </option>
              ))}
            </select>
          </label>
        )}
        {run && mode === 'bundle' && (
          <button onClick={() => void loadAggregate(run)} data-testid="prov-back-aggregate">
            ← Aggregated view
          </button>
        )}
        {bundle && bundle.loaded < bundle.total && (
          <button onClick={() => void loadMore()}>
            Load more quanta ({bundle.loaded} of {bundle.total})
          </button>
        )}
        <span className="muted small" data-testid="prov-stats">
          {mode === 'aggregate' ? `${graph.nodes.size} groups` : `${quanta} quanta, ${datasets} datasets`}
          {layout ? ` · layout ${layout.engine} ${layout.ms.toFixed(0)} ms` : ''}
          {busy ? ' · loading…' : ''}
        </span>
        <span className="spacer" />
        <span className="muted small">Click: details and expand · Shift-click: path to the selected node</span>
        <button onClick={exportSvg} disabled={!layout} data-testid="prov-export-svg">
          Export SVG
        </button>
        <button onClick={exportPng} disabled={!layout} data-testid="prov-export-png">
          Export PNG
        </button>
      </div>
      {error && <div className="error-box">{error}</div>}
      {!recorded && <div className="muted">This repository records no provenance yet: nothing was processed by butler-desktop here. Run ISR to create some.</div>}
      {pathEnds && !path && <div className="muted">No directed path joins these two nodes.</div>}
      <div className="prov-body">
        <div className="prov-canvas" data-testid="prov-graph">
          <ReactFlow
            nodes={flowNodes}
            edges={flowEdges}
            nodeTypes={nodeTypes}
            onNodeClick={onNodeClick}
            fitView
            minZoom={0.02}
            nodesDraggable={false}
            nodesConnectable={false}
            onlyRenderVisibleElements={flowNodes.length > 300}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <FitOnLayout layout={layout} />
            <Controls showInteractive={false} />
            {flowNodes.length < 3000 && <MiniMap pannable zoomable />}
          </ReactFlow>
        </div>
        {selectedNode && (
          <aside className="prov-details" data-testid="prov-details">
            <NodeDetails node={selectedNode} onOpenDataset={(id) => navigate({ view: 'dataset', id })} onCenter={(id) => navigate({ view: 'provenance', dataset: id, run: null })} onRun={(r) => navigate({ view: 'provenance', dataset: null, run: r })} />
          </aside>
        )}
      </div>
    </div>
  );
}
