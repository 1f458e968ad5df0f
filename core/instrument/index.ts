// Instruments: the interface, the translator interface, the plug-in registry, and the instruments
// that ship (MegaPrime), registered on import.
import { MegaPrime } from './megaprime/instrument.js';
import { registerInstrument } from './registry.js';

export * from './instrument.js';
export * from './translator.js';
export * from './registry.js';
export * from './records.js';
export { MegaPrime } from './megaprime/instrument.js';
export { MegaPrimeTranslator, megaPrimeDetectorExposureId } from './megaprime/translator.js';
export { MEGAPRIME_FILTERS } from './megaprime/filters.js';

registerInstrument(new MegaPrime());
