// Worker thread of the pixel service: opens FITS files (headers only), decodes an image HDU to float32 physical
// values once and keeps the last few decoded HDUs, so the info call, the pixel route and the mask route of one
// preview read the file once. Replies transfer their buffers (no copy).
import { parentPort } from 'node:worker_threads';
import { FitsFile } from '../../core/fits/fits-file.js';
import { blockAverage } from '../../core/display/downsample.js';
import { ampGeometryFromHeader, dataSections } from '../../core/display/sections.js';
import { selectAll, selectRects } from '../../core/display/selection.js';
import { zscaleOfSelection } from '../../core/display/zscale.js';
import { maskPlanesFromHeader } from '../../core/display/maskPlanes.js';
import type { ApiErrorPayload } from '../../core/api/errors.js';
import { classifyCoreError } from './errors.js';
import { directPreview } from './pixelsPreview.js';
import { hduRole, hduSummary, headerCards, headerRecord, wcsStatus, xy0FromHeader } from './pixelsHeader.js';
import type { HduFacts, PixelReply, PixelRequest } from './pixelsProtocol.js';

if (!parentPort) throw new Error('pixels.worker.ts must run as a worker thread');
const port = parentPort;

const MAX_OPEN_FILES = 8;
// Per worker thread (the service runs two).
const MAX_CACHED_BYTES = 512 * 1024 * 1024;

const files = new Map<string, FitsFile>();
interface Decoded { data: Float32Array | Int32Array; width: number; height: number }
const decoded = new Map<string, Decoded>();

function open(path: string): FitsFile {
  const hit = files.get(path);
  if (hit) {
    files.delete(path);
    files.set(path, hit);
    return hit;
  }
  const f = FitsFile.open(path);
  files.set(path, f);
  while (files.size > MAX_OPEN_FILES) {
    const [oldest, file] = files.entries().next().value as [string, FitsFile];
    files.delete(oldest);
    file.close();
  }
  return f;
}

function cache(key: string, value: Decoded): Decoded {
  decoded.set(key, value);
  let bytes = 0;
  for (const v of decoded.values()) bytes += v.data.byteLength;
  for (const [k, v] of decoded) {
    if (bytes <= MAX_CACHED_BYTES || k === key) break;
    decoded.delete(k);
    bytes -= v.data.byteLength;
  }
  return value;
}

function requireImageHdu(file: FitsFile, hdu: number): ReturnType<FitsFile['hdu']> {
  const h = file.hdu(hdu);
  const role = hduRole(h);
  if (role === 'table' || role === 'empty') {
    throw Object.assign(new Error(`HDU ${hdu} (${h.name}) of ${file.name} has no image pixels (it is ${role === 'table' ? 'a table' : 'empty'})`), { name: 'FitsError' });
  }
  return h;
}

interface FloatPixels { data: Float32Array; width: number; height: number }

function floatPixels(path: string, hdu: number): FloatPixels {
  const key = `${path}\u0000${hdu}\u0000f`;
  const hit = decoded.get(key);
  if (hit) return hit as FloatPixels;
  const file = open(path);
  requireImageHdu(file, hdu);
  const img = file.readImageFloat32(hdu);
  const px: FloatPixels = { data: img.data, width: img.axes[0], height: img.axes[1] };
  cache(key, px);
  return px;
}

function maskPixels(path: string, hdu: number): Decoded {
  const key = `${path}\u0000${hdu}\u0000m`;
  const hit = decoded.get(key);
  if (hit) return hit;
  const file = open(path);
  requireImageHdu(file, hdu);
  const img = file.readImage(hdu);
  const data = img.data instanceof Int32Array ? img.data : Int32Array.from(img.data as ArrayLike<number>, (v) => Number(v) | 0);
  return cache(key, { data, width: img.axes[0], height: img.axes[1] });
}

/** Every n-th pixel in x and y (nearest neighbour): the first frame of a big image, at about screen resolution. */
function subsample(px: FloatPixels, n: number): { data: Float32Array; width: number; height: number } {
  const w = Math.ceil(px.width / n);
  const h = Math.ceil(px.height / n);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const src = y * n * px.width;
    for (let x = 0; x < w; x++) out[y * w + x] = px.data[src + x * n];
  }
  return { data: out, width: w, height: h };
}

const zscales = new Map<string, [number, number]>();

/** zscale of the whole HDU, or of its amplifiers' data sections (when the header has them) for 'data'. */
function zscaleOf(path: string, hdu: number, px: FloatPixels, which: 'data' | 'all'): [number, number] {
  const key = `${path}\u0000${hdu}\u0000${which}`;
  const hit = zscales.get(key);
  if (hit) return hit;
  const regions = which === 'data' ? dataSections(headerRecord(open(path).imageHeader(hdu))) : null;
  const sel = regions ? selectRects(px.data, px.width, px.height, regions) : selectAll(px.data);
  const z = zscaleOfSelection(sel);
  zscales.set(key, z);
  return z;
}

