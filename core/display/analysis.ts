// Everything the viewer computes once per image, in one place for the renderer's worker, the CLI and the
// benchmark: finite count/min/max, zscale, the percentile presets and a histogram around the useful range.

import { histogram, type Histogram } from './histogram.js';
import { PERCENTILE_PRESETS, type Limits } from './limits.js';
import { percentiles } from './percentile.js';
import { selectAll, selectRects, summarizeFinite, type PixelRect, type Pixels } from './selection.js';
import { zscaleOfSelection } from './zscale.js';

export interface ImageStats {
  count: number;
  min: number;
  max: number;
  zscale: Limits;
  /** Keyed by the percent kept, e.g. "99.5". */
  percentiles: Record<string, Limits>;
  histogram: Histogram;
  /** Whether the statistics were restricted to data sections (overscan/prescan excluded). */
  dataSectionsOnly: boolean;
}

export const HISTOGRAM_BINS = 512;

/**
 * Statistics of an image for display. `regions` (e.g. the amplifiers' data sections) restricts every
 * statistic to those pixels; omit it to use the whole image. Throws when no pixel is finite.
 */
export function analyzeImage(data: Pixels, width: number, height: number, options: { regions?: readonly PixelRect[] | null; bins?: number } = {}): ImageStats {
  const sel = options.regions && options.regions.length > 0 ? selectRects(data, width, height, options.regions) : selectAll(data);
  const summary = summarizeFinite(sel);
  if (summary.count === 0) throw new Error(`the ${width}×${height} image has no finite pixel value`);
  const [zlo, zhi] = zscaleOfSelection(sel, {}, summary.count);
  const qs: number[] = [];
  for (const p of PERCENTILE_PRESETS) qs.push((100 - p) / 2, 100 - (100 - p) / 2);
  const values = percentiles(sel, qs, summary);
  const pct: Record<string, Limits> = {};
  PERCENTILE_PRESETS.forEach((p, i) => { pct[String(p)] = { min: values[2 * i], max: values[2 * i + 1] }; });
  // The histogram spans the interesting range (zscale ∪ 99.5 %) with a margin, not min/max, so that a few
  // saturated pixels do not squeeze the sky into one bin; values outside are counted as below/above.
  const lo0 = Math.min(zlo, pct['99.5'].min);
  const hi0 = Math.max(zhi, pct['99.5'].max);
  const margin = (hi0 - lo0) * 0.25;
  const lo = Math.max(summary.min, lo0 - margin);
  const hi = Math.min(summary.max, hi0 + margin);
  return {
    count: summary.count,
    min: summary.min,
    max: summary.max,
    zscale: { min: zlo, max: zhi },
    percentiles: pct,
    histogram: histogram(sel, lo, hi, options.bins ?? HISTOGRAM_BINS),
    dataSectionsOnly: sel.runs.length > 2 || (sel.runs[0] !== 0 || sel.runs[1] !== data.length),
  };
}
