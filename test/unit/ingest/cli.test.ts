// The instrument commands of the butler CLI, in-process through commander.
import { describe, expect, it, vi } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { instrumentCommands } from '../../../cli/commands/instrument.js';
import { Butler } from '../../../core/butler/index.js';
import { formatDefectsEcsv, Defects } from '../../../core/calib/defects.js';
import { calib, science, tempDir, writeRaws } from './helpers.js';

async function run(...args: string[]): Promise<{ out: string; err: string }> {
  const program = new Command('butler').exitOverride();
  instrumentCommands(program);
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  try {
    await program.parseAsync(['node', 'butler', ...args]);
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  return { out, err };
}

describe('butler instrument commands', () => {
  it('register-instrument, ingest-raws, define-visits, build-calibs, find-calibs, write-curated-calibrations', async () => {
    const dir = tempDir('cli-');
    const repo = join(dir, 'repo');
    Butler.makeRepo(repo);
    expect((await run('register-instrument', repo, 'MegaPrime')).out).toBe('MegaPrime: 40 detectors, 17 physical filters (1 instrument, 40 detector, 17 physical_filter, 3 visit_system)\n');
    expect((await run('register-instrument', repo, 'lsst.obs.cfht.MegaPrime')).out).toMatch(/already registered/);
    await expect(run('register-instrument', repo, 'HSC')).rejects.toThrow(/unknown instrument 'HSC' \(registered: MegaPrime\)/);

    writeRaws(dir, [
      calib(7000001, 'BIAS', '2026-03-10T02:00:00'),
      calib(7000002, 'BIAS', '2026-03-10T02:01:00'),
      science(7000003, 100, 0, '2026-03-10T08:00:00'),
    ], { detectors: [10] });
    writeFileSync(join(dir, 'raws', 'broken.fits'), 'SIMPLE  = T');
    const ingest = run('ingest-raws', repo, join(dir, 'raws'), '--transfer', 'copy', '-j', '0');
    await expect(ingest).rejects.toThrow(/1 location could not be ingested \(reasons above\); 3 files are in the repository/);
    const again = await run('ingest-raws', repo, join(dir, 'raws', '7000001b.fits.fz'), '--json');
    expect(JSON.parse(again.out)).toMatchObject({ datasets: 0, alreadyPresent: [{ exposure: 7000001 }], failed: [] });
    await expect(run('ingest-raws', repo, dir, '--transfer', 'teleport')).rejects.toThrow(/Allowed choices are auto, copy, move, link, symlink, hardlink, relsymlink, direct/);

    expect((await run('define-visits', repo, 'MegaPrime')).out).toBe('Defined 1 visit (one-to-one) from 1 science exposure; 1 detector regions; skipped 2 non-science exposures\n');
    expect((await run('define-visits', repo, 'MegaPrime')).out).toMatch(/Defined 0 visits .*; 1 already defined/);

    const built = await run('build-calibs', repo, 'MegaPrime', '--type', 'bias', '--where', 'exposure.day_obs = 20260310', '--begin-date', '2026-03-01T00:00:00', '--end-date', '2026-04-01T00:00:00');
    expect(built.out).toMatch(/^detector level +noise +rejected id/);
    expect(built.out).toMatch(/Master bias from 2 exposures written to MegaPrime\/calib\/bias\/20260310; certified into MegaPrime\/calib for \[2026-03-01T00:00:00, 2026-04-01T00:00:00\)/);
    const found = JSON.parse((await run('find-calibs', repo, 'MegaPrime', '7000003', '--json')).out) as Array<{ type: string; run: string | null }>;
    expect(found.find((f) => f.type === 'bias')?.run).toBe('MegaPrime/calib/bias/20260310');
    expect(found.find((f) => f.type === 'flat')?.run).toBeNull();
    await expect(run('build-calibs', repo, 'MegaPrime', '--type', 'flat')).rejects.toThrow(/no flat exposures match in the registry/);

    await expect(run('write-curated-calibrations', repo, 'MegaPrime')).rejects.toThrow(/MegaPrime ships no defect tables .*give --defects-dir DIR/);
    mkdirSync(join(dir, 'defects', 'ccd10'), { recursive: true });
    writeFileSync(join(dir, 'defects', 'ccd10', '19700101T000000.ecsv'), formatDefectsEcsv(new Defects([{ x0: 1, y0: 2, width: 3, height: 4 }])));
    expect((await run('write-curated-calibrations', repo, 'MegaPrime', '--defects-dir', join(dir, 'defects'))).out)
      .toBe('Wrote 1 defect table to MegaPrime/calib/curated/19700101T000000Z; certified 1 into MegaPrime/calib\n');
  }, 120_000);

  it('demo-repo refuses to overwrite an existing directory', async () => {
    const dir = tempDir('cli-demo-');
    await expect(run('demo-repo', dir)).rejects.toThrow(/already exists; choose another path or overwrite it/);
    await expect(run('demo-repo', join(dir, 'x'), '--detectors', '77')).rejects.toThrow(/camera MegaPrime has no detector 77/);
  });
});
