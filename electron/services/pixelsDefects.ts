// The certified defects of the detector an exposure-level dataset was taken with (for the viewer's optional
// defects overlay): looked up in the instrument's calibration collection by the exposure's time, as ISR does.
import { Butler } from '../../core/butler/index.js';
import '../../core/formatters/fits/index.js';
import { calibrationsForExposure } from '../../core/calib/calibTypes.js';
import { Defects, type DefectBox } from '../../core/calib/defects.js';

/**
 * The defect boxes (trimmed detector coordinates) valid for a data ID with instrument, exposure and detector;
 * null when the data ID is not exposure + detector level or no defects are certified for it.
 */
export async function certifiedDefectBoxes(butler: Butler, dataId: Readonly<Record<string, unknown>>): Promise<DefectBox[] | null> {
  const { instrument, exposure, detector } = dataId;
  if (typeof instrument !== 'string' || typeof exposure !== 'number' || typeof detector !== 'number') return null;
  const ref = calibrationsForExposure(butler.registry, instrument, exposure, detector).defects;
  if (!ref) return null;
  const defects = await butler.get(ref);
  if (!(defects instanceof Defects)) throw new Error(`defects dataset ${ref.id} did not read as Defects`);
  return defects.boxes.map((b) => ({ ...b }));
}

/** Opens the repository read-only for one lookup (the pixel service holds no registry of its own). */
export async function certifiedDefectBoxesIn(repository: string, dataId: Readonly<Record<string, unknown>>): Promise<DefectBox[] | null> {
  const butler = Butler.open(repository);
  try {
    return await certifiedDefectBoxes(butler, dataId);
  } finally {
    butler.close();
  }
}
