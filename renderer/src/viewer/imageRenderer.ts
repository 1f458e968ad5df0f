// What draws an image on the viewer's canvas: WebGL2 when available (float textures, stretch and colormap in a
// fragment shader, so changing them costs one redraw), else a 2D-canvas path computing the visible pixels on
// the CPU with the same core/display functions.
import type { ColormapName } from '../../../core/display/colormaps.js';
import type { Limits } from '../../../core/display/limits.js';
import type { MaskLayer } from '../../../core/display/render.js';
import type { StretchSpec } from '../../../core/display/stretch.js';
import type { View } from './viewTransform.js';

export interface RenderSettings {
  limits: Limits;
  stretch: StretchSpec;
  colormap: ColormapName;
  /** Histogram-equalisation CDF over [0, 1] of the limits (needed for the histeq stretch). */
  histEqTable: Float32Array | null;
  maskLayers: readonly MaskLayer[];
}

export interface ImageRenderer {
  readonly kind: 'webgl2' | 'canvas2d';
  /**
   * Pixels of the image. `sampling` > 1 means a subsample (every sampling-th pixel of a fullWidth×fullHeight
   * image), used for the first frame while the full image travels.
   */
  setImage(data: Float32Array, width: number, height: number, sampling: number, fullWidth: number, fullHeight: number): void;
  /** The full-resolution image is in place (not a preview). */
  readonly hasFullImage: boolean;
  setMask(data: Int32Array | null): void;
  /** Draws at the canvas's current size; `cssSize` is the canvas size in CSS pixels. */
  render(view: View, settings: RenderSettings): void;
  dispose(): void;
}

export const HISTEQ_TABLE_SIZE = 1024;
