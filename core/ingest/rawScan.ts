// What ingest needs from one raw file, from its headers only (no pixels): which instrument wrote
// it, which detectors it holds, and the translated observation. Every problem becomes a message
// that names the file (and the HDU) and says what is wrong.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FitsFile, type HduInfo } from '../fits/fits-file.js';
import type { Header } from '../fits/header.js';
import '../instrument/index.js';
import { instrumentForHeader, type ObservationInfo } from '../instrument/index.js';
import { Timespan } from '../time/index.js';

/** Observation info in a form that crosses worker threads (the timespan as plain bigints). */
export type PortableObservation = Omit<ObservationInfo, 'timespan'> & { timespan: { begin: bigint; end: bigint } };

export interface RawFileInfo {
  path: string;
  instrument: string;
  /** Detector ids in the file, in HDU order. */
  detectors: number[];
  observation: PortableObservation;
  /** Size in bytes. */
  size: number;
}

export type RawScanResult = { ok: true; info: RawFileInfo } | { ok: false; path: string; error: string };

const RAW_EXTENSIONS = ['.fits', '.fits.fz', '.fz', '.fit', '.fits.gz'];

export function isRawFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return RAW_EXTENSIONS.some((e) => lower.endsWith(e));
}

/**
 * Files named by the locations: files as given, directories searched recursively for FITS names
 * (sorted, so ingest order is stable). A location that does not exist is reported, not skipped.
 */
export function expandRawLocations(locations: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if ((entry.isFile() || entry.isSymbolicLink()) && isRawFileName(entry.name)) files.push(p);
    }
  };
  for (const loc of locations) {
    const abs = resolve(loc);
    if (!existsSync(abs)) {
      missing.push(loc);
      continue;
    }
    if (statSync(abs).isDirectory()) walk(abs);
    else files.push(abs);
  }
  return { files: [...new Set(files)], missing };
}

function imageHeader(file: FitsFile, h: HduInfo): Header {
  return h.kind === 'compressed-image' ? file.imageHeader(h.index) : h.header;
}

function detectorOf(file: FitsFile, h: HduInfo): number | undefined {
  const names = [h.name, ...h.header.cards.filter((c) => c.keyword === 'EXTNAME').map((c) => String(c.value))];
  if (h.kind === 'compressed-image') names.push(imageHeader(file, h).getString('EXTNAME') ?? '');
  for (const n of names) {
    const m = /^ccd(\d+)$/i.exec(n.trim());
    if (m) return Number(m[1]);
  }
  if (h.kind === 'compressed-image' && h.index > 0 && h.name.toUpperCase() === 'COMPRESSED_IMAGE') return h.version;
  return undefined;
}

function toPortable(obs: ObservationInfo): PortableObservation {
  return { ...obs, timespan: { begin: obs.timespan.begin, end: obs.timespan.end } };
}

/** Back to an ObservationInfo with a real Timespan. */
export function fromPortable(obs: PortableObservation): ObservationInfo {
  return { ...obs, timespan: Timespan.fromColumns(obs.timespan.begin, obs.timespan.end) };
}

/** Reads the headers of one raw file. Throws an Error whose message names the file. */
export function scanRawFile(path: string): RawFileInfo {
  let file: FitsFile;
  try {
    file = FitsFile.open(path);
  } catch (err) {
    throw new Error(`${path}: not a readable FITS file: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  try {
    const truncated = file.hdus.find((h) => h.truncated);
    if (truncated) throw new Error(`${path}: truncated: HDU ${truncated.index}${truncated.name ? ` (${truncated.name})` : ''} needs ${truncated.dataSize} data bytes but the file ends first (file size ${file.size} bytes)`);
    const images = file.hdus.filter((h) => (h.kind === 'image' || h.kind === 'compressed-image') && h.axes.length >= 2 && h.axes[0] > 0 && h.axes[1] > 0);
    if (images.length === 0) throw new Error(`${path}: holds no image HDU (${file.hdus.length} HDU${file.hdus.length === 1 ? '' : 's'}, none with pixels)`);
    const detectors: number[] = [];
    let observation: ObservationInfo | undefined;
    let instrument: string | undefined;
    for (const h of images) {
      const where = `${path}[${h.index}${h.name && h.name !== 'PRIMARY' ? ` ${h.name}` : ''}]`;
      const header = imageHeader(file, h);
      const inst = instrumentForHeader(header, where);
      const obs = inst.translator.translate(header, where);
      const det = detectorOf(file, h);
      if (det === undefined) throw new Error(`${where}: cannot tell which detector this HDU holds (no EXTNAME 'ccdNN')`);
      if (detectors.includes(det)) throw new Error(`${where}: detector ${det} appears twice in the file`);
      if (observation === undefined) {
        observation = obs;
        instrument = inst.name;
      } else if (obs.exposureId !== observation.exposureId || inst.name !== instrument) {
        throw new Error(`${where}: exposure ${inst.name} ${obs.exposureId} differs from ${instrument} ${observation.exposureId} in the file's first image HDU`);
      }
      detectors.push(det);
    }
    return { path, instrument: instrument!, detectors, observation: toPortable(observation!), size: file.size };
  } finally {
    file.close();
  }
}

/** scanRawFile with the error captured as a result (for workers and batch ingest). */
export function scanRawFileSafe(path: string): RawScanResult {
  try {
    return { ok: true, info: scanRawFile(path) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, path, error: message.startsWith(path) ? message : `${path}: ${message}` };
  }
}
