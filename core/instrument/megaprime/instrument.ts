// CFHT MegaPrime (MegaCam) as an Instrument: camera from core/camera/data/megaprime.yaml, the
// obs_cfht filter set, the MegaPrime translator and raw reader.
import { loadCamera } from '../../camera/cameraData.js';
import type { Camera } from '../../camera/geometry.js';
import { megaPrimeDetectorsIn, megaPrimeRawObservations, readMegaPrimeRaw } from '../../formatters/fits/megaPrimeRaw.js';
import { defaultDimensionRecords, type CuratedCalibration, type Instrument, type InstrumentRecords, type RawFormatter } from '../instrument.js';
import { MEGAPRIME_FILTERS } from './filters.js';
import { MEGAPRIME_EXPOSURE_MAX, MegaPrimeTranslator } from './translator.js';

const rawFormatter: RawFormatter = {
  name: 'MegaPrimeRawFormatter',
  extensions: ['.fits', '.fits.fz', '.fz'],
  read: (path, options = {}) => readMegaPrimeRaw(path, options),
  detectorsIn: (path) => megaPrimeDetectorsIn(path),
  observations: (path) => megaPrimeRawObservations(path),
};

export class MegaPrime implements Instrument {
  readonly name = 'MegaPrime';
  readonly className = 'lsst.obs.cfht.MegaPrime';
  readonly filters = MEGAPRIME_FILTERS;
  readonly translator = new MegaPrimeTranslator();
  readonly rawFormatter = rawFormatter;

  camera(): Camera {
    return loadCamera('megaprime');
  }

  curatedCalibrations(): CuratedCalibration[] {
    return [
      { datasetType: 'camera', storageClass: 'Camera', description: 'MegaCam geometry (core/camera/data/megaprime.yaml: obs_cfht amp tables and positions, plus ccd36-39)', available: true },
      { datasetType: 'defects', storageClass: 'Defects', description: 'obs_cfht megacam/defects (Elixir masks 2003-2011) are not shipped', available: false },
    ];
  }

  dimensionRecords(): InstrumentRecords {
    // obs_cfht registers detector_max 36; the 40-CCD era needs 40.
    return defaultDimensionRecords(this, { detectorMax: 40, visitMax: MEGAPRIME_EXPOSURE_MAX, exposureMax: MEGAPRIME_EXPOSURE_MAX });
  }
}
