// Messages between the viewer and its Web Worker, which fetches full pixels (float32 LE) and masks (int32 LE)
// from the binary routes and computes the display statistics off the UI thread. Buffers are transferred, not
// copied. (The small first-frame preview is fetched by the UI thread itself: see previewFetch.ts.)
import type { ImageStats } from '../../../core/display/analysis.js';
import type { PixelRect } from '../../../core/display/selection.js';

export type WorkerRequest =
  /** Fetch an image's full pixels; statistics wait for `regions` so that raws can exclude their overscan. */
  | { kind: 'load'; id: number; pixelsUrl: string; width: number; height: number }
  | { kind: 'regions'; id: number; regions: PixelRect[] | null }
  | { kind: 'mask'; id: number; maskUrl: string }
  /** Recompute statistics (e.g. after toggling "exclude overscan"). */
  | { kind: 'restat'; id: number; regions: PixelRect[] | null }
  /** Histogram-equalisation table between the given limits. */
  | { kind: 'histeq'; id: number; min: number; max: number; size: number }
  | { kind: 'drop'; id: number };

export type WorkerReply =
  | { kind: 'pixels'; id: number; data: Float32Array; width: number; height: number; fetchMs: number }
  | { kind: 'stats'; id: number; stats: ImageStats; regions: PixelRect[] | null; ms: number }
  | { kind: 'mask'; id: number; data: Int32Array; width: number; height: number }
  | { kind: 'histeq'; id: number; table: Float32Array; min: number; max: number }
  | { kind: 'error'; id: number; stage: string; message: string };