function hduFacts(path: string, index: number): HduFacts {
  const file = open(path);
  const info = requireImageHdu(file, index);
  const header = file.imageHeader(index);
  const summary = hduSummary(info);
  // The mask that goes with an image: the MASK HDU of the same EXTVER (an afw Exposure), or this HDU if it is one.
  const maskInfo = summary.role === 'mask' ? info : file.hdus.find((h) => hduRole(h) === 'mask' && h.version === info.version) ?? null;
  const maskPlanes = maskInfo ? maskPlanesFromHeader(headerRecord(file.imageHeader(maskInfo.index))) : [];
  const record = headerRecord(header);
  const wcs = wcsStatus(header);
  const bunit = header.getString('BUNIT');
  return {
    index,
    name: info.name,
    role: summary.role,
    width: summary.width,
    height: summary.height,
    bitpix: info.bitpix,
    xy0: xy0FromHeader(header),
    bunit: bunit === undefined ? null : bunit.trim(),
    header: headerCards(header),
    maskHdu: maskInfo && maskInfo.axes[0] === summary.width && maskInfo.axes[1] === summary.height ? maskInfo.index : null,
    maskPlanes,
    amps: ampGeometryFromHeader(record),
    celestialWcs: wcs.celestial,
    wcsNote: wcs.note,
  };
}

function errorPayload(err: unknown): ApiErrorPayload {
  const classified = classifyCoreError(err);
  if (classified) return classified;
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

function handle(req: PixelRequest): { reply: PixelReply; transfer: ArrayBuffer[] } {
  switch (req.kind) {
    case 'open': {
      const file = open(req.path);
      const hdus = file.hdus.map(hduSummary);
      // The viewer asks for the default image's pixels next. Integer raws get their first frame from the stored
      // bytes (pixelsPreview.ts); other images need the full decode, so start it now, after this reply.
      const first = file.hdus.find((h) => hduRole(h) === 'image');
      const scaling = first ? first.header : null;
      const direct = first !== undefined && first.kind === 'image' && (first.bitpix === 8 || first.bitpix === 16) && scaling !== null && !scaling.has('BLANK') && (scaling.getNumber('BSCALE') ?? 1) === 1;
      if (first && !direct) setTimeout(() => { try { floatPixels(req.path, first.index); } catch { /* reported when requested */ } }, 0);
      return { reply: { id: req.id, ok: true, kind: 'open', hdus }, transfer: [] };
    }
    case 'hdu':
      return { reply: { id: req.id, ok: true, kind: 'hdu', view: hduFacts(req.path, req.hdu) }, transfer: [] };
    case 'pixels': {
      if (req.sample > 1 && req.zscale !== 'none' && !decoded.has(`${req.path}\u0000${req.hdu}\u0000f`)) {
        // First frame of a raw not decoded yet: read the preview and zscale straight from the stored bytes.
        const file = open(req.path);
        const h = requireImageHdu(file, req.hdu);
        const regions = req.zscale === 'data' ? dataSections(headerRecord(file.imageHeader(req.hdu))) : null;
        const direct = directPreview(file, h, req.sample, regions);
        if (direct) {
          return { reply: { id: req.id, ok: true, kind: 'buffer', buffer: direct.data.buffer as ArrayBuffer, width: direct.width, height: direct.height, zscale: direct.zscale, from: 'stored-bytes' }, transfer: [direct.data.buffer as ArrayBuffer] };
        }
      }
      const px = floatPixels(req.path, req.hdu);
      const zscale = req.zscale === 'none' ? undefined : zscaleOf(req.path, req.hdu, px, req.zscale);
      if (req.sample > 1) {
        const small = subsample(px, req.sample);
        return { reply: { id: req.id, ok: true, kind: 'buffer', buffer: small.data.buffer as ArrayBuffer, width: small.width, height: small.height, zscale, from: 'decoded' }, transfer: [small.data.buffer as ArrayBuffer] };
      }
      if (req.factor > 1) {
        const small = blockAverage(px.data, px.width, px.height, req.factor);
        return { reply: { id: req.id, ok: true, kind: 'buffer', buffer: small.data.buffer as ArrayBuffer, width: small.width, height: small.height, zscale }, transfer: [small.data.buffer as ArrayBuffer] };
      }
      // The cache keeps its copy; the reply gets its own buffer to transfer.
      const copy = px.data.slice();
      return { reply: { id: req.id, ok: true, kind: 'buffer', buffer: copy.buffer as ArrayBuffer, width: px.width, height: px.height, zscale }, transfer: [copy.buffer as ArrayBuffer] };
    }
    case 'mask': {
      const m = maskPixels(req.path, req.hdu);
      const copy = m.data.slice();
      return { reply: { id: req.id, ok: true, kind: 'buffer', buffer: copy.buffer as ArrayBuffer, width: m.width, height: m.height }, transfer: [copy.buffer as ArrayBuffer] };
    }
    case 'forget': {
      files.get(req.path)?.close();
      files.delete(req.path);
      for (const k of [...decoded.keys()]) if (k.startsWith(`${req.path}\u0000`)) decoded.delete(k);
      for (const k of [...zscales.keys()]) if (k.startsWith(`${req.path}\u0000`)) zscales.delete(k);
      return { reply: { id: req.id, ok: true, kind: 'done' }, transfer: [] };
    }
  }
}

port.on('message', (req: PixelRequest) => {
  try {
    const { reply, transfer } = handle(req);
    port.postMessage(reply, transfer);
  } catch (err) {
    port.postMessage({ id: req.id, ok: false, error: errorPayload(err) } satisfies PixelReply);
  }
});
