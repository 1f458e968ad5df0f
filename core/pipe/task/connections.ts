// Pipeline-task connections (lsst.pipe.base connectionTypes): what a PipelineTask reads and writes,
// as dataset type name, storage class and dimensions. The quantum-graph builder turns these into
// registry queries: the task's own dimensions define the quanta; inputs/outputs are matched on
// them; prerequisite inputs (calibrations) are looked up per quantum in calibration collections.

export type ConnectionKind = 'input' | 'prerequisiteInput' | 'output' | 'initInput' | 'initOutput';

export interface ConnectionDef {
  /** Dataset type name; may contain `{template}` placeholders filled from the config's templates. */
  name: string;
  storageClass: string;
  /** Dimensions of the dataset type (empty for init-inputs/outputs). */
  dimensions: readonly string[];
  doc: string;
  /** A list of datasets per quantum rather than exactly one. */
  multiple?: boolean;
  /** Load lazily (the task receives a handle, not the object). */
  deferLoad?: boolean;
  /** Fewer than this many datasets makes the quantum unrunnable (inputs only). */
  minimum?: number;
  /** Found by temporal lookup in a calibration collection (prerequisites). */
  isCalibration?: boolean;
}

export interface Connection extends ConnectionDef {
  /** The field name under which the task receives or returns it. */
  field: string;
  kind: ConnectionKind;
}

export interface ConnectionsSpec<C> {
  /** Dimensions of a quantum of this task (e.g. instrument, exposure, detector). */
  dimensions: readonly string[];
  /** Defaults for `{name}` placeholders in dataset type names. */
  defaultTemplates?: Record<string, string>;
  inputs?: Record<string, ConnectionDef>;
  prerequisiteInputs?: Record<string, ConnectionDef>;
  outputs?: Record<string, ConnectionDef>;
  initInputs?: Record<string, ConnectionDef>;
  initOutputs?: Record<string, ConnectionDef>;
  /** Removes connections the config turns off (IsrTask: no bias connection when doBias is false). */
  adjust?: (config: C, active: Set<string>) => void;
}

/** The connections of one configured task, after templates and config-dependent removal. */
export interface ResolvedConnections {
  label: string;
  dimensions: readonly string[];
  connections: Connection[];
}

export class PipelineTaskConnections<C> {
  readonly spec: ConnectionsSpec<C>;
  constructor(spec: ConnectionsSpec<C>) {
    const seen = new Set<string>();
    for (const group of [spec.inputs, spec.prerequisiteInputs, spec.outputs, spec.initInputs, spec.initOutputs]) {
      for (const [field, def] of Object.entries(group ?? {})) {
        if (seen.has(field)) throw new Error(`connection field "${field}" is declared twice`);
        seen.add(field);
        if (!def.name || !def.storageClass) throw new Error(`connection ${field}: name and storageClass are required`);
      }
    }
    this.spec = spec;
  }

  /**
   * Resolves the connections for a config and a pipeline label. Like pipe_base, every task also
   * writes `<label>_config` (init-output), `<label>_metadata` and `<label>_log` per quantum.
   */
  resolve(config: C, label: string, templates: Record<string, string> = {}): ResolvedConnections {
    const tpl = { ...(this.spec.defaultTemplates ?? {}), ...templates };
    const fill = (name: string): string =>
      name.replace(/\{(\w+)\}/g, (_m, key: string) => {
        if (!Object.hasOwn(tpl, key)) throw new Error(`connection dataset type "${name}" uses template {${key}} that has no value`);
        return tpl[key];
      });
    const groups: [ConnectionKind, Record<string, ConnectionDef> | undefined][] = [
      ['input', this.spec.inputs],
      ['prerequisiteInput', this.spec.prerequisiteInputs],
      ['output', this.spec.outputs],
      ['initInput', this.spec.initInputs],
      ['initOutput', this.spec.initOutputs],
    ];
    const active = new Set(groups.flatMap(([, g]) => Object.keys(g ?? {})));
    this.spec.adjust?.(config, active);
    const connections: Connection[] = [];
    for (const [kind, group] of groups) {
      for (const [field, def] of Object.entries(group ?? {})) {
        if (!active.has(field)) continue;
        // An output is written once per quantum, so its dimensions must be among the quantum's.
        const extra = kind === 'output' ? def.dimensions.filter((d) => !this.spec.dimensions.includes(d)) : [];
        if (extra.length) throw new Error(`output ${field} has dimensions ${extra.join(', ')} that the task's quanta (${this.spec.dimensions.join(', ')}) do not have`);
        connections.push({ ...def, name: fill(def.name), field, kind });
      }
    }
    connections.push(
      { field: '_config', kind: 'initOutput', name: `${label}_config`, storageClass: 'Config', dimensions: [], doc: 'Configuration used by the task.' },
      { field: '_metadata', kind: 'output', name: `${label}_metadata`, storageClass: 'TaskMetadata', dimensions: this.spec.dimensions, doc: 'Task metadata per quantum.' },
      { field: '_log', kind: 'output', name: `${label}_log`, storageClass: 'ButlerLogRecords', dimensions: this.spec.dimensions, doc: 'Log records per quantum.' },
    );
    return { label, dimensions: this.spec.dimensions, connections };
  }
}
