// A process that opens a repository and reads a dataset has imported none of the FITS or
// calibration modules: the datastore must load the right reader from the stored formatter
// name and storage class (a MegaPrime raw is not an afw Exposure file).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestRaws } from '../../../core/ingest/ingestRaws.js';
import { newMegaPrimeRepo, REAL_CUTOUT } from '../ingest/helpers.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

describe('reading in a fresh process', () => {
  it('reads a MegaPrime raw with the raw reader, found from the stored formatter name', async () => {
    const { repo, butler, dir } = newMegaPrimeRepo('fresh-read-');
    const report = await ingestRaws(butler, [REAL_CUTOUT], { transfer: 'copy', workers: 0 });
    expect(report.datasets).toBe(1);
    const script = join(dir, 'read.mts');
    writeFileSync(script, `
import { Butler } from ${JSON.stringify(join(repoRoot, 'core/butler/index.js'))};
const butler = await Butler.open(${JSON.stringify(repo)});
const [ref] = butler.registry.queryDatasets('raw', { collections: ['MegaPrime/raw/all'] });
const exp = await butler.get(ref);
console.log(JSON.stringify({ type: exp.constructor.name, w: exp.maskedImage.image.width, h: exp.maskedImage.image.height, detector: exp.detector?.name }));
`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { type: string; w: number; h: number; detector: string };
    expect(out).toEqual({ type: 'Exposure', w: 101, h: 101, detector: 'ccd10' });
  });
});
