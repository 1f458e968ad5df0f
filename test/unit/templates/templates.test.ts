// FileTemplate / FileTemplates behaviours beyond the conformance files: fields(),
// Python format specs, config errors, aggregated validation, lookup helpers.
import { describe, expect, it } from 'vitest';
import {
  FileTemplate,
  FileTemplates,
  formatWithSpec,
  applyConversion,
  parseFormatString,
  lookupNames,
  type LookupRef,
} from '../../../core/templates/index.js';

const ref = (over: Partial<LookupRef> = {}): LookupRef => ({
  datasetType: { name: 'calexp', storageClassName: 'ExposureF', dimensions: ['instrument', 'visit', 'physical_filter', 'band'], requiredDimensions: ['instrument', 'visit'] },
  dataId: { instrument: 'HSC', visit: 52, physical_filter: 'HSC-R', band: 'r' },
  records: null,
  run: 'run1',
  id: '5f1a1d2e-3b4c-4d5e-8f60-718293a4b5c6',
  ...over,
});

describe('FileTemplate.fields (upstream testFields)', () => {
  const t = new FileTemplate('{run}/{component:?}_{visit:?}_{physical_filter}_{instrument}_{datasetType}');
  it('mandatory, optional and special fields', () => {
    expect(t.fields()).toEqual(new Set(['physical_filter', 'instrument']));
    expect(t.fields({ optionals: true })).toEqual(new Set(['physical_filter', 'instrument', 'visit']));
    expect(t.fields({ specials: true })).toEqual(new Set(['physical_filter', 'instrument', 'run', 'datasetType']));
    expect(t.fields({ specials: true, optionals: true })).toEqual(new Set(['physical_filter', 'instrument', 'visit', 'run', 'datasetType', 'component']));
  });
  it('record fields count as their dimension unless subfields', () => {
    const r = new FileTemplate('{run}/{visit.name}_{exposure.obs_id|group}');
    expect(r.fields()).toEqual(new Set(['visit', 'exposure', 'group']));
    expect(r.fields({ subfields: true })).toEqual(new Set(['visit.name', 'exposure.obs_id', 'group']));
  });
});

describe('format details', () => {
  it('{collection} is refused with advice to use run', () => {
    expect(() => new FileTemplate('{collection}/{visit}')).toThrow(/no longer supported.*use 'run'/);
  });
  it('a literal # in the basename becomes HASH and dots become _', () => {
    expect(new FileTemplate('{run}/a.b/x#{visit}.y').format(ref())).toBe('run1/a.b/xHASH52_y');
  });
  it('a leading optional that is missing does not make the path absolute', () => {
    expect(new FileTemplate('{tract:?}/{run}/{visit}').format(ref())).toBe('run1/52');
  });
  it('record values come from records when attached', () => {
    const r = ref({ records: { visit: { name: 'v/52' } } });
    expect(new FileTemplate('{run}/{visit.name}/{visit}').format(r)).toBe('run1/v_52/52');
  });
});

describe('Python format-spec mini-language', () => {
  it.each([
    [52, '05d', '00052'],
    [52, '>6', '    52'],
    [52, '<6', '52    '],
    [52, '^6', '  52  '],
    [-5, '04d', '-005'],
    [1234567, ',', '1,234,567'],
    [255, 'x', 'ff'],
    [255, '#X', '0XFF'],
    ['abcdef', '.4s', 'abcd'],
    ['ab', '*>5', '***ab'],
    [3.14159, '.2f', '3.14'],
    [1.5e-7, 'g', '1.5e-07'],
  ] as const)('format(%j, %j) = %j', (value, spec, want) => {
    expect(formatWithSpec(value, spec)).toBe(want);
  });
  it('rejects str codes on ints and unknown specs', () => {
    expect(() => formatWithSpec(5, 's')).toThrow(/Unknown format code 's'/);
    expect(() => formatWithSpec('x', 'd')).toThrow(/Unknown format code 'd'/);
  });
  it('!r quotes like Python', () => {
    expect(applyConversion("it's", 'r')).toBe('"it\'s"');
    expect(applyConversion('a', 'r')).toBe("'a'");
  });
  it('parses {{ }} escapes and keeps trailing literal', () => {
    expect(parseFormatString('a{{b}}{x:>3}c')).toEqual([
      { literal: 'a{b}', field: 'x', spec: '>3', conversion: undefined },
      { literal: 'c', field: undefined, spec: '', conversion: undefined },
    ]);
    expect(() => parseFormatString('a}b')).toThrow(/Single '}'/);
  });
});

describe('FileTemplates configuration', () => {
  it('a nested key not of the form key<value> is an error', () => {
    expect(() => new FileTemplates({ calexp: { x: '{run}/{visit}' } })).toThrow(/Hierarchical key 'calexp' not in form 'key<value>'/);
  });
  it('a non-string truthy default is an error', () => {
    expect(() => new FileTemplates({ default: 5 })).toThrow(/Default template value should be a string/);
  });
  it('validateTemplates aggregates failures with the key used and reports unchecked keys', () => {
    const ts = new FileTemplates({ default: false, calexp: '{run}/{datasetType}/{instrument}_{visit}', pvi: '{run}/{datasetType}/{detector}_{visit}', unused: '{run}/{visit}' });
    expect(ts.validateTemplates([ref()]).uncheckedKeys).toEqual(['pvi', 'unused']);
    const bad = ref({ datasetType: { ...ref().datasetType, name: 'pvi' } });
    expect(() => ts.validateTemplates([ref(), bad])).toThrow(/is not a subset of .*\(via key 'pvi'\)/);
  });
  it('lookup names put instrument overrides first', () => {
    expect(lookupNames(ref()).map(String)).toEqual([
      "calexp ({'instrument': 'HSC'})",
      "band+instrument+physical_filter+visit ({'instrument': 'HSC'})",
      "ExposureF ({'instrument': 'HSC'})",
      'calexp',
      'band+instrument+physical_filter+visit',
      'ExposureF',
    ]);
  });
});
