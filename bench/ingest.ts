// Raw ingest benchmark: simulated MegaPrime raws (RICE-compressed MEFs), header reading vs astropy,
// then ingest, idempotent re-ingest and define-visits.
// Run: npx tsx bench/ingest.ts [files=24] [detectors=4]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Butler } from '../core/butler/index.js';
import { writeSimulatedRaw } from '../core/demo/simulator.js';
import { getInstrument } from '../core/instrument/index.js';
import { ingestRaws } from '../core/ingest/ingestRaws.js';
import { registerInstrumentRecords } from '../core/ingest/registerInstrument.js';
import { scanRawFiles } from '../core/ingest/scanPool.js';
import { defineVisits } from '../core/visits/defineVisits.js';

const files = Number(process.argv[2] ?? 24);
const detectorCount = Number(process.argv[3] ?? 4);
const detectors = [9, 10, 11, 12, 13, 14, 15, 16, 17].slice(0, detectorCount);
const root = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
const rawDir = join(root, 'raws');
mkdirSync(rawDir);

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

const paths: string[] = [];
const sim = await time(() => {
  for (let i = 0; i < files; i++) {
    const start = new Date(Date.UTC(2026, 2, 10, 6, 0, 0) + i * 150_000).toISOString().slice(0, 19);
    paths.push(writeSimulatedRaw(rawDir, { expnum: 3_100_000 + i, obstype: 'OBJECT', filter: i % 2 ? 'g.MP9401' : 'r.MP9601', startUtc: start, exptime: 60, pointing: { ra: 150 + (i % 6) * 1.5, dec: 2 + Math.floor(i / 6) * 1.5 } }, { seed: 3, detectors, binning: 4 }));
  }
});
console.log(`simulated ${files} raws × ${detectors.length} CCDs (binning 4, RICE): ${sim.ms.toFixed(0)} ms`);

const serial = await time(() => scanRawFiles(paths, { workers: 0 }));
console.log(`header read + translate, ${files} files in this thread: ${serial.ms.toFixed(0)} ms (${(serial.ms / files).toFixed(2)} ms/file)`);

try {
  const script = 'import sys, time\nfrom astropy.io import fits\nt = time.perf_counter()\nfor p in sys.argv[1:]:\n    with fits.open(p) as f:\n        for h in f:\n            h.header.get("EXPNUM")\nprint((time.perf_counter() - t) * 1000)';
  const astropyMs = Number(execFileSync('/usr/bin/python3', ['-c', script, ...paths], { encoding: 'utf8' }).trim());
  console.log(`astropy fits.open + every header, same files: ${astropyMs.toFixed(0)} ms (astropy/ours ${(astropyMs / serial.ms).toFixed(2)}×)`);
} catch (err) {
  console.log(`astropy comparison skipped: ${(err as Error).message.split('\n')[0]} (install Debian python3-astropy)`);
}

const repo = join(root, 'repo');
Butler.makeRepo(repo);
const butler = Butler.open(repo, { writeable: true });
registerInstrumentRecords(butler.registry, getInstrument('MegaPrime'));
const ingest = await time(() => ingestRaws(butler, paths, { transfer: 'symlink', workers: 0 }));
const datasets = ingest.value.datasets;
console.log(`ingest (symlink): ${datasets} datasets from ${files} files in ${ingest.ms.toFixed(0)} ms = ${(datasets / (ingest.ms / 1000)).toFixed(0)} datasets/s (${(ingest.ms / files).toFixed(1)} ms/file incl. headers)`);
const again = await time(() => ingestRaws(butler, paths, { transfer: 'symlink', workers: 0 }));
console.log(`re-ingest (nothing new): ${again.ms.toFixed(0)} ms (${again.value.alreadyPresent.length} files already present)`);
const visits = await time(() => defineVisits(butler, 'MegaPrime'));
console.log(`define-visits: ${visits.value.visitsDefined} visits, ${visits.value.detectorRegions} detector regions + htm7 overlaps in ${visits.ms.toFixed(0)} ms (${(visits.ms / visits.value.detectorRegions).toFixed(1)} ms/region)`);
butler.close();
rmSync(root, { recursive: true, force: true });
