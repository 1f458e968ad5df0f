// The run manager and provenance-graph services on a small demo repository: preview (calibrations
// chosen per quantum, missing ones named), a run to completion with events and logs, lineage of the
// output (raw + bias + dark + flat + defects → isr → postISRCCD), the aggregated run graph, quantum
// details (config diff, host, versions, log), cancellation reported honestly, and config checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../../core/api/contract.js';
import { RunService } from '../../../electron/services/runsService.js';
import { selectionWhere } from '../../../electron/services/runs.js';
import { smallDemoRepo } from './demoFixture.js';

let repo: { path: string; cleanup(): void };
let settingsDir: string;
let svc: RunService;
const events: Array<EventPayload<'run.changed'>> = [];

beforeAll(async () => {
  repo = await smallDemoRepo();
  settingsDir = mkdtempSync(join(tmpdir(), 'runs-settings-'));
  svc = new RunService({
    settingsDir,
    repository: () => repo.path,
    jobs: 1,
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => {
      if (event === 'run.changed') events.push(payload as EventPayload<'run.changed'>);
    },
  });
});

afterAll(async () => {
  await svc?.shutdown();
  repo?.cleanup();
  if (settingsDir) rmSync(settingsDir, { recursive: true, force: true });
});

const base = { task: 'IsrTask' as const, overrides: {}, where: '', exposures: [] as number[], detectors: [] as number[], instrument: null, skipMissing: false };

describe('run selection', () => {
  it('merges exposures, detectors and a where expression', () => {
    expect(selectionWhere({ where: "band = 'g'", exposures: [3, 1, 3], detectors: [9], instrument: "Mega'Prime" })).toBe("instrument = 'Mega''Prime' AND exposure IN (3, 1) AND detector IN (9) AND (band = 'g')");
    expect(selectionWhere({ where: ' x = 1 ', exposures: [], detectors: [], instrument: null })).toBe('x = 1');
  });
});

