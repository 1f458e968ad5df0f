// Parses a camera description (YAML, see data/megaprime.yaml) into Camera geometry. Detectors
// share a default amplifier layout and override per-detector values (gains, read noise, position).
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Box2I } from '../image/box.js';
import type { Amplifier, Camera, Detector, DetectorType, ReadoutCorner } from './geometry.js';

const boxSchema = z.union([z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]), z.null()]);
const pairSchema = z.tuple([z.number(), z.number()]);
const nullableNumber = z.union([z.number(), z.null()]);

const ampSchema = z.object({
  name: z.string().min(1),
  bbox: boxSchema,
  rawBBox: boxSchema,
  rawDataBBox: boxSchema,
  rawSerialOverscanBBox: boxSchema.optional(),
  rawParallelOverscanBBox: boxSchema.optional(),
  rawSerialPrescanBBox: boxSchema.optional(),
  rawFlipX: z.boolean().default(false),
  rawFlipY: z.boolean().default(false),
  rawXYOffset: pairSchema.default([0, 0]),
  readoutCorner: z.enum(['LL', 'LR', 'UR', 'UL']),
  gain: z.number().positive().optional(),
  readNoise: z.number().nonnegative().optional(),
  saturation: nullableNumber.optional(),
  suspectLevel: nullableNumber.optional(),
  linearityType: z.string().default('None'),
  linearityCoeffs: z.array(z.number()).default([]),
  linearityThreshold: z.number().default(0),
  linearityMaximum: nullableNumber.optional(),
}).strict();

const ampOverrideSchema = z.object({
  gain: z.number().positive().optional(),
  readNoise: z.number().nonnegative().optional(),
  saturation: nullableNumber.optional(),
  suspectLevel: nullableNumber.optional(),
  linearityType: z.string().optional(),
  linearityCoeffs: z.array(z.number()).optional(),
}).strict();

const detectorCommon = {
  type: z.enum(['SCIENCE', 'FOCUS', 'GUIDER', 'WAVEFRONT']).optional(),
  physicalType: z.string().optional(),
  bbox: boxSchema.optional(),
  referencePoint: pairSchema.optional(),
  pitch: z.number().optional(),
  roll: z.number().optional(),
  rawSize: pairSchema.optional(),
};

const cameraSchema = z.object({
  name: z.string().min(1),
  plateScale: z.number().positive(),
  pixelSize: pairSchema,
  focalPlaneToFieldAngleInverseRadialCoeffs: z.array(z.number()).optional(),
  detectorDefaults: z.object({ ...detectorCommon, amplifiers: z.array(ampSchema).min(1) }).strict(),
  detectors: z.array(z.object({
    ...detectorCommon,
    id: z.number().int().nonnegative(),
    name: z.string().min(1),
    serial: z.union([z.string(), z.number()]).transform(String),
    offset: pairSchema,
    yaw: z.number(),
    amplifiers: z.record(z.string(), ampOverrideSchema).optional(),
    era: z.string().optional(),
  }).strict()).min(1),
}).strict();

function toBox(b: [number, number, number, number] | null | undefined): Box2I {
  return b ? Box2I.fromCorners(b[0], b[1], b[2], b[3]) : Box2I.empty();
}

function nanIfNull(v: number | null | undefined): number {
  return v === null || v === undefined ? NaN : v;
}

