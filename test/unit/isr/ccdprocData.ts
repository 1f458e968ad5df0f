// Generates and loads the ccdproc reference data set (shared/reference/ccdproc_reference.py run with
// Debian's python3 + python3-ccdproc): the MegaCam-like raw, masters, and ccdproc/numpy outputs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDetector } from '../../../core/camera/geometry.js';
import { loadCamera } from '../../../core/camera/cameraData.js';
import { FitsFile } from '../../../core/fits/fits-file.js';
import { Exposure, Image, MaskedImage, makeVisitInfo } from '../../../core/image/index.js';
import { markZeroPlane } from '../../../core/isr/index.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const referenceScript = path.resolve(repoRoot, '..', 'shared', 'reference', 'ccdproc_reference.py');
const PYTHON = '/usr/bin/python3';

/** Runs ccdproc_reference.py into a fresh temp dir; returns the dir and the seconds it took. */
export function generateReference(runs = 1): { dir: string; seconds: number } {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: install Debian python3 with python3-ccdproc (apt-get install python3-ccdproc)`);
  try {
    execFileSync(PYTHON, ['-c', 'import ccdproc, astropy, numpy'], { stdio: 'pipe' });
  } catch {
    throw new Error('python3-ccdproc is missing: install Debian python3-ccdproc (apt-get install python3-ccdproc python3-astropy)');
  }
  if (!existsSync(referenceScript)) throw new Error(`reference script not found at ${referenceScript} (shared/ must sit beside the repository)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'isr-ccdproc-'));
  const t0 = performance.now();
  execFileSync(PYTHON, [referenceScript, '--outdir', dir, '--runs', String(runs)], { stdio: 'pipe', maxBuffer: 1 << 24 });
  return { dir, seconds: (performance.now() - t0) / 1000 };
}

function readPrimary(file: string, hdu: number | string = 0): { data: Float32Array; width: number; height: number; darkTime?: number } {
  const f = FitsFile.open(file);
  try {
    const img = f.readImageFloat32(hdu);
    const dt = f.imageHeader(hdu).getNumber('DARKTIME');
    return { data: img.data, width: img.axes[0], height: img.axes[1], ...(dt !== undefined ? { darkTime: dt } : {}) };
  } finally {
    f.close();
  }
}

function calib(file: string): Exposure {
  const { data, width, height, darkTime } = readPrimary(file);
  return new Exposure(new MaskedImage(new Image(data, width, height)), { visitInfo: makeVisitInfo(0, darkTime ?? NaN) });
}

export interface ReferenceData {
  raw: Exposure;
  bias: Exposure;
  dark: Exposure;
  flat: Exposure;
  sci: Float32Array;
  sigma: Float32Array;
}

export function loadReference(dir: string): ReferenceData {
  const rawFile = path.join(dir, 'raw_megacam_sim.fits');
  const f = FitsFile.open(rawFile);
  let raw: Exposure;
  try {
    const header = f.imageHeader('ccd00').clone();
    const img = f.readImageFloat32('ccd00');
    const mi = new MaskedImage(new Image(img.data, img.axes[0], img.axes[1]));
    // A raw has no mask or variance: the planes were just created empty (saves the ISR a scan).
    markZeroPlane(mi.mask);
    markZeroPlane(mi.variance);
    raw = new Exposure(mi, {
      metadata: header,
      detector: getDetector(loadCamera('megaprime'), 0),
      visitInfo: makeVisitInfo(header.getNumber('EXPTIME') ?? NaN, header.getNumber('DARKTIME') ?? NaN),
      filter: { physicalLabel: header.getString('FILTER') ?? 'r.MP9601', band: 'r' },
    });
  } finally {
    f.close();
  }
  const ref = path.join(dir, 'numpy_f32_out.fits');
  return {
    raw,
    bias: calib(path.join(dir, 'master_bias.fits')),
    dark: calib(path.join(dir, 'master_dark.fits')),
    flat: calib(path.join(dir, 'master_flat.fits')),
    sci: readPrimary(ref, 'SCI').data,
    sigma: readPrimary(ref, 'SIGMA').data,
  };
}
