// Where each amplifier's pixels are in a MegaCam raw: from the raw's own section keywords
// (DSECx, BSECx, CSECx as CFHT's imsplice writes them, binning from CCDBIN1/2) when present,
// else from the camera's amplifier table. Reading the file's own sections keeps binned and
// sub-raster readouts right, where the camera only knows the full unbinned frame.
import type { Detector } from '../camera/geometry.js';
import { Box2I } from '../image/box.js';
import type { HeaderLike } from '../instrument/translator.js';

export interface RawAmpGeometry {
  name: string;
  /** e-/ADU. */
  gain: number;
  /** Electrons. */
  readNoise: number;
  /** ADU; NaN when unknown. */
  saturation: number;
  /** Imaging pixels in the raw frame (0-based). */
  data: Box2I;
  /** Serial overscan in the raw frame (0-based), rows matching `data`. */
  serialOverscan: Box2I;
  /** Where `data` goes in the trimmed image. */
  trimmed: Box2I;
}

export interface RawGeometry {
  amps: RawAmpGeometry[];
  trimmedWidth: number;
  trimmedHeight: number;
  binning: number;
  source: 'header' | 'camera';
}

/** A FITS section '[x1:x2,y1:y2]' (1-based, inclusive, either order) as a 0-based box. */
export function parseSection(text: string, keyword: string, where: string): Box2I {
  const m = /^\s*\[\s*(\d+)\s*:\s*(\d+)\s*,\s*(\d+)\s*:\s*(\d+)\s*\]\s*$/.exec(text);
  if (!m) throw new Error(`${where}: ${keyword} = '${text}' is not a FITS section like [x1:x2,y1:y2]`);
  const [x1, x2, y1, y2] = [m[1], m[2], m[3], m[4]].map(Number);
  if (Math.min(x1, x2, y1, y2) < 1) throw new Error(`${where}: ${keyword} = '${text}' has a coordinate below 1 (FITS sections are 1-based)`);
  return Box2I.fromCorners(Math.min(x1, x2) - 1, Math.min(y1, y2) - 1, Math.max(x1, x2) - 1, Math.max(y1, y2) - 1);
}

/** Formats a 0-based box as a 1-based FITS section. */
export function formatSection(box: Box2I): string {
  return `[${box.minX + 1}:${box.maxX + 1},${box.minY + 1}:${box.maxY + 1}]`;
}

function num(header: HeaderLike, key: string): number | undefined {
  const v = header.get(key);
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function str(header: HeaderLike, key: string): string | undefined {
  const v = header.get(key);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** The binning factor (CCDBIN1/CCDBIN2, or CCDSUM); non-square binning is refused. */
export function binningOf(header: HeaderLike, where: string): number {
  let bx = num(header, 'CCDBIN1');
  let by = num(header, 'CCDBIN2');
  const sum = str(header, 'CCDSUM');
  if ((bx === undefined || by === undefined) && sum) [bx, by] = sum.trim().split(/\s+/).map(Number);
  bx ??= 1;
  by ??= 1;
  if (!Number.isInteger(bx) || bx < 1 || bx !== by) throw new Error(`${where}: binning ${bx}×${by} (CCDBIN1/CCDBIN2) is not supported; only square integer binning is`);
  return bx;
}

export function rawGeometry(header: HeaderLike, detector: Detector | undefined, where: string): RawGeometry {
  const names = ['A', 'B'];
  if (names.every((n) => str(header, `DSEC${n}`) && str(header, `BSEC${n}`) && str(header, `CSEC${n}`))) {
    const amps = names.map((n) => {
      const data = parseSection(str(header, `DSEC${n}`)!, `DSEC${n}`, where);
      const bsec = parseSection(str(header, `BSEC${n}`)!, `BSEC${n}`, where);
      const csec = parseSection(str(header, `CSEC${n}`)!, `CSEC${n}`, where);
      if (csec.width !== data.width || csec.height !== data.height) {
        throw new Error(`${where}: CSEC${n} ${formatSection(csec)} and DSEC${n} ${formatSection(data)} differ in size`);
      }
      const rows = Box2I.fromCorners(bsec.minX, data.minY, bsec.maxX, data.maxY);
      const fromCamera = detector?.amplifiers.find((a) => a.name === n);
      const gain = num(header, `GAIN${n}`) ?? fromCamera?.gain;
      if (gain === undefined || gain <= 0) throw new Error(`${where}: no gain for amplifier ${n} (GAIN${n} missing and no camera value)`);
      return {
        name: n,
        gain,
        readNoise: num(header, `RDNOISE${n}`) ?? fromCamera?.readNoise ?? Number.NaN,
        saturation: num(header, `MAXLIN${n}`) ?? num(header, 'SATURATE') ?? fromCamera?.saturation ?? Number.NaN,
        data,
        serialOverscan: rows,
        trimmed: csec,
      };
    });
    const width = Math.max(...amps.map((a) => a.trimmed.maxX + 1));
    const height = Math.max(...amps.map((a) => a.trimmed.maxY + 1));
    return { amps, trimmedWidth: width, trimmedHeight: height, binning: binningOf(header, where), source: 'header' };
  }
  if (!detector) throw new Error(`${where}: the header has no amplifier sections (DSECA/BSECA/CSECA…) and no camera detector is known`);
  const amps = detector.amplifiers.map((a) => ({
    name: a.name,
    gain: a.gain,
    readNoise: a.readNoise,
    saturation: a.saturation,
    data: a.rawDataBBox,
    serialOverscan: Box2I.fromCorners(a.rawSerialOverscanBBox.minX, a.rawDataBBox.minY, a.rawSerialOverscanBBox.maxX, a.rawDataBBox.maxY),
    trimmed: a.bbox,
  }));
  return { amps, trimmedWidth: detector.bbox.width, trimmedHeight: detector.bbox.height, binning: 1, source: 'camera' };
}
