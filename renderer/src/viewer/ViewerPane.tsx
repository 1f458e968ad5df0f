// One image on a canvas: draws it with the WebGL2 (or 2D) renderer, pans (drag, arrows), zooms (wheel about the
// cursor, +/−, fit, 1:1), reports the pixel under the cursor, pins a pixel on click, and draws amplifier and
// overscan outlines of raws and, optionally, the certified defects over the image.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type WheelEvent } from 'react';
import type { AmpGeometry } from '../../../core/display/sections.js';
import { createImageRenderer } from './createRenderer.js';
import type { ImageRenderer, RenderSettings } from './imageRenderer.js';
import { GlImageRenderer } from './glRenderer.js';
import { frameDrawn } from './timing.js';
import type { ViewerImage } from './useViewerImage.js';
import { canvasToImage, fitView, imageToCanvas, panBy, pixelAt, zoomAbout, type Size, type View } from './viewTransform.js';

export interface PanePixel {
  ix: number;
  iy: number;
}

export interface ViewerPaneProps {
  image: ViewerImage;
  settings: RenderSettings | null;
  view: View | null;
  onView(view: View): void;
  onHover(p: PanePixel | null): void;
  onPin(p: PanePixel): void;
  pinned: PanePixel | null;
  showAmps: boolean;
  showDefects: boolean;
  label: string;
  testId: string;
  /** Exposes the canvas (PNG export). */
  canvasRef?: (c: HTMLCanvasElement | null) => void;
  /** Reports the pane size (CSS pixels) when it changes. */
  onSize?: (size: Size) => void;
}

export function imageSize(image: ViewerImage): Size | null {
  if (!image.opened || image.hduIndex === null) return null;
  const s = image.opened.hdus.find((h) => h.index === image.hduIndex);
  return s && s.width > 0 ? { width: s.width, height: s.height } : null;
}

function AmpOverlay({ amps, view, canvas }: { amps: AmpGeometry[]; view: View; canvas: Size }) {
  const rect = (r: { x0: number; y0: number; x1: number; y1: number }, cls: string, key: string) => {
    const a = imageToCanvas(view, canvas, r.x0 - 0.5, r.y1 + 0.5);
    const b = imageToCanvas(view, canvas, r.x1 + 0.5, r.y0 - 0.5);
    return <rect key={key} className={cls} x={a.px} y={a.py} width={Math.max(0, b.px - a.px)} height={Math.max(0, b.py - a.py)} />;
  };
  return (
    <svg className="viewer-overlay" width={canvas.width} height={canvas.height} data-testid="amp-overlay">
      {amps.map((amp) => (
        <g key={amp.name}>
          {amp.amp && rect(amp.amp, 'amp-box', `${amp.name}-amp`)}
          {rect(amp.data, 'amp-data', `${amp.name}-data`)}
          {amp.bias && rect(amp.bias, 'amp-bias', `${amp.name}-bias`)}
          {(() => {
            const p = imageToCanvas(view, canvas, amp.data.x0, amp.data.y1);
            return <text x={p.px + 4} y={p.py + 14} className="amp-label">{amp.name}</text>;
          })()}
        </g>
      ))}
    </svg>
  );
}

type DefectRect = NonNullable<NonNullable<ViewerImage['hdu']>['defects']>[number];

function DefectOverlay({ defects, view, canvas }: { defects: DefectRect[]; view: View; canvas: Size }) {
  return (
    <svg className="viewer-overlay" width={canvas.width} height={canvas.height} data-testid="defect-overlay">
      {defects.map((d, i) => {
        // Outer pixel edges; at least 3 CSS pixels so a one-pixel column stays visible when zoomed out.
        const a = imageToCanvas(view, canvas, d.x - 0.5, d.y + d.height - 0.5);
        const b = imageToCanvas(view, canvas, d.x + d.width - 0.5, d.y - 0.5);
        return <rect key={i} className="defect-box" x={a.px} y={a.py} width={Math.max(3, b.px - a.px)} height={Math.max(3, b.py - a.py)} />;
      })}
    </svg>
  );
}