describe('ISR runs from the app', () => {
  it('previews the calibrations each quantum will use, and names what is missing', async () => {
    const h = svc.handlers();
    const d = await h['runs.defaults']({});
    expect(d.inputCollections).toEqual(['MegaPrime/defaults']);
    expect(d.outputRun).toMatch(/^u\/.+\/isr\/\d{8}T\d{6}Z$/);
    const preview = await h['runs.preview']({ ...base, inputCollections: d.inputCollections, outputRun: d.outputRun, where: "exposure.observation_type = 'science'" });
    expect(preview.quanta.length).toBeGreaterThanOrEqual(2);
    expect(preview.connections.map((c) => c.connection)).toEqual(['bias', 'dark', 'flat', 'defects']);
    for (const q of preview.quanta) {
      expect(q.problems).toEqual([]);
      expect(q.calibrations.bias?.datasetType).toBe('bias');
      expect(q.calibrations.flat?.run).toMatch(/flat/);
      expect(q.calibrations.defects).not.toBeNull();
    }
    expect(preview.runnable).toBe(preview.quanta.length);
    // Flats of a filter with none certified: every quantum names the missing flat.
    const missing = await h['runs.preview']({ ...base, inputCollections: ['MegaPrime/raw/all'], outputRun: 'u/test/missing', where: "exposure.observation_type = 'science'", overrides: { doDark: false, doDefect: false } });
    expect(missing.runnable).toBe(0);
    expect(missing.quanta[0].calibrations.bias).toBeNull();
    expect(missing.quanta[0].problems.join('\n')).toMatch(/no 'bias'/);
  });

  it('runs two quanta to completion with live events, logs and provenance', async () => {
    const h = svc.handlers();
    const d = await h['runs.defaults']({});
    const preview = await h['runs.preview']({ ...base, inputCollections: d.inputCollections, outputRun: 'u/test/isr-a', where: "exposure.observation_type = 'science'" });
    const exposures = [...new Set(preview.quanta.map((q) => q.exposure))].slice(0, 2);
    const started = await h['runs.start']({ ...base, inputCollections: d.inputCollections, outputRun: 'u/test/isr-a', exposures, overrides: { overscan: { fitType: 'MEAN' } } });
    expect(started.counts.total).toBe(2);
    await svc.manager.idle();
    const detail = await h['runs.get']({ runId: started.runId });
    expect(detail.quanta.map((q) => q.error)).toEqual([null, null]);
    expect(detail.state).toBe('succeeded');
    expect(detail.counts).toMatchObject({ succeeded: 2, failed: 0, queued: 0, running: 0 });
    const mine = events.filter((e) => e.run.runId === started.runId);
    expect(mine[0].run.state).toBe('starting');
    expect(mine.at(-1)?.run.state).toBe('succeeded');
    expect(mine.flatMap((e) => e.quanta.map((q) => q.state))).toContain('running');
    const logs = await h['runs.logs']({ runId: started.runId, quantumId: detail.quanta[0].id });
    expect(logs.some((l) => /Running ISR/.test(l.message))).toBe(true);
    expect((await h['runs.list']({}))[0].runId).toBe(started.runId);

    const output = detail.quanta[0].outputs!.exposure;
    const lineage = await h['provenance.lineage']({ id: output, direction: 'both', depth: 1 });
    const types = lineage.nodes.filter((n) => n.kind === 'dataset').map((n) => (n.kind === 'dataset' ? n.datasetType : '')).sort();
    expect(types).toEqual(['bias', 'dark', 'defects', 'flat', 'isr_log', 'isr_metadata', 'postISRCCD', 'raw']);
    const quantum = lineage.nodes.find((n) => n.kind === 'quantum');
    expect(quantum).toMatchObject({ taskLabel: 'isr', status: 'succeeded' });
    expect(lineage.edges.filter((e) => e.target === quantum!.id).length).toBe(5);

    const graph = await h['provenance.runGraph']({ run: 'u/test/isr-a' });
    expect(graph.quanta).toBe(2);
    expect(graph.nodes.find((n) => n.id === 'task:isr')).toMatchObject({ count: 2, status: { succeeded: 2 } });
    expect(graph.edges.find((e) => e.source === 'type:raw' && e.target === 'task:isr')?.count).toBe(2);
    expect(graph.edges.find((e) => e.source === 'task:isr' && e.target === 'type:postISRCCD')?.count).toBe(2);

    const q = await h['provenance.quantum']({ id: quantum!.id });
    expect(q.configDiff).toEqual([{ path: 'overscan.fitType', default: 'MEDIAN', value: 'MEAN' }]);
    expect(q.host.length).toBeGreaterThan(0);
    expect(q.packages['butler-desktop']).toBeTruthy();
    expect(q.log.length).toBeGreaterThan(0);

    const bundle = await h['provenance.bundle']({ run: 'u/test/isr-a', taskLabel: 'isr', limit: 1, offset: 0 });
    expect(bundle.total).toBe(2);
    expect(bundle.nodes.filter((n) => n.kind === 'quantum')).toHaveLength(1);

    // Launching the same selection into the same run has nothing left to do.
    expect(() => h['runs.start']({ ...base, inputCollections: d.inputCollections, outputRun: 'u/test/isr-a', exposures, overrides: { overscan: { fitType: 'MEAN' } } })).toThrow(/nothing to run/);
  });

  it('reports a cancelled run honestly', async () => {
    const h = svc.handlers();
    const started = await h['runs.start']({ ...base, inputCollections: ['MegaPrime/defaults'], outputRun: 'u/test/isr-cancel', where: "exposure.observation_type = 'science'" });
    const cancelled = await h['runs.cancel']({ runId: started.runId });
    expect(cancelled.runId).toBe(started.runId);
    await svc.manager.idle();
    const detail = await h['runs.get']({ runId: started.runId });
    expect(detail.state).toBe('cancelled');
    expect(detail.counts.succeeded).toBeLessThan(detail.counts.total);
    expect(detail.counts.cancelled + detail.counts.notRun).toBe(detail.counts.total - detail.counts.succeeded - detail.counts.failed);
    expect(detail.message).toMatch(/cancel/);
  });

  it('checks configs field by field and keeps user presets', async () => {
    const h = svc.handlers();
    const check = await h['isr.checkConfig']({ task: 'IsrTask', overrides: { doDark: 'maybe', overscan: { fitType: 'NOPE' }, doFlat: false } });
    expect(check.valid).toBe(false);
    expect(check.issues.map((i) => i.path)).toEqual(['doDark', 'overscan.fitType']);
    expect(check.diff).toEqual([{ path: 'doFlat', default: true, value: false }]);
    const presets = await h['isr.presets']({});
    expect(presets.find((p) => p.name === 'cfht-megacam')?.task).toBe('CfhtIsrTask');
    await h['isr.savePreset']({ name: 'mine', task: 'IsrTask', overrides: { doDark: false } });
    const again = await h['isr.presets']({});
    expect(again.find((p) => p.name === 'mine')).toMatchObject({ source: 'user', overrides: { doDark: false } });
    const parsed = await h['isr.parseYaml']({ text: again.find((p) => p.name === 'mine')!.yaml });
    expect(parsed).toEqual({ task: 'IsrTask', overrides: { doDark: false } });
    expect(() => h['isr.parseYaml']({ text: 'doDrak: true' })).toThrow(/doDrak/);
    await h['isr.deletePreset']({ name: 'mine' });
    expect((await h['isr.presets']({})).some((p) => p.name === 'mine')).toBe(false);
  });
});
