import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Exposure } from '../../../core/image/index.js';
import { buildIsrGraph, type IsrQuantumGraph } from '../../../core/pipe/graph/index.js';
import { executeIsrGraph, IsrExecutor, type ExecutionEvent } from '../../../core/pipe/execution/index.js';
import { getQuantum, queryQuanta, readProvenance } from '../../../core/provenance/index.js';
import { CALIB, DEFECT_BOX, RAW_RUN, makeSimRepo, simConfig, type SimRepo } from './fixture.js';

const repos: SimRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.butler.close();
});

async function repo(options: Parameters<typeof makeSimRepo>[0] = {}): Promise<SimRepo> {
  const r = await makeSimRepo(options);
  repos.push(r);
  return r;
}

function graph(r: SimRepo, run = 'out/run', where?: string): IsrQuantumGraph {
  return buildIsrGraph(r.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig(), taskName: 'IsrTask', outputRun: run, ...(where ? { where } : {}) });
}

function localPath(uri: string): string {
  return uri.startsWith('file://') ? fileURLToPath(uri) : uri;
}

/** Every postISRCCD in the run has its file, its isr_metadata/isr_log and a succeeded quantum row. */
function checkConsistent(r: SimRepo, run: string): number {
  const reg = r.butler.registry;
  const outs = reg.queryDatasets('postISRCCD', { collections: [run] });
  const metas = reg.queryDatasets('isr_metadata', { collections: [run] });
  const logs = reg.queryDatasets('isr_log', { collections: [run] });
  expect(metas).toHaveLength(outs.length);
  expect(logs).toHaveLength(outs.length);
  const succeeded = queryQuanta(reg.db, { run, status: 'succeeded' });
  expect(succeeded).toHaveLength(outs.length);
  for (const ref of outs) {
    expect(existsSync(localPath(r.butler.getURI(ref)))).toBe(true);
    const producer = succeeded.find((q) => q.outputs.some((o) => o.datasetId === ref.id));
    expect(producer, `postISRCCD ${ref.id} has a producing quantum`).toBeDefined();
  }
  return outs.length;
}

