// `butler run-isr` and `butler provenance` end to end through the CLI entry (one process each).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Butler } from '../../../core/butler/index.js';
import { makeSimRepo } from './fixture.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
function butler(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/main.ts'), ...args], { encoding: 'utf8', cwd: repoRoot });
}

let root: string;
beforeAll(async () => {
  const r = await makeSimRepo({ detectors: [0, 1], exposures: [1001], broken: [{ exposure: 1001, detector: 1 }] });
  root = r.root;
  r.butler.close();
}, 60_000);

describe('butler run-isr / provenance', () => {
  let outputId: string;

  it('runs, chains the output like pipetask, reports the failure and exits 1', () => {
    const r = butler('run-isr', root, '-i', 'SimCam/raw/all,SimCam/calib', '-o', 'u/me/isr', '-j', '2', '-c', 'doDefect=false', '-c', 'isr:doStandardStatistics=false', '--json');
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/butler: error: 1 quantum failed, 0 cancelled, 0 not run; rerun with --extend-run to resume/);
    expect(r.stderr).toMatch(/FAILED exposure 1001 detector 1: raw \{instrument: 'SimCam', exposure: 1001, detector: 1\} is 20×10 but detector ccd01 expects 144×44/);
    const report = JSON.parse(r.stdout) as { run: string; counts: { succeeded: number; failed: number }; quanta: Array<{ status: string; detector: number; outputs?: { exposure: string } }> };
    expect(report.counts).toMatchObject({ succeeded: 1, failed: 1 });
    expect(report.run).toMatch(/^u\/me\/isr\/\d{8}T\d{6}Z$/);
    outputId = report.quanta.find((q) => q.status === 'succeeded')!.outputs!.exposure;
    const b = Butler.open(root);
    try {
      expect(b.registry.getCollectionType('u/me/isr')).toBe('CHAINED');
      expect(b.registry.getCollectionChain('u/me/isr')).toEqual([report.run, 'SimCam/raw/all', 'SimCam/calib']);
    } finally {
      b.close();
    }
  }, 60_000);

  it('prints the lineage tree and JSON', () => {
    const tree = butler('provenance', root, outputId);
    expect(tree.status, tree.stderr).toBe(0);
    expect(tree.stdout).toMatch(/^postISRCCD@\{instrument: 'SimCam', detector: 0, exposure: 1001\}/);
    expect(tree.stdout).toMatch(/made by quantum [0-9a-f-]{36} isr \(lsst\.ip\.isr\.isrTask\.IsrTask\) succeeded/);
    for (const conn of ['ccdExposure: raw@', 'bias (prerequisite): bias@', 'dark (prerequisite): dark@', 'flat (prerequisite): flat@']) expect(tree.stdout).toContain(conn);
    const json = butler('provenance', root, outputId, '--json', '--direction', 'ancestors', '--depth', '1');
    expect(json.status, json.stderr).toBe(0);
    const l = JSON.parse(json.stdout) as { nodes: Array<{ kind: string }>; edges: unknown[]; quanta: Array<{ status: string }> };
    expect(l.nodes.filter((n) => n.kind === 'dataset')).toHaveLength(7);
    expect(l.edges).toHaveLength(7);
    expect(l.quanta.map((q) => q.status)).toEqual(['succeeded']);
  }, 60_000);

  it('clear errors: existing run without --extend-run, unknown preset, bad id', () => {
    const again = butler('run-isr', root, '-o', 'u/me/isr', '--output-run', 'u/me/isr/x', '-i', 'nope');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/input collection 'nope' does not exist/);
    const preset = butler('run-isr', root, '-i', 'SimCam/raw/all', '--output-run', 'r', '--preset', 'fancy');
    expect(preset.stderr).toMatch(/unknown --preset 'fancy' \(choose default, cfht or one of .*ccdproc-equivalent/);
    const bad = butler('provenance', root, 'not-a-uuid');
    expect(bad.stderr).toMatch(/'not-a-uuid' is not a dataset UUID/);
  }, 60_000);
});
