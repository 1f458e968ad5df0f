// Worker thread running ISR quanta: opens the repository read-only once, reads each quantum's raw
// and calibrations (calibrations cached by dataset id, so quanta of one detector share them),
// runs ISR with per-quantum log capture and transfers the postISRCCD planes back. It never
// writes to the repository: the parent thread is the single writer.
import { parentPort } from 'node:worker_threads';
import { Butler } from '../../butler/index.js';
import { releasePlaneBuffers } from '../../formatters/fits/index.js';
import '../../instrument/index.js';
// Registers the Defects storage class's reader.
import '../../calib/index.js';
import type { Detector } from '../../camera/geometry.js';
import { detectorFromHeader } from '../../camera/headerGeometry.js';
import { Box2I, Exposure, MaskedImage } from '../../image/index.js';
import type { IsrFields } from '../../isr/isrConfig.js';
import { makeIsrConfig } from '../../isr/presets.js';
import { keepBuffer } from '../../isr/outputBuffers.js';
import { runIsr } from '../../isr/runIsr.js';
import { detectorToJson, exposureToMsg, transferables } from '../../isr/workerProtocol.js';
import type { Config } from '../config/index.js';
import { TaskLogger, captureLogsSync, type LogRecord } from '../task/index.js';
import type { FromQuantumWorker, QuantumJob, ToQuantumWorker } from './protocol.js';

/** Calibrations kept per worker: one detector's bias, dark, flat and defects. */
const CALIB_CACHE_SIZE = 4;

let butler: Butler | undefined;
let config: Config<IsrFields> | undefined;
const calibCache = new Map<string, Exposure | MaskedImage | Box2I[]>();
const log = new TaskLogger('lsst.ctrl.mpexec.singleQuantumExecutor');

function isDefectList(x: unknown): x is { boxes: ReadonlyArray<{ x0: number; y0: number; width: number; height: number }> } {
  return typeof x === 'object' && x !== null && Array.isArray((x as { boxes?: unknown }).boxes);
}

async function readDataset(id: string, what: string): Promise<unknown> {
  if (!butler) throw new Error('ISR worker used before init');
  const ref = butler.registry.getDataset(id);
  if (!ref) throw new Error(`${what} dataset ${id} is no longer in the registry`);
  return butler.get(ref);
}

async function calibration(id: string, connection: string): Promise<Exposure | MaskedImage | Box2I[]> {
  const hit = calibCache.get(id);
  if (hit) {
    // Most recently used last.
    calibCache.delete(id);
    calibCache.set(id, hit);
    return hit;
  }
  // Evict before reading so the next detector's master reads into the evicted one's buffers.
  while (calibCache.size >= CALIB_CACHE_SIZE) {
    const oldest = calibCache.keys().next().value as string;
    const evicted = calibCache.get(oldest);
    calibCache.delete(oldest);
    if (evicted instanceof Exposure || evicted instanceof MaskedImage) {
      const mi = evicted instanceof Exposure ? evicted.maskedImage : evicted;
      releasePlaneBuffers(mi.image.array, mi.mask.array, mi.variance.array);
    }
  }
  const obj = await readDataset(id, connection);
  let value: Exposure | MaskedImage | Box2I[];
  if (connection === 'defects') {
    if (!isDefectList(obj)) throw new Error(`defects dataset ${id} did not read as a defect list`);
    value = obj.boxes.map((b) => new Box2I(b.x0, b.y0, b.width, b.height));
  } else if (obj instanceof Exposure || obj instanceof MaskedImage) {
    value = obj;
  } else {
    throw new Error(`${connection} dataset ${id} did not read as an image (got ${typeof obj})`);
  }
  calibCache.set(id, value);
  return value;
}

/**
 * The raw's geometry: the camera's detector, unless the frame is binned on chip (CCDBIN1/2), in
 * which case the raw formatter's full-frame detector does not fit and the amplifier sections
 * come from the raw header (CFHT's DSEC/BSEC/CSEC<amp>, which describe the binned frame).
 */
