// Task base class (lsst.pipe.base.Task): a named unit of work with a frozen config, subtasks
// created from the config's subtask fields (so a retarget takes effect), a logger named after the
// hierarchical task name (isr.overscan → logger lsst.isr.overscan), metadata and method timers.

import type { Config, ConfigClass, ConfigurableTarget, FieldSet } from '../config/index.js';
import { ConfigUsageError } from '../config/index.js';
import { TaskLogger } from './log.js';
import { type MetadataJson, TaskMetadata } from './metadata.js';
import { timeCall, timeCallAsync } from './timer.js';

export interface TaskOptions<S extends FieldSet> {
  /** The config to use; defaults to the class defaults. It is validated and frozen. */
  config?: Config<S>;
  /** The task's own name (the parent's field name for subtasks; the class default otherwise). */
  name?: string;
  parentTask?: Task<FieldSet>;
}

/** A task class: constructible, with its config class and registry name. */
export interface TaskClass<T extends Task<FieldSet> = Task<FieldSet>> extends ConfigurableTarget {
  new (options?: TaskOptions<FieldSet>): T;
  readonly defaultName: string;
}

export abstract class Task<S extends FieldSet> {
  readonly config: Config<S>;
  readonly name: string;
  readonly fullName: string;
  readonly log: TaskLogger;
  readonly metadata = new TaskMetadata();
  readonly parentTask: Task<FieldSet> | undefined;
  private readonly subtasks = new Map<string, Task<FieldSet>>();

  constructor(configClass: ConfigClass<S>, defaultName: string, options: TaskOptions<S> = {}) {
    const config = options.config ?? configClass.make();
    if (!config.configClass.isSubclassOf(configClass as unknown as ConfigClass<FieldSet>)) {
      throw new ConfigUsageError(`${defaultName}: config is a ${config.configClass.name}, expected a ${configClass.name}`);
    }
    if (!config.isFrozen) config.freeze();
    this.config = config;
    this.name = options.name ?? defaultName;
    this.parentTask = options.parentTask;
    this.fullName = options.parentTask ? `${options.parentTask.fullName}.${this.name}` : this.name;
    this.log = new TaskLogger(`lsst.${this.fullName}`);
  }

  /**
   * Builds the subtask configured by the subtask field `name`, as the target that field currently
   * points at; `expected` is the class the caller relies on (checked, so a bad retarget fails here).
   */
  protected makeSubtask<T extends Task<FieldSet>>(name: string, expected: abstract new (...args: never[]) => T): T {
    const target = this.config.targetOf(name) as unknown as TaskClass;
    if (typeof target !== 'function') throw new ConfigUsageError(`${this.fullName}: subtask ${name} target ${(target as ConfigurableTarget).taskName} is not a task class`);
    const taskName = (target as ConfigurableTarget).taskName;
    const sub = new target({ config: this.config.get(name) as Config<FieldSet>, name, parentTask: this as unknown as Task<FieldSet> });
    if (!(sub instanceof expected)) throw new ConfigUsageError(`${this.fullName}: subtask ${name} is a ${taskName}, which is not a ${expected.name}`);
    this.subtasks.set(name, sub);
    return sub;
  }

  getSubtasks(): ReadonlyMap<string, Task<FieldSet>> {
    return this.subtasks;
  }

  /** Times a method call into this task's metadata (lsst.utils.timer.timeMethod). */
  protected timeMethod<T>(method: string, fn: () => T): T {
    return timeCall(this.metadata, method, fn);
  }

  protected timeMethodAsync<T>(method: string, fn: () => Promise<T>): Promise<T> {
    return timeCallAsync(this.metadata, method, fn);
  }

  /** Metadata of this task and every subtask, keyed by full name with ':' separators (as pipe_base). */
  getFullMetadata(): Record<string, MetadataJson> {
    const out: Record<string, MetadataJson> = { [this.fullName.replace(/\./g, ':')]: this.metadata.toJSON() };
    for (const sub of this.subtasks.values()) Object.assign(out, sub.getFullMetadata());
    return out;
  }

  /** The names of this task and its subtasks, each with its task class name. */
  getTaskDict(): Record<string, string> {
    const ctor = this.constructor as unknown as { taskName?: string; name: string };
    const out: Record<string, string> = { [this.fullName]: ctor.taskName ?? ctor.name };
    for (const sub of this.subtasks.values()) Object.assign(out, sub.getTaskDict());
    return out;
  }
}