/** Parses camera YAML text; errors name the source, the path of the bad field and the problem. */
export function parseCameraYaml(text: string, source = 'camera YAML'): Camera {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new Error(`${source}: not valid YAML: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const result = cameraSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${source}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const spec = result.data;
  const defaults = spec.detectorDefaults;
  const ids = new Set<number>();
  const names = new Set<string>();
  const detectors: Detector[] = spec.detectors.map((d, index) => {
    const where = `${source}: detectors.${index} (${d.name})`;
    if (ids.has(d.id)) throw new Error(`${where}: duplicate detector id ${d.id}`);
    if (names.has(d.name)) throw new Error(`${where}: duplicate detector name ${d.name}`);
    ids.add(d.id);
    names.add(d.name);
    const overrides = d.amplifiers ?? {};
    for (const ampName of Object.keys(overrides)) {
      if (!defaults.amplifiers.some((a) => a.name === ampName)) throw new Error(`${where}: amplifier '${ampName}' is not in detectorDefaults.amplifiers`);
    }
    const amplifiers: Amplifier[] = defaults.amplifiers.map((a) => {
      const o = overrides[a.name] ?? {};
      const gain = o.gain ?? a.gain;
      const readNoise = o.readNoise ?? a.readNoise;
      if (gain === undefined || readNoise === undefined) throw new Error(`${where}: amplifier ${a.name} has no gain/readNoise`);
      return {
        name: a.name,
        bbox: toBox(a.bbox),
        gain,
        readNoise,
        saturation: nanIfNull(o.saturation !== undefined ? o.saturation : a.saturation),
        suspectLevel: nanIfNull(o.suspectLevel !== undefined ? o.suspectLevel : a.suspectLevel),
        readoutCorner: a.readoutCorner as ReadoutCorner,
        linearityType: o.linearityType ?? a.linearityType,
        linearityCoeffs: o.linearityCoeffs ?? a.linearityCoeffs,
        linearityThreshold: a.linearityThreshold,
        linearityMaximum: nanIfNull(a.linearityMaximum),
        rawBBox: toBox(a.rawBBox),
        rawDataBBox: toBox(a.rawDataBBox),
        rawSerialOverscanBBox: toBox(a.rawSerialOverscanBBox),
        rawParallelOverscanBBox: toBox(a.rawParallelOverscanBBox),
        rawSerialPrescanBBox: toBox(a.rawSerialPrescanBBox),
        rawFlipX: a.rawFlipX,
        rawFlipY: a.rawFlipY,
        rawXYOffset: { x: a.rawXYOffset[0], y: a.rawXYOffset[1] },
      };
    });
    const bbox = toBox(d.bbox ?? defaults.bbox);
    const rawSize = d.rawSize ?? defaults.rawSize;
    const ref = d.referencePoint ?? defaults.referencePoint ?? [(bbox.width - 1) / 2, (bbox.height - 1) / 2];
    const detector: Detector = {
      id: d.id,
      name: d.name,
      serial: d.serial,
      type: (d.type ?? defaults.type ?? 'SCIENCE') as DetectorType,
      physicalType: d.physicalType ?? defaults.physicalType ?? '',
      bbox,
      rawWidth: rawSize ? rawSize[0] : bbox.width,
      rawHeight: rawSize ? rawSize[1] : bbox.height,
      pixelSize: { x: spec.pixelSize[0], y: spec.pixelSize[1] },
      orientation: {
        fpPosition: { x: d.offset[0], y: d.offset[1] },
        referencePoint: { x: ref[0], y: ref[1] },
        yawDeg: d.yaw,
        pitchDeg: d.pitch ?? defaults.pitch ?? 0,
        rollDeg: d.roll ?? defaults.roll ?? 0,
      },
      amplifiers,
      ...(d.era ? { era: d.era } : {}),
    };
    checkDetector(detector, where);
    return detector;
  });
  return {
    name: spec.name,
    plateScale: spec.plateScale,
    detectors,
    ...(spec.focalPlaneToFieldAngleInverseRadialCoeffs ? { fieldAngleToFocalPlaneRadialCoeffs: spec.focalPlaneToFieldAngleInverseRadialCoeffs } : {}),
  };
}

/** Amplifier boxes must tile the detector and sit inside the raw frame. */
function checkDetector(d: Detector, where: string): void {
  const raw = new Box2I(0, 0, d.rawWidth, d.rawHeight);
  let area = 0;
  for (const a of d.amplifiers) {
    if (!d.bbox.containsBox(a.bbox)) throw new Error(`${where}: amplifier ${a.name} bbox ${a.bbox.toString()} is outside the detector ${d.bbox.toString()}`);
    for (const [label, box] of [['rawBBox', a.rawBBox], ['rawDataBBox', a.rawDataBBox], ['rawSerialOverscanBBox', a.rawSerialOverscanBBox], ['rawParallelOverscanBBox', a.rawParallelOverscanBBox], ['rawSerialPrescanBBox', a.rawSerialPrescanBBox]] as const) {
      if (!raw.containsBox(box)) throw new Error(`${where}: amplifier ${a.name} ${label} ${box.toString()} is outside the raw frame ${raw.toString()}`);
    }
    if (a.rawDataBBox.width !== a.bbox.width || a.rawDataBBox.height !== a.bbox.height) {
      throw new Error(`${where}: amplifier ${a.name} rawDataBBox ${a.rawDataBBox.width}×${a.rawDataBBox.height} differs from bbox ${a.bbox.width}×${a.bbox.height}`);
    }
    area += a.bbox.area;
  }
  for (let i = 0; i < d.amplifiers.length; i++) {
    for (let j = i + 1; j < d.amplifiers.length; j++) {
      if (d.amplifiers[i].bbox.overlaps(d.amplifiers[j].bbox)) throw new Error(`${where}: amplifiers ${d.amplifiers[i].name} and ${d.amplifiers[j].name} overlap`);
    }
  }
  if (area !== d.bbox.area) throw new Error(`${where}: amplifiers cover ${area} pixels, the detector has ${d.bbox.area}`);
}
