// Metadata translation (after astro_metadata_translator): one header → the standard observation
// properties the registry's exposure/visit records and the Exposure's VisitInfo are built from.
import { formatTime, Timespan } from '../time/index.js';

/** The least a header must offer: a keyword's value, undefined when absent. */
export interface HeaderLike {
  get(keyword: string): unknown;
}

export interface ObservationInfo {
  instrument: string;
  telescope?: string;
  /** Exposure id (the instrument's odometer, e.g. MegaPrime EXPNUM). */
  exposureId: number;
  visitId: number;
  observationId: string;
  /** Observing day as YYYYMMDD, with the observatory's day rollover applied. */
  dayObs: number;
  /** Sequence number within the day (MegaPrime: the exposure id, a lifetime counter). */
  seqNum: number;
  group: string;
  physicalFilter: string;
  band?: string;
  /** Seconds. */
  exposureTime: number;
  exposureTimeRequested?: number;
  darkTime: number;
  /** Normalised observation type: science, bias, dark, flat, ... */
  observationType: string;
  observationReason: string;
  target?: string;
  scienceProgram?: string;
  /** Tracking position in degrees and the frame the header gives it in. */
  trackingRaDec?: { ra: number; dec: number; frame: string; equinox?: number };
  /** Telescope altitude/azimuth at the start, degrees. */
  altAz?: { alt: number; az: number };
  boresightAirmass?: number;
  boresightRotationAngle?: number;
  boresightRotationCoord?: string;
  /** [begin, end) in TAI nanoseconds since 1970-01-01 TAI (daf_butler's convention). */
  timespan: Timespan;
  datetimeBegin: string;
  datetimeEnd: string;
  detectorName?: string;
  detectorNum?: number;
  detectorSerial?: string;
  detectorExposureId?: number;
  location?: { longitude: number; latitude: number; elevation: number };
  pressureHPa?: number;
  relativeHumidity?: number;
  temperatureC?: number;
  hasSimulatedContent: boolean;
}

export interface MetadataTranslator {
  /** Translator name, e.g. 'MegaPrime'. */
  readonly name: string;
  /** Instrument it serves. */
  readonly supportedInstrument: string;
  /** Whether this translator understands the header (usually by INSTRUME). */
  canTranslate(header: HeaderLike): boolean;
  /** Translates; errors name the source and the keyword that is missing or bad. */
  translate(header: HeaderLike, source?: string): ObservationInfo;
}

/** TAI ns to an ISO string in TAI (for display and VisitInfo). */
export function taiIso(ns: bigint): string {
  return formatTime(ns, { scale: 'tai', precision: 9 }) + ' TAI';
}

/** Helpers shared by translators: typed header access with errors that name the keyword. */
export class HeaderReader {
  constructor(
    readonly header: HeaderLike,
    readonly source: string,
  ) {}

  has(key: string): boolean {
    const v = this.header.get(key);
    return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
  }

  string(key: string): string {
    const v = this.header.get(key);
    if (v === undefined || v === null) throw new Error(`${this.source}: keyword ${key} is missing`);
    return String(v).trim();
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  number(key: string): number {
    const v = this.header.get(key);
    if (v === undefined || v === null) throw new Error(`${this.source}: keyword ${key} is missing`);
    const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v.trim()) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${this.source}: keyword ${key} = ${JSON.stringify(v)} is not a number`);
    return n;
  }

  optionalNumber(key: string): number | undefined {
    return this.has(key) ? this.number(key) : undefined;
  }

  integer(key: string): number {
    const n = this.number(key);
    if (!Number.isInteger(n)) throw new Error(`${this.source}: keyword ${key} = ${n} is not an integer`);
    return n;
  }

  /** The first of several keywords present (e.g. RELHUMID or HUMIDITY). */
  firstNumber(keys: string[]): number | undefined {
    for (const k of keys) if (this.has(k)) return this.number(k);
    return undefined;
  }
}
