// Detector geometry read from a raw header, for instruments without a shipped camera (or to check
// one): IRAF/NOAO single-amplifier sections (DATASEC or TRIMSEC, BIASSEC, GAIN, RDNOISE, SATURATE)
// and CFHT's per-amplifier sections (AMPLIST with ASEC/DSEC/BSEC/CSEC<amp>, GAIN<amp>, RDNOISE<amp>).
import { Box2I } from '../image/box.js';
import type { Amplifier, Detector, ReadoutCorner } from './geometry.js';

export interface HeaderSource {
  get(keyword: string): unknown;
}

function str(h: HeaderSource, key: string): string | undefined {
  const v = h.get(key);
  return v === undefined || v === null ? undefined : String(v).trim();
}

function num(h: HeaderSource, key: string, where: string): number | undefined {
  const v = h.get(key);
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v.trim()) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${where}: ${key} = ${JSON.stringify(v)} is not a number`);
  return n;
}

/** A section keyword as a 0-based box; undefined when absent or a "[0:0,0:0]"-style placeholder. */
function section(h: HeaderSource, key: string, where: string): Box2I | undefined {
  const text = str(h, key);
  if (!text) return undefined;
  if (/^\[\s*0\s*:\s*0\s*,\s*0\s*:\s*0\s*\]$/.test(text)) return undefined;
  return Box2I.fromFitsSection(text, `${where}: ${key}`);
}

function makeAmp(name: string, parts: { bbox: Box2I; data: Box2I; overscan?: Box2I; whole?: Box2I; gain: number; readNoise: number; saturation: number; corner: ReadoutCorner }): Amplifier {
  const overscan = parts.overscan ?? Box2I.empty();
  const raw = (parts.whole ?? parts.data).union(parts.data).union(overscan);
  return {
    name,
    bbox: parts.bbox,
    gain: parts.gain,
    readNoise: parts.readNoise,
    saturation: parts.saturation,
    suspectLevel: NaN,
    readoutCorner: parts.corner,
    linearityType: 'None',
    linearityCoeffs: [],
    linearityThreshold: 0,
    linearityMaximum: NaN,
    rawBBox: raw,
    rawDataBBox: parts.data,
    rawSerialOverscanBBox: overscan,
    rawParallelOverscanBBox: Box2I.empty(),
    rawSerialPrescanBBox: Box2I.empty(),
    rawFlipX: false,
    rawFlipY: false,
    rawXYOffset: { x: 0, y: 0 },
  };
}

/**
 * A Detector described by the header's section keywords. Pixel size and focal-plane position are
 * not in such headers: they are NaN / 0. Errors name the keyword and its value.
 */
export function detectorFromHeader(header: HeaderSource, options: { name?: string; id?: number; where?: string } = {}): Detector {
  const where = options.where ?? 'header';
  const naxis = [num(header, 'ZNAXIS1', where) ?? num(header, 'NAXIS1', where) ?? 0, num(header, 'ZNAXIS2', where) ?? num(header, 'NAXIS2', where) ?? 0];
  const saturation = num(header, 'SATURATE', where) ?? NaN;
  const amps: Amplifier[] = [];
  const ampList = str(header, 'AMPLIST');
  if (ampList) {
    for (const a of ampList.split(/[\s,]+/).filter(Boolean)) {
      const data = section(header, `DSEC${a}`, where) ?? section(header, `TSEC${a}`, where);
      if (!data) throw new Error(`${where}: AMPLIST names amplifier ${a} but DSEC${a}/TSEC${a} is missing`);
      const placed = section(header, `CSEC${a}`, where);
      const gain = num(header, `GAIN${a}`, where) ?? num(header, 'GAIN', where);
      const readNoise = num(header, `RDNOISE${a}`, where) ?? num(header, 'RDNOISE', where);
      if (gain === undefined) throw new Error(`${where}: no GAIN${a} or GAIN for amplifier ${a}`);
      amps.push(makeAmp(a, {
        bbox: placed ?? data,
        data,
        overscan: section(header, `BSEC${a}`, where),
        whole: section(header, `ASEC${a}`, where),
        gain,
        readNoise: readNoise ?? NaN,
        saturation: num(header, `MAXLIN${a}`, where) ?? saturation,
        corner: 'LL',
      }));
    }
    // Spliced CFHT raws are written "as if read from amplifier A": the rightmost amplifier reads from the right.
    const maxX = Math.max(...amps.map((a) => a.bbox.maxX));
    for (const a of amps) if (amps.length > 1 && a.bbox.maxX === maxX) a.readoutCorner = 'LR';
  } else {
    const data = section(header, 'DATASEC', where) ?? section(header, 'TRIMSEC', where);
    const whole = new Box2I(0, 0, naxis[0], naxis[1]);
    const gain = num(header, 'GAIN', where) ?? num(header, 'EGAIN', where);
    if (gain === undefined) throw new Error(`${where}: no GAIN keyword: cannot describe the amplifier`);
    const d = data ?? whole;
    amps.push(makeAmp('A', {
      bbox: new Box2I(0, 0, d.width, d.height),
      data: d,
      overscan: section(header, 'BIASSEC', where),
      whole,
      gain,
      readNoise: num(header, 'RDNOISE', where) ?? num(header, 'READNOIS', where) ?? NaN,
      saturation,
      corner: 'LL',
    }));
  }
  const bbox = amps.map((a) => a.bbox).reduce((u, b) => u.union(b));
  const raw = amps.map((a) => a.rawBBox).reduce((u, b) => u.union(b));
  const rawWidth = Math.max(raw.maxX + 1, naxis[0]);
  const rawHeight = Math.max(raw.maxY + 1, naxis[1]);
  for (const a of amps) {
    if (a.rawDataBBox.width !== a.bbox.width || a.rawDataBBox.height !== a.bbox.height) {
      throw new Error(`${where}: amplifier ${a.name} data section ${a.rawDataBBox.toFitsSection()} and its place ${a.bbox.toFitsSection()} differ in size`);
    }
  }
  const name = options.name ?? str(header, 'EXTNAME') ?? str(header, 'CCDNAME') ?? str(header, 'DETECTOR') ?? 'detector';
  return {
    id: options.id ?? 0,
    name,
    serial: str(header, 'CCDNAME') ?? str(header, 'DETSER') ?? '',
    type: 'SCIENCE',
    physicalType: '',
    bbox,
    rawWidth,
    rawHeight,
    pixelSize: { x: NaN, y: NaN },
    orientation: { fpPosition: { x: 0, y: 0 }, referencePoint: { x: (bbox.width - 1) / 2, y: (bbox.height - 1) / 2 }, yawDeg: 0, pitchDeg: 0, rollDeg: 0 },
    amplifiers: amps,
  };
}
