// Writing and reading quantum provenance rows (see schema.ts). Writes happen inside the caller's
// transaction, so a quantum's outputs and its provenance are committed together or not at all.
import { hostname } from 'node:os';
import type { DatasetRef } from '../datasets/index.js';
import type { Database } from '../registry/index.js';
import type { LogRecord } from '../pipe/task/index.js';
import { ensureProvenanceSchema, hasProvenance, type QuantumStatus } from './schema.js';
import { packageVersions } from './packages.js';

export interface DatasetLink {
  connection: string;
  ref: DatasetRef;
}

export interface QuantumProvenance {
  id: string;
  /** Pipeline label of the task, e.g. 'isr'. */
  taskLabel: string;
  /** Fully qualified task class, e.g. 'lsst.ip.isr.IsrTask'. */
  taskClass: string;
  run: string;
  dataId: Record<string, string | number>;
  status: QuantumStatus;
  startTime: Date;
  endTime: Date;
  inputs: DatasetLink[];
  prerequisites: DatasetLink[];
  outputs: DatasetLink[];
  configDatasetId?: string;
  error?: string;
  /** Log records kept in the row when no log dataset was written (failed or cancelled quanta). */
  logRecords?: LogRecord[];
  host?: string;
  packages?: Record<string, string>;
}

export interface QuantumRow {
  id: string;
  taskLabel: string;
  taskClass: string;
  run: string;
  dataId: Record<string, string | number>;
  status: QuantumStatus;
  startTime: string;
  endTime: string;
  host: string;
  packages: Record<string, string>;
  configDatasetId: string | null;
  error: string | null;
  logRecords: LogRecord[] | null;
  inputs: Array<{ datasetId: string; connection: string; kind: 'input' | 'prerequisite'; datasetType: string; run: string }>;
  outputs: Array<{ datasetId: string; connection: string; datasetType: string; run: string }>;
}

/** Inserts one quantum with its input and output edges. */
export function recordQuantum(db: Database, q: QuantumProvenance): void {
  ensureProvenanceSchema(db);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO provenance_quantum (id, task_label, task_class, run, data_id, status, start_time, end_time, host, packages, config_dataset_id, error, log_records)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      q.id,
      q.taskLabel,
      q.taskClass,
      q.run,
      JSON.stringify(q.dataId),
      q.status,
      q.startTime.toISOString(),
      q.endTime.toISOString(),
      q.host ?? hostname(),
      JSON.stringify(q.packages ?? packageVersions()),
      q.configDatasetId ?? null,
      q.error ?? null,
      q.logRecords ? JSON.stringify(q.logRecords) : null,
    );
    const input = db.prepare('INSERT OR IGNORE INTO provenance_quantum_input (quantum_id, dataset_id, connection, kind, dataset_type, run) VALUES (?, ?, ?, ?, ?, ?)');
    for (const l of q.inputs) input.run(q.id, l.ref.id, l.connection, 'input', l.ref.datasetType.name, l.ref.run);
    for (const l of q.prerequisites) input.run(q.id, l.ref.id, l.connection, 'prerequisite', l.ref.datasetType.name, l.ref.run);
    const output = db.prepare('INSERT INTO provenance_quantum_output (dataset_id, quantum_id, connection, dataset_type, run) VALUES (?, ?, ?, ?, ?)');
    for (const l of q.outputs) output.run(l.ref.id, q.id, l.connection, l.ref.datasetType.name, l.ref.run);
  });
}

interface RawQuantumRow {
  id: string;
  task_label: string;
  task_class: string;
  run: string;
  data_id: string;
  status: QuantumStatus;
  start_time: string;
  end_time: string;
  host: string;
  packages: string;
  config_dataset_id: string | null;
  error: string | null;
  log_records: string | null;
}

function toRow(db: Database, r: RawQuantumRow): QuantumRow {
  const inputs = db
    .prepare('SELECT dataset_id, connection, kind, dataset_type, run FROM provenance_quantum_input WHERE quantum_id = ? ORDER BY kind, connection, dataset_id')
    .all<{ dataset_id: string; connection: string; kind: 'input' | 'prerequisite'; dataset_type: string; run: string }>(r.id)
    .map((x) => ({ datasetId: x.dataset_id, connection: x.connection, kind: x.kind, datasetType: x.dataset_type, run: x.run }));
  const outputs = db
    .prepare('SELECT dataset_id, connection, dataset_type, run FROM provenance_quantum_output WHERE quantum_id = ? ORDER BY connection, dataset_id')
    .all<{ dataset_id: string; connection: string; dataset_type: string; run: string }>(r.id)
    .map((x) => ({ datasetId: x.dataset_id, connection: x.connection, datasetType: x.dataset_type, run: x.run }));
  return {
    id: r.id,
    taskLabel: r.task_label,
    taskClass: r.task_class,
    run: r.run,
    dataId: JSON.parse(r.data_id) as Record<string, string | number>,
    status: r.status,
    startTime: r.start_time,
    endTime: r.end_time,
    host: r.host,
    packages: JSON.parse(r.packages) as Record<string, string>,
    configDatasetId: r.config_dataset_id,
    error: r.error,
    logRecords: r.log_records === null ? null : (JSON.parse(r.log_records) as LogRecord[]),
    inputs,
    outputs,
  };
}

/** One quantum by id, or null (also when the repository has no provenance tables). */
export function getQuantum(db: Database, id: string): QuantumRow | null {
  if (!hasProvenance(db)) return null;
  const r = db.prepare('SELECT * FROM provenance_quantum WHERE id = ?').get<RawQuantumRow>(id);
  return r ? toRow(db, r) : null;
}

/** Quanta of a RUN (oldest first), optionally of one status. */
export function queryQuanta(db: Database, options: { run?: string; status?: QuantumStatus } = {}): QuantumRow[] {
  if (!hasProvenance(db)) return [];
  const where: string[] = [];
  const params: string[] = [];
  if (options.run !== undefined) {
    where.push('run = ?');
    params.push(options.run);
  }
  if (options.status !== undefined) {
    where.push('status = ?');
    params.push(options.status);
  }
  const sql = `SELECT * FROM provenance_quantum${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY start_time, id`;
  return db.prepare(sql).all<RawQuantumRow>(...params).map((r) => toRow(db, r));
}

/** The quantum that produced a dataset, or null (raws, calibrations from elsewhere). */
export function producerOf(db: Database, datasetId: string): string | null {
  if (!hasProvenance(db)) return null;
  return db.prepare('SELECT quantum_id FROM provenance_quantum_output WHERE dataset_id = ?').get<{ quantum_id: string }>(datasetId)?.quantum_id ?? null;
}
