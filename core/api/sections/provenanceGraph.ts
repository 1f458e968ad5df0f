// The provenance graph (helper W3's section): lineage of a dataset as a DAG of datasets and quanta
// (k hops, expandable), the aggregated task × dataset-type view of a whole run, the quanta behind one
// aggregated bundle, and the details of one quantum (config diff, timing, host, versions, log).
import { z } from 'zod';
import { method } from '../method.js';
import { dataIdSchema, uuidSchema } from './values.js';
import { configDiffEntrySchema, runLogRecordSchema } from './runs.js';

export const quantumStatusSchema = z.enum(['succeeded', 'failed', 'cancelled']);

export const graphDatasetNodeSchema = z.object({
  kind: z.literal('dataset'),
  id: z.string(),
  datasetType: z.string(),
  run: z.string(),
  dataId: dataIdSchema,
  /** False when the registry no longer has the dataset. */
  exists: z.boolean(),
  hops: z.number().int(),
});
export const graphQuantumNodeSchema = z.object({
  kind: z.literal('quantum'),
  id: z.string(),
  taskLabel: z.string(),
  taskClass: z.string(),
  run: z.string(),
  dataId: dataIdSchema,
  status: quantumStatusSchema,
  startTime: z.string(),
  endTime: z.string(),
  hops: z.number().int(),
});
export const graphNodeSchema = z.discriminatedUnion('kind', [graphDatasetNodeSchema, graphQuantumNodeSchema]);
export type GraphNode = z.infer<typeof graphNodeSchema>;

export const graphEdgeSchema = z.object({
  source: z.string(),
  target: z.string(),
  connection: z.string(),
  kind: z.enum(['input', 'prerequisite', 'output']),
});
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const lineageGraphSchema = z.object({
  root: z.string(),
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
  /** Whether the repository records provenance at all (false: nothing was ever processed here). */
  recorded: z.boolean(),
});
export type LineageGraph = z.infer<typeof lineageGraphSchema>;

export const aggregateNodeSchema = z.object({
  /** `task:<label>` or `type:<datasetType>`. */
  id: z.string(),
  kind: z.enum(['task', 'datasetType']),
  label: z.string(),
  count: z.number().int(),
  /** Quanta per status (tasks only). */
  status: z.record(z.string(), z.number().int()),
});
export type AggregateNode = z.infer<typeof aggregateNodeSchema>;
export const aggregateEdgeSchema = z.object({ source: z.string(), target: z.string(), kind: z.enum(['input', 'prerequisite', 'output']), count: z.number().int() });
export type AggregateEdge = z.infer<typeof aggregateEdgeSchema>;

export const runGraphSchema = z.object({
  run: z.string(),
  quanta: z.number().int(),
  nodes: z.array(aggregateNodeSchema),
  edges: z.array(aggregateEdgeSchema),
});
export type RunGraph = z.infer<typeof runGraphSchema>;

export const quantumDetailSchema = z.object({
  id: z.string(),
  taskLabel: z.string(),
  taskClass: z.string(),
  run: z.string(),
  dataId: dataIdSchema,
  status: quantumStatusSchema,
  startTime: z.string(),
  endTime: z.string(),
  seconds: z.number(),
  host: z.string(),
  packages: z.record(z.string(), z.string()),
  error: z.string().nullable(),
  /** The run's config against the task defaults (empty when the config dataset is gone). */
  configDiff: z.array(configDiffEntrySchema),
  configDatasetId: z.string().nullable(),
  log: z.array(runLogRecordSchema),
  inputs: z.array(z.object({ datasetId: z.string(), connection: z.string(), kind: z.enum(['input', 'prerequisite']), datasetType: z.string(), run: z.string() })),
  outputs: z.array(z.object({ datasetId: z.string(), connection: z.string(), datasetType: z.string(), run: z.string() })),
});
export type QuantumDetail = z.infer<typeof quantumDetailSchema>;

export const provenanceGraphMethods = {
  'provenance.lineage': method(
    z
      .object({
        id: uuidSchema,
        direction: z.enum(['ancestors', 'descendants', 'both']).default('both'),
        /** Quantum hops (default 1: the neighbourhood; the view expands on click). */
        depth: z.number().int().min(0).max(1000).nullable().default(1),
      })
      .strict(),
    lineageGraphSchema,
    'Ancestors and descendants of a dataset or quantum as a DAG of datasets and quanta, k hops around it.',
  ),
  'provenance.runGraph': method(
    z.object({ run: z.string().min(1) }).strict(),
    runGraphSchema,
    'The aggregated view of a whole run: one node per task and per dataset type, with counts.',
  ),
  'provenance.bundle': method(
    z.object({ run: z.string().min(1), taskLabel: z.string().min(1), limit: z.number().int().min(1).max(5000).default(500), offset: z.number().int().min(0).default(0) }).strict(),
    z.object({ nodes: z.array(graphNodeSchema), edges: z.array(graphEdgeSchema), total: z.number().int() }),
    'The quanta of one task of a run (one page) with their input and output datasets, to expand an aggregated node.',
  ),
  'provenance.quantum': method(
    z.object({ id: z.string().min(1) }).strict(),
    quantumDetailSchema,
    'Everything recorded about one quantum: timing, host, software versions, config diff, log, inputs and outputs.',
  ),
  'provenance.runs': method(
    z.object({}).strict(),
    z.array(z.object({ run: z.string(), quanta: z.number().int(), failed: z.number().int(), startTime: z.string() })),
    'RUN collections with recorded quanta, newest first.',
  ),
} as const;
