import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { FitsFile } from '../../../core/fits/fits-file.js';
import type { Header } from '../../../core/fits/header.js';
import { exposureRecord, oneToOneVisitRecord, findTranslator, getInstrument, instrumentForHeader, megaPrimeDetectorExposureId, MegaPrimeTranslator, registeredInstruments, registerInstrument, unregisterInstrument, type Instrument, type ObservationInfo } from '../../../core/instrument/index.js';

const PYTHON = '/usr/bin/python3';
const MEGACAM = resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'fits', 'megacam_cutout_806045o_ccd10.fits');

function cutoutHeader(): Header {
  const f = FitsFile.open(MEGACAM);
  try {
    return f.hdu(0).header;
  } finally {
    f.close();
  }
}

// Header cards of raw 1038843o ccd02 as listed in astro_metadata_translator's tests (fitsheader-megaprime.yaml).
const h1038843: Record<string, string | number | boolean> = {
  EXTNAME: 'ccd02', OBJECT: 'w2.+2+2', RUNID: '08BL05', CCDNAME: '8352-15-3', INHERIT: false, TIMESYS: 'UTC', OBSTYPE: 'OBJECT',
  EXPNUM: 1038843, OBSID: 1038843, EXPTIME: 615.037, EXPREQ: 615.0, DARKTIME: 615.0, INSTRUME: 'MegaPrime', FILTER: 'i.MP9702',
  TELESCOP: 'CFHT 3.6m', LATITUDE: 19.825252, LONGITUD: -155.468876, 'DATE-OBS': '2008-11-01', 'UTC-OBS': '14:33:32.40',
  'MJD-OBS': 54771.606625, UTCEND: '14:44:41.96', EQUINOX: 2000.0, RADECSYS: 'FK5', RA_DEG: 135.409417, DEC_DEG: -2.4,
  OBJRADEC: 'FK5', AIRMASS: 1.269, TELALT: 52.02, TELAZ: 122.34, TEMPERAT: 0.9, RELHUMID: 39.77, PRESSURE: 617.65,
};
const src = (cards: Record<string, unknown>) => ({ get: (k: string) => cards[k] });

interface AstropyTimes {
  begin: number[];
  end: number[];
  icrs: number[][];
}
let ref: AstropyTimes;

beforeAll(() => {
  // astropy: UTC → TAI ns since 1970-01-01 TAI (daf_butler's convention), and FK5 J2000 → ICRS.
  const script = `
import json
from astropy.time import Time
from astropy.coordinates import SkyCoord, FK5, ICRS
import astropy.units as u
epoch = Time("1970-01-01T00:00:00", scale="tai")
def ns(t):
    d = Time(t, scale="utc").tai - epoch
    return int(d.jd1 * 86400 * 10**9) + round(d.jd2 * 86400 * 1e9)
out = {"begin": [ns("2005-07-31T09:55:10.57"), ns("2008-11-01T14:33:32.40")],
       "end": [ns("2005-07-31T09:56:01.82"), ns("2008-11-01T14:44:41.96")], "icrs": []}
for ra, dec in [(280.557333, 0.156528), (135.409417, -2.4)]:
    c = SkyCoord(ra*u.deg, dec*u.deg, frame=FK5(equinox="J2000")).transform_to(ICRS())
    out["icrs"].append([c.ra.deg, c.dec.deg])
print(json.dumps(out))
`;
  try {
    ref = JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '') as AstropyTimes;
  } catch (err) {
    throw new Error(`astropy reference failed (install Debian python3-astropy: apt-get install python3-astropy): ${String(err)}`, { cause: err });
  }
});

