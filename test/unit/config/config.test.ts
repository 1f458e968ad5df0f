// Every behaviour in ../shared/reference/config_cases.json, as unit tests, plus the
// file-based behaviours (includes, search paths, cls defaults, butler.yaml).
import { describe, expect, it, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ButlerConfig,
  Config,
  ConfigSubset,
  registerConfigClass,
  replaceRoot,
  type ConfigSubsetSpec,
} from '../../../core/config/index.js';

const fixtures = resolve(__dirname, '../../fixtures/config');
const inc = (f: string) => join(fixtures, 'includes', f);

class Sub extends ConfigSubset {
  static override spec: ConfigSubsetSpec = { component: 'datastore', requiredKeys: ['root'] };
}
class ConfigTest extends ConfigSubset {
  static override spec: ConfigSubsetSpec = { component: 'comp', requiredKeys: ['item1', 'item2'], defaultConfigFile: 'config.yaml' };
}
registerConfigClass('test_config.ExampleWithConfigFileReference', { defaultConfigFile: 'viacls.yaml' });

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('Config key access (cases 1-5, 10)', () => {
  const c = new Config({ a: { b: { c: 1 } } });
  it('1: a leading non-alphanumeric character is the delimiter', () => {
    expect(c.get('.a.b.c')).toBe(1);
  });
  it('2: any non-alphanumeric delimiter works', () => {
    expect([c.get('/a/b/c'), c.get(':a:b:c'), c.get('⇛a⇛b⇛c')]).toEqual([1, 1, 1]);
  });
  it('3: an alphanumeric first character means one literal key', () => {
    expect(new Config({ a: { b: 'nested' }, 'a.b': 'literal' }).get('a.b')).toBe('literal');
  });
  it('4: tuple keys are explicit paths', () => {
    expect(c.getPath('a', 'b', 'c')).toBe(1);
    expect(c.get(['a', 'b', 'c'])).toBe(1);
  });
  it('5: a dotted key without a leading delimiter is not hierarchical (KeyError)', () => {
    const d = new Config({ a: { b: 1 } });
    expect(d.get('a.b')).toBeUndefined();
    expect(() => d.require('a.b')).toThrow(expect.objectContaining({ name: 'KeyError' }));
  });
  it('10: integer path parts index into lists; list membership counts for "in"', () => {
    const l = new Config({ l: [1, { k: 'v' }, 'hello'] });
    expect(l.get('.l.1.k')).toBe('v');
    expect(l.has('.l.hello')).toBe(true);
    expect(l.has('.l.nope')).toBe(false);
  });
});

describe('Config escaping, set, delete (cases 6, 7)', () => {
  it('6: a backslash escapes the delimiter', () => {
    const c = new Config({ a: { 'foo.bar': 1 } });
    expect(c.get('.a.foo\\.bar')).toBe(1);
    expect(c.get(':a:foo.bar')).toBe(1);
  });
  it('escaping an escaped delimiter and \\r are rejected with ValueError', () => {
    const c = new Config({ a: 1 });
    expect(() => c.get('.a\\\\.b')).toThrow(expect.objectContaining({ name: 'ValueError' }));
    expect(() => c.get('.a\rb')).toThrow(expect.objectContaining({ name: 'ValueError' }));
  });
  it('7: setting a hierarchical key creates intermediate dicts; delete does not prune', () => {
    const c = new Config();
    c.set('.x.y.z', 5);
    expect(c.toDict()).toEqual({ x: { y: { z: 5 } } });
    const d = new Config({ a: { b: 1 } });
    d.delete('.a.b');
    expect(d.toDict()).toEqual({ a: {} });
  });
});

describe('Config update/merge (cases 8, 9)', () => {
  it('8: update() is a deep merge where new values win', () => {
    expect(new Config({ a: { b: 1, keep: 2 } }).update({ a: { b: 10, new: 3 } }).toDict()).toEqual({ a: { b: 10, keep: 2, new: 3 } });
  });
  it('9: merge() only adds missing keys', () => {
    expect(new Config({ a: 1, c: 3 }).merge({ a: 4, b: 2 }).toDict()).toEqual({ a: 1, b: 2, c: 3 });
  });
  it('merge() with a non-mapping is a TypeError', () => {
    expect(() => new Config({}).merge([1, 2] as unknown as Record<string, number>)).toThrow(expect.objectContaining({ name: 'TypeError' }));
  });
});

