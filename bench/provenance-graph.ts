// Provenance graph at scale: builds the provenance rows of an ISR run of 10,000 quanta (189 detectors,
// each quantum: its raw + bias/dark/flat/defects of its detector → postISRCCD + isr_metadata + isr_log)
// in a fresh registry, then times what the app does: the aggregated run view (API query + layout),
// expanding the isr bundle (a page of 500 quanta, then 2,000) with its layout, and a dataset's
// 1-hop lineage. Layouts: ELK (what the app uses up to ~2k nodes) and our layered layout (beyond).
// Run: npx tsx bench/provenance-graph.ts [quanta]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import ELK from 'elkjs/lib/elk.bundled.js';
import { Registry } from '../core/registry/index.js';
import { ensureProvenanceSchema, summarizeRuns } from '../core/provenance/index.js';
import { lineageGraph, runBundle, runGraph } from '../electron/services/provenanceGraph.js';
import { layeredLayout, type LayoutEdgeInput, type LayoutNodeInput } from '../renderer/src/provenance/layout.js';

const QUANTA = Number(process.argv[2] ?? 10_000);
const DETECTORS = 189;
const RUN = 'u/bench/isr';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(label: string, fn: () => T, runs = 5): T {
  let out: T | undefined;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  console.log(`${label.padEnd(64)} ${median(ms).toFixed(1).padStart(8)} ms  (median of ${runs})`);
  return out as T;
}

async function timeAsync<T>(label: string, fn: () => Promise<T>, runs = 3): Promise<T> {
  let out: T | undefined;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = await fn();
    ms.push(performance.now() - t0);
  }
  console.log(`${label.padEnd(64)} ${median(ms).toFixed(1).padStart(8)} ms  (median of ${runs})`);
  return out as T;
}

const elk = new ELK();
function elkLayout(nodes: LayoutNodeInput[], edges: LayoutEdgeInput[]) {
  return elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.layering.strategy': 'LONGEST_PATH',
      'elk.layered.nodePlacement.strategy': 'SIMPLE',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.layered.thoroughness': '1',
      'elk.edgeRouting': 'POLYLINE',
    },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  });
}

