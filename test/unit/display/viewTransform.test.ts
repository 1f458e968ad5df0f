// The viewer's pure pieces: pan/zoom geometry (y up like DS9, pixel centres at integers), the limits a display
// state resolves to, and the preview subsampling.
import { describe, expect, it } from 'vitest';
import { canvasToImage, clampZoom, fitView, imageToCanvas, MAX_ZOOM, MIN_ZOOM, panBy, pixelAt, zoomAbout } from '../../../renderer/src/viewer/viewTransform.js';
import { DEFAULT_DISPLAY, resolveLimits } from '../../../renderer/src/viewer/displayState.js';
import { previewFactorFor } from '../../../renderer/src/viewer/useViewerImage.js';
import { analyzeImage } from '../../../core/display/analysis.js';

const canvas = { width: 800, height: 600 };

describe('view transform', () => {
  it('fits a tall CCD: centred, limited by the height', () => {
    const v = fitView({ width: 2112, height: 4644 }, canvas);
    expect(v.zoom).toBeCloseTo(600 / 4644, 12);
    expect([v.cx, v.cy]).toEqual([1055.5, 2321.5]);
  });
  it('maps canvas ↔ image both ways, with y up', () => {
    const v = { cx: 100, cy: 50, zoom: 4 };
    expect(canvasToImage(v, canvas, 400, 300)).toEqual({ x: 100, y: 50 });
    expect(canvasToImage(v, canvas, 404, 296)).toEqual({ x: 101, y: 51 });
    const p = imageToCanvas(v, canvas, 101, 51);
    expect(p).toEqual({ px: 404, py: 296 });
  });
  it('zooms about the cursor keeping the image point under it', () => {
    const v = { cx: 100, cy: 50, zoom: 2 };
    const before = canvasToImage(v, canvas, 650, 120);
    const z = zoomAbout(v, canvas, 3, 650, 120);
    expect(z.zoom).toBe(6);
    const after = canvasToImage(z, canvas, 650, 120);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    expect(clampZoom(1e9)).toBe(MAX_ZOOM);
    expect(clampZoom(0)).toBe(MIN_ZOOM);
  });
  it('pans with the drag (dragging right moves the image right)', () => {
    expect(panBy({ cx: 10, cy: 10, zoom: 2 }, 20, -10)).toEqual({ cx: 0, cy: 5, zoom: 2 });
  });
  it('finds the pixel under a position, nothing outside', () => {
    expect(pixelAt({ width: 10, height: 5 }, 3.49, 4.5)).toBeNull();
    expect(pixelAt({ width: 10, height: 5 }, 3.49, 4.49)).toEqual({ ix: 3, iy: 4 });
    expect(pixelAt({ width: 10, height: 5 }, -0.51, 0)).toBeNull();
  });
});

describe('display state', () => {
  const data = Float32Array.from({ length: 400 }, (_, i) => (i * 37) % 101);
  const stats = analyzeImage(data, 20, 20);
  it('uses the preview zscale until statistics arrive, then the chosen mode', () => {
    expect(resolveLimits(DEFAULT_DISPLAY, null, { min: 1, max: 2 })).toEqual({ min: 1, max: 2 });
    expect(resolveLimits(DEFAULT_DISPLAY, stats, null)).toEqual(stats.zscale);
    expect(resolveLimits({ ...DEFAULT_DISPLAY, limitsMode: 'minmax' }, stats, null)).toEqual({ min: 0, max: 100 });
    expect(resolveLimits({ ...DEFAULT_DISPLAY, limitsMode: 'percentile', percent: 95 }, stats, null)).toEqual(stats.percentiles['95']);
    expect(resolveLimits({ ...DEFAULT_DISPLAY, limitsMode: 'manual', manual: { min: -3, max: 9 } }, stats, null)).toEqual({ min: -3, max: 9 });
  });
  it('subsamples previews to about 1,000 pixels on the long side', () => {
    expect(previewFactorFor(2112, 4644)).toBe(4);
    expect(previewFactorFor(4072, 4000)).toBe(4);
    expect(previewFactorFor(536, 520)).toBe(1);
    // Fitted into a 1050×800 pane, a 2112×4644 CCD shows 5.8 image pixels per screen pixel.
    expect(previewFactorFor(2112, 4644, { width: 1050, height: 800 })).toBe(5);
    expect(previewFactorFor(300, 200, { width: 1050, height: 800 })).toBe(1);
  });
});