describe('Config includes (cases 11-14)', () => {
  it('11: includeConfigs at the root, explicit values win', () => {
    expect(new Config(inc('child.yaml')).toDict()).toEqual({
      datastore: { root: '/data/override', templates: { default: '{run}/{datasetType}_{id}' } },
      registry: { db: 'sqlite:///<butlerRoot>/gen3.sqlite3' },
    });
  });
  it('12: an includeConfigs list: later files override earlier, explicit overrides all', () => {
    expect(new Config(inc('multi.yaml')).toDict()).toEqual({ x: 'explicit', y: 'from_b', z: 'from_a' });
  });
  it('13: the !include tag (scalar, list, mapping) is relative to the including file', () => {
    const a = { x: 'from_a', y: 'from_a', z: 'from_a' };
    expect(new Config(inc('inc.yaml')).toDict()).toEqual({ top: a, lst: [a, { y: 'from_b' }] });
    expect(new Config(inc('incmap.yaml')).toDict()).toEqual({ comp5: { comp6: { y: 'from_b' } } });
  });
  it('14: includeConfigs values get env-var expansion and merge at their level', () => {
    process.env.CFGDEMO_DIR = join(fixtures, 'includes');
    expect(new Config(inc('env.yaml')).toDict()).toEqual({ sub: { x: 'from_a', y: 'explicit', z: 'from_a' } });
  });
  it('a missing relative include is a RuntimeError naming the file', () => {
    expect(() => new Config(inc('missing.yaml'))).toThrow(/Unable to find referenced include file: does_not_exist\.yaml/);
  });
  it('a missing absolute include is FileNotFoundError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'x.yaml'), 'includeConfigs: /nonexistent/abs.yaml\n');
    expect(() => new Config(join(dir, 'x.yaml'))).toThrow(expect.objectContaining({ name: 'FileNotFoundError' }));
  });
  it('includes may name daf_butler packaged defaults (resource://) and file:// URIs', () => {
    const c = new Config(inc('resource.yaml'));
    expect(c.get('.datastore.root')).toBe('/elsewhere');
    expect(c.get('.datastore.records.table')).toBe('file_datastore_records');
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'u.yaml'), `top: !include file://${inc('b.yaml')}\nincludeConfigs: file://${inc('a.yaml')}\n`);
    expect(new Config(join(dir, 'u.yaml')).toDict()).toEqual({ top: { y: 'from_b' }, x: 'from_a', y: 'from_a', z: 'from_a' });
    writeFileSync(join(dir, 'v.yaml'), 'includeConfigs: resource://lsst.daf.butler/configs/nope.yaml\n');
    expect(() => new Config(join(dir, 'v.yaml'))).toThrow(/is not one of the packaged defaults/);
    writeFileSync(join(dir, 'w.yaml'), 'includeConfigs: s3://bucket/x.yaml\n');
    expect(() => new Config(join(dir, 'w.yaml'))).toThrow(/only local files, file:\/\/ URIs and resource:\/\/lsst\.daf\.butler\/configs\/ are supported/);
  });

  it('other extensions are refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'x.ini'), 'a=1');
    expect(() => new Config(join(dir, 'x.ini'))).toThrow(/Unhandled config file type/);
  });
});

describe('Config names/asArray (cases 15-17)', () => {
  it('15: names() uses U+2192 and lists intermediate nodes', () => {
    expect(new Config({ a: { b: 1 } }).names()).toEqual(['→a', '→a→b']);
  });
  it('names() switches delimiter when a key contains U+2192', () => {
    const names = new Config({ 'x→y': { b: 1 } }).names();
    expect(names).toHaveLength(2);
    expect(names[0].startsWith('→')).toBe(false);
  });
  it('16: names(".") escapes dots inside keys', () => {
    expect(new Config({ f: { 'calexp.wcs': 1 } }).names('.')).toEqual(['.f', '.f.calexp\\.wcs']);
  });
  it('17: nested mappings come back as Config; asArray wraps scalars', () => {
    expect(new Config({ a: 5 }).asArray('a')).toEqual([5]);
    expect(new Config({ a: { b: 1 } }).getConfig('a')).toBeInstanceOf(Config);
  });
});

