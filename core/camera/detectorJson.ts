// A Detector as plain JSON (boxes as [minX, minY, maxX, maxY], NaN as null), so an Exposure file
// can carry its detector and be read back without the camera that made it.
import { z } from 'zod';
import { Box2I } from '../image/box.js';
import type { Amplifier, Detector, DetectorType, ReadoutCorner } from './geometry.js';

type BoxJson = [number, number, number, number] | null;

function boxOut(b: Box2I): BoxJson {
  return b.isEmpty() ? null : [b.minX, b.minY, b.maxX, b.maxY];
}

function boxIn(b: BoxJson): Box2I {
  return b ? Box2I.fromCorners(b[0], b[1], b[2], b[3]) : Box2I.empty();
}

function numOut(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function detectorToJson(d: Detector): unknown {
  return {
    id: d.id,
    name: d.name,
    serial: d.serial,
    type: d.type,
    physicalType: d.physicalType,
    bbox: boxOut(d.bbox),
    rawSize: [d.rawWidth, d.rawHeight],
    pixelSize: [d.pixelSize.x, d.pixelSize.y],
    orientation: d.orientation,
    ...(d.era ? { era: d.era } : {}),
    amplifiers: d.amplifiers.map((a) => ({
      name: a.name,
      bbox: boxOut(a.bbox),
      gain: a.gain,
      readNoise: a.readNoise,
      saturation: numOut(a.saturation),
      suspectLevel: numOut(a.suspectLevel),
      readoutCorner: a.readoutCorner,
      linearityType: a.linearityType,
      linearityCoeffs: a.linearityCoeffs,
      linearityThreshold: a.linearityThreshold,
      linearityMaximum: numOut(a.linearityMaximum),
      rawBBox: boxOut(a.rawBBox),
      rawDataBBox: boxOut(a.rawDataBBox),
      rawSerialOverscanBBox: boxOut(a.rawSerialOverscanBBox),
      rawParallelOverscanBBox: boxOut(a.rawParallelOverscanBBox),
      rawSerialPrescanBBox: boxOut(a.rawSerialPrescanBBox),
      rawFlipX: a.rawFlipX,
      rawFlipY: a.rawFlipY,
      rawXYOffset: [a.rawXYOffset.x, a.rawXYOffset.y],
    })),
  };
}

const box = z.union([z.tuple([z.number(), z.number(), z.number(), z.number()]), z.null()]);
const nnum = z.union([z.number(), z.null()]);
const point = z.object({ x: z.number(), y: z.number() });
const schema = z.object({
  id: z.number().int(),
  name: z.string(),
  serial: z.string(),
  type: z.enum(['SCIENCE', 'FOCUS', 'GUIDER', 'WAVEFRONT']),
  physicalType: z.string(),
  bbox: box,
  rawSize: z.tuple([z.number(), z.number()]),
  pixelSize: z.tuple([z.number(), z.number()]),
  orientation: z.object({ fpPosition: point, referencePoint: point, yawDeg: z.number(), pitchDeg: z.number(), rollDeg: z.number() }),
  era: z.string().optional(),
  amplifiers: z.array(z.object({
    name: z.string(),
    bbox: box,
    gain: z.number(),
    readNoise: z.number(),
    saturation: nnum,
    suspectLevel: nnum,
    readoutCorner: z.enum(['LL', 'LR', 'UR', 'UL']),
    linearityType: z.string(),
    linearityCoeffs: z.array(z.number()),
    linearityThreshold: z.number(),
    linearityMaximum: nnum,
    rawBBox: box,
    rawDataBBox: box,
    rawSerialOverscanBBox: box,
    rawParallelOverscanBBox: box,
    rawSerialPrescanBBox: box,
    rawFlipX: z.boolean(),
    rawFlipY: z.boolean(),
    rawXYOffset: z.tuple([z.number(), z.number()]),
  })),
});

export function detectorFromJson(value: unknown, source = 'detector JSON'): Detector {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${source}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const d = r.data;
  const amplifiers: Amplifier[] = d.amplifiers.map((a) => ({
    name: a.name,
    bbox: boxIn(a.bbox),
    gain: a.gain,
    readNoise: a.readNoise,
    saturation: a.saturation ?? NaN,
    suspectLevel: a.suspectLevel ?? NaN,
    readoutCorner: a.readoutCorner as ReadoutCorner,
    linearityType: a.linearityType,
    linearityCoeffs: a.linearityCoeffs,
    linearityThreshold: a.linearityThreshold,
    linearityMaximum: a.linearityMaximum ?? NaN,
    rawBBox: boxIn(a.rawBBox),
    rawDataBBox: boxIn(a.rawDataBBox),
    rawSerialOverscanBBox: boxIn(a.rawSerialOverscanBBox),
    rawParallelOverscanBBox: boxIn(a.rawParallelOverscanBBox),
    rawSerialPrescanBBox: boxIn(a.rawSerialPrescanBBox),
    rawFlipX: a.rawFlipX,
    rawFlipY: a.rawFlipY,
    rawXYOffset: { x: a.rawXYOffset[0], y: a.rawXYOffset[1] },
  }));
  return {
    id: d.id,
    name: d.name,
    serial: d.serial,
    type: d.type as DetectorType,
    physicalType: d.physicalType,
    bbox: boxIn(d.bbox),
    rawWidth: d.rawSize[0],
    rawHeight: d.rawSize[1],
    pixelSize: { x: d.pixelSize[0], y: d.pixelSize[1] },
    orientation: d.orientation,
    amplifiers,
    ...(d.era ? { era: d.era } : {}),
  };
}