describe('MegaPrime translator', () => {
  const t = new MegaPrimeTranslator();

  it('translates the full real header of 806045o ccd10', () => {
    const obs: ObservationInfo = t.translate(cutoutHeader(), 'megacam_cutout_806045o_ccd10.fits');
    expect(obs.instrument).toBe('MegaPrime');
    expect(obs.telescope).toBe('CFHT 3.6m');
    expect(obs.exposureId).toBe(806045);
    expect(obs.visitId).toBe(806045);
    expect(obs.observationId).toBe('806045');
    expect(obs.group).toBe('806045');
    expect(obs.dayObs).toBe(20050731);
    expect(obs.physicalFilter).toBe('g.MP9401');
    expect(obs.band).toBe('g');
    expect(obs.exposureTime).toBe(2.046);
    expect(obs.exposureTimeRequested).toBe(2);
    expect(obs.darkTime).toBe(2.0);
    expect(obs.observationType).toBe('science');
    expect(obs.observationReason).toBe('science');
    expect(obs.target).toBe('SA 110');
    expect(obs.scienceProgram).toBe('05AQ97');
    expect(obs.altAz).toEqual({ alt: 60.97, az: 229.96 });
    expect(obs.boresightAirmass).toBe(1.144);
    expect(obs.detectorName).toBe('ccd10');
    expect(obs.detectorNum).toBe(10);
    expect(obs.detectorSerial).toBe('8352-4-4');
    expect(obs.detectorExposureId).toBe(806045 * 36 + 10);
    expect(obs.location).toEqual({ longitude: -155.468876, latitude: 19.825252, elevation: 4215 });
    expect(obs.pressureHPa).toBe(618.5);
    // UTC-OBS is '9:55:10.57' (one-digit hour); times agree with astropy to the nanosecond rounding.
    expect(Number(obs.timespan.begin - BigInt(ref.begin[0]))).toBe(0);
    expect(Number(obs.timespan.end - BigInt(ref.end[0]))).toBe(0);
    expect(obs.datetimeBegin).toBe('2005-07-31T09:55:42.570000000 TAI');
    expect(obs.trackingRaDec?.frame).toBe('ICRS');
    expect(Math.abs((obs.trackingRaDec?.ra ?? 0) - ref.icrs[0][0])).toBeLessThan(1e-10);
    expect(Math.abs((obs.trackingRaDec?.dec ?? 0) - ref.icrs[0][1])).toBeLessThan(1e-10);
  });

  it('matches astro_metadata_translator on 1038843o ccd02', () => {
    const obs = t.translate(src(h1038843));
    expect(obs.detectorExposureId).toBe(37398350);
    expect(obs.detectorName).toBe('ccd02');
    expect(obs.detectorSerial).toBe('8352-15-3');
    expect(obs.exposureId).toBe(1038843);
    expect(obs.group).toBe('1038843');
    expect(obs.dayObs).toBe(20081101);
    expect(obs.exposureTime).toBe(615.037);
    expect(obs.darkTime).toBe(615.0);
    expect(obs.physicalFilter).toBe('i.MP9702');
    expect(obs.band).toBe('i');
    expect(obs.pressureHPa).toBe(617.65);
    expect(obs.relativeHumidity).toBe(39.77);
    expect(obs.temperatureC).toBe(0.9);
    expect(obs.scienceProgram).toBe('08BL05');
    expect(obs.target).toBe('w2.+2+2');
    expect(obs.boresightRotationAngle).toBe(0);
    expect(obs.boresightRotationCoord).toBe('sky');
    expect(Number(obs.timespan.begin - BigInt(ref.begin[1]))).toBe(0);
    expect(Number(obs.timespan.end - BigInt(ref.end[1]))).toBe(0);
    expect(Math.abs((obs.trackingRaDec?.ra ?? 0) - ref.icrs[1][0])).toBeLessThan(1e-10);
  });

  it('handles missing UTCEND, exposures across 0h UTC, calibration types and a primary header', () => {
    const noEnd = t.translate(src({ ...h1038843, UTCEND: undefined }));
    expect(noEnd.timespan.end - noEnd.timespan.begin).toBe(615_037_000_000n);
    const midnight = t.translate(src({ ...h1038843, 'UTC-OBS': '23:59:00.0', UTCEND: '00:09:15.0' }));
    expect(midnight.timespan.end - midnight.timespan.begin).toBe(615_000_000_000n);
    expect(midnight.dayObs).toBe(20081101);
    const bias = t.translate(src({ ...h1038843, OBSTYPE: 'BIAS' }));
    expect(bias.observationType).toBe('bias');
    expect(bias.observationReason).toBe('unknown');
    const iso = t.translate(src({ ...h1038843, 'UTC-OBS': undefined, UTCEND: undefined, 'DATE-OBS': '2008-11-01T14:33:32.40' }));
    expect(iso.timespan.begin).toBe(BigInt(ref.begin[1]));
    expect(() => t.translate(src({ ...h1038843, 'UTC-OBS': '25:61:00' }), 'bad.fits')).toThrow(/bad\.fits: DATE-OBS\/UTC-OBS give '2008-11-01T25:61:00', not a valid UTC time/);
    const primary = t.translate(src({ ...h1038843, EXTNAME: undefined }));
    expect(primary.detectorName).toBeUndefined();
    expect(primary.detectorExposureId).toBeUndefined();
  });

  it('builds exposure and visit records as obs_base does', () => {
    const obs = t.translate(src(h1038843));
    const e = exposureRecord(obs);
    expect(e).toMatchObject({
      instrument: 'MegaPrime', id: 1038843, obs_id: '1038843', physical_filter: 'i.MP9702', group: '1038843', day_obs: 20081101,
      exposure_time: 615.037, dark_time: 615, observation_type: 'science', observation_reason: 'science', seq_num: 1038843,
      seq_start: 1038843, seq_end: 1038843, target_name: 'w2.+2+2', science_program: '08BL05', sky_angle: 0, azimuth: 122.34,
      has_simulated: false, can_see_sky: true,
    });
    expect(e.zenith_angle).toBeCloseTo(90 - 52.02, 12);
    expect(e.tracking_ra).toBe(obs.trackingRaDec?.ra);
    expect(e.timespan).toBe(obs.timespan);
    const v = oneToOneVisitRecord(obs);
    expect(v).toMatchObject({ id: 1038843, name: '1038843', day_obs: 20081101, exposure_time: 615.037 });
    expect(exposureRecord(t.translate(src({ ...h1038843, OBSTYPE: 'BIAS' }))).can_see_sky).toBe(false);
  });

  it('keeps detector exposure ids unique in the 40-CCD era', () => {
    const ids = new Set<number>();
    for (const exp of [2463854, 2463855]) for (let d = 0; d < 40; d++) ids.add(megaPrimeDetectorExposureId(exp, d));
    expect(ids.size).toBe(80);
    expect(megaPrimeDetectorExposureId(1038843, 2)).toBe(37398350);
  });

  it('names the keyword when the header lacks or garbles one', () => {
    expect(() => t.translate(src({ ...h1038843, EXPNUM: undefined }), 'raw.fits[3]')).toThrow(/raw\.fits\[3\]: keyword EXPNUM is missing/);
    expect(() => t.translate(src({ ...h1038843, EXPTIME: 'long' }))).toThrow(/EXPTIME = "long" is not a number/);
    expect(() => t.translate(src({ ...h1038843, 'UTC-OBS': undefined, 'DATE-OBS': undefined }))).toThrow(/DATE-OBS with UTC-OBS/);
    expect(() => t.translate(src({ ...h1038843, INSTRUME: 'WIRCam' }))).toThrow(/INSTRUME='WIRCam' is not MegaPrime/);
  });
});

