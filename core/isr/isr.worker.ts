// Worker-thread entry for ISR: keeps calibrations sent once (shared memory) and runs one CCD per
// 'run' message, transferring the result planes back. Started by IsrWorkerPool via
// core/util/workers.ts (from the sources under tsx/vitest, from dist/workers in the bundles).

import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { Box2I, type Exposure, Image, Mask } from '../image/index.js';
import { keepBuffer } from './outputBuffers.js';
import { makeIsrConfig } from './presets.js';
import { runIsr } from './runIsr.js';
import { type FromWorker, type IsrJob, type ToWorker, detectorFromJson, exposureFromMsg, exposureToMsg, transferables } from './workerProtocol.js';

const calibs = new Map<string, Exposure>();
const configs = new Map<string, ReturnType<typeof makeIsrConfig>>();

function configFor(job: IsrJob): ReturnType<typeof makeIsrConfig> {
  const key = job.task + JSON.stringify(job.config);
  let c = configs.get(key);
  if (!c) {
    c = makeIsrConfig(job.task);
    c.apply(job.config, 'worker config');
    c.freeze();
    configs.set(key, c);
  }
  return c;
}

function calib(id: string | undefined): Exposure | undefined {
  if (id === undefined) return undefined;
  const c = calibs.get(id);
  if (!c) throw new Error(`calibration '${id}' was not sent to this worker`);
  return c;
}

/** This thread's CPU time in seconds (Linux), or undefined where /proc does not say. */
function threadCpuSeconds(): number | undefined {
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e9 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The raw arrives without mask and variance; its all-zero planes are kept per size and reused for
 * every CCD (runIsr never writes to its raw), instead of ~80 MB of fresh pages per MegaCam CCD.
 */
const blankArrays = new Map<string, { mask: Int32Array; variance: Float32Array }>();
function blank(width: number, height: number, x0: number, y0: number): { mask: Mask; variance: Image<Float32Array> } {
  const key = `${width}x${height}`;
  let b = blankArrays.get(key);
  if (!b) blankArrays.set(key, (b = { mask: new Int32Array(width * height), variance: new Float32Array(width * height) }));
  // New plane objects (a fresh mask-plane dictionary each time) over the same zero memory.
  return { mask: new Mask(b.mask, width, height, { x0, y0 }), variance: new Image(b.variance, width, height, { x0, y0 }) };
}

function run(job: IsrJob): FromWorker {
  const detector = detectorFromJson(job.detector);
  const raw = exposureFromMsg(job.raw, detector, blank);
  const cpu0 = threadCpuSeconds();
  const t0 = performance.now();
  const result = runIsr(
    {
      raw,
      detector,
      bias: calib(job.bias),
      dark: calib(job.dark),
      flat: calib(job.flat),
      defects: (job.defects ?? []).map((b) => new Box2I(b.minX, b.minY, b.width, b.height)),
    },
    configFor(job),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = threadCpuSeconds();
  const cpu = cpu0 !== undefined && cpu1 !== undefined ? { cpuSeconds: cpu1 - cpu0 } : {};
  return { type: 'result', jobId: job.jobId, exposure: exposureToMsg(result.exposure), metadata: result.metadata, fused: result.fused, seconds, ...cpu };
}

if (!parentPort) throw new Error('isr.worker.ts must run as a worker thread');
const port = parentPort;
port.on('message', (msg: ToWorker) => {
  if (msg.type === 'calib') {
    calibs.set(msg.id, exposureFromMsg(msg.calib));
    return;
  }
  if (msg.type === 'recycle') {
    for (const b of msg.buffers) keepBuffer(b);
    return;
  }
  let reply: FromWorker;
  try {
    reply = run(msg);
  } catch (e) {
    reply = { type: 'error', jobId: msg.jobId, message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply, reply.type === 'result' ? transferables(reply.exposure) : []);
});
