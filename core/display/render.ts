// CPU reference renderer: limits → stretch → colormap → mask overlays, into RGBA bytes. The viewer's 2D-canvas
// fallback and the CLI use it; the WebGL2 shader implements the same steps and is tested against it.

import { colormapLut, LUT_SIZE, type ColormapName } from './colormaps.js';
import type { Limits } from './limits.js';
import { colorToRgb, type MaskPlane } from './maskPlanes.js';
import { applyStretch, type StretchSpec } from './stretch.js';

export interface DisplaySettings {
  limits: Limits;
  stretch: StretchSpec;
  colormap: ColormapName;
  /** Histogram-equalisation CDF sampled over [0, 1] (required when stretch is histeq). */
  histEqTable?: Float32Array;
}

export interface MaskLayer {
  plane: MaskPlane;
  visible: boolean;
  /** 0…1 */
  opacity: number;
}

/** Colour of NaN/±Inf pixels: fully transparent, so the viewer's background marks them. */
export const NON_FINITE_RGBA: readonly [number, number, number, number] = [0, 0, 0, 0];

/** x in [0, 1] → stretched value in [0, 1], for the settings' stretch (histeq via its table, linearly interpolated). */
export function stretchFunction(settings: DisplaySettings): (x: number) => number {
  if (settings.stretch.name !== 'histeq') {
    const spec = settings.stretch;
    applyStretch(0.5, spec); // validates the parameter once, not per pixel
    return (x) => applyStretch(x, spec);
  }
  const table = settings.histEqTable;
  if (!table || table.length < 2) throw new Error('histeq stretch needs the histogram-equalisation table of the image');
  const last = table.length - 1;
  return (x) => {
    const v = x < 0 ? 0 : x > 1 ? 1 : x;
    const pos = v * last;
    const i = Math.min(last - 1, Math.floor(pos));
    return table[i] + (pos - i) * (table[i + 1] - table[i]);
  };
}

/** Index into the 256-entry LUT for a stretched value (nearest entry, as the GPU's NEAREST-filtered LUT texture). */
export function lutIndex(stretched: number): number {
  const i = Math.floor(stretched * (LUT_SIZE - 1) + 0.5);
  return i < 0 ? 0 : i > LUT_SIZE - 1 ? LUT_SIZE - 1 : i;
}

export function renderRgba(
  data: ArrayLike<number>,
  settings: DisplaySettings,
  out: Uint8ClampedArray | Uint8Array = new Uint8ClampedArray(data.length * 4),
  mask?: { data: ArrayLike<number>; layers: readonly MaskLayer[] },
): Uint8ClampedArray | Uint8Array {
  if (out.length !== data.length * 4) throw new Error(`RGBA buffer has ${out.length} bytes, expected ${data.length * 4}`);
  const { min, max } = settings.limits;
  const lut = colormapLut(settings.colormap);
  const stretch = stretchFunction(settings);
  // Precompute stretched LUT indices on a fine grid of normalised values: per-pixel work is then a lookup.
  const GRID = 65536;
  const grid = new Uint8Array(GRID + 1);
  for (let k = 0; k <= GRID; k++) grid[k] = lutIndex(stretch(k / GRID));
  const inv = max !== min ? 1 / (max - min) : 0;
  for (let i = 0, o = 0; i < data.length; i++, o += 4) {
    const v = data[i];
    if (v - v !== 0) {
      out[o] = NON_FINITE_RGBA[0]; out[o + 1] = NON_FINITE_RGBA[1]; out[o + 2] = NON_FINITE_RGBA[2]; out[o + 3] = NON_FINITE_RGBA[3];
      continue;
    }
    let x = (v - min) * inv;
    x = x < 0 ? 0 : x > 1 ? 1 : x;
    const li = grid[Math.round(x * GRID)] * 4;
    out[o] = lut[li]; out[o + 1] = lut[li + 1]; out[o + 2] = lut[li + 2]; out[o + 3] = 255;
  }
  if (mask) overlayMask(out, mask.data, mask.layers);
  return out;
}

/** Blends each visible plane's colour, in bit order, over the pixels where its bit is set. */
export function overlayMask(rgba: Uint8ClampedArray | Uint8Array, mask: ArrayLike<number>, layers: readonly MaskLayer[]): void {
  const active = layers.filter((l) => l.visible && l.opacity > 0).sort((a, b) => a.plane.bit - b.plane.bit);
  if (active.length === 0) return;
  const bits = active.map((l) => 1 << l.plane.bit);
  const rgb = active.map((l) => colorToRgb(l.plane.color));
  const alpha = active.map((l) => Math.min(1, l.opacity));
  let any = 0;
  for (const b of bits) any |= b;
  for (let i = 0, o = 0; i < mask.length; i++, o += 4) {
    const m = mask[i];
    if ((m & any) === 0) continue;
    for (let k = 0; k < bits.length; k++) {
      if ((m & bits[k]) === 0) continue;
      const a = alpha[k];
      const c = rgb[k];
      rgba[o] = rgba[o] * (1 - a) + c[0] * a;
      rgba[o + 1] = rgba[o + 1] * (1 - a) + c[1] * a;
      rgba[o + 2] = rgba[o + 2] * (1 - a) + c[2] * a;
      rgba[o + 3] = 255;
    }
  }
}
