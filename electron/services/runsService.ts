// Wires the ISR-run and provenance-graph sections of the contract to the run manager, the config
// helpers and the provenance queries. Served on the main side (runs belong to the main process).
import { ApiError } from '../../core/api/errors.js';
import type { EventName, EventPayload } from '../../core/api/contract.js';
import type { Handlers } from '../../core/api/dispatch.js';
import { runMethods } from '../../core/api/sections/runs.js';
import { provenanceGraphMethods } from '../../core/api/sections/provenanceGraph.js';
import { RunManager } from './runs.js';
import { IsrPresets, checkIsrConfig, isrDefaults, isrSchema, parseIsrYaml } from './runsConfig.js';
import { RunsQueryClient } from './runsQueryClient.js';
import type { Result } from '../../core/api/contract.js';

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
  /** Registry reads (preview, provenance) run in a worker, off the main event loop. */
  private readonly queries = new RunsQueryClient();

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
      'runs.defaults': () => this.queries.call<Result<'runs.defaults'>>(this.repo(), 'runs.defaults', {}),
      'runs.preview': (s) => this.queries.call<Result<'runs.preview'>>(this.repo(), 'runs.preview', s),
      'runs.start': (s) => this.manager.start(this.repo(), s),
      'runs.list': () => this.manager.list(),
      'runs.get': ({ runId }) => this.manager.detail(runId),
      'runs.cancel': ({ runId }) => this.manager.cancel(runId),
      'runs.logs': ({ runId, quantumId }) => this.manager.logs(runId, quantumId),
      'provenance.lineage': (p) => this.queries.call<Result<'provenance.lineage'>>(this.repo(), 'provenance.lineage', p),
      'provenance.runGraph': (p) => this.queries.call<Result<'provenance.runGraph'>>(this.repo(), 'provenance.runGraph', p),
      'provenance.bundle': (p) => this.queries.call<Result<'provenance.bundle'>>(this.repo(), 'provenance.bundle', p),
      'provenance.quantum': (p) => this.queries.call<Result<'provenance.quantum'>>(this.repo(), 'provenance.quantum', p),
      'provenance.runs': () => this.queries.call<Result<'provenance.runs'>>(this.repo(), 'provenance.runs', {}),
    };
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.manager.shutdown(), this.queries.shutdown()]);
  }
}
