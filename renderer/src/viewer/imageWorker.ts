// The viewer's Web Worker: fetches an HDU's full float32 pixels, hands a copy to the UI thread (GPU upload,
// readout) and computes the display statistics (zscale, percentiles, histogram, histeq tables) here, off the
// UI thread; buffers are transferred, not copied.
import { analyzeImage } from '../../../core/display/analysis.js';
import { histEqTable, histogram } from '../../../core/display/histogram.js';
import { selectAll, type PixelRect } from '../../../core/display/selection.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

interface WorkerScope {
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<WorkerRequest>) => void): void;
}
const scope = self as unknown as WorkerScope;

interface Loaded {
  data: Float32Array;
  width: number;
  height: number;
}

const images = new Map<number, Loaded>();
/** Fetches of loads still running, aborted when their viewer drops them. */
const aborts = new Map<number, AbortController>();
const dropped = new Set<number>();
const regionWaiters = new Map<number, (r: PixelRect[] | null) => void>();
const regionsKnown = new Map<number, PixelRect[] | null>();

function regionsFor(id: number): Promise<PixelRect[] | null> {
  if (regionsKnown.has(id)) return Promise.resolve(regionsKnown.get(id) ?? null);
  return new Promise((resolve) => regionWaiters.set(id, resolve));
}

async function fetchResponse(url: string, what: string, id?: number): Promise<Response> {
  const signal = id === undefined ? undefined : aborts.get(id)?.signal;
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`${what}: ${res.status} ${(await res.text()).trim()}`);
  return res;
}

async function load(req: Extract<WorkerRequest, { kind: 'load' }>): Promise<void> {
  const t0 = performance.now();
  aborts.set(req.id, new AbortController());
  const buffer = await (await fetchResponse(req.pixelsUrl, 'pixels', req.id)).arrayBuffer();
  aborts.delete(req.id);
  if (dropped.has(req.id)) return;
  if (buffer.byteLength !== req.width * req.height * 4) {
    throw new Error(`pixels: got ${buffer.byteLength} bytes, expected ${req.width}×${req.height}×4`);
  }
  const img: Loaded = { data: new Float32Array(buffer), width: req.width, height: req.height };
  images.set(req.id, img);
  const copy = img.data.slice();
  scope.postMessage({ kind: 'pixels', id: req.id, data: copy, width: req.width, height: req.height, fetchMs: performance.now() - t0 }, [copy.buffer]);
  restat(req.id, await regionsFor(req.id));
}

function restat(id: number, regions: PixelRect[] | null): void {
  const img = images.get(id);
  if (!img) throw new Error(`image ${id} is not loaded`);
  const t0 = performance.now();
  const stats = analyzeImage(img.data, img.width, img.height, { regions });
  scope.postMessage({ kind: 'stats', id, stats, regions, ms: performance.now() - t0 });
}

async function loadMask(id: number, url: string): Promise<void> {
  const res = await fetchResponse(url, 'mask');
  const width = Number(res.headers.get('x-image-width'));
  const height = Number(res.headers.get('x-image-height'));
  const data = new Int32Array(await res.arrayBuffer());
  scope.postMessage({ kind: 'mask', id, data, width, height }, [data.buffer]);
}

function histeq(id: number, min: number, max: number, size: number): void {
  const img = images.get(id);
  if (!img) throw new Error(`image ${id} is not loaded`);
  const table = histEqTable(histogram(selectAll(img.data), min, max, 4096), size);
  scope.postMessage({ kind: 'histeq', id, table, min, max }, [table.buffer]);
}

scope.addEventListener('message', (e) => {
  const req = e.data;
  const run = async () => {
    switch (req.kind) {
      case 'load': return load(req);
      case 'regions': {
        regionsKnown.set(req.id, req.regions);
        regionWaiters.get(req.id)?.(req.regions);
        regionWaiters.delete(req.id);
        return;
      }
      case 'mask': return loadMask(req.id, req.maskUrl);
      case 'restat': return restat(req.id, req.regions);
      case 'histeq': return histeq(req.id, req.min, req.max, req.size);
      case 'drop':
        dropped.add(req.id);
        aborts.get(req.id)?.abort();
        aborts.delete(req.id);
        images.delete(req.id);
        regionsKnown.delete(req.id);
        regionWaiters.delete(req.id);
        return;
    }
  };
  run().catch((err: unknown) => {
    if (dropped.has(req.id)) return; // aborted on purpose
    scope.postMessage({ kind: 'error', id: req.id, stage: req.kind, message: err instanceof Error ? err.message : String(err) });
  });
});
