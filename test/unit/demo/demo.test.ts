// The seeded MegaPrime simulator (determinism and the instrument signatures it promises) and
// the demo repository (everything ingested, visits defined, calibrations certified, defects).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Butler } from '../../../core/butler/index.js';
import { calibrationsForExposure } from '../../../core/calib/calibTypes.js';
import type { Defects } from '../../../core/calib/defects.js';
import { buildDemoRepo, demoRepositoryPath, ensureDemoRepository } from '../../../core/demo/demoRepo.js';
import { writeSimulatedRaw } from '../../../core/demo/simulator.js';
import { FitsFile } from '../../../core/fits/fits-file.js';
import { SkyWcs } from '../../../core/wcs/skyWcs.js';
import { calib, science, tempDir } from '../ingest/helpers.js';

function pixels(path: string, hdu = 1): { data: Float32Array; width: number; height: number } {
  const f = FitsFile.open(path);
  try {
    const img = f.readImageFloat32(hdu);
    return { data: img.data, width: f.hdu(hdu).axes[0], height: f.hdu(hdu).axes[1] };
  } finally {
    f.close();
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('MegaPrime simulator', () => {
  const opts = { seed: 11, detectors: [10], binning: 4, compress: false };

  it('writes the same bytes for the same seed, and other bytes for another seed', () => {
    const a = tempDir('sim-a-');
    const b = tempDir('sim-b-');
    const c = tempDir('sim-c-');
    dirs.push(a, b, c);
    const exp = science(6000001, 40, 5, '2026-03-10T08:00:00');
    const pa = writeSimulatedRaw(a, exp, opts);
    expect(readFileSync(pa).equals(readFileSync(writeSimulatedRaw(b, exp, opts)))).toBe(true);
    expect(readFileSync(pa).equals(readFileSync(writeSimulatedRaw(c, exp, { ...opts, seed: 12 })))).toBe(false);
    expect(pa.endsWith('6000001o.fits')).toBe(true);
  });

  it('has overscan ramps, hot pixels and cosmic rays in darks, none in biases, saturated stars with bleed trails', () => {
    const dir = tempDir('sim-sig-');
    dirs.push(dir);
    const bias = pixels(writeSimulatedRaw(dir, calib(6000010, 'BIAS', '2026-03-10T02:00:00'), opts));
    const dark = pixels(writeSimulatedRaw(dir, calib(6000011, 'DARK', '2026-03-10T02:10:00'), opts));
    const sci = pixels(writeSimulatedRaw(dir, science(6000012, 40, 5, '2026-03-10T08:00:00'), opts));
    const { width: w, height: h } = bias;
    expect([w, h]).toEqual([528, 1161]);
    const overscanMean = (img: Float32Array, y0: number, y1: number) => {
      let s = 0;
      for (let y = y0; y < y1; y++) for (let x = 1; x < 7; x++) s += img[y * w + x];
      return s / ((y1 - y0) * 6);
    };
    // The bias sags by ~25 ADU over the first rows of the readout.
    expect(overscanMean(bias.data, 0, 4) - overscanMean(bias.data, 400, 600)).toBeGreaterThan(15);
    const count = (img: Float32Array, above: number) => {
      let n = 0;
      for (let y = 0; y < 1153; y++) for (let x = 8; x < 520; x++) if (img[y * w + x] > above) n++;
      return n;
    };
    expect(count(bias.data, 1600)).toBe(0);
    expect(count(dark.data, 1600)).toBeGreaterThan(20);
    let saturated = 0;
    let longestRun = 0;
    for (let x = 8; x < 520; x++) {
      let run = 0;
      for (let y = 0; y < 1153; y++) {
        if (sci.data[y * w + x] >= 65535) {
          saturated++;
          run++;
          longestRun = Math.max(longestRun, run);
        } else run = 0;
      }
    }
    expect(saturated).toBeGreaterThan(0);
    // A bleed trail runs along a column much further than the star's core (a few binned pixels).
    expect(longestRun).toBeGreaterThan(12);
  });

  it('writes a TAN WCS from the camera model whose reference point is the pointing', () => {
    const dir = tempDir('sim-wcs-');
    dirs.push(dir);
    const path = writeSimulatedRaw(dir, science(6000020, 40, 5, '2026-03-10T08:00:00'), { ...opts, detectors: [10, 11] });
    const f = FitsFile.open(path);
    try {
      const h10 = f.hdu(1).header;
      expect([h10.get('CTYPE1'), h10.get('CRVAL1'), h10.get('CRVAL2'), h10.get('EXTNAME'), h10.get('INHERIT'), h10.get('DSECA'), h10.get('BSECB')]).toEqual(['RA---TAN', 40, 5, 'ccd10', false, '[9:264,1:1153]', '[521:528,1:1161]']);
      const w10 = SkyWcs.fromHeader(h10);
      const w11 = SkyWcs.fromHeader(f.hdu(2).header);
      // Neighbouring CCDs: ccd11 is east of ccd10 by about one CCD width (2048 × 0.185″ ≈ 0.105°).
      const a = w10.pixelToSky(264, 580);
      const b = w11.pixelToSky(264, 580);
      const sep = Math.hypot((b.ra - a.ra) * Math.cos((5 * Math.PI) / 180), b.dec - a.dec);
      expect(sep).toBeGreaterThan(0.09);
      expect(sep).toBeLessThan(0.13);
      expect(w10.pixelScaleArcsec(264, 580)).toBeCloseTo(0.185 * 4, 1);
    } finally {
      f.close();
    }
  });
});

describe('demo repository', () => {
  it('builds a small demo: raws, visits, certified masters and defects, found for each science exposure', async () => {
    const root = tempDir('demo-');
    dirs.push(root);
    const path = join(root, 'demo');
    const messages: string[] = [];
    const report = await buildDemoRepo(path, { detectors: [10], nights: 2, filters: ['r.MP9601'], onProgress: (m) => messages.push(m) });
    expect(report).toMatchObject({ path, exposures: 24, rawDatasets: 24, visits: 4, masters: 6, defects: 1 });
    expect(report.bytes).toBeGreaterThan(1e6);
    expect(messages.some((m) => /ingested 24 raw datasets/.test(m))).toBe(true);
    expect(existsSync(join(path, '.staging'))).toBe(false);
    const butler = Butler.open(path);
    try {
      const r = butler.registry;
      expect(r.getCollectionChain('MegaPrime/defaults')).toEqual(['MegaPrime/raw/all', 'MegaPrime/calib']);
      const scienceExposures = r.queryDimensionRecords('exposure', { where: "exposure.observation_type = 'science'" }).map((e) => Number(e.id));
      expect(scienceExposures).toHaveLength(4);
      const biasRuns = new Set<string>();
      for (const e of scienceExposures) {
        const c = calibrationsForExposure(r, 'MegaPrime', e, 10);
        expect([c.bias, c.dark, c.flat, c.defects].every((x) => x !== null)).toBe(true);
        biasRuns.add(c.bias!.run);
      }
      // Each night's exposures get that night's masters.
      expect([...biasRuns].sort()).toEqual(['MegaPrime/calib/bias/20260310', 'MegaPrime/calib/bias/20260311']);
      const defects = (await butler.get('defects', { instrument: 'MegaPrime', detector: 10 }, { collections: 'MegaPrime/calib/curated/19700101T000000Z' })) as Defects;
      expect(defects.length).toBeGreaterThanOrEqual(3);
      expect(r.queryDataIds(['visit', 'detector'], { where: 'visit_detector_region.region OVERLAPS CIRCLE(0, 0, 180)' })).toHaveLength(4);
    } finally {
      butler.close();
    }
    await expect(buildDemoRepo(path, { detectors: [10] })).rejects.toThrow(/already exists; choose another path or overwrite it/);
    const saved = process.env.BUTLER_DESKTOP_DEMO;
    process.env.BUTLER_DESKTOP_DEMO = path;
    try {
      expect(demoRepositoryPath()).toBe(path);
      // Already there: returned at once, not rebuilt.
      expect(await ensureDemoRepository()).toBe(path);
    } finally {
      if (saved === undefined) delete process.env.BUTLER_DESKTOP_DEMO;
      else process.env.BUTLER_DESKTOP_DEMO = saved;
    }
  }, 120_000);

  it('puts the demo in the per-user data directory', () => {
    const saved = { demo: process.env.BUTLER_DESKTOP_DEMO, xdg: process.env.XDG_DATA_HOME };
    delete process.env.BUTLER_DESKTOP_DEMO;
    process.env.XDG_DATA_HOME = '/data/home';
    try {
      if (process.platform === 'linux') expect(demoRepositoryPath()).toBe('/data/home/butler-desktop/demo-repo');
      else expect(demoRepositoryPath()).toMatch(/butler-desktop[/\\]demo-repo$/);
    } finally {
      for (const [k, v] of [['BUTLER_DESKTOP_DEMO', saved.demo], ['XDG_DATA_HOME', saved.xdg]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
