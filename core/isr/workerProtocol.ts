// Messages between the ISR worker pool and isr.worker.ts. Pixel planes travel as typed arrays:
// raws are transferred (moved, not copied), calibrations are sent once per worker over
// SharedArrayBuffers (shared, not copied) and referenced by id, results are transferred back.

import type { Amplifier, Detector } from '../camera/geometry.js';
import { Header } from '../fits/header.js';
import { Box2I, Exposure, Image, Mask, MaskedImage, type ExposureInfo, type FilterLabel, type VisitInfo } from '../image/index.js';
import { markZeroPlane } from './fusedIsr.js';

export interface PlaneMsg<T extends Float32Array | Int32Array> {
  data: T;
  width: number;
  height: number;
  x0: number;
  y0: number;
}

export interface MaskedImageMsg {
  image: PlaneMsg<Float32Array>;
  mask?: PlaneMsg<Int32Array>;
  variance?: PlaneMsg<Float32Array>;
  /** Mask plane name → bit. */
  planes?: Array<[string, number]>;
}

export interface ExposureMsg extends MaskedImageMsg {
  /** FITS header text (80-character cards). */
  header?: string;
  visitInfo?: VisitInfo;
  filter?: FilterLabel;
  id?: number;
}

type BoxJson = { minX: number; minY: number; width: number; height: number };
type AmpJson = Omit<Amplifier, 'bbox' | 'rawBBox' | 'rawDataBBox' | 'rawSerialOverscanBBox' | 'rawParallelOverscanBBox' | 'rawSerialPrescanBBox'> & Record<'bbox' | 'rawBBox' | 'rawDataBBox' | 'rawSerialOverscanBBox' | 'rawParallelOverscanBBox' | 'rawSerialPrescanBBox', BoxJson>;
export type DetectorJson = Omit<Detector, 'bbox' | 'amplifiers'> & { bbox: BoxJson; amplifiers: AmpJson[] };

const AMP_BOXES = ['bbox', 'rawBBox', 'rawDataBBox', 'rawSerialOverscanBBox', 'rawParallelOverscanBBox', 'rawSerialPrescanBBox'] as const;
const boxJson = (b: Box2I): BoxJson => ({ minX: b.minX, minY: b.minY, width: b.width, height: b.height });
const boxFrom = (b: BoxJson): Box2I => new Box2I(b.minX, b.minY, b.width, b.height);

/** Detectors hold Box2I instances, which structured clone turns into plain objects: convert explicitly. */
export function detectorToJson(d: Detector): DetectorJson {
  return {
    ...d,
    bbox: boxJson(d.bbox),
    amplifiers: d.amplifiers.map((a) => {
      const out = { ...a } as unknown as AmpJson;
      for (const k of AMP_BOXES) out[k] = boxJson(a[k]);
      return out;
    }),
  };
}

export function detectorFromJson(d: DetectorJson): Detector {
  return {
    ...d,
    bbox: boxFrom(d.bbox),
    amplifiers: d.amplifiers.map((a) => {
      const out = { ...a } as unknown as Amplifier;
      for (const k of AMP_BOXES) (out as unknown as Record<string, Box2I>)[k] = boxFrom(a[k]);
      return out;
    }),
  };
}

export interface IsrJob {
  type: 'run';
  jobId: number;
  raw: ExposureMsg;
  detector: DetectorJson;
  /** Ids of calibrations sent earlier with a 'calib' message. */
  bias?: string;
  dark?: string;
  flat?: string;
  defects?: BoxJson[];
  /** Task class and plain config (as config.toPlain()). */
  task: 'IsrTask' | 'CfhtIsrTask';
  config: Record<string, unknown>;
}

export interface CalibMessage {
  type: 'calib';
  id: string;
  calib: ExposureMsg;
}

export interface IsrJobResult {
  type: 'result';
  jobId: number;
  exposure: ExposureMsg;
  metadata: Record<string, unknown>;
  fused: boolean;
  /** Seconds spent in runIsr inside the worker (CPU of that thread, wall). */
  seconds: number;
  /** CPU seconds of the worker thread in runIsr (Linux: /proc/thread-self/schedstat), when known. */
  cpuSeconds?: number;
}

export interface IsrJobError {
  type: 'error';
  jobId: number;
  message: string;
}