describe('ConfigSubset (cases 18-20, search paths, cls defaults)', () => {
  it('18: a component keeps only its subtree', () => {
    expect(new Sub({ datastore: { root: 'r', x: 1 }, registry: { db: 'y' } }).toDict()).toEqual({ root: 'r', x: 1 });
  });
  it('19: the bare subtree is accepted', () => {
    expect(new Sub({ root: 'r2' }).toDict()).toEqual({ root: 'r2' });
  });
  it('20: requiredKeys are validated after merging', () => {
    expect(() => new Sub({ x: 1 })).toThrow(/Mandatory keys \(\["root"\]\) missing from supplied configuration for Sub/);
  });
  it('search paths: earlier entries have higher priority; every file contributes', () => {
    const t1 = new ConfigTest(undefined, { searchPaths: [join(fixtures, 'test2'), join(fixtures, 'testConfigs')] });
    expect(t1.get('item3')).toBe('override');
    expect(t1.get('item4')).toBe('new');
    const t2 = new ConfigTest(undefined, { searchPaths: [join(fixtures, 'testConfigs'), join(fixtures, 'test2')] });
    expect(t2.get('item3')).toBe(3);
    expect(t2.get('item4')).toBe('new');
  });
  it('$DAF_BUTLER_CONFIG_PATH acts like searchPaths; unset means required keys are missing', () => {
    process.env.DAF_BUTLER_CONFIG_PATH = join(fixtures, 'testConfigs');
    expect(new ConfigTest().get('item3')).toBe(3);
    delete process.env.DAF_BUTLER_CONFIG_PATH;
    expect(() => new ConfigTest()).toThrow(expect.objectContaining({ name: 'KeyError' }));
  });
  it('cls-driven defaults: class file over base defaults, user values over both', () => {
    const c = new ConfigTest(join(fixtures, 'testConfigs', 'withcls.yaml'), { searchPaths: [join(fixtures, 'testConfigs')] });
    expect(c.get('item50')).toBe(50);
    expect(c.get('help')).toBe('derived');
    expect(c.get('item1')).toBe(1);
  });
});

describe('Serialization and ButlerConfig (cases 20-22)', () => {
  it('dump/fromString round-trips YAML and JSON; JSON parses as YAML', () => {
    const c = new Config({ a: { b: [1, 2] }, s: 'x' });
    expect(Config.fromString(c.dump('yaml')).toDict()).toEqual(c.toDict());
    expect(Config.fromString(c.dump('json'), 'json').toDict()).toEqual(c.toDict());
    expect(Config.fromString(c.dump('json'), 'yaml').toDict()).toEqual(c.toDict());
  });
  it('dumpToFile writes butler.yaml into a directory and refuses to overwrite when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const c = new Config({ a: 1 });
    const path = c.dumpToFile(dir);
    expect(path).toBe(join(dir, 'butler.yaml'));
    expect(c.configFile).toBe(path);
    expect(readFileSync(path, 'utf8')).toContain('a: 1');
    expect(() => c.dumpToFile(dir, { overwrite: false })).toThrow(expect.objectContaining({ name: 'FileExistsError' }));
  });
  it('ButlerConfig merges packaged defaults under the real butler.yaml and replaces <butlerRoot>', () => {
    const repo = resolve(__dirname, '../../../../shared/data/daf_butler/lsstcam_raw_repo');
    const bc = new ButlerConfig(repo);
    expect(bc.configDir).toBe(repo);
    expect(bc.get('.datastore.records.table')).toBe('file_datastore_records');
    expect(bc.get('.datastore.templates.default')).toMatch(/^\{run:\/\}/);
    expect(bc.get('.registry.managers.datasets')).toContain('ByDimensionsDatasetRecordStorageManagerUUID');
    const replaced = replaceRoot(bc, bc.butlerRoot() ?? '');
    expect(replaced.get('.registry.db')).toBe(`sqlite:///${repo}/gen3.sqlite3`);
    expect(replaced.get('.datastore.root')).toBe(repo);
  });
  it('a top-level root: key overrides the butler.yaml directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'butler.yaml'), 'root: /elsewhere\ndatastore:\n  root: <butlerRoot>\n');
    const bc = new ButlerConfig(dir);
    expect(replaceRoot(bc, bc.butlerRoot() ?? '').get('.datastore.root')).toBe('/elsewhere');
  });
  it('a directory without butler.yaml is a clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    expect(() => new ButlerConfig(dir)).toThrow(/is not a butler repository: no butler\.yaml/);
  });
});
