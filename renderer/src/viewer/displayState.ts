// The display settings a user picks (limits mode, stretch, colormap, overscan handling) and how they turn into
// the numbers the renderer needs. Compare/blink views share one DisplayState so both images are shown alike.
import { PERCENTILE_PRESETS, type Limits } from '../../../core/display/limits.js';
import type { ImageStats } from '../../../core/display/analysis.js';
import type { ColormapName } from '../../../core/display/colormaps.js';
import type { StretchName } from '../../../core/display/stretch.js';

export type LimitsMode = 'zscale' | 'minmax' | 'percentile' | 'manual';

export interface DisplayState {
  limitsMode: LimitsMode;
  percent: (typeof PERCENTILE_PRESETS)[number];
  manual: Limits | null;
  stretch: StretchName;
  /** The stretch parameter a, when the user changed it from astropy's default. */
  stretchA: number | undefined;
  colormap: ColormapName;
  /** Raws: compute limits from the data sections only (DS9's "use DATASEC"). */
  excludeOverscan: boolean;
}

export const DEFAULT_DISPLAY: DisplayState = {
  limitsMode: 'zscale',
  percent: 99.5,
  manual: null,
  stretch: 'linear',
  stretchA: undefined,
  colormap: 'gray',
  excludeOverscan: true,
};

/** The limits for the current mode, from full statistics when ready, else the preview's zscale. */
export function resolveLimits(state: DisplayState, stats: ImageStats | null, previewZscale: Limits | null): Limits | null {
  if (state.limitsMode === 'manual' && state.manual) return state.manual;
  if (!stats) return previewZscale;
  switch (state.limitsMode) {
    case 'zscale': return stats.zscale;
    case 'minmax': return { min: stats.min, max: stats.max };
    case 'percentile': return stats.percentiles[String(state.percent)] ?? stats.zscale;
    case 'manual': return stats.zscale;
  }
}
