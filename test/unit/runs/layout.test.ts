// Pure parts of the ISR/provenance UI: the layered layout (longest-path layers, barycentre order,
// no overlaps), path finding between two nodes, and the config form model (parse, range checks,
// overrides that keep only what differs from the defaults).
import { describe, expect, it } from 'vitest';
import { findPath, layeredLayout, LAYER_GAP } from '../../../renderer/src/provenance/layout.js';
import { formFields, getAt, parseText, setAt } from '../../../renderer/src/isr/configModel.js';

const box = (id: string) => ({ id, width: 100, height: 40 });

describe('layered layout', () => {
  it('puts each node one layer right of its deepest input and never overlaps a layer', () => {
    const nodes = ['raw', 'bias', 'q', 'post', 'q2', 'calexp'].map(box);
    const edges = [
      { source: 'raw', target: 'q' },
      { source: 'bias', target: 'q' },
      { source: 'q', target: 'post' },
      { source: 'post', target: 'q2' },
      { source: 'bias', target: 'q2' },
      { source: 'q2', target: 'calexp' },
    ];
    const { positions, engine } = layeredLayout(nodes, edges);
    expect(engine).toBe('layered');
    const layer = (id: string) => positions[id].x / (100 + LAYER_GAP);
    expect([layer('raw'), layer('bias'), layer('q'), layer('post'), layer('q2'), layer('calexp')]).toEqual([0, 0, 1, 2, 3, 4]);
    expect(Math.abs(positions.raw.y - positions.bias.y)).toBeGreaterThanOrEqual(40);
  });

  it('orders a layer by the barycentre of its inputs (no crossing where none is needed)', () => {
    // a→y, b→x: with ids sorted alone x would sit above y and the edges would cross.
    const { positions } = layeredLayout(['a', 'b', 'x', 'y'].map(box), [
      { source: 'a', target: 'y' },
      { source: 'b', target: 'x' },
    ]);
    expect(positions.a.y < positions.b.y).toBe(positions.y.y < positions.x.y);
  });

  it('places every node of a 20k-node tree and survives a cycle', () => {
    const nodes = Array.from({ length: 20_000 }, (_, i) => box(`n${i}`));
    const edges = nodes.slice(1).map((n, i) => ({ source: `n${Math.floor(i / 3)}`, target: n.id }));
    const r = layeredLayout(nodes, edges);
    expect(Object.keys(r.positions)).toHaveLength(20_000);
    const cyc = layeredLayout(['a', 'b'].map(box), [{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }]);
    expect(Object.keys(cyc.positions).sort()).toEqual(['a', 'b']);
  });
});

describe('path between two nodes', () => {
  const edges = [
    { source: 'raw', target: 'q' },
    { source: 'q', target: 'post' },
    { source: 'bias', target: 'q' },
  ];
  it('follows edges in either order of the two ends', () => {
    expect(findPath(edges, 'raw', 'post')).toEqual({ nodes: ['raw', 'q', 'post'], edges: [0, 1] });
    expect(findPath(edges, 'post', 'raw')).toEqual({ nodes: ['raw', 'q', 'post'], edges: [0, 1] });
  });
  it('says when there is none', () => {
    expect(findPath(edges, 'raw', 'bias')).toBeNull();
  });
});

describe('config form model', () => {
  const schema = {
    type: 'object',
    properties: {
      doBias: { type: 'boolean', default: true, 'x-group': 'Bias' },
      numEdgeSuspect: { type: 'integer', minimum: 0, default: 0, 'x-group': 'Defects' },
      saturation: { type: 'number', 'x-allowNaN': true, default: 'NaN', 'x-group': 'Saturation' },
      overscan: { type: 'object', 'x-group': 'Overscan', properties: { fitType: { type: 'string', enum: ['MEAN', 'MEDIAN'], default: 'MEDIAN' } } },
      maskList: { type: 'array', items: { type: 'string' }, default: ['SAT'], 'x-group': 'Interpolation' },
    },
  };
  it('groups nested config fields with their parent section', () => {
    const { groups, fields } = formFields(schema);
    expect(fields.map((f) => `${f.group}:${f.key}`)).toContain('Overscan:overscan.fitType');
    expect(groups).toEqual(['Bias', 'Defects', 'Saturation', 'Overscan', 'Interpolation']);
  });
  it('parses typed values and rejects bad ones with a reason', () => {
    expect(parseText(schema.properties.numEdgeSuspect, '12')).toEqual({ value: 12 });
    expect(parseText(schema.properties.numEdgeSuspect, '-1')).toEqual({ error: 'must be ≥ 0' });
    expect(parseText(schema.properties.numEdgeSuspect, '1.5')).toMatchObject({ error: expect.stringMatching(/integer/) });
    expect(parseText(schema.properties.saturation, 'nan')).toEqual({ value: 'NaN' });
    expect(parseText(schema.properties.maskList, 'SAT, BAD')).toEqual({ value: ['SAT', 'BAD'] });
  });
  it('keeps only values that differ from the defaults', () => {
    let o = setAt({}, ['overscan', 'fitType'], 'MEAN', 'MEDIAN');
    expect(o).toEqual({ overscan: { fitType: 'MEAN' } });
    expect(getAt(o, ['overscan', 'fitType'])).toBe('MEAN');
    o = setAt(o, ['overscan', 'fitType'], 'MEDIAN', 'MEDIAN');
    expect(o).toEqual({});
  });
});
