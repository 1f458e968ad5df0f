// Registers an instrument in a repository (obs_base's Instrument.register): the instrument
// record, its detectors from the camera, its physical filters with their bands, and the
// visit systems it uses. Idempotent; with `update`, changed records are overwritten.
import type { Registry } from '../registry/index.js';
import type { Instrument } from '../instrument/index.js';
import { VISIT_SYSTEMS } from '../visits/visitSystems.js';

export interface RegisterInstrumentResult {
  instrument: string;
  /** Records inserted or changed, by element. */
  inserted: Record<string, number>;
  detectors: number;
  physicalFilters: number;
}

export function registerInstrumentRecords(registry: Registry, instrument: Instrument, options: { update?: boolean } = {}): RegisterInstrumentResult {
  const records = instrument.dimensionRecords();
  const inserted: Record<string, number> = { instrument: 0, detector: 0, physical_filter: 0, visit_system: 0 };
  registry.transaction(() => {
    if (registry.syncDimensionData('instrument', { ...records.instrument }, options.update ?? false)) inserted.instrument++;
    for (const d of records.detectors) if (registry.syncDimensionData('detector', { ...d }, options.update ?? false)) inserted.detector++;
    for (const f of records.physicalFilters) if (registry.syncDimensionData('physical_filter', { ...f }, options.update ?? false)) inserted.physical_filter++;
    for (const vs of VISIT_SYSTEMS) {
      if (registry.syncDimensionData('visit_system', { instrument: instrument.name, id: vs.id, name: vs.name }, options.update ?? false)) inserted.visit_system++;
    }
  });
  return { instrument: instrument.name, inserted, detectors: records.detectors.length, physicalFilters: records.physicalFilters.length };
}

/** Fails with the command to run when an instrument is not registered in the repository. */
export function requireRegisteredInstrument(registry: Registry, name: string): void {
  if (registry.fetchDimensionRecord('instrument', { instrument: name }) === null) {
    throw new Error(`instrument ${name} is not registered in this repository; run "butler register-instrument REPO ${name}" first`);
  }
}
