// MegaPrime physical filters and their bands (obs_cfht cfhtFilters.py; CFHT's filter pages):
// the original MP93xx–MP98xx set and the newer replacements.
import type { PhysicalFilterDefinition } from '../instrument.js';

export const MEGAPRIME_FILTERS: readonly PhysicalFilterDefinition[] = [
  { physicalFilter: 'u.MP9301', band: 'u' },
  { physicalFilter: 'u.MP9302', band: 'u', afwName: 'u2' },
  { physicalFilter: 'u.MP9303', band: 'u', afwName: 'u3' },
  { physicalFilter: 'g.MP9401', band: 'g' },
  { physicalFilter: 'g.MP9402', band: 'g', afwName: 'g2' },
  { physicalFilter: 'g.MP9501', band: 'g', afwName: 'g3' },
  { physicalFilter: 'g.MP9502', band: 'g', afwName: 'g4' },
  { physicalFilter: 'r.MP9601', band: 'r' },
  { physicalFilter: 'r.MP9602', band: 'r', afwName: 'r2' },
  { physicalFilter: 'r.MP9603', band: 'r', afwName: 'r3' },
  { physicalFilter: 'r.MP9604', band: 'r', afwName: 'r4' },
  { physicalFilter: 'r.MP9605', band: 'r', afwName: 'r5' },
  { physicalFilter: 'i.MP9701', band: 'i' },
  { physicalFilter: 'i.MP9702', band: 'i', afwName: 'i2' },
  { physicalFilter: 'i.MP9703', band: 'i', afwName: 'i3' },
  { physicalFilter: 'z.MP9801', band: 'z' },
  { physicalFilter: 'z.MP9901', band: 'z', afwName: 'z2' },
];
