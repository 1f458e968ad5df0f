// MegaPrime raw reader (after obs_cfht's MegaPrimeRawFormatter): one detector of a multi-extension
// raw, plain or tile-compressed (.fits.fz). Detector N is expected in HDU N+1 with EXTNAME 'ccdNN';
// otherwise every HDU is checked (compressed files may carry EXTNAME 'COMPRESSED_IMAGE' with the
// detector in EXTVER). The primary header is not merged (MegaPrime writes INHERIT = F).
import { FitsFile, type HduInfo } from '../../fits/fits-file.js';
import type { Header } from '../../fits/header.js';
import { loadCamera } from '../../camera/cameraData.js';
import { getDetector, type Detector } from '../../camera/geometry.js';
import { Box2I } from '../../image/box.js';
import { Exposure } from '../../image/exposure.js';
import { Image } from '../../image/image.js';
import { MaskedImage } from '../../image/maskedImage.js';
import type { VisitInfo } from '../../image/visitInfo.js';
import { taiIso, type ObservationInfo } from '../../instrument/translator.js';
import { MegaPrimeTranslator } from '../../instrument/megaprime/translator.js';
import { hasWcs } from '../../wcs/headerWcs.js';
import { SkyWcs } from '../../wcs/skyWcs.js';
import { takeFloat32Buffer } from './planeBuffers.js';

const translator = new MegaPrimeTranslator();

export interface MegaPrimeRawReadOptions {
  /** Detector id (0–39) or name ('ccd00'–'ccd39'). Optional when the file holds one detector. */
  detector?: number | string;
  /** Raw-frame sub-region to read (only its rows are read). */
  bbox?: Box2I;
}

function detectorNumber(ref: number | string, path: string): number {
  if (typeof ref === 'number') return ref;
  const m = /^(?:ccd)?(\d+)$/i.exec(ref.trim());
  if (!m) throw new Error(`${path}: detector '${ref}' is not a MegaPrime detector name (ccd00–ccd39) or number`);
  return Number(m[1]);
}

function imageHeaderOf(file: FitsFile, h: HduInfo): Header {
  return h.kind === 'compressed-image' ? file.imageHeader(h.index) : h.header;
}

function isImage(h: HduInfo): boolean {
  return (h.kind === 'image' || h.kind === 'compressed-image') && h.axes.length >= 2 && h.axes[0] > 0 && h.axes[1] > 0;
}

/**
 * The detector number an HDU holds, from an EXTNAME 'ccdNN' (CFHT's compressed files carry two
 * EXTNAME cards, 'COMPRESSED_IMAGE' first), else EXTVER of a 'COMPRESSED_IMAGE'.
 */
function detectorOfHdu(file: FitsFile, h: HduInfo): number | undefined {
  const names = [h.name, ...h.header.cards.filter((c) => c.keyword === 'EXTNAME').map((c) => String(c.value))];
  if (h.kind === 'compressed-image') names.push(imageHeaderOf(file, h).getString('EXTNAME') ?? '');
  for (const name of names) {
    const m = /^ccd(\d+)$/i.exec(name.trim());
    if (m) return Number(m[1]);
  }
  if (h.name.toUpperCase() === 'COMPRESSED_IMAGE' && h.index > 0) return h.version;
  return undefined;
}

/** Detector numbers present in a raw, from its headers only. */
export function megaPrimeDetectorsIn(path: string): number[] {
  const file = FitsFile.open(path);
  try {
    return file.hdus.filter(isImage).map((h) => detectorOfHdu(file, h)).filter((d): d is number => d !== undefined);
  } finally {
    file.close();
  }
}

function findHdu(file: FitsFile, path: string, detector: number | undefined): HduInfo {
  const images = file.hdus.filter(isImage);
  if (detector === undefined) {
    if (images.length === 1) return images[0];
    throw new Error(`${path}: holds ${images.length} detectors; say which (detector id or ccdNN)`);
  }
  const expected = file.hdus[detector + 1];
  if (expected && isImage(expected) && detectorOfHdu(file, expected) === detector) return expected;
  const found = images.find((h) => detectorOfHdu(file, h) === detector);
  if (!found) {
    const present = images.map((h) => detectorOfHdu(file, h)).filter((d) => d !== undefined);
    throw new Error(`${path}: no HDU holds detector ${detector} (ccd${String(detector).padStart(2, '0')}); detectors present: ${present.join(', ') || 'none'}`);
  }
  return found;
}

