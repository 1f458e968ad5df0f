// Loads one image for the viewer: viewer.open (once per source), then for the chosen HDU, in parallel,
// viewer.hdu (header, xy0, mask planes, amplifiers, WCS) and the worker's pixel fetch + statistics; the mask
// follows when the HDU has one. Everything arrives as state the panes render progressively. State is keyed by
// source and HDU, so switching either starts from empty without resetting anything inside an effect.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useConnection } from '../api/context.js';
import type { HduView, ImageSource, OpenedImage } from '../../../core/api/sections/viewer.js';
import type { ImageStats } from '../../../core/display/analysis.js';
import type { Limits } from '../../../core/display/limits.js';
import type { PixelRect } from '../../../core/display/selection.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';
import { HISTEQ_TABLE_SIZE } from './imageRenderer.js';
import { listen, postToWorker, warmUpWorker } from './sharedWorker.js';
import { fetchPreview } from './previewFetch.js';

interface LoadData {
  hdu: HduView | null;
  preview: { data: Float32Array; width: number; height: number; factor: number } | null;
  previewZscale: Limits | null;
  pixels: Float32Array | null;
  mask: Int32Array | null;
  stats: ImageStats | null;
  statsMs: number | null;
  histEq: { table: Float32Array; min: number; max: number } | null;
  error: string | null;
  timings: Record<string, number>;
}

export interface ViewerImage extends LoadData {
  opened: OpenedImage | null;
  hduIndex: number | null;
}

const EMPTY_LOAD: LoadData = {
  hdu: null, preview: null, previewZscale: null, pixels: null, mask: null, stats: null, statsMs: null, histEq: null, error: null, timings: {},
};

let nextLoadId = 1;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Preview subsampling: the image pixels per screen pixel of the fitted view (which shows no more detail than
 * that), for a view of `view` device pixels; about 1,000 pixels along the longer side when the view is unknown.
 */
export function previewFactorFor(width: number, height: number, view: { width: number; height: number } | null = null): number {
  if (view && view.width > 0 && view.height > 0) return Math.max(1, Math.floor(Math.max(width / view.width, height / view.height)));
  return Math.max(1, Math.floor(Math.max(width, height) / 1000));
}

/** The amplifiers' data sections, or null when the header describes none. */
export function dataRegions(hdu: HduView): PixelRect[] | null {
  return hdu.amps.length > 0 ? hdu.amps.map((a) => a.data) : null;
}

export interface ViewerImageControls {
  image: ViewerImage;
  selectHdu(index: number): void;
  requestHistEq(limits: Limits): void;
}

