// ISR runs from the app (helper W3's section): the ISR config form (JSON Schema, presets, validation,
// diff, YAML), the quantum-graph preview, and runs managed by the main process (start, list, status,
// per-quantum logs, cancel). Runs outlive the window; a reopened window reattaches with runs.list/runs.get.
import { z } from 'zod';
import { method } from '../method.js';

export const isrTaskNameSchema = z.enum(['IsrTask', 'CfhtIsrTask']);
export type IsrTaskNameValue = z.infer<typeof isrTaskNameSchema>;

/** Config overrides as plain values (field → value; nested configs as nested objects). */
export const configOverridesSchema = z.record(z.string(), z.unknown());
export type ConfigOverrides = z.infer<typeof configOverridesSchema>;

const configInputSchema = z.object({ task: isrTaskNameSchema.default('IsrTask'), overrides: configOverridesSchema.default({}) });

export const configIssueSchema = z.object({ path: z.string(), message: z.string() });
export const configDiffEntrySchema = z.object({ path: z.string(), default: z.unknown(), value: z.unknown() });
export type ConfigDiffEntry = z.infer<typeof configDiffEntrySchema>;

export const isrPresetSchema = z.object({
  name: z.string(),
  source: z.enum(['builtin', 'user']),
  task: isrTaskNameSchema,
  overrides: configOverridesSchema,
  /** The preset file's text (YAML), shown and exported as is. */
  yaml: z.string(),
});
export type IsrPreset = z.infer<typeof isrPresetSchema>;

/** What the run is over: explicit exposures (and optionally detectors) and/or a where expression. */
export const runSelectionSchema = z
  .object({
    task: isrTaskNameSchema.default('IsrTask'),
    overrides: configOverridesSchema.default({}),
    inputCollections: z.array(z.string().min(1)).min(1, 'at least one input collection is required'),
    outputRun: z.string().min(1, 'an output run name is required').max(200).regex(/^[^\s,]+$/, 'a run name has no spaces or commas'),
    where: z.string().max(20_000).default(''),
    exposures: z.array(z.number().int()).max(10_000).default([]),
    detectors: z.array(z.number().int()).max(1000).default([]),
    instrument: z.string().min(1).nullable().default(null),
    /** Launch only: run the quanta that have their calibrations and leave the others out (reported). */
    skipMissing: z.boolean().default(false),
  })
  .strict();
export type RunSelection = z.input<typeof runSelectionSchema>;

export const calibrationChoiceSchema = z.object({ id: z.string(), run: z.string(), datasetType: z.string() });
export const previewQuantumSchema = z.object({
  instrument: z.string(),
  exposure: z.number(),
  detector: z.number(),
  physicalFilter: z.string(),
  rawId: z.string(),
  /** Calibration per connection the config uses (bias, dark, flat, defects); null when missing. */
  calibrations: z.record(z.string(), calibrationChoiceSchema.nullable()),
  /** Why this quantum cannot run (missing calibrations), empty when it can. */
  problems: z.array(z.string()),
  /** Its postISRCCD already exists in the output run (it will not run again). */
  alreadyDone: z.boolean(),
});
export type PreviewQuantum = z.infer<typeof previewQuantumSchema>;

export const runPreviewSchema = z.object({
  outputRun: z.string(),
  connections: z.array(z.object({ connection: z.string(), datasetType: z.string() })),
  quanta: z.array(previewQuantumSchema),
  /** Quanta that would run now (not already done, no problems). */
  runnable: z.number().int(),
  /** Where expression actually used (selection merged into one expression). */
  where: z.string(),
});
export type RunPreview = z.infer<typeof runPreviewSchema>;

export const QUANTUM_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'not-run'] as const;
export const quantumStateSchema = z.enum(QUANTUM_STATES);
export type QuantumState = z.infer<typeof quantumStateSchema>;

export const RUN_STATES = ['starting', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const runStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof runStateSchema>;

export const runCountsSchema = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  notRun: z.number().int(),
  alreadyDone: z.number().int(),
  total: z.number().int(),
});
export type RunCounts = z.infer<typeof runCountsSchema>;