describe('IsrExecutor', () => {
  it('runs every quantum in parallel workers, writes outputs with provenance, emits events', async () => {
    const r = await repo();
    const g = graph(r);
    const events: ExecutionEvent[] = [];
    const report = await executeIsrGraph(r.butler, g, { jobs: 2, onEvent: (e) => events.push(e) });
    expect(report.status).toBe('succeeded');
    expect(report.counts).toMatchObject({ succeeded: 6, failed: 0, cancelled: 0, notRun: 0, total: 6 });
    expect(events[0]).toMatchObject({ type: 'start', total: 6, jobs: 2 });
    expect(events.filter((e) => e.type === 'quantum-start')).toHaveLength(6);
    expect(events.filter((e) => e.type === 'quantum-done')).toHaveLength(6);
    expect(events.some((e) => e.type === 'log' && e.record.name.startsWith('lsst.isr'))).toBe(true);
    const last = events[events.length - 1];
    expect(last.type).toBe('finish');
    expect(checkConsistent(r, 'out/run')).toBe(6);

    // The output is ISR'd pixels (trimmed to the detector), with the provenance cards.
    const q = g.quanta[0];
    const res = report.quanta.find((x) => x.id === q.id)!;
    const ref = r.butler.registry.getDataset(res.outputs!.exposure)!;
    const out = (await r.butler.get(ref)) as Exposure;
    expect(out.width).toBe(128);
    expect(out.height).toBe(40);
    const prov = readProvenance(out.metadata!);
    expect(prov['lsst.butler.id']).toBe(ref.id);
    expect(prov['lsst.butler.quantum']).toBe(q.id);
    expect(prov['lsst.butler.datasettype']).toBe('postISRCCD');
    expect(prov['lsst.butler.dataid.detector']).toBe(q.detector);
    expect(prov['lsst.butler.n_inputs']).toBe(4);
    expect(prov['lsst.butler.input.0.id']).toBe(q.raw.id);
    expect(prov['lsst.butler.input.1.datasettype']).toBe('bias');

    // Provenance row: inputs, prerequisites, outputs, config, log.
    const row = getQuantum(r.butler.registry.db, q.id)!;
    expect(row.status).toBe('succeeded');
    expect(row.taskClass).toBe('lsst.ip.isr.isrTask.IsrTask');
    expect(row.inputs.map((i) => `${i.kind}:${i.connection}`).sort()).toEqual(['input:ccdExposure', 'prerequisite:bias', 'prerequisite:dark', 'prerequisite:flat']);
    expect(row.outputs.map((o) => o.connection).sort()).toEqual(['log', 'metadata', 'outputExposure']);
    expect(row.packages['butler-desktop']).toMatch(/^\d+\.\d+/);
    expect(row.host.length).toBeGreaterThan(0);
    expect(Date.parse(row.endTime)).toBeGreaterThanOrEqual(Date.parse(row.startTime));
    const config = (await r.butler.get(r.butler.registry.getDataset(row.configDatasetId!)!)) as Record<string, unknown>;
    expect(config._task).toBe('IsrTask');
    expect(config.doDefect).toBe(false);
    const logRef = r.butler.registry.getDataset(row.outputs.find((o) => o.connection === 'log')!.datasetId)!;
    const log = (await r.butler.get(logRef)) as Array<{ name: string; levelname: string; message: string }>;
    expect(log.some((l) => l.message.includes(`quantum ${q.id}`))).toBe(true);
    const metaRef = r.butler.registry.getDataset(row.outputs.find((o) => o.connection === 'metadata')!.datasetId)!;
    // pipe_base's TaskMetadata layout: {scalars, arrays, metadata: {isr: {...}, ...}}.
    const meta = (await r.butler.get(metaRef)) as { scalars: object; arrays: object; metadata: Record<string, { scalars: Record<string, unknown> }> };
    expect(Object.keys(meta).sort()).toEqual(['arrays', 'metadata', 'scalars']);
    expect(Object.keys(meta.metadata)).toContain('isr');
    expect(Object.keys(meta.metadata.isr.scalars).length).toBeGreaterThan(0);
  }, 120_000);

  it('isolates a failing quantum; the others complete', async () => {
    const r = await repo({ broken: [{ exposure: 1001, detector: 1 }] });
    const report = await executeIsrGraph(r.butler, graph(r), { jobs: 2 });
    expect(report.status).toBe('failed');
    expect(report.counts).toMatchObject({ succeeded: 5, failed: 1, notRun: 0 });
    const bad = report.quanta.find((q) => q.status === 'failed')!;
    expect(bad).toMatchObject({ exposure: 1001, detector: 1 });
    expect(bad.error).toMatch(/is 20×10 but detector ccd01 expects 144×44/);
    const row = getQuantum(r.butler.registry.db, bad.id)!;
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/is 20×10 but detector ccd01 expects 144×44/);
    expect(row.outputs).toEqual([]);
    expect(row.logRecords!.some((l) => l.level === 'ERROR')).toBe(true);
    expect(checkConsistent(r, 'out/run')).toBe(5);
  }, 120_000);

  it('fail-fast stops at the first failure', async () => {
    const r = await repo({ broken: [{ exposure: 1001, detector: 0 }] });
    const report = await executeIsrGraph(r.butler, graph(r), { jobs: 1, failFast: true });
    expect(report.status).toBe('cancelled');
    expect(report.stopReason).toMatch(/fail-fast/);
    expect(report.counts.failed).toBe(1);
    expect(report.counts.succeeded).toBe(0);
    expect(report.counts.notRun).toBe(5);
    expect(checkConsistent(r, 'out/run')).toBe(0);
  }, 120_000);

  it('cancellation mid-run: running quantum cancelled, repo consistent, resume runs only the rest', async () => {
    const r = await repo();
    const controller = new AbortController();
    const g = graph(r);
    let starts = 0;
    const ex = new IsrExecutor(r.butler, g, { jobs: 1, signal: controller.signal });
    ex.on('event', (e: ExecutionEvent) => {
      if (e.type === 'quantum-start' && ++starts === 3) controller.abort();
    });
    const report = await ex.run();
    expect(report.status).toBe('cancelled');
    expect(report.counts).toMatchObject({ succeeded: 2, cancelled: 1, notRun: 3, failed: 0 });
    expect(queryQuanta(r.butler.registry.db, { run: 'out/run', status: 'cancelled' })).toHaveLength(1);
    expect(checkConsistent(r, 'out/run')).toBe(2);

    const resumed = graph(r);
    expect(resumed.alreadyDone).toHaveLength(2);
    expect(resumed.quanta).toHaveLength(4);
    const doneIds = new Set(report.quanta.filter((q) => q.status === 'succeeded').map((q) => `${q.exposure}/${q.detector}`));
    for (const q of resumed.quanta) expect(doneIds.has(`${q.exposure}/${q.detector}`)).toBe(false);
    const second = await executeIsrGraph(r.butler, resumed, { jobs: 2 });
    expect(second.status).toBe('succeeded');
    expect(second.counts).toMatchObject({ succeeded: 4, alreadyDone: 2 });
    expect(checkConsistent(r, 'out/run')).toBe(6);
    // Everything done: nothing to run, no worker started, an honest report.
    const none = graph(r);
    expect(none.quanta).toHaveLength(0);
    const third = await executeIsrGraph(r.butler, none, { jobs: 2 });
    expect(third).toMatchObject({ status: 'succeeded', counts: { succeeded: 0, alreadyDone: 6, total: 0 } });
  }, 120_000);

  it('applies certified defects (prerequisite found by the graph, read in the worker)', async () => {
    const r = await repo({ detectors: [0], exposures: [1001], defects: true });
    const g = buildIsrGraph(r.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig({ doDefect: true, doInterpolate: false }), taskName: 'IsrTask', outputRun: 'out/run' });
    expect(Object.keys(g.quanta[0].calibrations).sort()).toEqual(['bias', 'dark', 'defects', 'flat']);
    const report = await executeIsrGraph(r.butler, g, { jobs: 1 });
    expect(report.status).toBe('succeeded');
    const out = (await r.butler.get(r.butler.registry.getDataset(report.quanta[0].outputs!.exposure)!)) as Exposure;
    const bad = out.mask.getPlaneBitMask('BAD');
    expect(out.mask.get(DEFECT_BOX.x0 + 1, DEFECT_BOX.y0 + 2) & bad).toBe(bad);
    expect(out.mask.get(DEFECT_BOX.x0 + 10, DEFECT_BOX.y0 + 2) & bad).toBe(0);
    expect(getQuantum(r.butler.registry.db, g.quanta[0].id)!.inputs.some((i) => i.connection === 'defects' && i.kind === 'prerequisite')).toBe(true);
  }, 120_000);

  it('cancellation with two workers: nothing is dispatched after the abort', async () => {
    const r = await repo();
    const controller = new AbortController();
    let starts = 0;
    const report = await executeIsrGraph(r.butler, graph(r), {
      jobs: 2,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'quantum-start' && ++starts === 1) controller.abort();
      },
    });
    expect(starts).toBe(1);
    expect(report.status).toBe('cancelled');
    expect(report.counts).toMatchObject({ succeeded: 0, cancelled: 1, notRun: 5 });
    expect(checkConsistent(r, 'out/run')).toBe(0);
  }, 120_000);

  it('refuses to resume a run with a different config', async () => {
    const r = await repo({ detectors: [0], exposures: [1001] });
    await executeIsrGraph(r.butler, graph(r), { jobs: 1 });
    const other = buildIsrGraph(r.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig({ doDark: false }), taskName: 'IsrTask', outputRun: 'out/run' });
    await expect(executeIsrGraph(r.butler, other, { jobs: 1 })).rejects.toThrow(/differs from this config/);
  }, 120_000);
});
