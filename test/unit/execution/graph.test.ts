import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIsrGraph, EmptyGraphError, MissingPrerequisitesError } from '../../../core/pipe/graph/index.js';
import { makeIsrConfig } from '../../../core/isr/presets.js';
import { CALIB, RAW_RUN, makeSimRepo, simConfig, type SimRepo } from './fixture.js';

let repo: SimRepo;
let partial: SimRepo;
beforeAll(async () => {
  repo = await makeSimRepo();
  partial = await makeSimRepo({ detectors: [0, 1], exposures: [1001], calibs: ['bias', 'flat'] });
}, 60_000);
afterAll(() => {
  repo.butler.close();
  partial.butler.close();
});

describe('buildIsrGraph', () => {
  it('makes one quantum per raw with its calibrations found by exposure time', () => {
    const g = buildIsrGraph(repo.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig(), taskName: 'IsrTask', outputRun: 'out/run' });
    expect(g.quanta).toHaveLength(6);
    expect(g.missing).toEqual([]);
    expect(new Set(g.quanta.map((q) => q.id)).size).toBe(6);
    // Sorted by detector, then exposure.
    expect(g.quanta.map((q) => `${q.detector}/${q.exposure}`)).toEqual(['0/1001', '0/1002', '1/1001', '1/1002', '2/1001', '2/1002']);
    for (const q of g.quanta) {
      expect(q.raw.datasetType.name).toBe('raw');
      expect(Number(q.raw.dataId.values.detector)).toBe(q.detector);
      expect(Object.keys(q.calibrations).sort()).toEqual(['bias', 'dark', 'flat']);
      expect(Number(q.calibrations.bias!.dataId.values.detector)).toBe(q.detector);
      expect(q.calibrations.flat!.dataId.values.physical_filter).toBe('r.MP9601');
    }
  });

  it('applies the where expression', () => {
    const g = buildIsrGraph(repo.butler.registry, { inputCollections: [RAW_RUN, CALIB], where: 'exposure = 1002 AND detector IN (0, 2)', config: simConfig(), taskName: 'IsrTask', outputRun: 'out/run' });
    expect(g.quanta.map((q) => `${q.detector}/${q.exposure}`)).toEqual(['0/1002', '2/1002']);
  });

  it('reports missing calibrations per quantum, naming exposure, detector, dataset type and collection', () => {
    let err: unknown;
    try {
      buildIsrGraph(partial.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig(), taskName: 'IsrTask', outputRun: 'out/run' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingPrerequisitesError);
    const m = (err as MissingPrerequisitesError).missing;
    expect(m.map((x) => `${x.exposure}/${x.detector}/${x.datasetType}`)).toEqual(['1001/0/dark', '1001/1/dark']);
    expect((err as Error).message).toContain('exposure 1001, detector 0');
    expect((err as Error).message).toContain("'dark'");
    expect((err as Error).message).toContain(CALIB);
  });

  it('does not require a calibration the config turns off', () => {
    const g = buildIsrGraph(partial.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig({ doDark: false }), taskName: 'IsrTask', outputRun: 'out/run' });
    expect(g.quanta).toHaveLength(2);
    for (const q of g.quanta) expect(Object.keys(q.calibrations).sort()).toEqual(['bias', 'flat']);
  });

  it('needs defects with the default config (doDefect=true) and says so', () => {
    const config = makeIsrConfig('IsrTask');
    expect(() => buildIsrGraph(repo.butler.registry, { inputCollections: [RAW_RUN, CALIB], config, taskName: 'IsrTask', outputRun: 'out/run' })).toThrow(/no 'defects'.*not registered/);
  });

  it('skipMissing leaves those quanta out and reports them', () => {
    const g = buildIsrGraph(partial.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig(), taskName: 'IsrTask', outputRun: 'out/run', skipMissing: true });
    expect(g.quanta).toHaveLength(0);
    expect(g.missing).toHaveLength(2);
  });

  it('finds no calibrations without the CALIBRATION collection in the inputs', () => {
    expect(() => buildIsrGraph(repo.butler.registry, { inputCollections: [RAW_RUN], config: simConfig(), taskName: 'IsrTask', outputRun: 'out/run' })).toThrow(MissingPrerequisitesError);
  });

  it('fails clearly on an empty selection and unknown collections', () => {
    expect(() => buildIsrGraph(repo.butler.registry, { inputCollections: [RAW_RUN, CALIB], where: 'exposure = 999', config: simConfig(), taskName: 'IsrTask', outputRun: 'o' })).toThrow(EmptyGraphError);
    expect(() => buildIsrGraph(repo.butler.registry, { inputCollections: ['nope'], config: simConfig(), taskName: 'IsrTask', outputRun: 'o' })).toThrow(/nope/);
  });
});
