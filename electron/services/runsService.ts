// Wires the ISR-run and provenance-graph sections of the contract to the run manager, the config
// helpers and the provenance queries. Served on the main side (runs belong to the main process).
import { ApiError } from '../../core/api/errors.js';
import type { EventName, EventPayload } from '../../core/api/contract.js';
import type { Handlers } from '../../core/api/dispatch.js';
import { runMethods } from '../../core/api/sections/runs.js';
import { provenanceGraphMethods } from '../../core/api/sections/provenanceGraph.js';
import { RunManager } from './runs.js';
import { IsrPresets, checkIsrConfig, isrDefaults, isrSchema, parseIsrYaml } from './runsConfig.js';
import { lineageGraph, provenanceRuns, quantumDetail, runBundle, runGraph, withButler } from './provenanceGraph.js';

export const RUN_METHOD_NAMES: readonly string[] = [...Object.keys(runMethods), ...Object.keys(provenanceGraphMethods)];

type RunHandlerNames = keyof typeof runMethods | keyof typeof provenanceGraphMethods;

export interface RunServiceOptions {
  settingsDir: string;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** The open repository's directory, or null. */
  repository: () => string | null;
  jobs?: number;
  /** Outputs were committed to this repository (throttled); the browser's readers should refresh. */
  outputsLanded?: (repository: string) => void;
}

export class RunService {
  readonly manager: RunManager;
  private readonly presets: IsrPresets;

  constructor(private readonly options: RunServiceOptions) {
    this.manager = new RunManager({ emit: options.emit, ...(options.jobs ? { jobs: options.jobs } : {}), ...(options.outputsLanded ? { outputsLanded: options.outputsLanded } : {}) });
    this.presets = new IsrPresets(options.settingsDir);
  }

  private repo(): string {
    const r = this.options.repository();
    if (!r) throw new ApiError('NO_REPOSITORY', 'no repository is open: open one first (File › Open repository…)');
    return r;
  }

  handlers(): Pick<Handlers, RunHandlerNames> {
    return {
      'isr.schema': ({ task }) => ({ schema: isrSchema(task), defaults: isrDefaults(task) }),
      'isr.presets': () => this.presets.list(),
      'isr.savePreset': ({ name, task, overrides }) => this.presets.save(name, task, overrides),
      'isr.deletePreset': ({ name }) => {
        this.presets.remove(name);
        return null;
      },
      'isr.checkConfig': ({ task, overrides }) => {
        const { valid, issues, diff, yaml } = checkIsrConfig(task, overrides);
        return { valid, issues, diff, yaml };
      },
      'isr.parseYaml': ({ text, task }) => parseIsrYaml(text, task),
      'runs.defaults': () => this.manager.defaults(this.repo()),
      'runs.preview': (s) => this.manager.preview(this.repo(), s),
      'runs.start': (s) => this.manager.start(this.repo(), s),
      'runs.list': () => this.manager.list(),
      'runs.get': ({ runId }) => this.manager.detail(runId),
      'runs.cancel': ({ runId }) => this.manager.cancel(runId),
      'runs.logs': ({ runId, quantumId }) => this.manager.logs(runId, quantumId),
      'provenance.lineage': ({ id, direction, depth }) => withButler(this.repo(), (b) => lineageGraph(b.registry, id, direction, depth)),
      'provenance.runGraph': ({ run }) => withButler(this.repo(), (b) => runGraph(b.registry, run)),
      'provenance.bundle': ({ run, taskLabel, limit, offset }) => withButler(this.repo(), (b) => runBundle(b.registry, run, taskLabel, limit, offset)),
      'provenance.quantum': ({ id }) => withButler(this.repo(), (b) => quantumDetail(b, id)),
      'provenance.runs': () => withButler(this.repo(), (b) => provenanceRuns(b.registry)),
    };
  }

  shutdown(): Promise<void> {
    return this.manager.shutdown();
  }
}
