// The viewer's Web Worker: fetches an HDU's float32 pixels from the pixel route, computes zscale first (so the
// first frame can be drawn from a subsampled preview), then hands the full pixels to the UI thread and
// computes the remaining statistics (percentiles, histogram) while the UI uploads them to the GPU.
import { analyzeImage } from '../../../core/display/analysis.js';
import { histEqTable, histogram } from '../../../core/display/histogram.js';
import { selectAll, selectRects, summarizeFinite, type PixelRect } from '../../../core/display/selection.js';
import { zscaleOfSelection } from '../../../core/display/zscale.js';
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
const regionWaiters = new Map<number, (r: PixelRect[] | null) => void>();
const regionsKnown = new Map<number, PixelRect[] | null>();

function regionsFor(id: number): Promise<PixelRect[] | null> {
  if (regionsKnown.has(id)) return Promise.resolve(regionsKnown.get(id) ?? null);
  return new Promise((resolve) => regionWaiters.set(id, resolve));
}

async function fetchBuffer(url: string, what: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${what}: ${res.status} ${(await res.text()).trim()}`);
  return res.arrayBuffer();
}

function selection(img: Loaded, regions: PixelRect[] | null) {
  return regions && regions.length ? selectRects(img.data, img.width, img.height, regions) : selectAll(img.data);
}

async function load(req: Extract<WorkerRequest, { kind: 'load' }>): Promise<void> {
  const t0 = performance.now();
  const buffer = await fetchBuffer(req.pixelsUrl, 'pixels');
  const tFetch = performance.now();
  if (buffer.byteLength !== req.width * req.height * 4) {
    throw new Error(`pixels: got ${buffer.byteLength} bytes, expected ${req.width}×${req.height}×4`);
  }
  const img: Loaded = { data: new Float32Array(buffer), width: req.width, height: req.height };
  images.set(req.id, img);
  const regions = await regionsFor(req.id);
  const sel = selection(img, regions);
  const summary = summarizeFinite(sel);
  if (summary.count === 0) throw new Error(`the ${req.width}×${req.height} image has no finite pixel value`);
  const [zmin, zmax] = zscaleOfSelection(sel, {}, summary.count);
  const tZ = performance.now();
  // A nearest-neighbour subsample: at the fitted zoom the screen shows about this many pixels anyway.
  const f = Math.max(1, req.previewFactor);
  const pw = Math.ceil(req.width / f);
  const ph = Math.ceil(req.height / f);
  const preview = new Float32Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    const src = y * f * req.width;
    const dst = y * pw;
    for (let x = 0; x < pw; x++) preview[dst + x] = img.data[src + x * f];
  }
  scope.postMessage(
    { kind: 'preview', id: req.id, data: preview, width: pw, height: ph, factor: f, zscale: { min: zmin, max: zmax }, timings: { fetch: tFetch - t0, zscale: tZ - tFetch } },
    [preview.buffer],
  );
  const copy = img.data.slice();
  scope.postMessage({ kind: 'pixels', id: req.id, data: copy, width: req.width, height: req.height }, [copy.buffer]);
  await restat(req.id, regions);
}

async function restat(id: number, regions: PixelRect[] | null): Promise<void> {
  const img = images.get(id);
  if (!img) throw new Error(`image ${id} is not loaded`);
  const t0 = performance.now();
  const stats = analyzeImage(img.data, img.width, img.height, { regions });
  scope.postMessage({ kind: 'stats', id, stats, regions, ms: performance.now() - t0 });
}

async function loadMask(id: number, url: string): Promise<void> {
  const buffer = await fetchBuffer(url, 'mask');
  const data = new Int32Array(buffer);
  const img = images.get(id);
  scope.postMessage({ kind: 'mask', id, data, width: img?.width ?? 0, height: img?.height ?? 0 }, [data.buffer]);
}

function histeq(id: number, min: number, max: number, size: number): void {
  const img = images.get(id);
  if (!img) throw new Error(`image ${id} is not loaded`);
  const h = histogram(selectAll(img.data), min, max, 4096);
  const table = histEqTable(h, size);
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
        images.delete(req.id);
        regionsKnown.delete(req.id);
        regionWaiters.delete(req.id);
        return;
    }
  };
  run().catch((err: unknown) => {
    scope.postMessage({ kind: 'error', id: req.id, stage: req.kind, message: err instanceof Error ? err.message : String(err) });
  });
});
