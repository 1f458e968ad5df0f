// Shared by the ingest, visits, calib and demo tests: a new repository with MegaPrime registered,
// and small simulated raws (binning 4, two CCDs) written with the seeded simulator.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Butler } from '../../../core/butler/index.js';
import { writeSimulatedRaw, type SimExposure, type SimulatorOptions } from '../../../core/demo/simulator.js';
import { getInstrument } from '../../../core/instrument/index.js';
import { registerInstrumentRecords } from '../../../core/ingest/registerInstrument.js';

export const REAL_CUTOUT = resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'fits', 'megacam_cutout_806045o_ccd10.fits');

export const SIM: SimulatorOptions = { seed: 7, detectors: [10, 11], binning: 4 };

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `w1-${prefix}`));
}

export function newMegaPrimeRepo(prefix: string): { repo: string; butler: Butler; dir: string } {
  const dir = tempDir(prefix);
  const repo = join(dir, 'repo');
  Butler.makeRepo(repo);
  const butler = Butler.open(repo, { writeable: true });
  registerInstrumentRecords(butler.registry, getInstrument('MegaPrime'));
  return { repo, butler, dir };
}

/** Writes simulated raws into `<dir>/raws` and returns their paths. */
export function writeRaws(dir: string, exposures: SimExposure[], options: Partial<SimulatorOptions> = {}): string[] {
  const raws = join(dir, 'raws');
  mkdirSync(raws, { recursive: true });
  return exposures.map((e) => writeSimulatedRaw(raws, e, { ...SIM, ...options }));
}

export function science(expnum: number, ra: number, dec: number, startUtc: string, filter = 'r.MP9601'): SimExposure {
  return { expnum, obstype: 'OBJECT', filter, startUtc, exptime: 60, pointing: { ra, dec }, object: `F${expnum}` };
}

export function calib(expnum: number, obstype: 'BIAS' | 'DARK' | 'FLAT', startUtc: string, filter = 'r.MP9601'): SimExposure {
  return { expnum, obstype, filter, startUtc, exptime: obstype === 'BIAS' ? 0 : obstype === 'DARK' ? 300 : 5 };
}