export function ViewerPane(props: ViewerPaneProps) {
  const { image, settings, view, onView, onHover, onPin, pinned, showAmps, showDefects, label, testId, canvasRef, onSize } = props;
  const containerRef = useRef<HTMLDivElement | null>(null);
  const canvasElRef = useRef<HTMLCanvasElement | null>(null);
  const rendererRef = useRef<ImageRenderer | null>(null);
  const [rendererKind, setRendererKind] = useState<string>('');
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const uploaded: 'none' | 'preview' | 'full' = image.pixels ? 'full' : image.preview ? 'preview' : 'none';
  const drawnForImage = useRef<unknown>(null);
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const full = imageSize(image);
  const onSizeRef = useRef(onSize);
  useEffect(() => { onSizeRef.current = onSize; }, [onSize]);

  // Create the renderer once per canvas.
  useLayoutEffect(() => {
    const canvas = canvasElRef.current;
    if (!canvas) return;
    const r = createImageRenderer(canvas);
    rendererRef.current = r;
    setRendererKind(r.kind);
    return () => {
      r.dispose();
      rendererRef.current = null;
    };
  }, []);

  // Track the canvas size (CSS pixels) and keep its backing store at device resolution.
  useLayoutEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const update = () => {
      const w = Math.max(1, Math.floor(el.clientWidth));
      const h = Math.max(1, Math.floor(el.clientHeight));
      const canvas = canvasElRef.current;
      if (canvas) {
        const dpr = window.devicePixelRatio || 1;
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
      }
      setSize((s) => (s.width === w && s.height === h ? s : { width: w, height: h }));
      onSizeRef.current?.({ width: w, height: h });
    };
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Initial view: fit the image.
  useEffect(() => {
    if (!view && full && size.width > 1) onView(fitView(full, size));
  }, [view, full, size, onView]);

  // Upload pixels: the preview first, the full image when it arrives.
  useLayoutEffect(() => {
    const r = rendererRef.current;
    if (!r || !full) return;
    if (image.pixels) {
      r.setImage(image.pixels, full.width, full.height, 1, full.width, full.height);
      if (image.mask) r.setMask(image.mask);
    } else if (image.preview) {
      const p = image.preview;
      r.setImage(p.data, p.width, p.height, p.factor, full.width, full.height);
    }
    // full is derived from image.opened/hduIndex.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [image.pixels, image.preview]);

  useLayoutEffect(() => {
    const r = rendererRef.current;
    if (r && image.pixels && r.hasFullImage) r.setMask(image.mask);
  }, [image.mask, image.pixels]);

  // Draw whenever anything visible changed.
  useLayoutEffect(() => {
    const r = rendererRef.current;
    if (!r || !view || !settings || uploaded === 'none' || size.width < 2) return;
    r.render(view, settings);
    if (r instanceof GlImageRenderer) r.finish();
    const first = drawnForImage.current !== image.preview;
    drawnForImage.current = image.preview;
    frameDrawn(first);
  }, [view, settings, uploaded, size, image.preview, image.mask]);

  const toImage = useCallback((e: { clientX: number; clientY: number }) => {
    const rect = containerRef.current?.getBoundingClientRect();
    if (!rect || !view) return null;
    return canvasToImage(view, size, e.clientX - rect.left, e.clientY - rect.top);
  }, [view, size]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    (e.target as Element).setPointerCapture?.(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d && view) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (d.moved || Math.abs(dx) + Math.abs(dy) > 3) {
        d.moved = true;
        d.x = e.clientX;
        d.y = e.clientY;
        onView(panBy(view, dx, dy));
        return;
      }
    }
    const p = toImage(e);
    onHover(p && full ? pixelAt(full, p.x, p.y) : null);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) {
      const p = toImage(e);
      const px = p && full ? pixelAt(full, p.x, p.y) : null;
      if (px) onPin(px);
    }
  };
  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    if (!view) return;
    const rect = containerRef.current?.getBoundingClientRect();
    if (!rect) return;
    const factor = Math.pow(2, -e.deltaY / 300);
    onView(zoomAbout(view, size, factor, e.clientX - rect.left, e.clientY - rect.top));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!view || !full) return;
    const step = Math.min(size.width, size.height) * 0.1;
    const centre = { x: size.width / 2, y: size.height / 2 };
    const actions: Record<string, () => View> = {
      '+': () => zoomAbout(view, size, 2, centre.x, centre.y),
      '=': () => zoomAbout(view, size, 2, centre.x, centre.y),
      '-': () => zoomAbout(view, size, 0.5, centre.x, centre.y),
      f: () => fitView(full, size),
      '1': () => ({ ...view, zoom: 1 }),
      ArrowLeft: () => panBy(view, step, 0),
      ArrowRight: () => panBy(view, -step, 0),
      ArrowUp: () => panBy(view, 0, step),
      ArrowDown: () => panBy(view, 0, -step),
    };
    const act = actions[e.key];
    if (act) {
      e.preventDefault();
      onView(act());
    }
  };

  const pinnedMarker = pinned && view ? imageToCanvas(view, size, pinned.ix, pinned.iy) : null;
  return (
    <div
      className="viewer-pane"
      ref={containerRef}
      tabIndex={0}
      aria-label={`image ${label}`}
      data-testid={testId}
      data-renderer={rendererKind}
      data-uploaded={uploaded}
      data-view={view ? `${view.cx.toFixed(3)},${view.cy.toFixed(3)},${view.zoom.toFixed(6)}` : ''}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerLeave={() => onHover(null)}
      onWheel={onWheel}
      onKeyDown={onKeyDown}
    >
      <canvas
        ref={(c) => {
          canvasElRef.current = c;
          canvasRef?.(c);
        }}
        className="viewer-canvas"
        style={{ width: size.width, height: size.height }}
      />
      {showAmps && view && image.hdu && image.hdu.amps.length > 0 && <AmpOverlay amps={image.hdu.amps} view={view} canvas={size} />}
      {showDefects && view && image.hdu?.defects && <DefectOverlay defects={image.hdu.defects} view={view} canvas={size} />}
      {pinnedMarker && view && (
        <div
          className="pin-marker"
          style={{ left: pinnedMarker.px - Math.max(4, view.zoom / 2), top: pinnedMarker.py - Math.max(4, view.zoom / 2), width: Math.max(8, view.zoom), height: Math.max(8, view.zoom) }}
        />
      )}
      <div className="pane-label">{label}</div>
    </div>
  );
}
