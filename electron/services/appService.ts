// The application service behind both shells: answers the app section of the contract on the main side
// and forwards every repository method to the worker pool. Electron's IPC and the loopback host are thin
// transports over `dispatch` and `onEvent`.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createDispatcher, parseParams, errorToPayload, type Dispatch, type Handlers } from '../../core/api/dispatch.js';
import { ApiError } from '../../core/api/errors.js';
import { isMethodName, type EventName, type EventPayload, type MethodName } from '../../core/api/contract.js';
import { appMethods } from '../../core/api/sections/app.js';
import { viewerMethods } from '../../core/api/sections/viewer.js';
import type { RepositoryInfo } from '../../core/api/sections/app.js';
import type { Envelope } from '../../core/api/envelope.js';
import { binaryRouteNames, serveBinary, type BinaryResponse } from './binaryRoutes.js';
import { classifyCoreError } from './errors.js';
import { RecentRepositories } from './settings.js';
import { WorkerPool } from './workerPool.js';
import { pixelHandlers, pixelService, registerPixelRoutes } from './pixels.js';
import { registerArtifactRoute } from './artifactRoute.js';
import { APP_VERSION } from './version.js';
import { buildDemoInWorker, DEMO_JOB_ID } from './demo.js';
import type { DemoWorkerRequest } from './demoProtocol.js';
// W3: ISR runs (kept by the main process) and the provenance graph.
import { RUN_METHOD_NAMES, RunService } from './runsService.js';

export interface AppServiceOptions {
  transport: 'electron' | 'browser';
  settingsDir: string;
  /** Repository workers (each with its own read-only connection). */
  workers?: number;
  /** Native folder dialog; only Electron has one. */
  chooseDirectory?: () => Promise<string | null>;
  /** A smaller demo repository (tests): detectors, nights, binning. */
  demoOptions?: DemoWorkerRequest['options'];
}

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Methods answered on the main side; everything else runs in the repository workers. */
const MAIN_SIDE = new Set<string>([...Object.keys(appMethods), ...Object.keys(viewerMethods), ...RUN_METHOD_NAMES]);

/** A repository path may name the directory or its registry file; both open the directory. */
export function normaliseRepositoryPath(path: string): string {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new ApiError('NOT_A_REPOSITORY', `${abs} does not exist`);
  const dir = statSync(abs).isDirectory() ? abs : dirname(abs);
  if (!existsSync(resolve(dir, 'butler.yaml')) && !existsSync(resolve(dir, 'gen3.sqlite3'))) {
    throw new ApiError('NOT_A_REPOSITORY', `${dir} is not a butler repository: it has neither butler.yaml nor gen3.sqlite3`);
  }
  return dir;
}

export class AppService {
  readonly recent: RecentRepositories;
  private readonly pool: WorkerPool;
  /** W3: ISR runs and provenance graph (runs outlive windows; see runs.ts). */
  readonly runs: RunService;
  private readonly listeners = new Set<Listener>();
  private readonly mainDispatch: Dispatch;
  private repository: RepositoryInfo | null = null;

  constructor(private readonly options: AppServiceOptions) {
    this.recent = new RecentRepositories(options.settingsDir);
    this.pool = new WorkerPool(options.workers ?? 2);
    this.runs = new RunService({
      settingsDir: options.settingsDir,
      emit: (e, p) => this.emit(e, p),
      repository: () => this.repository?.path ?? null,
      // New outputs: reopen the repository in the workers so their cached collections/dataset types see them.
      outputsLanded: (path) => {
        if (this.repository?.path === path) void this.openRepository(path).catch(() => undefined);
      },
    });
    const handlers: Partial<Handlers> = {
      'app.info': () => ({
        version: APP_VERSION,
        transport: options.transport,
        platform: process.platform,
        repository: this.repository,
        canCreateDemo: true,
      }),
      'repo.open': ({ path }) => this.openRepository(path),
      'repo.close': async () => {
        await this.closeRepository();
        return null;
      },
      'repo.recent': () => this.recent.list(),
      'repo.createDemo': ({ path }) => this.createDemo(path ?? null),
      'repo.chooseDirectory': async () => {
        if (!options.chooseDirectory) throw new ApiError('UNSUPPORTED', 'folder dialogs exist only in the desktop window; type the repository path instead');
        return options.chooseDirectory();
      },
      'viewer.routes': () => binaryRouteNames(),
      ...pixelHandlers(this.dispatch),
      ...this.runs.handlers(),
    };
    registerArtifactRoute();
    registerPixelRoutes();
    this.mainDispatch = createDispatcher(handlers, { classify: classifyCoreError });
  }

