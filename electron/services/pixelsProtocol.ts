// Messages between the pixel service (main side) and its worker thread, which reads and decodes FITS files.
import type { HduSummary, HduView } from '../../core/api/sections/viewer.js';
import type { ApiErrorPayload } from '../../core/api/errors.js';

export type PixelRequest =
  | { id: number; kind: 'open'; path: string }
  | { id: number; kind: 'hdu'; path: string; hdu: number }
  /** factor > 1: block means; sample > 1: every sample-th pixel; zscale: also compute zscale of the full HDU. */
  | { id: number; kind: 'pixels'; path: string; hdu: number; factor: number; sample: number; zscale: 'none' | 'data' | 'all' }
  | { id: number; kind: 'mask'; path: string; hdu: number }
  | { id: number; kind: 'forget'; path: string };

export type HduFacts = Omit<HduView, 'key' | 'routes'>;

export type PixelReply =
  | { id: number; ok: true; kind: 'open'; hdus: HduSummary[] }
  | { id: number; ok: true; kind: 'hdu'; view: HduFacts }
  | { id: number; ok: true; kind: 'buffer'; buffer: ArrayBuffer; width: number; height: number; zscale?: [number, number]; from?: 'stored-bytes' | 'decoded' }
  | { id: number; ok: true; kind: 'done' }
  | { id: number; ok: false; error: ApiErrorPayload };
