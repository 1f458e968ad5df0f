// Messages between the viewer and its Web Worker, which fetches pixels (float32 LE) and masks (int32 LE) from
// the binary routes and computes the display statistics off the UI thread. Buffers are transferred, not copied.
import type { ImageStats } from '../../../core/display/analysis.js';
import type { PixelRect } from '../../../core/display/selection.js';

export type WorkerRequest =
  /**
   * Fetch an image: first the subsampled preview with the service's zscale (headers x-zscale-min/max), for the
   * first frame, then the full pixels; statistics wait for `regions` so that raws can exclude their overscan.
   */
  | { kind: 'load'; id: number; previewUrl: string; pixelsUrl: string; width: number; height: number; previewFactor: number }
  | { kind: 'regions'; id: number; regions: PixelRect[] | null }
  | { kind: 'mask'; id: number; maskUrl: string }
  /** Recompute statistics (e.g. after toggling "exclude overscan"). */
  | { kind: 'restat'; id: number; regions: PixelRect[] | null }
  /** Histogram-equalisation table between the given limits. */
  | { kind: 'histeq'; id: number; min: number; max: number; size: number }
  | { kind: 'drop'; id: number };

export type WorkerReply =
  /** Subsampled pixels (every previewFactor-th) and the zscale of the full image: enough for the first frame. */
  | { kind: 'preview'; id: number; data: Float32Array; width: number; height: number; factor: number; zscale: { min: number; max: number }; timings: Record<string, number> }
  | { kind: 'pixels'; id: number; data: Float32Array; width: number; height: number; fetchMs: number }
  | { kind: 'stats'; id: number; stats: ImageStats; regions: PixelRect[] | null; ms: number }
  | { kind: 'mask'; id: number; data: Int32Array; width: number; height: number }
  | { kind: 'histeq'; id: number; table: Float32Array; min: number; max: number }
  | { kind: 'error'; id: number; stage: string; message: string };
