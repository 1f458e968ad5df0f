// run-isr's config assembly (preset → -C files → -c overrides) and its progress display.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressDisplay, graphRows, isrConfigFromOptions } from '../../../cli/commands/pipe.js';
import { buildIsrGraph } from '../../../core/pipe/graph/index.js';
import { CALIB, CALIB_RUN, RAW_RUN, makeSimRepo, simConfig } from './fixture.js';

describe('run-isr config', () => {
  it('default preset is IsrTask with its defaults; -c overrides with or without the isr: label', () => {
    const { config, task } = isrConfigFromOptions({ config: ['doDark=false', 'isr:overscan.fitType=MEDIAN_PER_ROW'] });
    expect(task).toBe('IsrTask');
    expect(config.doDark).toBe(false);
    expect(config.doBias).toBe(true);
    expect(config.overscan.fitType).toBe('MEDIAN_PER_ROW');
    expect(config.isFrozen).toBe(true);
  });

  it('cfht preset: CfhtIsrTask with calibrations and output on', () => {
    const { config, task } = isrConfigFromOptions({ preset: 'cfht' });
    expect(task).toBe('CfhtIsrTask');
    expect([config.doBias, config.doDark, config.doFlat, config.doWrite]).toEqual([true, true, true, true]);
    expect(config.doAssembleIsrExposures).toBe(true);
  });

  it('-C files apply over the preset, -c over the files; _task must agree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'o.yaml');
    writeFileSync(file, 'doFlat: false\ndoDark: false\n');
    const { config } = isrConfigFromOptions({ preset: 'ccdproc-equivalent', configFile: [`isr:${file}`], config: ['doDark=true'] });
    expect(config.doFlat).toBe(false);
    expect(config.doDark).toBe(true);
    expect(config.outputUnits).toBe('electron');
    const other = join(dir, 'cfht.yaml');
    writeFileSync(other, '_task: CfhtIsrTask\ndoFlat: false\n');
    expect(() => isrConfigFromOptions({ configFile: [other] })).toThrow(/_task CfhtIsrTask does not match the task of the preset \(IsrTask\)/);
  });

  it('clear errors', () => {
    expect(() => isrConfigFromOptions({ config: ['calibrate:doDark=false'] })).toThrow(/task label 'calibrate'; this pipeline has only 'isr'/);
    expect(() => isrConfigFromOptions({ config: ['doWrite=false'] })).toThrow(/doWrite=false: run-isr exists to write postISRCCD/);
    expect(() => isrConfigFromOptions({ config: ['doFlat=true', 'doApplyGains=true'] })).toThrow(/doFlat and doApplyGains/);
    expect(() => isrConfigFromOptions({ configFile: ['/no/such.yaml'] })).toThrow(/--config-file \/no\/such\.yaml: no such file/);
  });
});

class FakeStream {
  isTTY: boolean;
  text = '';
  constructor(tty: boolean) {
    this.isTTY = tty;
  }
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

describe('progress display', () => {
  const result = { id: 'q', instrument: 'I', exposure: 1, detector: 2, label: 'x', status: 'succeeded' as const, timings: { read: 0.1, isr: 0.2, commit: 0.05, total: 0.4 } };
  it('redraws a bar on a terminal', () => {
    const s = new FakeStream(true);
    const p = new ProgressDisplay(s as unknown as NodeJS.WriteStream);
    p.onEvent({ type: 'start', total: 2, alreadyDone: 1, jobs: 2, run: 'r' });
    p.onEvent({ type: 'quantum-done', result });
    p.onEvent({ type: 'progress', done: 1, failed: 0, cancelled: 0, running: 1, total: 2 });
    p.onEvent({ type: 'quantum-done', result: { ...result, status: 'failed', error: 'boom' } });
    expect(s.text).toContain('Running 2 ISR quanta on 2 worker threads into r (1 already done, skipped)');
    expect(s.text).toContain(`\r${String.fromCharCode(27)}[2K[${'#'.repeat(15)}${'.'.repeat(15)}] 1/2  ok 1  failed 0  running 1`);
    expect(s.text).toContain('FAILED exposure 1 detector 2: boom');
    expect(s.text).not.toContain('done exposure');
  });
  it('prints one line per quantum when not a terminal', () => {
    const s = new FakeStream(false);
    const p = new ProgressDisplay(s as unknown as NodeJS.WriteStream);
    p.onEvent({ type: 'start', total: 1, alreadyDone: 0, jobs: 1, run: 'r' });
    p.onEvent({ type: 'progress', done: 1, failed: 0, cancelled: 0, running: 0, total: 1 });
    p.onEvent({ type: 'quantum-done', result });
    expect(s.text).toBe('Running 1 ISR quanta on 1 worker thread into r\ndone exposure 1 detector 2 in 0.40 s\n');
  });
});

describe('run-isr --dry-run table', () => {
  it('one row per quantum with the calibration runs, then missing ones', async () => {
    const r = await makeSimRepo({ detectors: [0, 1], exposures: [1001], calibs: ['bias', 'flat'] });
    try {
      const g = buildIsrGraph(r.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig(), taskName: 'IsrTask', outputRun: 'o', skipMissing: true });
      expect(graphRows(g)).toEqual([
        { status: 'missing dark', instrument: 'SimCam', exposure: 1001, detector: 0 },
        { status: 'missing dark', instrument: 'SimCam', exposure: 1001, detector: 1 },
      ]);
      const ok = buildIsrGraph(r.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig({ doDark: false }), taskName: 'IsrTask', outputRun: 'o' });
      expect(graphRows(ok)[0]).toEqual({ status: 'to run', instrument: 'SimCam', exposure: 1001, detector: 0, physical_filter: 'r.MP9601', raw: RAW_RUN, bias: CALIB_RUN, dark: '', flat: CALIB_RUN, defects: '' });
    } finally {
      r.butler.close();
    }
  }, 60_000);
});
