// A small demo repository for the run-manager tests: one night, one MegaCam detector, 4× binned
// (raws, master bias/dark/flat, curated defects, MegaPrime/defaults chain), built once per file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoRepo } from '../../../core/demo/demoRepo.js';

export async function smallDemoRepo(): Promise<{ path: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'runs-demo-'));
  const path = join(dir, 'repo');
  await buildDemoRepo(path, { nights: 1, detectors: [9], binning: 4, filters: ['g.MP9401'] });
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
