import { describe, expect, it } from 'vitest';
import { ConfigError, configField, configJsonSchema, defineConfig, f, registerConfigurable, subtaskField } from '../../../core/pipe/config/index.js';

const Inner = defineConfig('InnerConfig', 'inner', {
  fitType: f.choice({ doc: 'fit', default: 'MEDIAN', allowed: { MEDIAN: 'median', MEAN: 'mean', POLY: 'polynomial' }, group: 'Fit' }),
  order: f.int({ doc: 'order', default: 1, min: 0, max: 30 }),
  planes: f.list({ doc: 'planes', item: 'string', default: ['BAD', 'SAT'] }),
});
const InnerPlus = Inner.extend('InnerPlusConfig', 'inner plus', { extra: f.float({ doc: 'extra', default: 0.5 }) });
const innerTask = { taskName: 'InnerTaskForTest', ConfigClass: Inner };
const innerPlusTask = { taskName: 'InnerPlusTaskForTest', ConfigClass: InnerPlus };
registerConfigurable(innerTask);
registerConfigurable(innerPlusTask);

const Outer = defineConfig(
  'OuterConfig',
  'outer',
  {
    doThing: f.bool({ doc: 'do the thing', default: true }),
    gain: f.float({ doc: 'gain', default: NaN }),
    sigma: f.float({ doc: 'sigma', default: 3, min: 0, minExclusive: true }),
    name: f.string({ doc: 'name', default: 'raw' }),
    table: f.dict({ doc: 'fluxes', item: 'float', default: { Unknown: 1e11 } }),
    nested: configField(Inner, 'a nested config'),
    sub: subtaskField(innerTask, Inner, 'a subtask'),
  },
  {
    validate: (c) => {
      if (c.doThing && c.nested.order > 10) throw new Error('doThing cannot be used with nested.order > 10');
    },
  },
);

