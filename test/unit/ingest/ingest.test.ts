// Raw ingest: records and datasets from simulated MegaPrime raws and the real MegaCam header,
// deterministic ids, idempotence, transfer modes, per-file errors, parallel header reading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Butler } from '../../../core/butler/index.js';
import { makeDatasetId } from '../../../core/datasets/index.js';
import { Header } from '../../../core/fits/header.js';
import { writeFits } from '../../../core/fits/writer.js';
import type { Exposure } from '../../../core/image/exposure.js';
import { getInstrument } from '../../../core/instrument/index.js';
import { IngestFailFastError, ingestRaws } from '../../../core/ingest/ingestRaws.js';
import { registerInstrumentRecords } from '../../../core/ingest/registerInstrument.js';
import { scanRawFile } from '../../../core/ingest/rawScan.js';
import { scanRawFiles } from '../../../core/ingest/scanPool.js';
import { calib, newMegaPrimeRepo, REAL_CUTOUT, science, tempDir, writeRaws } from './helpers.js';

let butler: Butler;
let dir: string;
let paths: string[];

beforeAll(() => {
  ({ butler, dir } = newMegaPrimeRepo('ingest-'));
  paths = writeRaws(dir, [
    calib(3000001, 'BIAS', '2026-03-10T02:00:00'),
    science(3000002, 150.0, 2.0, '2026-03-10T08:00:00'),
    science(3000003, 151.0, 2.5, '2026-03-10T08:05:00', 'g.MP9401'),
  ]);
});

afterAll(() => butler.close());

describe('register-instrument', () => {
  it('registers the instrument, its 40 detectors and filters with bands, idempotently', () => {
    const r = butler.registry;
    expect(r.fetchDimensionRecord('instrument', { instrument: 'MegaPrime' })).toMatchObject({ class_name: 'lsst.obs.cfht.MegaPrime', detector_max: 40 });
    expect(r.queryDimensionRecords('detector', { where: "instrument = 'MegaPrime'" })).toHaveLength(40);
    const bands = Object.fromEntries(r.queryDimensionRecords('physical_filter', { where: "instrument = 'MegaPrime'" }).map((f) => [f.name, f.band]));
    expect(bands).toMatchObject({ 'u.MP9301': 'u', 'g.MP9401': 'g', 'r.MP9601': 'r', 'i.MP9701': 'i', 'i.MP9702': 'i', 'z.MP9801': 'z', 'u.MP9302': 'u', 'g.MP9402': 'g', 'r.MP9602': 'r', 'i.MP9703': 'i', 'z.MP9901': 'z' });
    expect(r.queryDimensionRecords('visit_system', {}).map((v) => v.name)).toEqual(['one-to-one', 'by-group-metadata', 'by-seq-start-end']);
    const again = registerInstrumentRecords(r, getInstrument('MegaPrime'));
    expect(Object.values(again.inserted).every((n) => n === 0)).toBe(true);
  });
});