/** Output planes handed back (transferred) for reuse by the worker's next CCD. */
export interface RecycleMessage {
  type: 'recycle';
  buffers: ArrayBuffer[];
}

export type ToWorker = IsrJob | CalibMessage | RecycleMessage;
export type FromWorker = IsrJobResult | IsrJobError;

function planeMsg<T extends Float32Array | Int32Array>(img: Image<T>): PlaneMsg<T> {
  return { data: img.pixels(), width: img.width, height: img.height, x0: img.x0, y0: img.y0 };
}

/** `pixelsOnly` sends the image plane alone (a raw has no mask or variance worth sending). */
export function exposureToMsg(e: Exposure | MaskedImage, info: ExposureInfo = e instanceof Exposure ? e.info() : {}, pixelsOnly = false): ExposureMsg {
  const mi = e instanceof Exposure ? e.maskedImage : e;
  return {
    image: planeMsg(mi.image),
    ...(pixelsOnly ? {} : { mask: planeMsg(mi.mask), variance: planeMsg(mi.variance) }),
    planes: mi.mask.planes.entries(),
    ...(info.metadata ? { header: info.metadata.toString() } : {}),
    ...(info.visitInfo ? { visitInfo: info.visitInfo } : {}),
    ...(info.filter ? { filter: info.filter } : {}),
    ...(info.id !== undefined ? { id: info.id } : {}),
  };
}

/** Supplies the all-zero mask and variance of a message sent without them (a raw's). */
export type BlankPlanes = (width: number, height: number, x0: number, y0: number) => { mask: Mask; variance: Image<Float32Array> };

/** `blank` may hand out the same never-written planes again (ISR never writes to its raw). */
export function exposureFromMsg(m: ExposureMsg, detector?: Detector, blank?: BlankPlanes): Exposure {
  const { width, height, x0, y0 } = m.image;
  const image = new Image(m.image.data, width, height, { x0, y0 });
  const blanks = !m.mask || !m.variance ? blank?.(width, height, x0, y0) : undefined;
  const mask = m.mask ? new Mask(m.mask.data, width, height, { x0, y0 }) : (blanks?.mask ?? Mask.createMask(width, height, { x0, y0 }));
  if (!m.mask) markZeroPlane(mask);
  if (m.planes) {
    for (const name of mask.planes.names()) mask.planes.removePlane(name);
    for (const [name, bit] of [...m.planes].sort((a, b) => a[1] - b[1])) {
      const got = mask.planes.addPlane(name);
      if (got !== bit) throw new Error(`mask plane ${name}: bit ${bit} expected, dictionary gave ${got}`);
    }
  }
  const variance = m.variance ? new Image(m.variance.data, width, height, { x0, y0 }) : (blanks?.variance ?? Image.create(width, height, { x0, y0 }));
  if (!m.variance) markZeroPlane(variance);
  return new Exposure(new MaskedImage(image, mask, variance), {
    ...(m.header ? { metadata: Header.parse(m.header) } : {}),
    ...(m.visitInfo ? { visitInfo: m.visitInfo } : {}),
    ...(m.filter ? { filter: m.filter } : {}),
    ...(m.id !== undefined ? { id: m.id } : {}),
    ...(detector ? { detector } : {}),
  });
}

/** The buffers of a message that can be transferred (not SharedArrayBuffers). */
export function transferables(m: MaskedImageMsg): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const p of [m.image, m.mask, m.variance]) if (p && p.data.buffer instanceof ArrayBuffer && !out.includes(p.data.buffer)) out.push(p.data.buffer);
  return out;
}

/** Copies the planes into SharedArrayBuffers (once), so every worker can read them without a copy. */
export function toShared(m: ExposureMsg): ExposureMsg {
  const share = <T extends Float32Array | Int32Array>(p: PlaneMsg<T> | undefined): PlaneMsg<T> | undefined => {
    if (!p) return undefined;
    if (p.data.buffer instanceof SharedArrayBuffer) return p;
    const sab = new SharedArrayBuffer(p.data.byteLength);
    const Ctor = p.data.constructor as { new (b: SharedArrayBuffer): T };
    const data = new Ctor(sab);
    data.set(p.data);
    return { ...p, data };
  };
  return { ...m, image: share(m.image)!, mask: share(m.mask), variance: share(m.variance) };
}
