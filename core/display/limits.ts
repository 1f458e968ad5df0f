// Display limits (the data values mapped to the bottom and top of the colormap), as DS9's Scale menu offers
// them: zscale, min/max, percentiles and manual values.

import { percentileInterval } from './percentile.js';
import { summarizeFinite, type FiniteSummary, type PixelSelection } from './selection.js';
import { zscaleOfSelection, type ZScaleOptions } from './zscale.js';

/** The percentile presets users know from DS9 (99.5 … 95). */
export const PERCENTILE_PRESETS = [99.5, 99, 98, 95] as const;

export type LimitsSpec =
  | { kind: 'zscale'; options?: Partial<ZScaleOptions> }
  | { kind: 'minmax' }
  | { kind: 'percentile'; percent: number }
  | { kind: 'manual'; min: number; max: number };

export interface Limits {
  min: number;
  max: number;
}

export function describeLimits(spec: LimitsSpec): string {
  switch (spec.kind) {
    case 'zscale': return 'zscale (astropy)';
    case 'minmax': return 'min/max';
    case 'percentile': return `${spec.percent} %`;
    case 'manual': return 'manual';
  }
}

/** Computes the limits of `spec` over the finite selected pixels. */
export function computeLimits(sel: PixelSelection, spec: LimitsSpec, summary: FiniteSummary = summarizeFinite(sel)): Limits {
  if (spec.kind === 'manual') {
    if (!Number.isFinite(spec.min) || !Number.isFinite(spec.max)) throw new Error(`manual limits must be finite numbers, got ${spec.min} and ${spec.max}`);
    if (spec.min === spec.max) throw new Error(`manual limits must differ, got ${spec.min} twice`);
    return { min: spec.min, max: spec.max };
  }
  if (summary.count === 0) throw new Error('the image has no finite pixel value to compute display limits from');
  switch (spec.kind) {
    case 'minmax': return { min: summary.min, max: summary.max };
    case 'percentile': {
      const [min, max] = percentileInterval(sel, spec.percent, summary);
      return { min, max };
    }
    case 'zscale': {
      const [min, max] = zscaleOfSelection(sel, spec.options, summary.count);
      return { min, max };
    }
  }
}
