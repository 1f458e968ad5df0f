// Lineage of a dataset: its ancestors (the quanta that made it, their inputs, the quanta that made
// those, ...) and its descendants, k quantum hops or all, walked with recursive CTEs over the
// provenance tables. The result is a graph of dataset and quantum nodes with directed edges
// (dataset → quantum for inputs, quantum → dataset for outputs), what the app's provenance view draws.
import type { Registry } from '../registry/index.js';
import { hasProvenance, type QuantumStatus } from './schema.js';
import type { QuantumRow } from './store.js';

export type LineageDirection = 'ancestors' | 'descendants' | 'both';

export interface LineageDatasetNode {
  kind: 'dataset';
  id: string;
  datasetType: string;
  run: string;
  dataId: Record<string, string | number>;
  /** False when the registry no longer has the dataset (pruned after it was used or made). */
  exists: boolean;
  /** Quantum hops from the dataset asked about (0 for itself). */
  hops: number;
}

export interface LineageQuantumNode extends Pick<QuantumRow, 'id' | 'taskLabel' | 'taskClass' | 'run' | 'dataId' | 'status' | 'startTime' | 'endTime'> {
  kind: 'quantum';
  hops: number;
}

export type LineageNode = LineageDatasetNode | LineageQuantumNode;

export interface LineageEdge {
  /** dataset id → quantum id (an input), or quantum id → dataset id (an output). */
  source: string;
  target: string;
  connection: string;
  kind: 'input' | 'prerequisite' | 'output';
}

