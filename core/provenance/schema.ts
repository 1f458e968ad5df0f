// Provenance tables in the registry database. daf_butler has no quantum tables and ignores tables
// it does not know, so these live beside its schema under a `provenance_` prefix. They carry no
// foreign keys into daf_butler's tables: Python may prune datasets without knowing about us, and
// the dataset type and run are copied into each row so lineage stays readable after a prune.
import type { Database } from '../registry/index.js';

export const PROVENANCE_TABLES = ['provenance_quantum', 'provenance_quantum_input', 'provenance_quantum_output'] as const;

export type QuantumStatus = 'succeeded' | 'failed' | 'cancelled';

const DDL = [
  `CREATE TABLE IF NOT EXISTS provenance_quantum (
    id TEXT PRIMARY KEY NOT NULL,
    task_label TEXT NOT NULL,
    task_class TEXT NOT NULL,
    run TEXT NOT NULL,
    data_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'cancelled')),
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    host TEXT NOT NULL,
    packages TEXT NOT NULL,
    config_dataset_id TEXT,
    error TEXT,
    log_records TEXT
  )`,
  'CREATE INDEX IF NOT EXISTS provenance_quantum_run ON provenance_quantum (run)',
  `CREATE TABLE IF NOT EXISTS provenance_quantum_input (
    quantum_id TEXT NOT NULL REFERENCES provenance_quantum (id) ON DELETE CASCADE,
    dataset_id TEXT NOT NULL,
    connection TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('input', 'prerequisite')),
    dataset_type TEXT NOT NULL,
    run TEXT NOT NULL,
    PRIMARY KEY (quantum_id, dataset_id)
  )`,
  'CREATE INDEX IF NOT EXISTS provenance_quantum_input_dataset ON provenance_quantum_input (dataset_id)',
  `CREATE TABLE IF NOT EXISTS provenance_quantum_output (
    dataset_id TEXT PRIMARY KEY NOT NULL,
    quantum_id TEXT NOT NULL REFERENCES provenance_quantum (id) ON DELETE CASCADE,
    connection TEXT NOT NULL,
    dataset_type TEXT NOT NULL,
    run TEXT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS provenance_quantum_output_quantum ON provenance_quantum_output (quantum_id)',
];

/** Creates the provenance tables if missing (idempotent); needs a writeable registry. */
export function ensureProvenanceSchema(db: Database): void {
  if (PROVENANCE_TABLES.every((t) => db.tableExists(t))) return;
  if (db.readOnly) throw new Error(`the registry ${db.location} has no provenance tables and is open read-only; open it writeable to record provenance`);
  db.transaction(() => {
    for (const sql of DDL) db.exec(sql);
  });
}

/** Whether this registry has provenance tables (repositories never processed here have none). */
export function hasProvenance(db: Database): boolean {
  return PROVENANCE_TABLES.every((t) => db.tableExists(t));
}
