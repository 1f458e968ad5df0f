// The pixel service: answers the viewer.* methods and serves an image HDU's pixels as binary routes,
//   /data/pixels?key=K&hdu=N[&factor=F][&sample=S][&zscale=data|all]
//        float32 little-endian physical values (F > 1: F×F block means; S > 1: every S-th pixel, the first
//        frame of a big image); zscale=… adds the HDU's zscale (of the data sections for "data") as headers
//        x-zscale-min / x-zscale-max
//   /data/pixels-mask?key=K&hdu=N         int32 little-endian mask bits
// (app://data/… in Electron). A key stands for a file that viewer.open resolved (a dataset's artifact through
// the registry, or a file the user named), so the routes never take a path. FITS reading and decoding run in
// a worker thread; replies transfer their buffers.
import { randomBytes } from 'node:crypto';
import { endianness } from 'node:os';
import { basename, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../core/util/workers.js';
import { ApiError } from '../../core/api/errors.js';
import type { Dispatch, Handlers } from '../../core/api/dispatch.js';
import type { HduView, OpenedImage } from '../../core/api/sections/viewer.js';
import type { DatasetDetail } from '../../core/api/sections/repository.js';
import { binaryRouteNames, registerBinaryRoute, type BinaryResponse } from './binaryRoutes.js';
import type { PixelReply, PixelRequest } from './pixelsProtocol.js';
import type { DefectBox } from '../../core/calib/defects.js';
import type { RepositoryInfo } from '../../core/api/sections/app.js';
import { certifiedDefectBoxesIn } from './pixelsDefects.js';

export const PIXELS_ROUTE = 'pixels';
export const MASK_ROUTE = 'pixels-mask';
const MAX_SOURCES = 64;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

interface Source {
  path: string;
  label: string;
  /** Datasets: where to look up the certified defects of its detector (once, on the first viewer.hdu). */
  calib?: { repository: string; dataId: Record<string, unknown> };
  defects?: Promise<DefectBox[] | null>;
}

/**
 * Two worker threads: "fast" answers viewer.open/viewer.hdu and first-frame previews, "bulk" decodes full
 * pixels and masks. A preview then never waits behind the full decode of the image viewed just before.
 */
type Lane = 'fast' | 'bulk';

export class PixelService {
  private readonly workers: Record<Lane, Worker | null> = { fast: null, bulk: null };
  private readonly pending = new Map<number, { lane: Lane; done: (r: PixelReply) => void }>();
  private nextId = 1;
  private readonly sources = new Map<string, Source>();

  constructor() {
    // Pixels go out as the platform's typed-array bytes; the contract says little-endian.
    if (endianness() !== 'LE') throw new Error('the pixel service needs a little-endian machine');
  }

  /** Starts the worker threads ahead of the first preview (booting one costs more than a first frame's budget). */
  warmUp(): void {
    this.ensureWorker('fast');
    this.ensureWorker('bulk');
  }

  private ensureWorker(lane: Lane): Worker {
    const existing = this.workers[lane];
    if (existing) return existing;
    const worker = startWorker('electron/services/pixels.worker.ts');
    worker.on('message', (msg: PixelReply) => {
      const entry = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      entry?.done(msg);
    });
    const fail = (message: string) => {
      for (const [id, entry] of this.pending) {
        if (entry.lane !== lane) continue;
        this.pending.delete(id);
        entry.done({ id: -1, ok: false, error: { code: 'INTERNAL', message } });
      }
      this.workers[lane] = null;
    };
    worker.on('error', (err) => fail(`pixel worker crashed: ${err.message}`));
    worker.on('exit', (code) => { if (this.workers[lane] === worker) fail(`pixel worker exited with code ${code}`); });
    worker.unref();
    this.workers[lane] = worker;
    return worker;
  }

  private async request(req: DistributiveOmit<PixelRequest, 'id'>, lane: Lane = 'fast'): Promise<PixelReply & { ok: true }> {
    const worker = this.ensureWorker(lane);
    const id = this.nextId++;
    const reply = await new Promise<PixelReply>((resolveReply) => {
      this.pending.set(id, { lane, done: resolveReply });
      worker.postMessage({ ...req, id } as PixelRequest);
    });
    if (!reply.ok) throw ApiError.fromPayload(reply.error);
    return reply;
  }

  private source(key: string): Source {
    const s = this.sources.get(key);
    if (!s) throw new ApiError('NOT_FOUND', `no opened image with key ${JSON.stringify(key)} (it was closed, or the app restarted): open it again`);
    return s;
  }

  /** Resolves a dataset's file through the registry (never a path from the caller). */
  private async datasetFile(dispatch: Dispatch, id: string, component: string | null): Promise<Source> {
    const env = await dispatch('datasets.get', { id });
    if (!env.ok) throw ApiError.fromPayload(env.error);
    const detail = env.value as DatasetDetail;
    const art = detail.artifacts.find((a) => a.component === component) ?? detail.artifacts.find((a) => a.component === null) ?? detail.artifacts[0];
    if (!art) throw new ApiError('NOT_FOUND', `dataset ${id} (${detail.datasetType}) has no file artifact`);
    if (!art.path || !art.exists) throw new ApiError('IO_ERROR', `the file of dataset ${id} (${art.uri}) is not available on this machine`);
    if (detail.format !== 'fits') throw new ApiError('UNSUPPORTED', `dataset ${id} (${detail.datasetType}, storage class ${detail.storageClass}) is not a FITS image`);
    const dataId = Object.entries(detail.dataId).map(([k, v]) => `${k}=${v}`).join(', ');
    const info = await dispatch('app.info', {});
    const repository = info.ok ? (info.value as { repository: RepositoryInfo | null }).repository?.path : undefined;
    return {
      path: art.path,
      label: `${detail.datasetType}${component ? '.' + component : ''} {${dataId}}`,
      ...(repository ? { calib: { repository, dataId: detail.dataId } } : {}),
    };
  }

  async open(dispatch: Dispatch, source: { dataset: string; component: string | null } | { file: string }): Promise<OpenedImage> {
    let src: Source;
    if ('file' in source) {
      const path = resolve(source.file);
      if (!existsSync(path)) throw new ApiError('NOT_FOUND', `${path} does not exist`);
      if (!statSync(path).isFile()) throw new ApiError('BAD_PARAMS', `${path} is not a file`);
      src = { path, label: basename(path) };
    } else {
      src = await this.datasetFile(dispatch, source.dataset, source.component);
    }
    const reply = await this.request({ kind: 'open', path: src.path });
    if (reply.kind !== 'open') throw new ApiError('INTERNAL', 'pixel worker answered open with ' + reply.kind);
    const hdus = reply.hdus;
    const first = hdus.find((h) => h.role === 'image') ?? hdus.find((h) => h.role === 'mask' || h.role === 'variance');
    if (!first) throw new ApiError('UNSUPPORTED', `${src.path} has no image HDU to view (HDUs: ${hdus.map((h) => `${h.index}:${h.name} ${h.role}`).join(', ')})`);
    const key = randomBytes(9).toString('base64url');
    this.sources.set(key, src);
    while (this.sources.size > MAX_SOURCES) this.sources.delete(this.sources.keys().next().value as string);
    return { key, label: src.label, hdus, defaultHdu: first.index };
  }

  async hdu(key: string, hdu: number): Promise<HduView> {
    const src = this.source(key);
    const reply = await this.request({ kind: 'hdu', path: src.path, hdu });
    if (reply.kind !== 'hdu') throw new ApiError('INTERNAL', 'pixel worker answered hdu with ' + reply.kind);
    const view: HduView = { ...reply.view, key, routes: { pixels: PIXELS_ROUTE, mask: MASK_ROUTE } };
    // Defect boxes are in trimmed coordinates: they fit images without overscan (post-ISR), not raws.
    const trimmed = view.amps.every((a) => a.bias === null) && view.width > 0;
    if (!src.calib || !trimmed) return view;
    const { repository, dataId } = src.calib;
    // A failed lookup (no such exposure record, unreadable defects file) only loses the optional overlay.
    src.defects ??= certifiedDefectBoxesIn(repository, dataId).catch(() => null);
    const boxes = await src.defects;
    return boxes ? { ...view, defects: boxes.map((b) => ({ x: b.x0, y: b.y0, width: b.width, height: b.height })) } : view;
  }

  async close(key: string): Promise<null> {
    const src = this.sources.get(key);
    if (!src) return null;
    this.sources.delete(key);
    if (![...this.sources.values()].some((s) => s.path === src.path)) {
      await Promise.all([this.request({ kind: 'forget', path: src.path }, 'fast'), this.request({ kind: 'forget', path: src.path }, 'bulk')]);
    }
    return null;
  }

  async pixels(params: URLSearchParams, kind: 'pixels' | 'mask'): Promise<BinaryResponse> {
    const key = params.get('key');
    if (!key) throw new ApiError('BAD_PARAMS', `${kind === 'pixels' ? PIXELS_ROUTE : MASK_ROUTE}: key is missing (get one from viewer.open)`);
    const hdu = intParam(params, 'hdu', 0, 10_000, null);
    const src = this.source(key);
    const sample = intParam(params, 'sample', 1, 1024, 1);
    const reply = kind === 'pixels'
      ? await this.request({ kind: 'pixels', path: src.path, hdu, factor: intParam(params, 'factor', 1, 1024, 1), sample, zscale: zscaleParam(params) }, sample > 1 ? 'fast' : 'bulk')
      : await this.request({ kind: 'mask', path: src.path, hdu }, 'bulk');
    if (reply.kind !== 'buffer') throw new ApiError('INTERNAL', 'pixel worker answered with ' + reply.kind);
    return {
      bytes: new Uint8Array(reply.buffer),
      contentType: 'application/octet-stream',
      headers: {
        'x-image-width': String(reply.width),
        'x-image-height': String(reply.height),
        'x-pixel-type': kind === 'pixels' ? 'float32le' : 'int32le',
        ...(reply.zscale ? { 'x-zscale-min': String(reply.zscale[0]), 'x-zscale-max': String(reply.zscale[1]) } : {}),
        ...(reply.from ? { 'x-preview-from': reply.from } : {}),
      },
    };
  }

  async shutdown(): Promise<void> {
    const running = [this.workers.fast, this.workers.bulk].filter((w): w is Worker => w !== null);
    this.workers.fast = null;
    this.workers.bulk = null;
    await Promise.all(running.map((w) => w.terminate()));
  }
}

function zscaleParam(params: URLSearchParams): 'none' | 'data' | 'all' {
  const v = params.get('zscale');
  if (v === null) return 'none';
  if (v === 'data' || v === 'all') return v;
  throw new ApiError('BAD_PARAMS', `zscale must be "data" or "all", got ${JSON.stringify(v)}`);
}

function intParam(params: URLSearchParams, name: string, min: number, max: number, fallback: number | null): number {
  const text = params.get(name);
  if (text === null) {
    if (fallback === null) throw new ApiError('BAD_PARAMS', `${name} is missing`);
    return fallback;
  }
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiError('BAD_PARAMS', `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

let shared: PixelService | null = null;

/** The one pixel service of this process (its routes are registered process-wide). */
export function pixelService(): PixelService {
  shared ??= new PixelService();
  return shared;
}

/** The viewer.* handlers, for the application service's main-side dispatcher. */
export function pixelHandlers(dispatch: Dispatch): Pick<Handlers, 'viewer.open' | 'viewer.hdu' | 'viewer.close'> {
  const svc = pixelService();
  svc.warmUp();
  return {
    'viewer.open': ({ source }) => svc.open(dispatch, source),
    'viewer.hdu': ({ key, hdu }) => svc.hdu(key, hdu),
    'viewer.close': ({ key }) => svc.close(key),
  };
}

/** Registers the pixels and pixels-mask binary routes (idempotent). */
export function registerPixelRoutes(): void {
  const names = binaryRouteNames();
  if (!names.includes(PIXELS_ROUTE)) registerBinaryRoute(PIXELS_ROUTE, (params) => pixelService().pixels(params, 'pixels'));
  if (!names.includes(MASK_ROUTE)) registerBinaryRoute(MASK_ROUTE, (params) => pixelService().pixels(params, 'mask'));
}