describe('typed configs', () => {
  it('has defaults and typed access', () => {
    const c = Outer.make();
    expect(c.doThing).toBe(true);
    expect(Number.isNaN(c.gain)).toBe(true);
    expect(c.nested.fitType).toBe('MEDIAN');
    expect(c.sub.planes).toEqual(['BAD', 'SAT']);
    c.nested.order = 3;
    expect(c.get('nested.order')).toBe(3);
  });

  it('validates on set with errors naming the field and value', () => {
    const c = Outer.make();
    expect(() => c.set('nested.order', 1.5)).toThrow(/nested\.order: value 1\.5 is not an integer/);
    expect(() => c.set('nested.order', 31)).toThrow(/nested\.order: value 31 is out of range: must be <= 30/);
    expect(() => c.set('sigma', 0)).toThrow(/sigma: value 0 is out of range: must be > 0/);
    expect(() => c.set('nested.fitType', 'SPLINE')).toThrow(/value "SPLINE" is not one of the allowed values: MEDIAN, MEAN, POLY/);
    expect(() => c.set('nested.nope', 1)).toThrow(/InnerConfig has no field "nested.nope"/);
    expect(() => c.set('doThing', 'yes')).toThrow(ConfigError);
  });

  it('parses key=value overrides by field type', () => {
    const c = Outer.make();
    c.applyKeyValue('doThing=false');
    c.applyKeyValue('gain=1.5e0');
    c.applyKeyValue('nested.planes=[BAD, SAT, NO_DATA]');
    c.applyKeyValue("name='my raw'");
    c.applyKeyValue('table={g: 1e10, r: 2}');
    c.applyKeyValue('sub.order=4');
    expect(c.doThing).toBe(false);
    expect(c.gain).toBe(1.5);
    expect(c.nested.planes).toEqual(['BAD', 'SAT', 'NO_DATA']);
    expect(c.name).toBe('my raw');
    expect(c.table).toEqual({ g: 1e10, r: 2 });
    expect(c.sub.order).toBe(4);
    expect(() => c.applyKeyValue('nested.order=two')).toThrow(/nested\.order: value "two" is not an integer/);
    expect(() => c.applyKeyValue('doThing=maybe')).toThrow(/doThing: value "maybe" is not a boolean/);
    expect(() => c.applyKeyValue('gain')).toThrow(/not of the form key=value/);
    c.applyKeyValue('gain=nan');
    expect(Number.isNaN(c.gain)).toBe(true);
  });

  it('applies YAML overrides with the source in errors', () => {
    const c = Outer.make();
    c.applyYaml('nested:\n  fitType: MEAN\nsigma: 5\n', 'my.yaml');
    expect(c.nested.fitType).toBe('MEAN');
    expect(c.sigma).toBe(5);
    expect(() => c.applyYaml('nested:\n  order: -1\n', 'bad.yaml')).toThrow(/^bad\.yaml: config field nested\.order: value -1 is out of range/);
    expect(() => c.applyYaml('nested: 3\n', 'bad.yaml')).toThrow(/bad\.yaml: config field nested: value 3 is not a mapping/);
    expect(() => c.applyYaml('- a\n', 'list.yaml')).toThrow(/list\.yaml: expected a mapping/);
  });

  it('freezes the whole tree and runs cross-field validation', () => {
    const c = Outer.make();
    c.nested.order = 11;
    expect(() => c.freeze()).toThrow(/doThing cannot be used with nested\.order > 10/);
    c.nested.order = 2;
    c.freeze();
    expect(c.isFrozen).toBe(true);
    expect(() => {
      c.nested.order = 3;
    }).toThrow(/InnerConfig is frozen: cannot set order to 3/);
    expect(() => c.applyKeyValue('sub.fitType=MEAN')).toThrow(/frozen/);
  });

  it('saves to YAML with docs and loads back identically (NaN included)', () => {
    const c = Outer.make();
    c.nested.fitType = 'POLY';
    c.nested.order = 4;
    c.table = { i: 3.5 };
    const text = c.toYaml();
    expect(text).toContain('# do the thing');
    expect(text).toContain('gain: .nan');
    const back = Outer.fromYaml(text, 'saved.yaml');
    expect(back.diff(c)).toEqual([]);
    expect(back.equals(c)).toBe(true);
  });

  it('diffs against defaults and against another config', () => {
    const c = Outer.make();
    c.nested.order = 5;
    c.doThing = false;
    expect(c.diff()).toEqual([
      { path: 'doThing', a: true, b: false },
      { path: 'nested.order', a: 1, b: 5 },
    ]);
    const d = c.copy();
    d.sub.planes = ['BAD'];
    expect(d.diff(c)).toEqual([{ path: 'sub.planes', a: ['BAD', 'SAT'], b: ['BAD'] }]);
  });

  it('retargets a subtask only to a compatible config and round-trips the target', () => {
    const c = Outer.make();
    c.retarget('sub', 'InnerPlusTaskForTest');
    expect(c.targetOf('sub').taskName).toBe('InnerPlusTaskForTest');
    c.set('sub.extra', 2);
    const back = Outer.fromYaml(c.toYaml());
    expect(back.targetOf('sub').taskName).toBe('InnerPlusTaskForTest');
    expect(back.get('sub.extra')).toBe(2);
    const Other = defineConfig('OtherConfig', 'other', { x: f.int({ doc: 'x', default: 1 }) });
    expect(() => c.retarget('sub', { taskName: 'OtherTask', ConfigClass: Other })).toThrow(/OtherConfig is not a InnerConfig/);
  });

  it('exports a JSON Schema the GUI can render', () => {
    const s = configJsonSchema(Outer);
    expect(s.$schema).toContain('2020-12');
    const props = s.properties as Record<string, Record<string, unknown>>;
    expect(props.doThing).toMatchObject({ type: 'boolean', default: true, description: 'do the thing' });
    expect(props.gain).toMatchObject({ type: 'number', default: 'NaN', 'x-allowNaN': true });
    expect(props.sigma).toMatchObject({ exclusiveMinimum: 0 });
    const nested = props.nested as { properties: Record<string, Record<string, unknown>>; 'x-groups': string[] };
    expect(nested.properties.fitType).toMatchObject({ enum: ['MEDIAN', 'MEAN', 'POLY'], 'x-group': 'Fit' });
    expect(nested.properties.order).toMatchObject({ type: 'integer', minimum: 0, maximum: 30 });
    expect(nested['x-groups']).toEqual(['Fit', 'General']);
    expect(props.sub['x-subtask']).toBe('InnerTaskForTest');
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
