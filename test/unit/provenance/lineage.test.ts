import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetType, type DatasetRef } from '../../../core/datasets/index.js';
import { Registry } from '../../../core/registry/index.js';
import { datasetLineage, getQuantum, hasProvenance, lineageToDot, lineageToMermaid, summarizeRuns, producerOf, queryQuanta, recordQuantum, type Lineage } from '../../../core/provenance/index.js';

// A two-step chain: a --q1--> b, b2 ; b + d (prerequisite) --q2--> c.
let registry: Registry;
const refs: Record<string, DatasetRef> = {};
const Q1 = '11111111-1111-4111-8111-111111111111';
const Q2 = '22222222-2222-4222-8222-222222222222';

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'prov-'));
  registry = Registry.create(join(dir, 'gen3.sqlite3'));
  registry.registerRun('r');
  for (const name of ['a', 'b', 'b2', 'c', 'd']) {
    registry.registerDatasetType(DatasetType.fromNames(registry.dimensions, name, [], 'StructuredDataDict'));
    refs[name] = registry.insertDatasets(name, [{}], 'r')[0];
  }
  expect(hasProvenance(registry.db)).toBe(false);
  const when = new Date('2024-01-01T00:00:00Z');
  recordQuantum(registry.db, {
    id: Q1, taskLabel: 'isr', taskClass: 'lsst.ip.isr.isrTask.IsrTask', run: 'r', dataId: { detector: 1 }, status: 'succeeded', startTime: when, endTime: new Date(when.getTime() + 1000),
    inputs: [{ connection: 'ccdExposure', ref: refs.a }], prerequisites: [], outputs: [{ connection: 'outputExposure', ref: refs.b }, { connection: 'log', ref: refs.b2 }],
  });
  recordQuantum(registry.db, {
    id: Q2, taskLabel: 'next', taskClass: 'example.NextTask', run: 'r', dataId: { detector: 1 }, status: 'succeeded', startTime: when, endTime: when,
    inputs: [{ connection: 'in', ref: refs.b }], prerequisites: [{ connection: 'calib', ref: refs.d }], outputs: [{ connection: 'out', ref: refs.c }],
  });
});
afterAll(() => registry.close());

const ids = (l: Lineage, kind: 'dataset' | 'quantum') => l.nodes.filter((n) => n.kind === kind).map((n) => n.id).sort();
const edges = (l: Lineage) => l.edges.map((e) => `${e.source}>${e.target}:${e.kind}`).sort();

describe('provenance store', () => {
  it('records quanta with inputs, prerequisites and outputs', () => {
    expect(hasProvenance(registry.db)).toBe(true);
    const q = getQuantum(registry.db, Q2)!;
    expect(q.inputs).toEqual([
      { datasetId: refs.b.id, connection: 'in', kind: 'input', datasetType: 'b', run: 'r' },
      { datasetId: refs.d.id, connection: 'calib', kind: 'prerequisite', datasetType: 'd', run: 'r' },
    ]);
    expect(q.outputs).toEqual([{ datasetId: refs.c.id, connection: 'out', datasetType: 'c', run: 'r' }]);
    expect(producerOf(registry.db, refs.c.id)).toBe(Q2);
    expect(producerOf(registry.db, refs.a.id)).toBeNull();
    expect(queryQuanta(registry.db, { run: 'r' }).map((x) => x.id).sort()).toEqual([Q1, Q2]);
  });

  it('refuses a second producer for a dataset', () => {
    expect(() =>
      recordQuantum(registry.db, { id: '33333333-3333-4333-8333-333333333333', taskLabel: 'x', taskClass: 'x', run: 'r', dataId: {}, status: 'succeeded', startTime: new Date(), endTime: new Date(), inputs: [], prerequisites: [], outputs: [{ connection: 'o', ref: refs.c }] }),
    ).toThrow(/UNIQUE/);
    expect(getQuantum(registry.db, '33333333-3333-4333-8333-333333333333')).toBeNull();
  });
});