function toLayout(graph: { nodes: Array<{ id: string }>; edges: Array<{ source: string; target: string }> }) {
  return {
    nodes: graph.nodes.map((n) => ({ id: n.id, width: 190, height: 46 })),
    edges: graph.edges.map((e) => ({ source: e.source, target: e.target })),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-prov-'));
try {
  console.log(`provenance graph bench: ${QUANTA} quanta, ${DETECTORS} detectors; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const registry = Registry.create(join(dir, 'gen3.sqlite3'));
  ensureProvenanceSchema(registry.db);
  const db = registry.db;
  const t0 = performance.now();
  const calibs = Array.from({ length: DETECTORS }, () => ({ bias: randomUUID(), dark: randomUUID(), flat: randomUUID(), defects: randomUUID() }));
  let someOutput = '';
  db.transaction(() => {
    const q = db.prepare(
      "INSERT INTO provenance_quantum (id, task_label, task_class, run, data_id, status, start_time, end_time, host, packages) VALUES (?, 'isr', 'lsst.ip.isr.isrTask.IsrTask', ?, ?, ?, ?, ?, 'bench', '{}')",
    );
    const i = db.prepare('INSERT INTO provenance_quantum_input (quantum_id, dataset_id, connection, kind, dataset_type, run) VALUES (?, ?, ?, ?, ?, ?)');
    const o = db.prepare('INSERT INTO provenance_quantum_output (dataset_id, quantum_id, connection, dataset_type, run) VALUES (?, ?, ?, ?, ?)');
    for (let k = 0; k < QUANTA; k++) {
      const id = randomUUID();
      const detector = k % DETECTORS;
      const exposure = 1_000_000 + Math.floor(k / DETECTORS);
      const start = new Date(Date.UTC(2026, 2, 10, 0, 0, k)).toISOString();
      q.run(id, RUN, JSON.stringify({ instrument: 'LSSTCam', exposure, detector }), k % 997 === 0 ? 'failed' : 'succeeded', start, start);
      i.run(id, randomUUID(), 'ccdExposure', 'input', 'raw', 'LSSTCam/raw/all');
      const c = calibs[detector];
      i.run(id, c.bias, 'bias', 'prerequisite', 'bias', 'LSSTCam/calib');
      i.run(id, c.dark, 'dark', 'prerequisite', 'dark', 'LSSTCam/calib');
      i.run(id, c.flat, 'flat', 'prerequisite', 'flat', 'LSSTCam/calib');
      i.run(id, c.defects, 'defects', 'prerequisite', 'defects', 'LSSTCam/calib');
      const out = randomUUID();
      if (k === 0) someOutput = out;
      o.run(out, id, 'outputExposure', 'postISRCCD', RUN);
      o.run(randomUUID(), id, 'metadata', 'isr_metadata', RUN);
      o.run(randomUUID(), id, 'log', 'isr_log', RUN);
    }
  });
  console.log(`${'build provenance rows (quanta, 5 inputs and 3 outputs each)'.padEnd(64)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);

  // The aggregated view: what opening a whole run does (query + JSON + layout).
  const agg = time('aggregated view: provenance.runGraph query', () => runGraph(registry, RUN));
  time('  same aggregation by core/provenance summarizeRuns (side by side)', () => summarizeRuns(registry.db, [RUN]));
  time('aggregated view: JSON round trip (transport)', () => JSON.parse(JSON.stringify(agg)) as unknown);
  const aggLayout = toLayout({ nodes: agg.nodes, edges: agg.edges });
  time(`aggregated view: layered layout (${agg.nodes.length} nodes)`, () => layeredLayout(aggLayout.nodes, aggLayout.edges));
  await timeAsync(`aggregated view: ELK layout (${agg.nodes.length} nodes)`, () => elkLayout(aggLayout.nodes, aggLayout.edges));
  const openMs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const g = runGraph(registry, RUN);
    const l = toLayout(JSON.parse(JSON.stringify(g)) as typeof g);
    await elkLayout(l.nodes, l.edges);
    openMs.push(performance.now() - t);
  }
  console.log(`${'=> open a 10k-quantum run in the aggregated view (query+JSON+ELK)'.padEnd(64)} ${median(openMs).toFixed(1).padStart(8)} ms  (budget 1000 ms)`);

  // Expanding the isr bundle: a page of 500 quanta, then 2,000.
  for (const limit of [500, 2000]) {
    const b = time(`expand isr: provenance.bundle, ${limit} quanta`, () => runBundle(registry, RUN, 'isr', limit, 0), 3);
    const l = toLayout(b);
    time(`expand isr: layered layout (${b.nodes.length} nodes, ${b.edges.length} edges)`, () => layeredLayout(l.nodes, l.edges), 3);
    if (b.nodes.length <= 2000) await timeAsync(`expand isr: ELK layout (${b.nodes.length} nodes)`, () => elkLayout(l.nodes, l.edges), 1);
  }
  const small = runBundle(registry, RUN, 'isr', 100, 0);
  const sl = toLayout(small);
  await timeAsync(`ELK layout of a 100-quantum bundle (${small.nodes.length} nodes)`, () => elkLayout(sl.nodes, sl.edges), 1);
  time(`layered layout of the same (${small.nodes.length} nodes)`, () => layeredLayout(sl.nodes, sl.edges), 3);

  // The whole run expanded at once (never drawn in full by the app, but the layout must cope).
  const all = runBundle(registry, RUN, 'isr', 5000, 0);
  const more = runBundle(registry, RUN, 'isr', 5000, 5000);
  const full = toLayout({ nodes: [...all.nodes, ...more.nodes], edges: [...all.edges, ...more.edges] });
  time(`layered layout of the whole run (${full.nodes.length} nodes, ${full.edges.length} edges)`, () => layeredLayout(full.nodes, full.edges), 3);

  time('lineage of one postISRCCD, 1 hop (provenance.lineage)', () => lineageGraph(registry, someOutput, 'both', 1));
  registry.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
