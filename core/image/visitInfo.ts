// What afw's VisitInfo records about the observation an exposure came from, and the filter label.

export interface VisitInfo {
  /** Exposure (shutter-open) time, seconds. */
  exposureTime: number;
  /** Dark time (time the detector integrated dark current), seconds; NaN when unknown. */
  darkTime: number;
  /** Mid-exposure time as an ISO-8601 string in TAI, if known. */
  date?: string;
  /** Exposure or visit id. */
  id?: number;
  instrumentLabel?: string;
  observationType?: string;
  scienceProgram?: string;
  object?: string;
  /** Boresight (degrees). */
  boresightRaDec?: { ra: number; dec: number };
  boresightAzAlt?: { az: number; alt: number };
  boresightAirmass?: number;
  boresightRotAngle?: number;
  observatory?: { longitude: number; latitude: number; elevation: number };
}

export interface FilterLabel {
  band?: string;
  physicalLabel?: string;
}

/** A VisitInfo with only times set (NaN dark time means unknown, as in afw). */
export function makeVisitInfo(exposureTime: number, darkTime = NaN, extra: Partial<VisitInfo> = {}): VisitInfo {
  if (!Number.isFinite(exposureTime) || exposureTime < 0) throw new Error(`VisitInfo: exposure time must be a finite number ≥ 0, got ${exposureTime}`);
  return { ...extra, exposureTime, darkTime };
}
