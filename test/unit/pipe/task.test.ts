import { describe, expect, it } from 'vitest';
import {
  type AnyConfigClass,
  PipelineTaskConnections,
  Task,
  TaskMetadata,
  type TaskOptions,
  captureLogs,
  defineConfig,
  f,
  registerConfigurable,
  subtaskField,
} from '../../../core/pipe/index.js';

const ChildConfig = defineConfig('ChildConfig', 'child', { scale: f.float({ doc: 'scale', default: 2 }) });
type ChildFields = typeof ChildConfig.fields;

class ChildTask extends Task<ChildFields> {
  static readonly taskName: string = 'ChildTask';
  static readonly ConfigClass: AnyConfigClass = ChildConfig;
  static readonly defaultName = 'child';
  constructor(options: TaskOptions<ChildFields> = {}) {
    super(ChildConfig, ChildTask.defaultName, options);
  }
  run(x: number): number {
    return this.timeMethod('run', () => {
      this.log.info(`scaling ${x}`);
      this.metadata.set('input', x);
      return x * this.config.scale;
    });
  }
}
registerConfigurable(ChildTask);

const LoudChildConfig = ChildConfig.extend('LoudChildConfig', 'loud child', { volume: f.int({ doc: 'volume', default: 11 }) });
class LoudChildTask extends ChildTask {
  static override readonly taskName: string = 'LoudChildTask';
  static override readonly ConfigClass: AnyConfigClass = LoudChildConfig;
  override run(x: number): number {
    this.log.warning('LOUD');
    return super.run(x) + 1;
  }
}
registerConfigurable(LoudChildTask);

const ParentConfig = defineConfig('ParentConfig', 'parent', {
  doChild: f.bool({ doc: 'run the child', default: true }),
  child: subtaskField(ChildTask, ChildConfig, 'the child'),
});
type ParentFields = typeof ParentConfig.fields;

class ParentTask extends Task<ParentFields> {
  static readonly taskName = 'ParentTask';
  static readonly ConfigClass = ParentConfig;
  static readonly defaultName = 'parent';
  readonly child: ChildTask;
  constructor(options: TaskOptions<ParentFields> = {}) {
    super(ParentConfig, ParentTask.defaultName, options);
    this.child = this.makeSubtask('child', ChildTask);
  }
  async run(x: number): Promise<number> {
    return this.timeMethodAsync('run', async () => {
      this.log.info('parent start');
      await new Promise((r) => setTimeout(r, 5));
      const y = this.config.doChild ? this.child.run(x) : x;
      this.metadata.set('stats.result', y);
      return y;
    });
  }
}

describe('tasks', () => {
  it('builds hierarchical names, per-task loggers, and freezes the config', () => {
    const t = new ParentTask();
    expect(t.fullName).toBe('parent');
    expect(t.child.fullName).toBe('parent.child');
    expect(t.child.log.name).toBe('lsst.parent.child');
    expect(t.config.isFrozen).toBe(true);
    expect(t.getTaskDict()).toEqual({ parent: 'ParentTask', 'parent.child': 'ChildTask' });
  });

  it('records metadata and timers, nested and serialisable', async () => {
    const t = new ParentTask();
    expect(await t.run(3)).toBe(6);
    const full = t.getFullMetadata();
    expect(Object.keys(full)).toEqual(['parent', 'parent:child']);
    expect(full.parent.stats).toEqual({ result: 6 });
    expect(full['parent:child'].input).toBe(3);
    const m = full['parent:child'];
    for (const k of ['runStartUtc', 'runEndUtc', 'runStartCpuTime', 'runEndCpuTime', 'runStartUserTime', 'runEndMaxResidentSetSize']) {
      expect(Array.isArray(m[k]), k).toBe(true);
    }
    const start = (m.runStartCpuTime as number[])[0];
    const end = (m.runEndCpuTime as number[])[0];
    expect(end).toBeGreaterThanOrEqual(start);
    expect(Date.parse((full.parent.runEndUtc as string[])[0])).toBeGreaterThanOrEqual(Date.parse((full.parent.runStartUtc as string[])[0]));
    expect((full.parent.runDuration as number[])[0]).toBeGreaterThan(0.004);
    const back = TaskMetadata.fromJSON(JSON.parse(JSON.stringify(t.metadata.toJSON())));
    expect(back.get('stats.result')).toBe(6);
  });

  it('captures log records per quantum, even when quanta interleave', async () => {
    const a = new ParentTask();
    const b = new ParentTask();
    const [ra, rb] = await Promise.all([captureLogs(() => a.run(1)), captureLogs(() => b.run(2))]);
    expect(ra.result).toBe(2);
    expect(ra.records.map((r) => [r.name, r.message])).toEqual([
      ['lsst.parent', 'parent start'],
      ['lsst.parent.child', 'scaling 1'],
    ]);
    expect(rb.records.map((r) => r.message)).toEqual(['parent start', 'scaling 2']);
    expect(ra.records[0].level).toBe('INFO');
  });

  it('makes subtasks from the retargeted config', () => {
    const cfg = ParentConfig.make();
    cfg.retarget('child', LoudChildTask);
    cfg.set('child.volume', 3);
    const t = new ParentTask({ config: cfg });
    expect(t.child).toBeInstanceOf(LoudChildTask);
    expect(t.child.run(2)).toBe(5);
  });
});

describe('connections', () => {
  const conns = new PipelineTaskConnections<{ doBias: boolean }>({
    dimensions: ['instrument', 'exposure', 'detector'],
    defaultTemplates: { prefix: 'post' },
    inputs: { raw: { name: 'raw', storageClass: 'Exposure', dimensions: ['instrument', 'exposure', 'detector'], doc: 'raw' } },
    prerequisiteInputs: { bias: { name: 'bias', storageClass: 'ExposureF', dimensions: ['instrument', 'detector'], doc: 'bias', isCalibration: true } },
    outputs: { out: { name: '{prefix}ISRCCD', storageClass: 'Exposure', dimensions: ['instrument', 'exposure', 'detector'], doc: 'out' } },
    adjust: (c, active) => {
      if (!c.doBias) active.delete('bias');
    },
  });
  it('resolves templates, config-dependent removal and the standard extra outputs', () => {
    const r = conns.resolve({ doBias: true }, 'isr');
    expect(r.connections.map((c) => `${c.kind}:${c.name}`)).toEqual([
      'input:raw',
      'prerequisiteInput:bias',
      'output:postISRCCD',
      'initOutput:isr_config',
      'output:isr_metadata',
      'output:isr_log',
    ]);
    expect(conns.resolve({ doBias: false }, 'isr', { prefix: 'my' }).connections.map((c) => c.name)).toEqual([
      'raw',
      'myISRCCD',
      'isr_config',
      'isr_metadata',
      'isr_log',
    ]);
  });
  it('rejects an output with dimensions the quanta lack', () => {
    const bad = new PipelineTaskConnections<object>({
      dimensions: ['instrument', 'detector'],
      outputs: { o: { name: 'x', storageClass: 'Exposure', dimensions: ['instrument', 'exposure'], doc: '' } },
    });
    expect(() => bad.resolve({}, 'l')).toThrow(/output o has dimensions exposure/);
  });
});
