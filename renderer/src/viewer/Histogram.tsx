// The pixel histogram (log-y) with the current limits marked; dragging a marker sets manual limits.
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { logHeights, type Histogram as HistogramData } from '../../../core/display/histogram.js';
import type { Limits } from '../../../core/display/limits.js';
import { formatValue } from './Readout.js';

const WIDTH = 300;
const HEIGHT = 110;

export function Histogram({ histogram, limits, onLimits }: { histogram: HistogramData | null; limits: Limits | null; onLimits(l: Limits): void }) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const [dragging, setDragging] = useState<'min' | 'max' | null>(null);
  const [draft, setDraft] = useState<Limits | null>(null);
  const shown = draft ?? limits;

  useEffect(() => {
    const ctx = canvasRef.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, WIDTH, HEIGHT);
    if (!histogram) return;
    const heights = logHeights(histogram);
    let top = 0;
    for (const h of heights) top = Math.max(top, h);
    const n = heights.length;
    ctx.fillStyle = getComputedStyle(ctx.canvas).color || '#888';
    for (let i = 0; i < n; i++) {
      const h = top > 0 ? (heights[i] / top) * (HEIGHT - 4) : 0;
      const x0 = (i / n) * WIDTH;
      ctx.fillRect(x0, HEIGHT - h, Math.max(1, WIDTH / n), h);
    }
    if (shown) {
      const xOf = (v: number) => ((v - histogram.lo) / (histogram.hi - histogram.lo)) * WIDTH;
      ctx.fillStyle = 'rgba(30, 144, 255, 0.15)';
      ctx.fillRect(xOf(shown.min), 0, xOf(shown.max) - xOf(shown.min), HEIGHT);
      ctx.strokeStyle = '#1e90ff';
      ctx.lineWidth = 2;
      for (const v of [shown.min, shown.max]) {
        ctx.beginPath();
        ctx.moveTo(xOf(v), 0);
        ctx.lineTo(xOf(v), HEIGHT);
        ctx.stroke();
      }
    }
  }, [histogram, shown]);

  if (!histogram) return <div className="histogram muted">Histogram: computing…</div>;
  const valueAt = (clientX: number) => {
    const rect = canvasRef.current?.getBoundingClientRect();
    const f = rect ? (clientX - rect.left) / rect.width : 0;
    return histogram.lo + Math.min(1, Math.max(0, f)) * (histogram.hi - histogram.lo);
  };
  const onDown = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!limits) return;
    const v = valueAt(e.clientX);
    (e.target as Element).setPointerCapture?.(e.pointerId);
    setDragging(Math.abs(v - limits.min) <= Math.abs(v - limits.max) ? 'min' : 'max');
    setDraft(limits);
  };
  const onMove = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!dragging || !draft) return;
    const v = valueAt(e.clientX);
    setDraft(dragging === 'min' ? { min: Math.min(v, draft.max), max: draft.max } : { min: draft.min, max: Math.max(v, draft.min) });
  };
  const onUp = () => {
    if (draft && dragging && draft.min < draft.max) onLimits(draft);
    setDragging(null);
    setDraft(null);
  };
  return (
    <div className="histogram" data-testid="histogram">
      <canvas
        ref={canvasRef}
        width={WIDTH}
        height={HEIGHT}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        title="Pixel histogram (log counts). Drag a limit marker to set manual limits."
      />
      <div className="histogram-axis small muted">
        <span>{formatValue(histogram.lo)}</span>
        <span>{histogram.below > 0 ? `${histogram.below.toLocaleString()} below · ` : ''}{histogram.above > 0 ? `${histogram.above.toLocaleString()} above` : ''}</span>
        <span>{formatValue(histogram.hi)}</span>
      </div>
    </div>
  );
}