describe('Instrument registry and MegaPrime', () => {
  it('registers MegaPrime with its camera, filters, records and calibrations', () => {
    const mp = getInstrument('MegaPrime');
    expect(getInstrument('lsst.obs.cfht.MegaPrime')).toBe(mp);
    expect(mp.camera().detectors).toHaveLength(40);
    const names = mp.filters.map((f) => f.physicalFilter);
    for (const f of ['u.MP9301', 'g.MP9401', 'r.MP9601', 'i.MP9701', 'i.MP9702', 'z.MP9801', 'u.MP9302', 'g.MP9402', 'r.MP9602', 'i.MP9703', 'z.MP9901']) expect(names).toContain(f);
    const rec = mp.dimensionRecords();
    expect(rec.instrument).toMatchObject({ name: 'MegaPrime', detector_max: 40, class_name: 'lsst.obs.cfht.MegaPrime' });
    expect(rec.detectors[10]).toEqual({ instrument: 'MegaPrime', id: 10, full_name: 'ccd10', name_in_raft: 'ccd10', raft: null, purpose: 'SCIENCE' });
    expect(rec.physicalFilters.find((f) => f.name === 'z.MP9901')?.band).toBe('z');
    expect(mp.curatedCalibrations().find((c) => c.datasetType === 'camera')?.available).toBe(true);
    expect(instrumentForHeader(cutoutHeader())).toBe(mp);
  });

  it('plugs in another instrument without touching core, and explains unknown headers', () => {
    const fake: Instrument = {
      ...getInstrument('MegaPrime'),
      name: 'ToyCam',
      className: 'toy.ToyCam',
      camera: () => getInstrument('MegaPrime').camera(),
      curatedCalibrations: () => [],
      dimensionRecords: () => getInstrument('MegaPrime').dimensionRecords(),
      translator: { name: 'ToyCam', supportedInstrument: 'ToyCam', canTranslate: (h) => h.get('INSTRUME') === 'ToyCam', translate: () => { throw new Error('not needed'); } },
    };
    registerInstrument(fake);
    try {
      expect(registeredInstruments()).toEqual(['MegaPrime', 'ToyCam']);
      expect(findTranslator(src({ INSTRUME: 'ToyCam' })).name).toBe('ToyCam');
      expect(() => registerInstrument({ ...fake })).toThrow(/already registered/);
    } finally {
      unregisterInstrument('ToyCam');
    }
    expect(() => findTranslator(src({ INSTRUME: 'HSC' }), 'x.fits')).toThrow(/x\.fits: no registered instrument translates this header \(INSTRUME="HSC"; registered: MegaPrime\)/);
    expect(() => getInstrument('HSC')).toThrow(/unknown instrument 'HSC' \(registered: MegaPrime\)/);
  });
});
