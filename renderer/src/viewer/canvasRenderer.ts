// The 2D-canvas fallback for machines without WebGL2: computes only the visible canvas pixels on the CPU
// (limits → stretch → LUT → mask, with core/display's functions), so its cost follows the canvas size, not
// the image size.
import { colormapLut } from '../../../core/display/colormaps.js';
import { colorToRgb } from '../../../core/display/maskPlanes.js';
import { lutIndex, stretchFunction } from '../../../core/display/render.js';
import type { ImageRenderer, RenderSettings } from './imageRenderer.js';
import type { View } from './viewTransform.js';

export class CanvasImageRenderer implements ImageRenderer {
  readonly kind = 'canvas2d' as const;
  private data: Float32Array | null = null;
  private mask: Int32Array | null = null;
  private width = 0;
  private height = 0;
  private sampling = 1;
  private full = { width: 0, height: 0 };
  hasFullImage = false;

  static create(canvas: HTMLCanvasElement): CanvasImageRenderer | null {
    const ctx = canvas.getContext('2d');
    return ctx ? new CanvasImageRenderer(ctx) : null;
  }

  private constructor(private readonly ctx: CanvasRenderingContext2D) {}

  setImage(data: Float32Array, width: number, height: number, sampling: number, fullWidth: number, fullHeight: number): void {
    this.data = data;
    this.width = width;
    this.height = height;
    this.sampling = sampling;
    this.full = { width: fullWidth, height: fullHeight };
    this.hasFullImage = sampling === 1;
    this.mask = null;
  }

  setMask(data: Int32Array | null): void {
    this.mask = data && this.sampling === 1 ? data : null;
  }

  render(view: View, settings: RenderSettings): void {
    const canvas = this.ctx.canvas;
    const W = canvas.width;
    const H = canvas.height;
    const out = this.ctx.createImageData(W, H);
    const data = this.data;
    if (!data) {
      this.ctx.putImageData(out, 0, 0);
      return;
    }
    const dpr = W / Math.max(1, canvas.clientWidth || W);
    const zoom = view.zoom * dpr;
    const lut = colormapLut(settings.colormap);
    const stretch = stretchFunction({ ...settings, histEqTable: settings.histEqTable ?? undefined });
    const GRID = 4096;
    const grid = new Uint8Array(GRID + 1);
    for (let k = 0; k <= GRID; k++) grid[k] = lutIndex(stretch(k / GRID));
    const { min, max } = settings.limits;
    const inv = max !== min ? 1 / (max - min) : 0;
    const active = settings.maskLayers.filter((l) => l.visible && l.opacity > 0);
    const bits = active.map((l) => 1 << l.plane.bit);
    const rgbs = active.map((l) => colorToRgb(l.plane.color));
    let anyBit = 0;
    for (const b of bits) anyBit |= b;
    const px = out.data;
    // Column → image x index is the same for every row: precompute it.
    const colIndex = new Int32Array(W);
    for (let c = 0; c < W; c++) {
      const ix = Math.floor(view.cx + (c + 0.5 - W / 2) / zoom + 0.5);
      colIndex[c] = ix < 0 || ix >= this.full.width ? -1 : Math.floor(ix / this.sampling);
    }
    for (let r = 0; r < H; r++) {
      const iy = Math.floor(view.cy + (H / 2 - (r + 0.5)) / zoom + 0.5);
      if (iy < 0 || iy >= this.full.height) continue;
      const ty = Math.floor(iy / this.sampling);
      if (ty >= this.height) continue;
      const rowBase = ty * this.width;
      for (let c = 0; c < W; c++) {
        const tx = colIndex[c];
        if (tx < 0 || tx >= this.width) continue;
        const v = data[rowBase + tx];
        const o = (r * W + c) * 4;
        if (v - v !== 0) continue; // NaN/Inf stay transparent
        let x = (v - min) * inv;
        x = x < 0 ? 0 : x > 1 ? 1 : x;
        const li = grid[Math.round(x * GRID)] * 4;
        let R = lut[li], G = lut[li + 1], B = lut[li + 2];
        if (this.mask && anyBit) {
          const m = this.mask[rowBase + tx];
          if (m & anyBit) {
            for (let k = 0; k < bits.length; k++) {
              if ((m & bits[k]) === 0) continue;
              const a = Math.min(1, active[k].opacity);
              R = R * (1 - a) + rgbs[k][0] * a;
              G = G * (1 - a) + rgbs[k][1] * a;
              B = B * (1 - a) + rgbs[k][2] * a;
            }
          }
        }
        px[o] = R; px[o + 1] = G; px[o + 2] = B; px[o + 3] = 255;
      }
    }
    this.ctx.putImageData(out, 0, 0);
  }

  dispose(): void {
    this.data = null;
    this.mask = null;
  }
}
