import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOutputCollections, collectionTimestamp, planOutputCollections, toTaskMetadataModel, defaultJobs } from '../../../core/pipe/execution/index.js';
import { CALIB, RAW_RUN, makeSimRepo, type SimRepo } from './fixture.js';

let repo: SimRepo;
beforeAll(async () => {
  repo = await makeSimRepo({ detectors: [0], exposures: [1001] });
}, 60_000);
afterAll(() => repo.butler.close());

describe('output collections (pipetask conventions)', () => {
  it('timestamps like obs_base', () => {
    expect(collectionTimestamp(new Date('2026-03-10T08:09:10.123Z'))).toBe('20260310T080910Z');
  });

  it('--output makes a timestamped RUN chained before the inputs; a second run is prepended', () => {
    const reg = repo.butler.registry;
    const first = planOutputCollections(reg, { output: 'u/me/a', inputs: [RAW_RUN, CALIB], now: new Date('2026-03-10T08:00:00Z') });
    expect(first).toEqual({ run: 'u/me/a/20260310T080000Z', inputs: [RAW_RUN, CALIB], chain: { name: 'u/me/a', children: ['u/me/a/20260310T080000Z', RAW_RUN, CALIB] }, extending: false });
    applyOutputCollections(reg, first);
    expect(reg.getCollectionChain('u/me/a')).toEqual(['u/me/a/20260310T080000Z', RAW_RUN, CALIB]);
    // Inputs default to the chain's non-output children.
    const second = planOutputCollections(reg, { output: 'u/me/a', now: new Date('2026-03-11T08:00:00Z') });
    expect(second.inputs).toEqual([RAW_RUN, CALIB]);
    expect(second.chain!.children).toEqual(['u/me/a/20260311T080000Z', 'u/me/a/20260310T080000Z', RAW_RUN, CALIB]);
    // --extend-run resumes the newest run of the chain.
    const resume = planOutputCollections(reg, { output: 'u/me/a', extendRun: true });
    expect(resume).toMatchObject({ run: 'u/me/a/20260310T080000Z', extending: true });
  });

  it('--output-run alone is a plain RUN; existing runs need --extend-run', () => {
    const reg = repo.butler.registry;
    const plan = planOutputCollections(reg, { outputRun: 'u/me/plain', inputs: [RAW_RUN, CALIB] });
    expect(plan).toEqual({ run: 'u/me/plain', inputs: [RAW_RUN, CALIB], extending: false });
    applyOutputCollections(reg, plan);
    expect(() => planOutputCollections(reg, { outputRun: 'u/me/plain', inputs: [RAW_RUN] })).toThrow(/output run 'u\/me\/plain' already exists; pass --extend-run/);
    expect(planOutputCollections(reg, { outputRun: 'u/me/plain', inputs: [RAW_RUN], extendRun: true }).extending).toBe(true);
  });

  it('clear errors', () => {
    const reg = repo.butler.registry;
    expect(() => planOutputCollections(reg, { inputs: [RAW_RUN] })).toThrow(/give an output/);
    expect(() => planOutputCollections(reg, { output: 'u/me/new' })).toThrow(/no input collections/);
    expect(() => planOutputCollections(reg, { output: 'u/me/new', inputs: ['missing'] })).toThrow(/input collection 'missing' does not exist/);
    expect(() => planOutputCollections(reg, { output: RAW_RUN, inputs: [CALIB] })).toThrow(/is a RUN collection, not CHAINED/);
    expect(() => planOutputCollections(reg, { outputRun: 'u/me/none', inputs: [RAW_RUN], extendRun: true })).toThrow(/does not exist \(nothing to resume\)/);
    expect(() => planOutputCollections(reg, { outputRun: RAW_RUN, inputs: [RAW_RUN, CALIB], extendRun: true })).toThrow(/is also an input/);
  });
});

describe('task metadata layout', () => {
  it('converts nested metadata to pipe_base TaskMetadata JSON', () => {
    expect(toTaskMetadataModel({ isr: { a: 1, s: 'x', ok: true, n: null, list: [1, 2], mixed: [1, 'b'], sub: { b: 2 } } })).toEqual({
      scalars: {},
      arrays: {},
      metadata: { isr: { scalars: { a: 1, s: 'x', ok: true, n: 'None' }, arrays: { list: [1, 2], mixed: ['1', 'b'] }, metadata: { sub: { scalars: { b: 2 }, arrays: {}, metadata: {} } } } },
    });
  });
});

describe('default worker count', () => {
  it('is all cores within half the memory at 700 MB per worker', async () => {
    const os = await import('node:os');
    expect(defaultJobs()).toBe(Math.max(1, Math.min(os.availableParallelism(), Math.floor((os.totalmem() * 0.5) / (700 * 1024 * 1024)))));
    expect(defaultJobs()).toBeGreaterThanOrEqual(1);
  });
});