function detectorFor(raw: Exposure, label: string): Detector {
  const camera = raw.detector;
  if (camera && raw.width === camera.rawWidth && raw.height === camera.rawHeight) return camera;
  if (!raw.metadata) throw new Error(`raw ${label} is ${raw.width}×${raw.height}, its detector expects ${camera ? `${camera.rawWidth}×${camera.rawHeight}` : 'none'}, and it has no header to read the amplifier sections from`);
  const header = raw.metadata;
  const mismatch = `raw ${label} is ${raw.width}×${raw.height} but ${camera ? `detector ${camera.name} expects ${camera.rawWidth}×${camera.rawHeight}` : 'it has no detector geometry'}`;
  let fromHeader: Detector;
  try {
    fromHeader = detectorFromHeader({ get: (k) => header.get(k) }, { ...(camera ? { name: camera.name, id: camera.id } : {}), where: `raw ${label}` });
  } catch (e) {
    throw new Error(`${mismatch}, and its header does not describe the frame either (${(e as Error).message})`, { cause: e });
  }
  if (fromHeader.rawWidth !== raw.width || fromHeader.rawHeight !== raw.height) throw new Error(`${mismatch}, and its header sections describe ${fromHeader.rawWidth}×${fromHeader.rawHeight}`);
  return camera ? { ...camera, bbox: fromHeader.bbox, rawWidth: fromHeader.rawWidth, rawHeight: fromHeader.rawHeight, amplifiers: fromHeader.amplifiers } : fromHeader;
}

async function run(job: QuantumJob): Promise<FromQuantumWorker> {
  if (!config) throw new Error('ISR worker used before init');
  const records: LogRecord[] = [];
  const t0 = performance.now();
  try {
    const raw = await readDataset(job.rawId, 'raw');
    if (!(raw instanceof Exposure)) throw new Error(`raw ${job.rawId} did not read as an Exposure`);
    const detector = detectorFor(raw, job.label);
    const c = job.calibrations;
    const image = async (conn: 'bias' | 'dark' | 'flat') => {
      const id = c[conn];
      if (id === undefined) return undefined;
      const v = await calibration(id, conn);
      if (Array.isArray(v)) throw new Error(`${conn} dataset ${id} is not an image`);
      return v;
    };
    const bias = await image('bias');
    const dark = await image('dark');
    const flat = await image('flat');
    const defectsValue = c.defects === undefined ? undefined : await calibration(c.defects, 'defects');
    const defects = Array.isArray(defectsValue) ? defectsValue : undefined;
    const t1 = performance.now();
    const cfg = config;
    const { result, records: isrRecords } = captureLogsSync(() => {
      log.info(`Running ISR on ${job.label} (quantum ${job.quantumId})`);
      const out = runIsr({ raw, detector, bias, dark, flat, defects }, cfg);
      return out;
    });
    records.push(...isrRecords);
    // The raw's pixels are not needed any more: the next raw of this size is read into them.
    const outBuffers = [result.exposure.image.array.buffer, result.exposure.mask.array.buffer, result.exposure.variance.array.buffer];
    if (!outBuffers.includes(raw.image.array.buffer)) releasePlaneBuffers(raw.image.array);
    const t2 = performance.now();
    const done = captureLogsSync(() => log.info(`Execution of task 'isr' on quantum ${job.label} took ${((t2 - t0) / 1000).toFixed(3)} seconds`));
    records.push(...done.records);
    return {
      type: 'result',
      jobId: job.jobId,
      exposure: exposureToMsg(result.exposure),
      detector: detectorToJson(detector),
      metadata: result.metadata,
      logs: records,
      fused: result.fused,
      timings: { read: (t1 - t0) / 1000, isr: (t2 - t1) / 1000 },
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    records.push(...captureLogsSync(() => log.error(`Execution of task 'isr' on quantum ${job.label} failed: ${message}`)).records);
    return { type: 'error', jobId: job.jobId, message, logs: records };
  }
}

if (!parentPort) throw new Error('isrQuantum.worker.ts must run as a worker thread');
const port = parentPort;
port.on('message', (msg: ToQuantumWorker) => {
  if (msg.type === 'recycle') {
    for (const b of msg.buffers) keepBuffer(b);
    return;
  }
  if (msg.type === 'init') {
    try {
      butler = Butler.open(msg.repo, { writeable: false });
      const c = makeIsrConfig(msg.task);
      c.apply(msg.config, 'executor config');
      c.freeze();
      config = c;
      port.postMessage({ type: 'ready' });
    } catch (e) {
      port.postMessage({ type: 'init-error', message: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  void run(msg).then((reply) => port.postMessage(reply, reply.type === 'result' ? transferables(reply.exposure) : []));
});
