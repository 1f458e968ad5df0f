// The aggregated provenance of whole runs (task × dataset type), what a graph view shows before
// expanding into single quanta: one node per task label and per dataset type, edges weighted by
// how many quantum links they stand for. GROUP BY queries over the provenance tables, so a run of
// 10,000 quanta summarises without loading its rows.
import type { Database } from '../registry/index.js';
import { hasProvenance, type QuantumStatus } from './schema.js';

export interface AggregateTaskNode {
  kind: 'task';
  /** Node id: `task:<label>`. */
  id: string;
  taskLabel: string;
  taskClass: string;
  quanta: number;
  status: Record<QuantumStatus, number>;
  /** Earliest start and latest end (ISO UTC). */
  startTime: string;
  endTime: string;
}

export interface AggregateDatasetTypeNode {
  kind: 'datasetType';
  /** Node id: `type:<name>`. */
  id: string;
  datasetType: string;
  /** Distinct datasets of this type linked to the run's quanta. */
  datasets: number;
}

export interface AggregateEdge {
  source: string;
  target: string;
  kind: 'input' | 'prerequisite' | 'output';
  connection: string;
  /** Quantum links this edge stands for. */
  count: number;
}

export interface RunProvenanceSummary {
  runs: string[];
  nodes: Array<AggregateTaskNode | AggregateDatasetTypeNode>;
  edges: AggregateEdge[];
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** Task × dataset-type graph of the quanta recorded in `runs`. */
export function summarizeRuns(db: Database, runs: readonly string[]): RunProvenanceSummary {
  if (runs.length === 0) throw new Error('summarizeRuns needs at least one run');
  if (!hasProvenance(db)) return { runs: [...runs], nodes: [], edges: [] };
  const inRuns = `q.run IN (${placeholders(runs.length)})`;
  const tasks = db
    .prepare(
      `SELECT q.task_label AS label, MIN(q.task_class) AS cls, COUNT(*) AS n,
              SUM(q.status = 'succeeded') AS ok, SUM(q.status = 'failed') AS failed, SUM(q.status = 'cancelled') AS cancelled,
              MIN(q.start_time) AS start, MAX(q.end_time) AS end
       FROM provenance_quantum q WHERE ${inRuns} GROUP BY q.task_label ORDER BY q.task_label`,
    )
    .all<{ label: string; cls: string; n: number; ok: number; failed: number; cancelled: number; start: string; end: string }>(...runs);
  const inputs = db
    .prepare(
      `SELECT q.task_label AS label, i.dataset_type AS type, i.kind AS kind, i.connection AS connection, COUNT(*) AS n
       FROM provenance_quantum_input i JOIN provenance_quantum q ON q.id = i.quantum_id
       WHERE ${inRuns} GROUP BY q.task_label, i.dataset_type, i.kind, i.connection`,
    )
    .all<{ label: string; type: string; kind: 'input' | 'prerequisite'; connection: string; n: number }>(...runs);
  const outputs = db
    .prepare(
      `SELECT q.task_label AS label, o.dataset_type AS type, o.connection AS connection, COUNT(*) AS n
       FROM provenance_quantum_output o JOIN provenance_quantum q ON q.id = o.quantum_id
       WHERE ${inRuns} GROUP BY q.task_label, o.dataset_type, o.connection`,
    )
    .all<{ label: string; type: string; connection: string; n: number }>(...runs);
  const typeCounts = db
    .prepare(
      `SELECT dataset_type AS type, COUNT(DISTINCT dataset_id) AS n FROM (
         SELECT i.dataset_type, i.dataset_id FROM provenance_quantum_input i JOIN provenance_quantum q ON q.id = i.quantum_id WHERE ${inRuns}
         UNION ALL
         SELECT o.dataset_type, o.dataset_id FROM provenance_quantum_output o JOIN provenance_quantum q ON q.id = o.quantum_id WHERE ${inRuns}
       ) GROUP BY dataset_type ORDER BY dataset_type`,
    )
    .all<{ type: string; n: number }>(...runs, ...runs);
  const nodes: RunProvenanceSummary['nodes'] = [
    ...tasks.map((t): AggregateTaskNode => ({
      kind: 'task',
      id: `task:${t.label}`,
      taskLabel: t.label,
      taskClass: t.cls,
      quanta: t.n,
      status: { succeeded: t.ok, failed: t.failed, cancelled: t.cancelled },
      startTime: t.start,
      endTime: t.end,
    })),
    ...typeCounts.map((t): AggregateDatasetTypeNode => ({ kind: 'datasetType', id: `type:${t.type}`, datasetType: t.type, datasets: t.n })),
  ];
  const edges: AggregateEdge[] = [
    ...inputs.map((e): AggregateEdge => ({ source: `type:${e.type}`, target: `task:${e.label}`, kind: e.kind, connection: e.connection, count: e.n })),
    ...outputs.map((e): AggregateEdge => ({ source: `task:${e.label}`, target: `type:${e.type}`, kind: 'output', connection: e.connection, count: e.n })),
  ];
  edges.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target) || a.connection.localeCompare(b.connection));
  return { runs: [...runs], nodes, edges };
}
