// MegaPrime (CFHT MegaCam) header translation, with astro_metadata_translator's rules: EXPNUM is
// the exposure and visit id, the observing day rolls over at 0h UTC (14h in Hawaii), OBJECT
// observations are "science", detector_exposure_id = EXPNUM·36 + detector.
import { Timespan, utcIsoToTaiNs } from '../../time/index.js';
import { fk5J2000ToIcrs } from '../frames.js';
import { HeaderReader, taiIso, type HeaderLike, type MetadataTranslator, type ObservationInfo } from '../translator.js';
import { MEGAPRIME_FILTERS } from './filters.js';

/** obs_cfht registers 36 detectors; ids for ccd36–39 (40-CCD era) go above 36·2³¹ so they stay unique. */
export const MEGAPRIME_DETECTOR_STRIDE = 36;
export const MEGAPRIME_EXPOSURE_MAX = 2 ** 31;

/** Mauna Kea height used by astro_metadata_translator when the header has none, metres. */
const CFHT_ELEVATION = 4215.0;

/** "9:55:10.57" → "09:55:10.57" (CFHT writes single-digit hours). */
function padTime(t: string): string {
  const m = /^(\d{1,2}):(\d{1,2}):(\d{1,2}(?:\.\d*)?)$/.exec(t.trim());
  if (!m) return t.trim();
  return `${m[1].padStart(2, '0')}:${m[2].padStart(2, '0')}:${m[3].split('.')[0].padStart(2, '0')}${m[3].includes('.') ? '.' + m[3].split('.')[1] : ''}`;
}

export function megaPrimeDetectorExposureId(exposureId: number, detector: number): number {
  if (detector < MEGAPRIME_DETECTOR_STRIDE) return exposureId * MEGAPRIME_DETECTOR_STRIDE + detector;
  return MEGAPRIME_DETECTOR_STRIDE * MEGAPRIME_EXPOSURE_MAX + exposureId * 4 + (detector - MEGAPRIME_DETECTOR_STRIDE);
}

export class MegaPrimeTranslator implements MetadataTranslator {
  readonly name = 'MegaPrime';
  readonly supportedInstrument = 'MegaPrime';

  canTranslate(header: HeaderLike): boolean {
    const v = header.get('INSTRUME');
    return typeof v === 'string' && v.trim() === 'MegaPrime';
  }

  translate(header: HeaderLike, source = 'header'): ObservationInfo {
    const h = new HeaderReader(header, source);
    const instrument = h.optionalString('INSTRUME');
    if (instrument !== undefined && instrument !== 'MegaPrime') throw new Error(`${source}: INSTRUME='${instrument}' is not MegaPrime`);
    const exposureId = h.integer('EXPNUM');
    const { beginNs, endNs, beginIso } = this.times(h);
    const dayObs = Number(beginIso.slice(0, 10).replace(/-/g, ''));
    const physicalFilter = h.string('FILTER');
    const band = MEGAPRIME_FILTERS.find((f) => f.physicalFilter === physicalFilter)?.band;
    const obstype = h.string('OBSTYPE').toLowerCase();
    const observationType = obstype === 'object' ? 'science' : obstype;

    const info: ObservationInfo = {
      instrument: 'MegaPrime',
      telescope: h.optionalString('TELESCOP'),
      exposureId,
      visitId: exposureId,
      observationId: h.has('OBSID') ? h.string('OBSID') : String(exposureId),
      dayObs,
      seqNum: exposureId,
      group: String(exposureId),
      physicalFilter,
      ...(band ? { band } : {}),
      exposureTime: h.number('EXPTIME'),
      exposureTimeRequested: h.optionalNumber('EXPREQ'),
      darkTime: h.number('DARKTIME'),
      observationType,
      observationReason: observationType === 'science' ? 'science' : 'unknown',
      target: h.optionalString('OBJECT'),
      scienceProgram: h.optionalString('RUNID'),
      boresightAirmass: h.firstNumber(['AIRMASS', 'BORE-AIRMASS']),
      // MegaCam has no rotator: +Y = N, +X = W is defined as 0°.
      boresightRotationAngle: 0,
      boresightRotationCoord: 'sky',
      timespan: Timespan.of(beginNs, endNs),
      datetimeBegin: taiIso(beginNs),
      datetimeEnd: taiIso(endNs),
      hasSimulatedContent: false,
    };

    const tracking = this.tracking(h);
    if (tracking) info.trackingRaDec = tracking;
    for (const [altKey, azKey] of [['TELALT', 'TELAZ'], ['BORE-ALT', 'BORE-AZ']]) {
      if (h.has(altKey) && h.has(azKey)) {
        info.altAz = { alt: h.number(altKey), az: h.number(azKey) };
        break;
      }
    }
    for (const [lonKey, latKey] of [['LONGITUD', 'LATITUDE'], ['OBS-LONG', 'OBS-LAT']]) {
      if (h.has(lonKey) && h.has(latKey)) {
        info.location = { longitude: h.number(lonKey), latitude: h.number(latKey), elevation: CFHT_ELEVATION };
        break;
      }
    }
    if (h.has('PRESSURE')) info.pressureHPa = h.number('PRESSURE');
    else if (h.has('AIRPRESS')) info.pressureHPa = h.number('AIRPRESS') / 100;
    const humidity = h.firstNumber(['RELHUMID', 'HUMIDITY']);
    if (humidity !== undefined) info.relativeHumidity = humidity;
    const temperature = h.firstNumber(['TEMPERAT', 'AIRTEMP']);
    if (temperature !== undefined) info.temperatureC = temperature;

    const extname = h.optionalString('EXTNAME');
    if (extname && /^ccd\d+$/.test(extname)) {
      const num = Number(extname.slice(3));
      info.detectorName = extname;
      info.detectorNum = num;
      info.detectorExposureId = megaPrimeDetectorExposureId(exposureId, num);
    }
    const serial = h.optionalString('CCDNAME');
    if (serial) info.detectorSerial = serial;
    return info;
  }