export const runSummarySchema = z.object({
  runId: z.string(),
  repository: z.string(),
  outputRun: z.string(),
  task: isrTaskNameSchema,
  state: runStateSchema,
  counts: runCountsSchema,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** Why the run stopped early or could not start. */
  message: z.string().nullable(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runQuantumSchema = z.object({
  id: z.string(),
  exposure: z.number(),
  detector: z.number(),
  label: z.string(),
  state: quantumStateSchema,
  error: z.string().nullable(),
  rawId: z.string(),
  /** Output dataset ids once the quantum succeeded. */
  outputs: z.object({ exposure: z.string(), metadata: z.string(), log: z.string() }).nullable(),
  seconds: z.number().nullable(),
});
export type RunQuantum = z.infer<typeof runQuantumSchema>;

export const runDetailSchema = runSummarySchema.extend({
  inputCollections: z.array(z.string()),
  where: z.string(),
  overrides: configOverridesSchema,
  quanta: z.array(runQuantumSchema),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const runLogRecordSchema = z.object({ time: z.string(), level: z.string(), name: z.string(), message: z.string() });
export type RunLogRecord = z.infer<typeof runLogRecordSchema>;

const runIdSchema = z.object({ runId: z.string().min(1) }).strict();

export const runMethods = {
  'isr.schema': method(
    z.object({ task: isrTaskNameSchema.default('IsrTask') }).strict(),
    z.object({ schema: z.record(z.string(), z.unknown()), defaults: configOverridesSchema }),
    "The ISR task config's JSON Schema (groups in x-groups, docs in description) and its default values.",
  ),
  'isr.presets': method(z.object({}).strict(), z.array(isrPresetSchema), 'Built-in ISR presets (IsrTask defaults, obs_cfht…) and the user-saved ones.'),
  'isr.savePreset': method(
    z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a preset name is letters, digits, _ . - (up to 64)'), task: isrTaskNameSchema, overrides: configOverridesSchema }).strict(),
    isrPresetSchema,
    'Saves the overrides as a user preset (YAML in the settings folder, written atomically).',
  ),
  'isr.deletePreset': method(z.object({ name: z.string().min(1) }).strict(), z.null(), 'Deletes a user preset.'),
  'isr.checkConfig': method(
    configInputSchema.strict(),
    z.object({ valid: z.boolean(), issues: z.array(configIssueSchema), diff: z.array(configDiffEntrySchema), yaml: z.string() }),
    'Applies overrides to a fresh config: every problem with its field path, the diff against the defaults, and the overrides as YAML.',
  ),
  'isr.parseYaml': method(
    z.object({ text: z.string().max(1_000_000), task: isrTaskNameSchema.optional() }).strict(),
    z.object({ task: isrTaskNameSchema, overrides: configOverridesSchema }),
    'Reads a YAML config file (a preset or an exported config) into overrides, with errors naming the field.',
  ),
  'runs.defaults': method(
    z.object({}).strict(),
    z.object({ user: z.string(), inputCollections: z.array(z.string()), outputRun: z.string(), instruments: z.array(z.string()) }),
    'Suggested input collections (chains like <instrument>/defaults) and a fresh output run name (u/<user>/isr/<time>).',
  ),
  'runs.preview': method(
    runSelectionSchema,
    runPreviewSchema,
    'The quantum graph a launch would run: per exposure/detector the raw and the bias/dark/flat/defects chosen, or what is missing.',
  ),
  'runs.start': method(runSelectionSchema, runSummarySchema, 'Builds the quantum graph and starts the run in the main process (it goes on if the window closes).'),
  'runs.list': method(z.object({}).strict(), z.array(runSummarySchema), 'Runs started since the app started, newest first (running ones included).'),
  'runs.get': method(runIdSchema, runDetailSchema, 'A run with the state of every quantum.'),
  'runs.cancel': method(runIdSchema, runSummarySchema, 'Cancels a run: queued quanta are not run, running ones are stopped and recorded as cancelled.'),
  'runs.logs': method(
    z.object({ runId: z.string().min(1), quantumId: z.string().min(1) }).strict(),
    z.array(runLogRecordSchema),
    'The log records of one quantum of a run (kept in memory while the app runs).',
  ),
} as const;

/** Events the run manager pushes (throttled to ~10 Hz per run). */
export const runEvents = {
  'run.changed': z.object({ run: runSummarySchema, quanta: z.array(runQuantumSchema) }),
} as const;