/** `viewSize`: the pane's size in device pixels, when known (sizes the first frame's preview). */
export function useViewerImage(source: ImageSource | null, excludeOverscan: boolean, viewSize: { width: number; height: number } | null = null): ViewerImageControls {
  const { api, dataUrl } = useConnection();
  const sourceKey = source ? JSON.stringify(source) : '';
  const [openState, setOpenState] = useState<{ sourceKey: string; opened: OpenedImage | null; error: string | null; ms: number }>({ sourceKey: '', opened: null, error: null, ms: 0 });
  const [hduChoice, setHduChoice] = useState<{ sourceKey: string; index: number } | null>(null);
  const [load, setLoad] = useState<{ key: string; data: LoadData }>({ key: '', data: EMPTY_LOAD });
  const current = useRef<{ id: number; key: string }>({ id: 0, key: '' });
  const excludeRef = useRef(excludeOverscan);
  useEffect(() => { excludeRef.current = excludeOverscan; }, [excludeOverscan]);
  const viewSizeRef = useRef(viewSize);
  useEffect(() => { viewSizeRef.current = viewSize; }, [viewSize]);

  const opened = openState.sourceKey === sourceKey ? openState.opened : null;
  const hduIndex = opened ? (hduChoice && hduChoice.sourceKey === sourceKey ? hduChoice.index : opened.defaultHdu) : null;
  const loadKey = opened && hduIndex !== null ? `${opened.key}:${hduIndex}` : '';

  const patch = useCallback((key: string, update: (d: LoadData) => LoadData) => {
    setLoad((prev) => (prev.key === key ? { key, data: update(prev.data) } : { key, data: update(EMPTY_LOAD) }));
  }, []);

  // Replies of the shared worker for this viewer's current load.
  const onReply = useCallback((msg: WorkerReply) => {
    if (msg.id !== current.current.id) return; // a reply for an image no longer shown
    const key = current.current.key;
    patch(key, (d) => {
      switch (msg.kind) {
        case 'pixels': return { ...d, pixels: msg.data, timings: { ...d.timings, pixels: msg.fetchMs } };
        case 'stats': return { ...d, stats: msg.stats, statsMs: msg.ms };
        case 'mask': return { ...d, mask: msg.data };
        case 'histeq': return { ...d, histEq: { table: msg.table, min: msg.min, max: msg.max } };
        case 'error': return { ...d, error: `${msg.stage}: ${msg.message}` };
      }
    });
  }, [patch]);

  useEffect(() => {
    warmUpWorker();
    // Forget this viewer's image in the worker when the viewer goes away.
    return () => {
      if (current.current.id) postToWorker({ kind: 'drop', id: current.current.id });
    };
  }, []);

  const post = useCallback((req: WorkerRequest) => postToWorker(req), []);

  // Open the source.
  useEffect(() => {
    if (!source) return;
    let cancelled = false;
    const t0 = performance.now();
    api.call('viewer.open', { source }).then(
      (o) => { if (!cancelled) setOpenState({ sourceKey, opened: o, error: null, ms: performance.now() - t0 }); },
      (err: unknown) => { if (!cancelled) setOpenState({ sourceKey, opened: null, error: errorText(err), ms: 0 }); },
    );
    return () => { cancelled = true; };
    // sourceKey stands for source's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, sourceKey]);

  // Load the chosen HDU: header facts and pixels in parallel.
  useEffect(() => {
    if (!opened || hduIndex === null) return;
    const summary = opened.hdus.find((h) => h.index === hduIndex);
    if (!summary || summary.width === 0) return;
    const id = nextLoadId++;
    const key = `${opened.key}:${hduIndex}`;
    const previous = current.current.id;
    current.current = { id, key };
    if (previous) post({ kind: 'drop', id: previous });
    const unlisten = listen(id, onReply);
    const previewFactor = previewFactorFor(summary.width, summary.height, viewSizeRef.current);
    const abort = new AbortController();
    const t0 = performance.now();
    fetchPreview(dataUrl('pixels', { key: opened.key, hdu: hduIndex, sample: previewFactor, zscale: excludeRef.current ? 'data' : 'all' }), previewFactor, abort.signal).then(
      (p) => patch(key, (d) => ({ ...d, preview: { data: p.data, width: p.width, height: p.height, factor: p.factor }, previewZscale: p.zscale, timings: { ...d.timings, preview: performance.now() - t0 } })),
      (err: unknown) => { if (!abort.signal.aborted) patch(key, (d) => ({ ...d, error: errorText(err) })); },
    );
    post({ kind: 'load', id, width: summary.width, height: summary.height, pixelsUrl: dataUrl('pixels', { key: opened.key, hdu: hduIndex }) });
    let cancelled = false;
    api.call('viewer.hdu', { key: opened.key, hdu: hduIndex }).then(
      (hdu) => {
        if (cancelled) return;
        patch(key, (d) => ({ ...d, hdu }));
        post({ kind: 'regions', id, regions: excludeRef.current ? dataRegions(hdu) : null });
        if (hdu.maskHdu !== null) post({ kind: 'mask', id, maskUrl: dataUrl(hdu.routes.mask, { key: opened.key, hdu: hdu.maskHdu }) });
      },
      (err: unknown) => {
        if (cancelled) return;
        patch(key, (d) => ({ ...d, error: errorText(err) }));
        post({ kind: 'regions', id, regions: null });
      },
    );
    return () => {
      cancelled = true;
      abort.abort();
      unlisten();
    };
  }, [api, dataUrl, opened, hduIndex, post, patch, onReply]);

  const data = load.key === loadKey && loadKey !== '' ? load.data : EMPTY_LOAD;

  // Re-run statistics when the overscan choice changes after the pixels arrived.
  const hdu = data.hdu;
  const hasPixels = data.pixels !== null;
  const excludeApplied = useRef(excludeOverscan);
  useEffect(() => {
    if (!hdu || !hasPixels || dataRegions(hdu) === null || excludeApplied.current === excludeOverscan) return;
    excludeApplied.current = excludeOverscan;
    post({ kind: 'restat', id: current.current.id, regions: excludeOverscan ? dataRegions(hdu) : null });
  }, [excludeOverscan, hdu, hasPixels, post]);

  const summary = opened && hduIndex !== null ? opened.hdus.find((h) => h.index === hduIndex) : undefined;
  const derivedError = openState.sourceKey === sourceKey && openState.error
    ? openState.error
    : summary && summary.width === 0 ? `HDU ${hduIndex} (${summary.name}) has no image pixels` : null;

  const image: ViewerImage = {
    ...data,
    error: data.error ?? derivedError,
    timings: opened ? { open: openState.ms, ...data.timings } : data.timings,
    opened,
    hduIndex,
  };
  const selectHdu = useCallback((index: number) => setHduChoice({ sourceKey, index }), [sourceKey]);
  const requestHistEq = useCallback(
    (limits: Limits) => post({ kind: 'histeq', id: current.current.id, min: limits.min, max: limits.max, size: HISTEQ_TABLE_SIZE }),
    [post],
  );
  return { image, selectHdu, requestHistEq };
}