describe('ingest-raws', () => {
  it('ingests one raw per detector with deterministic ids and exposure records from the headers', async () => {
    const report = await ingestRaws(butler, [join(dir, 'raws')], { transfer: 'copy', workers: 0 });
    expect(report.failed).toEqual([]);
    expect(report.datasets).toBe(6);
    const refs = butler.registry.queryDatasets('raw', { collections: 'MegaPrime/raw/all' });
    expect(refs).toHaveLength(6);
    for (const ref of refs) {
      const values = ref.dataId.values;
      expect(ref.id).toBe(makeDatasetId('raw', { instrument: 'MegaPrime', detector: values.detector, exposure: values.exposure }, 'MegaPrime/raw/all', 'DATAID_TYPE_RUN'));
    }
    const exp = butler.registry.fetchDimensionRecord('exposure', { instrument: 'MegaPrime', exposure: 3000003 });
    expect(exp).toMatchObject({ physical_filter: 'g.MP9401', observation_type: 'science', day_obs: 20260310, group: '3000003', exposure_time: 60, target_name: 'F3000003', can_see_sky: true });
    expect(butler.registry.fetchDimensionRecord('exposure', { instrument: 'MegaPrime', exposure: 3000001 })).toMatchObject({ observation_type: 'bias', can_see_sky: false });
    expect(butler.registry.fetchDimensionRecord('day_obs', { instrument: 'MegaPrime', day_obs: 20260310 })).not.toBeNull();
    const where = butler.registry.queryDatasets('raw', { collections: 'MegaPrime/raw/all', where: "exposure.observation_type = 'science' AND band = 'g'" });
    expect(where.map((r) => r.dataId.values.detector).sort()).toEqual([10, 11]);
    const raw = (await butler.get('raw', { instrument: 'MegaPrime', detector: 11, exposure: 3000002 }, { collections: 'MegaPrime/raw/all' })) as Exposure;
    expect([raw.width, raw.height]).toEqual([528, 1161]);
    expect(raw.detector?.name).toBe('ccd11');
  });

  it('re-ingesting the same files changes nothing', async () => {
    const before = butler.registry.queryDatasets('raw', { collections: 'MegaPrime/raw/all' }).map((r) => r.id).sort();
    const report = await ingestRaws(butler, paths, { transfer: 'copy', workers: 0 });
    expect(report.datasets).toBe(0);
    expect(report.alreadyPresent.map((f) => f.exposure).sort()).toEqual([3000001, 3000002, 3000003]);
    expect(butler.registry.queryDatasets('raw', { collections: 'MegaPrime/raw/all' }).map((r) => r.id).sort()).toEqual(before);
  });

  it('ingests the real MegaCam raw cutout with astro_metadata_translator values', async () => {
    const info = scanRawFile(REAL_CUTOUT);
    expect(info).toMatchObject({ instrument: 'MegaPrime', detectors: [10] });
    expect(info.observation).toMatchObject({ exposureId: 806045, physicalFilter: 'g.MP9401', dayObs: 20050731, observationType: 'science', exposureTime: 2.046, darkTime: 2 });
    const report = await ingestRaws(butler, [REAL_CUTOUT], { transfer: 'symlink', run: 'MegaPrime/raw/real' });
    expect(report.datasets).toBe(1);
    const uri = butler.getURI('raw', { instrument: 'MegaPrime', detector: 10, exposure: 806045 }, { collections: 'MegaPrime/raw/real' });
    expect(lstatSync(uri.replace(/^file:\/\//, '')).isSymbolicLink()).toBe(true);
    expect(butler.registry.fetchDimensionRecord('exposure', { instrument: 'MegaPrime', exposure: 806045 })).toMatchObject({ target_name: 'SA 110', science_program: '05AQ97', day_obs: 20050731 });
  });

  it('reports each bad file with its reason while the good files land, and stops early with failFast', async () => {
    const bad = tempDir('bad-');
    const good = writeRaws(bad, [science(3000010, 200, -5, '2026-03-12T09:00:00')])[0];
    const truncated = join(bad, 'truncated.fits');
    writeFileSync(truncated, readFileSync(paths[1]).subarray(0, 30000));
    const notFits = join(bad, 'notes.fits');
    writeFileSync(notFits, 'these are my observing notes, not a FITS file\n'.repeat(80));
    const noExpnum = join(bad, 'noexpnum.fits');
    const h = new Header();
    for (const [k, v] of [['INSTRUME', 'MegaPrime'], ['EXTNAME', 'ccd03'], ['FILTER', 'r.MP9601'], ['OBSTYPE', 'OBJECT'], ['DATE-OBS', '2026-03-12'], ['UTC-OBS', '9:00:00'], ['EXPTIME', 10], ['DARKTIME', 10]] as const) h.set(k, v);
    writeFits(noExpnum, [{ type: 'image', header: h, data: new Uint16Array(16 * 16), axes: [16, 16] }]);
    const otherInstrument = join(bad, 'other.fits');
    const o = new Header();
    o.set('INSTRUME', 'WFC3');
    writeFits(otherInstrument, [{ type: 'image', header: o, data: new Uint16Array(16), axes: [4, 4] }]);

    const report = await ingestRaws(butler, [bad, join(bad, 'missing.fits')], { transfer: 'copy', workers: 0 });
    expect(report.ingested.map((f) => f.path)).toEqual([good]);
    const errors = Object.fromEntries(report.failed.map((f) => [f.path.split('/').pop(), f.error]));
    expect(errors['truncated.fits']).toMatch(/truncated\.fits.*truncated/);
    expect(errors['notes.fits']).toMatch(/notes\.fits: not a readable FITS file/);
    expect(errors['noexpnum.fits']).toMatch(/noexpnum\.fits\[0.*keyword EXPNUM is missing/);
    expect(errors['other.fits']).toMatch(/other\.fits.*no registered instrument translates this header \(INSTRUME="WFC3"/);
    expect(errors['missing.fits']).toMatch(/missing\.fits: no such file or directory/);
    expect(butler.registry.queryDatasets('raw', { collections: 'MegaPrime/raw/all', where: 'exposure = 3000010' })).toHaveLength(2);

    const ff = tempDir('ff-');
    copyFileSync(notFits, join(ff, 'a.fits'));
    writeRaws(ff, [science(3000011, 201, -5, '2026-03-12T09:10:00')]);
    const err = await ingestRaws(butler, [ff], { failFast: true, workers: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestFailFastError);
    expect((err as Error).message).toMatch(/a\.fits: not a readable FITS file.*--fail-fast/);
    expect(butler.registry.fetchDimensionRecord('exposure', { instrument: 'MegaPrime', exposure: 3000011 })).toBeNull();
  });

  it('moves files with transfer move', async () => {
    const d = tempDir('move-');
    const files = writeRaws(d, [1, 2, 3].map((i) => calib(3000100 + i, 'BIAS', `2026-03-13T02:0${i}:00`)));
    const report = await ingestRaws(butler, files, { transfer: 'move', workers: 0 });
    expect(report.datasets).toBe(6);
    expect(files.every((f) => !existsSync(f))).toBe(true);
  });

  it('reads headers in worker threads (or, if a worker stalls, in this thread) with the same results', async () => {
    const d = tempDir('workers-');
    const files = writeRaws(d, [1, 2, 3].map((i) => calib(3000200 + i, 'BIAS', `2026-03-13T03:0${i}:00`)));
    const serial = await scanRawFiles(files, { workers: 0 });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      expect(await scanRawFiles(files, { workers: 2, firstResultMs: 20_000, stallMs: 5_000 })).toEqual(serial);
    } finally {
      process.off('warning', onWarning);
    }
    for (const w of warnings) expect(w).toMatch(/raw header workers failed .*; reading the remaining headers in the main thread/);
  }, 60_000);
});
