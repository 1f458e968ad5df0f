// The panner: a downsampled overview of the whole image with the visible area outlined; click or drag to pan.
import { useEffect, useRef, type PointerEvent } from 'react';
import { renderRgba } from '../../../core/display/render.js';
import type { RenderSettings } from './imageRenderer.js';
import type { Size, View } from './viewTransform.js';

const MAX = 180;

export function Overview(props: {
  preview: { data: Float32Array; width: number; height: number; factor: number };
  full: Size;
  settings: RenderSettings;
  view: View;
  canvasSize: Size;
  onView(v: View): void;
}) {
  const { preview, full, settings, view, canvasSize, onView } = props;
  const ref = useRef<HTMLCanvasElement | null>(null);
  const scale = Math.min(MAX / full.width, MAX / full.height);
  const w = Math.max(1, Math.round(full.width * scale));
  const h = Math.max(1, Math.round(full.height * scale));

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    // Sample the preview down to the panner size, then colour it with the current settings.
    const small = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      const py = Math.min(preview.height - 1, Math.floor(((h - 1 - y) / h) * preview.height));
      for (let x = 0; x < w; x++) small[y * w + x] = preview.data[py * preview.width + Math.min(preview.width - 1, Math.floor((x / w) * preview.width))];
    }
    const rgba = renderRgba(small, { ...settings, histEqTable: settings.histEqTable ?? undefined });
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
  }, [preview, settings, w, h]);

  const vw = (canvasSize.width / view.zoom) * scale;
  const vh = (canvasSize.height / view.zoom) * scale;
  const left = (view.cx + 0.5) * scale - vw / 2;
  const top = h - (view.cy + 0.5) * scale - vh / 2;
  const panTo = (e: PointerEvent<HTMLDivElement>) => {
    if (e.buttons !== 1 && e.type !== 'pointerdown') return;
    const rect = e.currentTarget.getBoundingClientRect();
    onView({ ...view, cx: (e.clientX - rect.left) / scale - 0.5, cy: (h - (e.clientY - rect.top)) / scale - 0.5 });
  };
  return (
    <div className="overview" style={{ width: w, height: h }} onPointerDown={panTo} onPointerMove={panTo} data-testid="overview" title="Overview: click or drag to pan">
      <canvas ref={ref} width={w} height={h} />
      <div className="overview-box" style={{ left, top, width: vw, height: vh }} />
    </div>
  );
}
