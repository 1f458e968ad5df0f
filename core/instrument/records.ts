// Registry dimension records built from an ObservationInfo, with obs_base's mapping
// (makeExposureRecordFromObsInfo / visit definition for one-exposure visits), universe v7 fields.
import type { Timespan } from '../time/index.js';
import type { ObservationInfo } from './translator.js';

export interface ExposureRecord {
  instrument: string;
  id: number;
  obs_id: string;
  physical_filter: string;
  group: string;
  day_obs: number;
  exposure_time: number;
  dark_time: number;
  observation_type: string;
  observation_reason: string;
  seq_num: number;
  seq_start: number;
  seq_end: number;
  target_name: string | null;
  science_program: string | null;
  tracking_ra: number | null;
  tracking_dec: number | null;
  sky_angle: number | null;
  azimuth: number | null;
  zenith_angle: number | null;
  has_simulated: boolean;
  can_see_sky: boolean | null;
  timespan: Timespan;
}

export interface VisitRecord {
  instrument: string;
  id: number;
  name: string;
  physical_filter: string;
  day_obs: number;
  seq_num: number;
  exposure_time: number;
  target_name: string | null;
  observation_reason: string;
  science_program: string | null;
  azimuth: number | null;
  zenith_angle: number | null;
  timespan: Timespan;
}

/** Observation types that look at the sky (astro_metadata_translator's default can_see_sky). */
function canSeeSky(type: string): boolean | null {
  if (['science', 'object', 'focus', 'acq', 'standard'].includes(type)) return true;
  if (['bias', 'dark', 'flat', 'domeflat'].includes(type)) return false;
  return null;
}

export function exposureRecord(obs: ObservationInfo): ExposureRecord {
  return {
    instrument: obs.instrument,
    id: obs.exposureId,
    obs_id: obs.observationId,
    physical_filter: obs.physicalFilter,
    group: obs.group,
    day_obs: obs.dayObs,
    exposure_time: obs.exposureTime,
    dark_time: obs.darkTime,
    observation_type: obs.observationType,
    observation_reason: obs.observationReason,
    seq_num: obs.seqNum,
    seq_start: obs.seqNum,
    seq_end: obs.seqNum,
    target_name: obs.target ?? null,
    science_program: obs.scienceProgram ?? null,
    tracking_ra: obs.trackingRaDec?.ra ?? null,
    tracking_dec: obs.trackingRaDec?.dec ?? null,
    sky_angle: obs.boresightRotationAngle ?? null,
    azimuth: obs.altAz?.az ?? null,
    zenith_angle: obs.altAz ? 90 - obs.altAz.alt : null,
    has_simulated: obs.hasSimulatedContent,
    can_see_sky: canSeeSky(obs.observationType),
    timespan: obs.timespan,
  };
}

/** The visit of a one-exposure visit system (MegaPrime: visit id = exposure id). */
export function oneToOneVisitRecord(obs: ObservationInfo): VisitRecord {
  return {
    instrument: obs.instrument,
    id: obs.visitId,
    name: obs.observationId,
    physical_filter: obs.physicalFilter,
    day_obs: obs.dayObs,
    seq_num: obs.seqNum,
    exposure_time: obs.exposureTime,
    target_name: obs.target ?? null,
    observation_reason: obs.observationReason,
    science_program: obs.scienceProgram ?? null,
    azimuth: obs.altAz?.az ?? null,
    zenith_angle: obs.altAz ? 90 - obs.altAz.alt : null,
    timespan: obs.timespan,
  };
}