  get currentRepository(): RepositoryInfo | null {
    return this.repository;
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) l(event, payload);
  }

  /** The transport-facing entry point: always resolves to an envelope. */
  readonly dispatch: Dispatch = async (method, params) => {
    if (typeof method === 'string' && MAIN_SIDE.has(method)) return this.mainDispatch(method, params);
    try {
      if (!isMethodName(method)) throw new ApiError('UNKNOWN_METHOD', `unknown API method: ${JSON.stringify(method)}`);
      if (!this.repository) {
        parseParams(method as MethodName, params); // bad params are reported as such even with no repository
        throw new ApiError('NO_REPOSITORY', 'no repository is open: open one first (File › Open repository…)');
      }
      return await this.pool.call(method, params ?? {});
    } catch (err) {
      return { ok: false, error: errorToPayload(err, classifyCoreError) } satisfies Envelope;
    }
  };

  async openRepository(path: string): Promise<RepositoryInfo> {
    const dir = normaliseRepositoryPath(path);
    const envelope = await this.pool.open(dir);
    if (!envelope.ok) {
      // The workers keep no half-open repository; what was open before stays closed (it was replaced).
      this.repository = null;
      this.emit('repository.changed', { path: null });
      throw ApiError.fromPayload(envelope.error);
    }
    this.repository = envelope.value as RepositoryInfo;
    this.recent.add(dir);
    this.emit('repository.changed', { path: dir });
    return this.repository;
  }

  private demoBuild: Promise<RepositoryInfo> | null = null;

  /**
   * Builds (in a worker thread, with job.progress events) and opens a demo repository: at `path`, or the app's
   * own one under the user data directory, built on first use and reused afterwards. One build at a time.
   */
  createDemo(path: string | null): Promise<RepositoryInfo> {
    if (this.demoBuild) return this.demoBuild;
    const run = async () => {
      try {
        const built = await buildDemoInWorker({ path, options: this.options.demoOptions ?? {} }, (p) => this.emit('job.progress', p));
        this.emit('job.progress', { jobId: DEMO_JOB_ID, done: 1, total: 1, stage: 'opening the demo repository' });
        return await this.openRepository(built);
      } finally {
        this.demoBuild = null;
      }
    };
    this.demoBuild = run();
    return this.demoBuild;
  }

  async closeRepository(): Promise<void> {
    await this.pool.closeRepository();
    this.repository = null;
    this.emit('repository.changed', { path: null });
  }

  /** Serves a binary route for either transport. */
  async binary(name: string, params: URLSearchParams): Promise<BinaryResponse> {
    return serveBinary(name, params, {
      repositoryPath: this.repository?.path ?? null,
      dispatch: this.dispatch,
      artifactPath: async (id, component) => {
        const env = await this.dispatch('datasets.get', { id });
        if (!env.ok) throw ApiError.fromPayload(env.error);
        const detail = env.value as { artifacts: { component: string | null; path: string | null; exists: boolean }[] };
        const art = detail.artifacts.find((a) => a.component === component) ?? (component === null ? detail.artifacts[0] : undefined);
        if (!art) throw new ApiError('NOT_FOUND', `dataset ${id} has no artifact${component ? ` for component ${component}` : ''}`);
        if (!art.path || !art.exists) throw new ApiError('IO_ERROR', `the file of dataset ${id} is not available on this machine`);
        return art.path;
      },
    });
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.pool.terminate(), pixelService().shutdown(), this.runs.shutdown()]);
  }
}