/**
 * The translated header of every detector in a raw, from the headers only (what ingest needs:
 * one ObservationInfo per detector, no pixels decoded).
 */
export function megaPrimeRawObservations(path: string): Array<{ detector: number; hdu: number; info: ObservationInfo }> {
  const file = FitsFile.open(path);
  try {
    const out: Array<{ detector: number; hdu: number; info: ObservationInfo }> = [];
    for (const h of file.hdus.filter(isImage)) {
      const detector = detectorOfHdu(file, h);
      if (detector === undefined) continue;
      const header = imageHeaderOf(file, h);
      // CFHT's compressed files may name the HDU only in a second EXTNAME card: translate with the real name.
      const named = { get: (k: string) => (k === 'EXTNAME' ? `ccd${String(detector).padStart(2, '0')}` : header.get(k)) };
      out.push({ detector, hdu: h.index, info: translator.translate(named, `${path}[${h.index}]`) });
    }
    if (out.length === 0) throw new Error(`${path}: no MegaPrime detector HDU (EXTNAME ccdNN) found`);
    return out;
  } finally {
    file.close();
  }
}

/** Builds the VisitInfo afw would carry from the translated header. */
export function megaPrimeVisitInfo(header: Header, source: string): { visitInfo: VisitInfo; filter: { physicalLabel: string; band?: string }; id?: number } {
  const obs = translator.translate(header, source);
  const mid = obs.timespan.begin + (obs.timespan.end - obs.timespan.begin) / 2n;
  const visitInfo: VisitInfo = {
    exposureTime: obs.exposureTime,
    darkTime: obs.darkTime,
    date: taiIso(mid),
    id: obs.exposureId,
    instrumentLabel: 'MegaPrime',
    observationType: obs.observationType,
    ...(obs.scienceProgram ? { scienceProgram: obs.scienceProgram } : {}),
    ...(obs.target ? { object: obs.target } : {}),
    ...(obs.trackingRaDec ? { boresightRaDec: { ra: obs.trackingRaDec.ra, dec: obs.trackingRaDec.dec } } : {}),
    ...(obs.altAz ? { boresightAzAlt: { az: obs.altAz.az, alt: obs.altAz.alt } } : {}),
    ...(obs.boresightAirmass !== undefined ? { boresightAirmass: obs.boresightAirmass } : {}),
    boresightRotAngle: obs.boresightRotationAngle,
    ...(obs.location ? { observatory: obs.location } : {}),
  };
  return { visitInfo, filter: { physicalLabel: obs.physicalFilter, ...(obs.band ? { band: obs.band } : {}) }, id: obs.detectorExposureId };
}

/** Reads one detector of a MegaPrime raw as an Exposure (float32 pixels, empty mask and variance). */
export function readMegaPrimeRaw(path: string, options: MegaPrimeRawReadOptions = {}): Exposure {
  const file = FitsFile.open(path);
  try {
    const wanted = options.detector === undefined ? undefined : detectorNumber(options.detector, path);
    const h = findHdu(file, path, wanted);
    const header = imageHeaderOf(file, h).clone();
    const where = `${path}[${h.index}${h.name ? ` ${h.name}` : ''}]`;
    const [width, height] = [h.axes[0], h.axes[1]];
    const full = new Box2I(0, 0, width, height);
    const box = options.bbox ?? full;
    if (!full.containsBox(box) || box.isEmpty()) throw new Error(`${where}: bbox ${box.toString()} is outside the raw frame ${full.toString()}`);
    const region = box.equals(full) ? undefined : { x: box.minX, y: box.minY, width: box.width, height: box.height };
    // A whole frame goes into a released buffer of its size when there is one (planeBuffers.ts).
    const into = region ? undefined : takeFloat32Buffer(box.width * box.height);
    const data = file.readImageFloat32(h.index, region ? { region } : into ? { into } : {});
    const image = new Image(data.data, box.width, box.height, { x0: box.minX, y0: box.minY });

    const num = detectorOfHdu(file, h) ?? wanted;
    let detector: Detector | undefined;
    if (num !== undefined) detector = getDetector(loadCamera('megaprime'), num);
    const { visitInfo, filter, id } = megaPrimeVisitInfo(header, where);
    const wcs = hasWcs(header) ? SkyWcs.fromHeader(header, { where }) : undefined;
    return new Exposure(new MaskedImage(image), { metadata: header, visitInfo, filter, detector, wcs, ...(id !== undefined ? { id } : {}) });
  } finally {
    file.close();
  }
}