describe('datasetLineage', () => {
  it('ancestors one hop: the producing quantum and its inputs only', () => {
    const l = datasetLineage(registry, refs.c.id, { direction: 'ancestors', depth: 1 });
    expect(ids(l, 'quantum')).toEqual([Q2]);
    expect(ids(l, 'dataset')).toEqual([refs.b.id, refs.c.id, refs.d.id].sort());
    expect(edges(l)).toEqual([`${refs.b.id}>${Q2}:input`, `${refs.d.id}>${Q2}:prerequisite`, `${Q2}>${refs.c.id}:output`].sort());
  });

  it('ancestors all the way', () => {
    const l = datasetLineage(registry, refs.c.id, { direction: 'ancestors' });
    expect(ids(l, 'quantum')).toEqual([Q1, Q2].sort());
    expect(ids(l, 'dataset')).toEqual([refs.a.id, refs.b.id, refs.b2.id, refs.c.id, refs.d.id].sort());
    const q1 = l.nodes.find((n) => n.id === Q1)!;
    expect(q1.hops).toBe(2);
    expect(l.nodes.find((n) => n.id === refs.a.id)!.hops).toBe(2);
    expect(l.depth).toBeNull();
  });

  it('descendants by hops', () => {
    const one = datasetLineage(registry, refs.a.id, { direction: 'descendants', depth: 1 });
    expect(ids(one, 'quantum')).toEqual([Q1]);
    expect(ids(one, 'dataset')).toEqual([refs.a.id, refs.b.id, refs.b2.id].sort());
    const all = datasetLineage(registry, refs.a.id, { direction: 'descendants' });
    expect(ids(all, 'quantum')).toEqual([Q1, Q2].sort());
    expect(ids(all, 'dataset')).toEqual([refs.a.id, refs.b.id, refs.b2.id, refs.c.id].sort());
    // d is context of q2, not a descendant of a.
    expect(all.edges.some((e) => e.source === refs.d.id)).toBe(false);
    expect(edges(all)).toContain(`${refs.b.id}>${Q2}:input`);
  });

  it('both directions, depth 0, and a middle dataset', () => {
    const both = datasetLineage(registry, refs.b.id, { depth: 1 });
    expect(ids(both, 'quantum')).toEqual([Q1, Q2].sort());
    // d feeds q2 but is neither an ancestor nor a descendant of b.
    expect(ids(both, 'dataset')).toEqual([refs.a.id, refs.b.id, refs.b2.id, refs.c.id].sort());
    const zero = datasetLineage(registry, refs.b.id, { depth: 0 });
    expect(zero.nodes.map((n) => n.id)).toEqual([refs.b.id]);
    expect(zero.edges).toEqual([]);
  });

  it('keeps pruned datasets as nodes that no longer exist; unknown ids are an error', () => {
    registry.removeDatasets([refs.a]);
    const l = datasetLineage(registry, refs.c.id, { direction: 'ancestors' });
    const a = l.nodes.find((n) => n.id === refs.a.id);
    expect(a).toMatchObject({ kind: 'dataset', exists: false, datasetType: 'a', run: 'r' });
    expect(() => datasetLineage(registry, '99999999-9999-4999-8999-999999999999')).toThrow(/not in this repository/);
    expect(() => datasetLineage(registry, refs.c.id, { depth: -1 })).toThrow(/depth/);
  });
});

describe('graph export', () => {
  it('DOT and Mermaid carry every node and edge', () => {
    const l = datasetLineage(registry, refs.c.id, { direction: 'ancestors', depth: 1 });
    const dot = lineageToDot(l);
    expect(dot.startsWith('digraph lineage {')).toBe(true);
    for (const n of l.nodes) expect(dot).toContain(`"${n.id}" [shape=${n.kind === 'dataset' ? 'box' : 'ellipse'}`);
    expect(dot).toContain(`"${refs.d.id}" -> "${Q2}" [label="calib", style=dashed]`);
    expect(dot.match(/ -> /g)).toHaveLength(l.edges.length);
    const mm = lineageToMermaid(l);
    expect(mm.split('\n')[0]).toBe('flowchart LR');
    expect(mm.match(/-->|-\.->/g)).toHaveLength(l.edges.length);
    expect(mm).toContain('-.->|calib|');
  });
});

describe('run summary (task × dataset type)', () => {
  it('aggregates quanta and links by task and dataset type', () => {
    const s = summarizeRuns(registry.db, ['r']);
    const tasks = s.nodes.filter((n) => n.kind === 'task');
    expect(tasks.map((t) => [t.id, t.kind === 'task' ? t.quanta : 0])).toEqual([['task:isr', 1], ['task:next', 1]]);
    const types = s.nodes.filter((n) => n.kind === 'datasetType').map((n) => n.id);
    expect(types).toEqual(['type:a', 'type:b', 'type:b2', 'type:c', 'type:d']);
    expect(s.edges).toContainEqual({ source: 'type:d', target: 'task:next', kind: 'prerequisite', connection: 'calib', count: 1 });
    expect(s.edges).toContainEqual({ source: 'task:isr', target: 'type:b', kind: 'output', connection: 'outputExposure', count: 1 });
    expect(s.edges).toHaveLength(6);
    expect(summarizeRuns(registry.db, ['other'])).toEqual({ runs: ['other'], nodes: [], edges: [] });
  });
});