  /** Begin from DATE-OBS + UTC-OBS (UTC); end from UTCEND, or begin + EXPTIME. */
  private times(h: HeaderReader): { beginNs: bigint; endNs: bigint; beginIso: string } {
    let beginIso: string;
    if (h.has('DATE-OBS') && h.has('UTC-OBS')) {
      beginIso = `${h.string('DATE-OBS').slice(0, 10)}T${padTime(h.string('UTC-OBS'))}`;
    } else if (h.has('DATE-OBS') && h.string('DATE-OBS').includes('T')) {
      beginIso = h.string('DATE-OBS');
    } else {
      throw new Error(`${h.source}: cannot tell when the exposure began: needs DATE-OBS with UTC-OBS (or DATE-OBS with a time)`);
    }
    let beginNs: bigint;
    try {
      beginNs = utcIsoToTaiNs(beginIso);
    } catch (err) {
      throw new Error(`${h.source}: DATE-OBS/UTC-OBS give '${beginIso}', not a valid UTC time: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    let endNs: bigint;
    if (h.has('UTCEND') && h.has('DATE-OBS')) {
      endNs = utcIsoToTaiNs(`${beginIso.slice(0, 10)}T${padTime(h.string('UTCEND'))}`);
      // An exposure running across 0h UTC ends on the next day (the header keeps the start date).
      if (endNs < beginNs) endNs += 86_400_000_000_000n;
    } else {
      endNs = beginNs + BigInt(Math.round(h.number('EXPTIME') * 1e9));
    }
    return { beginNs, endNs, beginIso };
  }

  /** RA_DEG/DEC_DEG (or BORE-RA/BORE-DEC) in the header's frame, FK5 J2000 converted to ICRS as astropy does. */
  private tracking(h: HeaderReader): ObservationInfo['trackingRaDec'] {
    let frame: string | undefined;
    for (const k of ['RADECSYS', 'OBJRADEC', 'RADESYS']) {
      if (h.has(k)) {
        frame = h.string(k).toUpperCase();
        break;
      }
    }
    if (!frame) return undefined;
    for (const [raKey, decKey] of [['RA_DEG', 'DEC_DEG'], ['BORE-RA', 'BORE-DEC']]) {
      if (!h.has(raKey) || !h.has(decKey)) continue;
      const ra = h.number(raKey);
      const dec = h.number(decKey);
      const equinox = h.optionalNumber('EQUINOX');
      if (frame === 'ICRS') return { ra, dec, frame: 'ICRS' };
      if (frame === 'FK5' && (equinox === undefined || equinox === 2000)) return { ...fk5J2000ToIcrs(ra, dec), frame: 'ICRS' };
      // Apparent (GAPPT) or other equinoxes: keep the header's values and say which frame they are in.
      return { ra, dec, frame, ...(equinox !== undefined ? { equinox } : {}) };
    }
    return undefined;
  }
}
