// The Instrument interface (after obs_base's Instrument): what the Butler needs to ingest and
// process one instrument's data. Instruments plug in through the registry in registry.ts.
import type { Camera } from '../camera/geometry.js';
import type { Exposure } from '../image/exposure.js';
import type { MetadataTranslator, ObservationInfo } from './translator.js';

export interface PhysicalFilterDefinition {
  physicalFilter: string;
  band: string;
  /** afw's historical filter name, where it differs. */
  afwName?: string;
}

export interface RawReadOptions {
  /** Detector id or name; required for multi-detector files. */
  detector?: number | string;
}

/** Reads one detector of a raw file into an Exposure. */
export interface RawFormatter {
  readonly name: string;
  /** File extensions it understands, e.g. ['.fits', '.fits.fz']. */
  readonly extensions: readonly string[];
  read(path: string, options?: RawReadOptions): Exposure;
  /** Detectors present in a raw file (ids), without decoding pixels. */
  detectorsIn(path: string): number[];
  /** One translated header per detector of a raw file (headers only): what ingest records are made from. */
  observations(path: string): Array<{ detector: number; hdu: number; info: ObservationInfo }>;
}

/** A calibration the instrument package ships (obs_* "curated calibrations"). */
export interface CuratedCalibration {
  datasetType: string;
  storageClass: string;
  /** What it is and where it comes from. */
  description: string;
  available: boolean;
}

/** Dimension records to register the instrument (daf_butler's instrument/detector/physical_filter). */
export interface InstrumentRecords {
  instrument: { name: string; detector_max: number; visit_max: number; exposure_max: number; visit_system: number; class_name: string };
  detectors: Array<{ instrument: string; id: number; full_name: string; name_in_raft: string; raft: string | null; purpose: string }>;
  physicalFilters: Array<{ instrument: string; name: string; band: string }>;
}

export interface Instrument {
  /** Registry name, e.g. 'MegaPrime'. */
  readonly name: string;
  /** Python class name used in registries written by the LSST stack. */
  readonly className: string;
  camera(): Camera;
  readonly filters: readonly PhysicalFilterDefinition[];
  readonly translator: MetadataTranslator;
  readonly rawFormatter: RawFormatter;
  curatedCalibrations(): CuratedCalibration[];
  /** Records to sync into the registry. */
  dimensionRecords(): InstrumentRecords;
}

/** Records common to every instrument built from its camera and filters. */
export function defaultDimensionRecords(instrument: Instrument, limits: { detectorMax: number; visitMax: number; exposureMax: number }): InstrumentRecords {
  const camera = instrument.camera();
  return {
    instrument: {
      name: instrument.name,
      detector_max: limits.detectorMax,
      visit_max: limits.visitMax,
      exposure_max: limits.exposureMax,
      // ONE_TO_ONE: one visit per exposure.
      visit_system: 0,
      class_name: instrument.className,
    },
    detectors: camera.detectors.map((d) => ({ instrument: instrument.name, id: d.id, full_name: d.name, name_in_raft: d.name, raft: null, purpose: d.type })),
    physicalFilters: instrument.filters.map((f) => ({ instrument: instrument.name, name: f.physicalFilter, band: f.band })),
  };
}