export interface Lineage {
  root: string;
  direction: LineageDirection;
  /** Hop limit used (null: all). */
  depth: number | null;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

export interface LineageOptions {
  direction?: LineageDirection;
  /** Quantum hops to follow (default: all). */
  depth?: number;
}

const UNLIMITED = 1_000_000;

interface EdgeRow {
  quantum_id: string;
  dataset_id: string;
  connection: string;
  kind: 'input' | 'prerequisite' | 'output';
  dataset_type: string;
  run: string;
}

/**
 * Ancestors and/or descendants of a dataset. Throws when the dataset is neither in the registry
 * nor in any provenance row (an unknown id is a typo, not an empty lineage).
 */
export function datasetLineage(registry: Registry, datasetId: string, options: LineageOptions = {}): Lineage {
  const direction = options.direction ?? 'both';
  const depth = options.depth;
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 0)) throw new Error(`lineage depth must be a non-negative integer, got ${depth}`);
  const limit = depth ?? UNLIMITED;
  const db = registry.db;
  const id = datasetId.toLowerCase();
  const rootRef = registry.getDataset(id);
  const tracked = hasProvenance(db);
  const seenInProvenance =
    tracked &&
    (db.prepare('SELECT 1 FROM provenance_quantum_output WHERE dataset_id = ?').get(id) !== undefined ||
      db.prepare('SELECT 1 FROM provenance_quantum_input WHERE dataset_id = ? LIMIT 1').get(id) !== undefined);
  if (!rootRef && !seenInProvenance) throw new Error(`dataset ${datasetId} is not in this repository (no registry row and no provenance record)`);

  const datasetHops = new Map<string, number>([[id, 0]]);
  const quantumHops = new Map<string, number>();
  const edges = new Map<string, EdgeRow>();
  const addEdges = (rows: EdgeRow[]) => {
    for (const r of rows) edges.set(`${r.quantum_id}|${r.dataset_id}|${r.kind}`, r);
  };

  if (tracked && limit > 0 && (direction === 'ancestors' || direction === 'both')) {
    // Datasets reachable upstream with their hop count; a quantum at hop h made a dataset at hop h-1.
    const rows = db
      .prepare(
        `WITH RECURSIVE up(dataset_id, hops) AS (
           SELECT ?, 0
           UNION
           SELECT i.dataset_id, up.hops + 1 FROM up
             JOIN provenance_quantum_output o ON o.dataset_id = up.dataset_id
             JOIN provenance_quantum_input i ON i.quantum_id = o.quantum_id
           WHERE up.hops < ?
         )
         SELECT o.quantum_id AS quantum_id, MIN(up.hops) + 1 AS hops FROM up
           JOIN provenance_quantum_output o ON o.dataset_id = up.dataset_id
         WHERE up.hops < ? GROUP BY o.quantum_id`,
      )
      .all<{ quantum_id: string; hops: number }>(id, limit, limit);
    for (const r of rows) quantumHops.set(r.quantum_id, Math.min(r.hops, quantumHops.get(r.quantum_id) ?? Infinity));
    for (const q of rows) {
      const ins = db.prepare("SELECT quantum_id, dataset_id, connection, kind, dataset_type, run FROM provenance_quantum_input WHERE quantum_id = ?").all<EdgeRow>(q.quantum_id);
      const outs = db.prepare("SELECT quantum_id, dataset_id, connection, 'output' AS kind, dataset_type, run FROM provenance_quantum_output WHERE quantum_id = ?").all<EdgeRow>(q.quantum_id);
      addEdges(ins);
      addEdges(outs);
      for (const e of ins) datasetHops.set(e.dataset_id, Math.min(q.hops, datasetHops.get(e.dataset_id) ?? Infinity));
      for (const e of outs) datasetHops.set(e.dataset_id, Math.min(q.hops - 1, datasetHops.get(e.dataset_id) ?? Infinity));
    }
  }

  if (tracked && limit > 0 && (direction === 'descendants' || direction === 'both')) {
    const rows = db
      .prepare(
        `WITH RECURSIVE down(dataset_id, hops) AS (
           SELECT ?, 0
           UNION
           SELECT o.dataset_id, down.hops + 1 FROM down
             JOIN provenance_quantum_input i ON i.dataset_id = down.dataset_id
             JOIN provenance_quantum_output o ON o.quantum_id = i.quantum_id
           WHERE down.hops < ?
         )
         SELECT i.quantum_id AS quantum_id, MIN(down.hops) + 1 AS hops FROM down
           JOIN provenance_quantum_input i ON i.dataset_id = down.dataset_id
         WHERE down.hops < ? GROUP BY i.quantum_id`,
      )
      .all<{ quantum_id: string; hops: number }>(id, limit, limit);
    for (const r of rows) quantumHops.set(r.quantum_id, Math.min(r.hops, quantumHops.get(r.quantum_id) ?? Infinity));
    for (const q of rows) {
      // Downstream, a quantum's other inputs are context, not descendants: keep only the edges
      // from datasets already reached, and every output.
      const ins = db.prepare('SELECT quantum_id, dataset_id, connection, kind, dataset_type, run FROM provenance_quantum_input WHERE quantum_id = ?').all<EdgeRow>(q.quantum_id);
      const outs = db.prepare("SELECT quantum_id, dataset_id, connection, 'output' AS kind, dataset_type, run FROM provenance_quantum_output WHERE quantum_id = ?").all<EdgeRow>(q.quantum_id);
      addEdges(outs);
      for (const e of outs) datasetHops.set(e.dataset_id, Math.min(q.hops, datasetHops.get(e.dataset_id) ?? Infinity));
      addEdges(ins.filter((e) => datasetHops.has(e.dataset_id)));
    }
    // A second pass: inputs reached only later in the walk (deeper datasets feeding deeper quanta).
    for (const q of rows) {
      const ins = db.prepare('SELECT quantum_id, dataset_id, connection, kind, dataset_type, run FROM provenance_quantum_input WHERE quantum_id = ?').all<EdgeRow>(q.quantum_id);
      addEdges(ins.filter((e) => datasetHops.has(e.dataset_id)));
    }
  }

  const nodes: LineageNode[] = [];
  const edgeInfo = new Map<string, EdgeRow>();
  for (const e of edges.values()) edgeInfo.set(e.dataset_id, e);
  for (const [dsId, hops] of datasetHops) {
    const ref = registry.getDataset(dsId);
    const fallback = edgeInfo.get(dsId);
    nodes.push({
      kind: 'dataset',
      id: dsId,
      datasetType: ref?.datasetType.name ?? fallback?.dataset_type ?? 'unknown',
      run: ref?.run ?? fallback?.run ?? 'unknown',
      dataId: ref ? plainDataId(ref.dataId.required) : {},
      exists: ref !== null,
      hops,
    });
  }
  for (const [qId, hops] of quantumHops) {
    const q = db.prepare('SELECT id, task_label, task_class, run, data_id, status, start_time, end_time FROM provenance_quantum WHERE id = ?').get<{
      id: string;
      task_label: string;
      task_class: string;
      run: string;
      data_id: string;
      status: QuantumStatus;
      start_time: string;
      end_time: string;
    }>(qId);
    if (!q) continue;
    nodes.push({
      kind: 'quantum',
      id: q.id,
      taskLabel: q.task_label,
      taskClass: q.task_class,
      run: q.run,
      dataId: JSON.parse(q.data_id) as Record<string, string | number>,
      status: q.status,
      startTime: q.start_time,
      endTime: q.end_time,
      hops,
    });
  }
  const edgeList: LineageEdge[] = [...edges.values()].map((e) =>
    e.kind === 'output'
      ? { source: e.quantum_id, target: e.dataset_id, connection: e.connection, kind: 'output' }
      : { source: e.dataset_id, target: e.quantum_id, connection: e.connection, kind: e.kind },
  );
  nodes.sort((a, b) => a.hops - b.hops || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  edgeList.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
  return { root: id, direction, depth: depth ?? null, nodes, edges: edgeList };
}

function plainDataId(values: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}
