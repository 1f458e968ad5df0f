// A seeded MegaPrime simulator: writes multi-extension raws the way CFHT's imsplice leaves them
// (one HDU per CCD, both amplifiers spliced, full MegaPrime header per extension with INHERIT = F,
// RICE-compressed .fits.fz), with overscan ramps, bias structure, dark current, hot pixels,
// flat-field response, sky, stars (saturated ones bleed along columns), cosmic rays and a TAN
// WCS from the camera model. `binning` (1, 2 or 4) mimics an on-chip binned readout (CCDBIN1/2),
// which keeps tests and the demo small; sections in the header describe the binned frame.
import { join } from 'node:path';
import type { Camera, Detector } from '../camera/geometry.js';
import { getDetector } from '../camera/geometry.js';
import { tangentOffset } from '../visits/cameraSky.js';
import { loadCamera } from '../camera/cameraData.js';
import { Header } from '../fits/header.js';
import { writeFits, type HduSpec } from '../fits/writer.js';
import { Box2I } from '../image/box.js';
import { SkyWcs } from '../wcs/skyWcs.js';
import { formatSection } from '../calib/ampGeometry.js';
import { DARK_CURRENT, detectorTruth, type DetectorTruth } from './cameraTruth.js';
import { SeededRandom } from './random.js';

export type SimObsType = 'BIAS' | 'DARK' | 'FLAT' | 'OBJECT';

export interface SimExposure {
  /** CFHT odometer (EXPNUM). */
  expnum: number;
  obstype: SimObsType;
  /** Physical filter in the beam (calibrations carry one too). */
  filter: string;
  /** Start, UTC ISO 'YYYY-MM-DDTHH:MM:SS[.sss]'. */
  startUtc: string;
  /** Seconds (0 for biases). */
  exptime: number;
  /** Telescope pointing (science and flats), degrees ICRS/FK5 J2000. */
  pointing?: { ra: number; dec: number };
  object?: string;
  runId?: string;
}

export interface SimulatorOptions {
  seed?: number;
  /** Detector ids to write (one HDU each, in this order). */
  detectors: readonly number[];
  /** On-chip binning: 1 (full frame 2112×4644), 2 or 4. */
  binning?: number;
  /** RICE-compress the HDUs (.fits.fz, as CFHT distributes raws); default true. */
  compress?: boolean;
  /** Seeing FWHM, arcsec. */
  seeing?: number;
}

export const SIM_PIXEL_SCALE = 0.185;
const PRESCAN = 32;
const MAUNA_KEA = { longitude: -155.468876, latitude: 19.825252 };
const SKY_RATE: Record<string, number> = { u: 1.5, g: 6, r: 12, i: 20, z: 25 };
const ZERO_POINT: Record<string, number> = { u: 25.2, g: 26.5, r: 26.2, i: 25.9, z: 24.9 };
/** Dome-flat illumination, e-/s per unbinned pixel. */
const FLAT_RATE: Record<string, number> = { u: 900, g: 4000, r: 5200, i: 5000, z: 3000 };
/** Serial-register full well in electrons: the ADC saturates before the pixels do. */
const FULL_WELL = 110_000;

/** CFHT's file name letter by type: o object, b bias, d dark, f flat. */
export function rawFileName(exp: SimExposure, compress = true): string {
  const letter = { BIAS: 'b', DARK: 'd', FLAT: 'f', OBJECT: 'o' }[exp.obstype];
  return `${exp.expnum}${letter}.fits${compress ? '.fz' : ''}`;
}

function bandOf(filter: string): string {
  return filter.split('.')[0].toLowerCase();
}

function checkBinning(binning: number): void {
  if (![1, 2, 4].includes(binning)) throw new Error(`binning must be 1, 2 or 4 (MegaCam frames divide evenly only by these), got ${binning}`);
}

/** Raw (binned) frame layout of one MegaCam CCD. */
export interface SimLayout {
  binning: number;
  rawWidth: number;
  rawHeight: number;
  prescan: number;
  ampWidth: number;
  dataHeight: number;
}

export function simLayout(detector: Detector, binning: number): SimLayout {
  checkBinning(binning);
  return {
    binning,
    rawWidth: detector.rawWidth / binning,
    rawHeight: detector.rawHeight / binning,
    prescan: PRESCAN / binning,
    ampWidth: detector.bbox.width / 2 / binning,
    dataHeight: detector.bbox.height / binning,
  };
}

// ---- sky geometry ---------------------------------------------------------------------------

/** TAN WCS cards of a detector's raw frame (binned, including the prescan columns). */
export function simulatedWcsCards(camera: Camera, detector: Detector, pointing: { ra: number; dec: number }, binning: number): Array<[string, number | string, string]> {
  const cx = (detector.bbox.width - 1) / 2;
  const cy = (detector.bbox.height - 1) / 2;
  const h = 50;
  const [x0, y0] = tangentOffset(camera, detector, cx, cy);
  const [xpx, ypx] = tangentOffset(camera, detector, cx + h, cy);
  const [xmx, ymx] = tangentOffset(camera, detector, cx - h, cy);
  const [xpy, ypy] = tangentOffset(camera, detector, cx, cy + h);
  const [xmy, ymy] = tangentOffset(camera, detector, cx, cy - h);
  const j = [[(xpx - xmx) / (2 * h), (xpy - xmy) / (2 * h)], [(ypx - ymx) / (2 * h), (ypy - ymy) / (2 * h)]];
  const det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
  // Unbinned trimmed pixel of the optical axis: centre − J⁻¹·offset(centre).
  const ax = cx - (j[1][1] * x0 - j[0][1] * y0) / det;
  const ay = cy - (-j[1][0] * x0 + j[0][0] * y0) / det;
  const bx = (ax + 0.5) / binning - 0.5 + PRESCAN / binning;
  const by = (ay + 0.5) / binning - 0.5;
  return [
    ['CTYPE1', 'RA---TAN', 'WCS projection'],
    ['CTYPE2', 'DEC--TAN', 'WCS projection'],
    ['CRVAL1', pointing.ra, 'WCS Ref value (RA in decimal degrees)'],
    ['CRVAL2', pointing.dec, 'WCS Ref value (DEC in decimal degrees)'],
    ['CRPIX1', bx + 1, 'WCS Coordinate reference pixel'],
    ['CRPIX2', by + 1, 'WCS Coordinate reference pixel'],
    ['CD1_1', j[0][0] * binning, 'WCS Coordinate scale matrix'],
    ['CD1_2', j[0][1] * binning, 'WCS Coordinate scale matrix'],
    ['CD2_1', j[1][0] * binning, 'WCS Coordinate scale matrix'],
    ['CD2_2', j[1][1] * binning, 'WCS Coordinate scale matrix'],
  ];
}

// ---- time and pointing -----------------------------------------------------------------------

function parseUtc(iso: string): Date {
  const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`simulated exposure start '${iso}' is not an ISO UTC time`);
  return d;
}

function hms(d: Date): string {
  const s = d.getUTCSeconds() + d.getUTCMilliseconds() / 1000;
  return `${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}:${s.toFixed(2).padStart(5, '0')}`;
}

function mjd(d: Date): number {
  return d.getTime() / 86_400_000 + 40587;
}

/** Altitude and azimuth (degrees, azimuth N through E) of RA/Dec at a UTC time from Mauna Kea. */
export function altAz(ra: number, dec: number, when: Date): { alt: number; az: number } {
  const d = Math.PI / 180;
  const jd = when.getTime() / 86_400_000 + 2440587.5;
  const gmst = 280.46061837 + 360.98564736629 * (jd - 2451545.0);
  const lst = (((gmst + MAUNA_KEA.longitude) % 360) + 360) % 360;
  const ha = (lst - ra) * d;
  const phi = MAUNA_KEA.latitude * d;
  const delta = dec * d;
  const sinAlt = Math.sin(phi) * Math.sin(delta) + Math.cos(phi) * Math.cos(delta) * Math.cos(ha);
  const alt = Math.asin(sinAlt);
  const az = Math.atan2(-Math.sin(ha) * Math.cos(delta), Math.sin(delta) * Math.cos(phi) - Math.cos(delta) * Math.sin(phi) * Math.cos(ha));
  return { alt: alt / d, az: (((az / d) % 360) + 360) % 360 };
}

/** Local sidereal time at Mauna Kea (degrees): fields at RA ≈ LST transit. */
export function localSiderealTime(when: Date): number {
  const jd = when.getTime() / 86_400_000 + 2440587.5;
  const gmst = 280.46061837 + 360.98564736629 * (jd - 2451545.0);
  return (((gmst + MAUNA_KEA.longitude) % 360) + 360) % 360;
}

// ---- headers -----------------------------------------------------------------------------------

function observationCards(h: Header, exp: SimExposure, start: Date): void {
  const end = new Date(start.getTime() + exp.exptime * 1000);
  const obstype = exp.obstype;
  h.set('INSTRUME', 'MegaPrime');
  h.set('TELESCOP', 'CFHT 3.6m', 'Hawaii Big Island, Mauna Kea');
  h.set('DETECTOR', 'MegaCam');
  h.set('FILENAME', rawFileName(exp, false).replace(/\.fits$/, ''), 'Base filename at acquisition');
  h.set('OBJECT', exp.object ?? (obstype === 'OBJECT' ? 'DEMO FIELD' : obstype.toLowerCase()));
  h.set('RUNID', exp.runId ?? '26AD99', 'CFHT run id (simulated)');
  h.set('TIMESYS', 'UTC', 'Time System for DATExxxx');
  h.set('OBSTYPE', obstype, 'Observation/ Exposure type');
  h.set('EXPTYPE', obstype, 'OBSTYPE is the new name for this');
  h.set('EXPNUM', exp.expnum, 'CFHT odometer number');
  h.set('OBSID', exp.expnum, 'CFHT odometer number');
  h.set('EXPTIME', exp.exptime, 'Measured integration time (seconds)');
  h.set('EXPREQ', exp.exptime, 'Requested integration time (seconds)');
  h.set('DARKTIME', obstype === 'BIAS' ? 0 : exp.exptime, 'Dark current time (seconds)');
  h.set('FILTER', exp.filter, 'Name of filter in position');
  h.set('DATE-OBS', start.toISOString().slice(0, 10), 'Date at start of observation (UTC)');
  h.set('UTC-OBS', hms(start), 'Time at start of observation (UTC)');
  h.set('MJD-OBS', Number(mjd(start).toFixed(7)), 'Modified Julian Date at start of obs.');
  h.set('DATEEND', end.toISOString().slice(0, 10), 'Date at end of observation (UTC)');
  h.set('UTCEND', hms(end), 'Time at end of observation (UTC)');
  h.set('LATITUDE', MAUNA_KEA.latitude, 'Latitude (degrees N)');
  h.set('LONGITUD', MAUNA_KEA.longitude, 'Longitude (degrees E)');
  const pointing = exp.pointing ?? { ra: localSiderealTime(start), dec: MAUNA_KEA.latitude };
  h.set('EQUINOX', 2000.0, 'Equinox of coordinates');
  h.set('RADECSYS', 'FK5', 'Coordinate system for equinox (FK4/FK5/GAPPT)');
  h.set('OBJRADEC', 'FK5', 'Coordinate system for equinox (FK4/FK5/GAPPT)');
  h.set('RA_DEG', Number(pointing.ra.toFixed(6)), 'Object right ascension in degrees');
  h.set('DEC_DEG', Number(pointing.dec.toFixed(6)), 'Object declination in degrees');
  const aa = altAz(pointing.ra, pointing.dec, start);
  h.set('AIRMASS', Number((1 / Math.sin((Math.max(aa.alt, 5) * Math.PI) / 180)).toFixed(3)), 'Airmass at start of observation');
  h.set('TELALT', Number(aa.alt.toFixed(2)), 'Telescope altitude at start of observation, deg');
  h.set('TELAZ', Number(aa.az.toFixed(2)), 'Telescope azimuth at start, deg, 0=N 90=E 270=W');
  h.set('TEMPERAT', 2.5, 'temp, air, weather tower deg C');
  h.set('RELHUMID', 12.0, 'relative humidity, weather tower %');
  h.set('PRESSURE', 615.0, 'barometric pressure, control room mb');
  h.set('SIMULATE', true, 'Written by the butler-desktop MegaPrime simulator');
}

function detectorCards(h: Header, detector: Detector, layout: SimLayout): void {
  const { binning: b, prescan: p, ampWidth: aw, dataHeight: dh, rawWidth: rw, rawHeight: rh } = layout;
  const box = (x0: number, y0: number, x1: number, y1: number) => formatSection(Box2I.fromCorners(x0, y0, x1, y1));
  h.set('EXTNAME', detector.name, 'CCD number in the mosaic');
  h.set('EXTVER', detector.id, 'Now matches the CCD number in the mosaic');
  h.set('INHERIT', false, 'No need to inherit global headers');
  h.set('CCDNAME', detector.serial, 'Name of the CCD (manufacturer reference)');
  h.set('CCDSUM', `${b} ${b}`, 'Binning factors');
  h.set('CCDBIN1', b, 'Binning factor along first axis');
  h.set('CCDBIN2', b, 'Binning factor along second axis');
  h.set('PIXSIZE1', 13.5 * b, 'Pixel size for axis 1 (microns)');
  h.set('PIXSIZE2', 13.5 * b, 'Pixel size for axis 2 (microns)');
  h.set('PIXSCAL1', SIM_PIXEL_SCALE * b, 'Pixel scale for axis 1 (arcsec/pixel)');
  h.set('PIXSCAL2', SIM_PIXEL_SCALE * b, 'Pixel scale for axis 2 (arcsec/pixel)');
  h.set('AMPLIST', 'A B', 'List of amplifiers for this CCD');
  h.set('CCDSIZE', box(0, 0, 2 * aw - 1, dh - 1), 'Detector imaging area size');
  h.set('DATASEC', box(p, 0, p + 2 * aw - 1, dh - 1), 'Imaging area of the entire CCD in raw frame');
  h.set('ASECA', box(0, 0, p + aw - 1, dh - 1), 'Section by A amplifier in raw frame');
  h.set('DSECA', box(p, 0, p + aw - 1, dh - 1), 'Image area of A amplifier in raw frame');
  h.set('TSECA', box(p, 0, p + aw - 1, dh - 1), 'Trim section of A amplifier = DSECA');
  h.set('BSECA', box(0, 0, p - 1, rh - 1), 'Overscan of A amplifier in raw frame');
  h.set('CSECA', box(0, 0, aw - 1, dh - 1), 'Section in full CCD after BSECA cut out');
  h.set('ASECB', box(p + aw, 0, rw - 1, dh - 1), 'Section by B amplifier in raw frame');
  h.set('DSECB', box(p + aw, 0, p + 2 * aw - 1, dh - 1), 'Image area of B amplifier in raw frame');
  h.set('TSECB', box(p + aw, 0, p + 2 * aw - 1, dh - 1), 'Trim section of B amplifier = DSECB');
  h.set('BSECB', box(p + 2 * aw, 0, rw - 1, rh - 1), 'Overscan of B amplifier in raw frame');
  h.set('CSECB', box(aw, 0, 2 * aw - 1, dh - 1), 'Section in full CCD after BSECB cut out');
  h.set('BIASSEC', '[0:0,0:0]', 'Dual amplifiers readout - see BSECA & BSECB');
  const [a, bAmp] = detector.amplifiers;
  h.set('SATURATE', 65535, 'Saturation value (ADU)');
  h.set('MAXLINA', 65535, 'Level at 1% linearity departure (ADU) A amp');
  h.set('MAXLINB', 65535, 'Level at 1% linearity departure (ADU) B amp');
  h.set('GAIN', Number(((a.gain + bAmp.gain) / 2).toFixed(4)), 'Converting gain (e-/ADU) = Average [A,B] amps');
  h.set('GAINA', a.gain, 'Converting gain of A amplifier (e-/ADU)');
  h.set('GAINB', bAmp.gain, 'Converting gain of B amplifier (e-/ADU)');
  h.set('RDNOISEA', a.readNoise, 'Read noise (electrons) A amplifier');
  h.set('RDNOISEB', bAmp.readNoise, 'Read noise (electrons) B amplifier');
}

// ---- pixels ------------------------------------------------------------------------------------

interface Star {
  ra: number;
  dec: number;
  mag: number;
}

/** A field's star catalogue (deterministic per seed and field centre), within `radius` degrees. */
export function fieldStars(seed: number, center: { ra: number; dec: number }, radius = 1.1): Star[] {
  const rng = SeededRandom.derive(seed, 0x57a5, Math.round(center.ra * 100), Math.round((center.dec + 90) * 100));
  const area = Math.PI * radius * radius;
  // N(<m) ∝ 10^(0.3 m): about 6000 stars per square degree down to m = 23.
  const count = Math.round(6000 * area);
  const stars: Star[] = [];
  const cosDec = Math.cos((center.dec * Math.PI) / 180);
  for (let i = 0; i < count; i++) {
    const r = radius * Math.sqrt(rng.uniform());
    const t = rng.range(0, 2 * Math.PI);
    const u = rng.uniform();
    const mag = 23 + Math.log10(u + 1e-6) / 0.3;
    stars.push({ ra: center.ra + (r * Math.cos(t)) / Math.max(cosDec, 0.05), dec: center.dec + r * Math.sin(t), mag: Math.max(mag, 9.5) });
  }
  // A few bright stars so every field shows saturation and bleed trails.
  for (let i = 0; i < Math.round(60 * area); i++) {
    const r = radius * Math.sqrt(rng.uniform());
    const t = rng.range(0, 2 * Math.PI);
    stars.push({ ra: center.ra + (r * Math.cos(t)) / Math.max(cosDec, 0.05), dec: center.dec + r * Math.sin(t), mag: rng.range(9.5, 12) });
  }
  return stars;
}

function addStars(signal: Float32Array, truth: DetectorTruth, wcs: SkyWcs, stars: readonly Star[], exp: SimExposure, layout: SimLayout, seeingArcsec: number): void {
  const { width: w, height: h } = truth;
  const band = bandOf(exp.filter);
  const zp = ZERO_POINT[band] ?? 26;
  const sigma = seeingArcsec / SIM_PIXEL_SCALE / 2.3548 / layout.binning;
  const radius = Math.ceil(5 * sigma);
  const bled: number[] = [];
  for (const s of stars) {
    const [rx, ry] = wcs.skyToPixel(s.ra, s.dec);
    const x = rx - layout.prescan;
    const y = ry;
    if (!(x > -radius && x < w + radius && y > -radius && y < h + radius)) continue;
    const flux = 10 ** (-0.4 * (s.mag - zp)) * exp.exptime;
    const x0 = Math.max(0, Math.floor(x - radius));
    const x1 = Math.min(w - 1, Math.ceil(x + radius));
    const y0 = Math.max(0, Math.floor(y - radius));
    const y1 = Math.min(h - 1, Math.ceil(y + radius));
    const norm = flux / (2 * Math.PI * sigma * sigma);
    for (let yy = y0; yy <= y1; yy++) {
      const dy = yy - y;
      for (let xx = x0; xx <= x1; xx++) {
        const dx = xx - x;
        const i = yy * w + xx;
        signal[i] += norm * Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) * truth.response[i];
      }
    }
    if (norm > FULL_WELL * 0.5) for (let xx = x0; xx <= x1; xx++) bled.push(xx);
  }
  // Bleed: charge above the full well spills up and down its column.
  for (const x of new Set(bled)) {
    let y = 0;
    while (y < h) {
      if (signal[y * w + x] <= FULL_WELL) {
        y++;
        continue;
      }
      let top = y;
      let excess = 0;
      while (top < h && signal[top * w + x] > FULL_WELL) {
        excess += signal[top * w + x] - FULL_WELL;
        signal[top * w + x] = FULL_WELL;
        top++;
      }
      let up = top;
      let down = y - 1;
      let half = excess / 2;
      while (half > 0 && up < h) {
        const room = FULL_WELL - signal[up * w + x];
        const put = Math.min(room, half);
        signal[up * w + x] += put;
        half -= put;
        up++;
      }
      half = excess / 2;
      while (half > 0 && down >= 0) {
        const room = FULL_WELL - signal[down * w + x];
        const put = Math.min(room, half);
        signal[down * w + x] += put;
        half -= put;
        down--;
      }
      y = up;
    }
  }
}

function addCosmicRays(signal: Float32Array, truth: DetectorTruth, seconds: number, rng: SeededRandom): void {
  const { width: w, height: h, binning: b } = truth;
  // About 4 events per cm² per minute at 4200 m; a MegaCam CCD is 17.2 cm².
  const count = rng.poisson((4 / 60) * 17.2 * seconds);
  for (let i = 0; i < count; i++) {
    let x = rng.range(0, w);
    let y = rng.range(0, h);
    const length = rng.exponential(5) / b + 1;
    const angle = rng.range(0, 2 * Math.PI);
    const deposit = rng.range(800, 4000);
    for (let s = 0; s < length; s++) {
      const xi = Math.floor(x);
      const yi = Math.floor(y);
      if (xi >= 0 && xi < w && yi >= 0 && yi < h) signal[yi * w + xi] += deposit;
      x += Math.cos(angle);
      y += Math.sin(angle);
    }
  }
}

/** The uint16 raw frame of one detector for one exposure. */
export function simulateDetectorFrame(exp: SimExposure, detector: Detector, options: { seed: number; binning: number; seeing: number; camera: Camera; wcs?: SkyWcs; stars?: readonly Star[] }): Uint16Array {
  const { seed, binning, camera } = options;
  const layout = simLayout(detector, binning);
  const truth = detectorTruth(seed, camera, detector, binning);
  const rng = SeededRandom.derive(seed, exp.expnum, detector.id);
  const { width: w, height: h } = truth;
  const px = binning * binning;
  const signal = new Float32Array(w * h);
  const darkTime = exp.obstype === 'BIAS' ? 0 : exp.exptime;

  if (exp.obstype !== 'BIAS') {
    const dark = DARK_CURRENT * px * darkTime;
    signal.fill(dark);
    for (const [i, rate] of truth.hotPixels) signal[i] += rate * darkTime;
  }
  if (exp.obstype === 'FLAT' || exp.obstype === 'OBJECT') {
    const band = bandOf(exp.filter);
    const rate = exp.obstype === 'FLAT' ? (FLAT_RATE[band] ?? 4000) : (SKY_RATE[band] ?? 10);
    const level = rate * px * exp.exptime * (exp.obstype === 'FLAT' ? 1 + 0.02 * rng.gaussian() : 1);
    for (let i = 0; i < signal.length; i++) signal[i] += level * truth.response[i];
  }
  if (exp.obstype === 'OBJECT' && options.wcs && options.stars) addStars(signal, truth, options.wcs, options.stars, exp, layout, options.seeing);
  // Shot noise (Gaussian approximation of Poisson), then cosmic rays (no shot noise needed on those).
  for (let i = 0; i < signal.length; i++) {
    const s = signal[i];
    if (s > 0) signal[i] = s + Math.sqrt(s) * rng.fastGaussian();
  }
  if (exp.obstype !== 'BIAS') addCosmicRays(signal, truth, exp.exptime + 30, rng);

  const raw = new Uint16Array(layout.rawWidth * layout.rawHeight);
  const amps = detector.amplifiers;
  for (let a = 0; a < 2; a++) {
    const amp = amps[a];
    const gain = amp.gain;
    const noise = amp.readNoise / gain;
    const base = 1000 + 180 * a + 17 * (detector.id % 7) + 4 * rng.gaussian();
    const dataX0 = layout.prescan + a * layout.ampWidth;
    const overscanX0 = a === 0 ? 0 : layout.prescan + 2 * layout.ampWidth;
    const overscanWidth = a === 0 ? layout.prescan : layout.rawWidth - overscanX0;
    for (let y = 0; y < layout.rawHeight; y++) {
      // The overscan ramp: the bias sags over the first few hundred rows of each readout.
      const level = base + 25 * Math.exp(-(y * binning) / 150);
      const row = y * layout.rawWidth;
      for (let x = overscanX0; x < overscanX0 + overscanWidth; x++) raw[row + x] = clampAdu(level + noise * rng.fastGaussian());
      const inData = y < layout.dataHeight;
      for (let x = 0; x < layout.ampWidth; x++) {
        const rx = dataX0 + x;
        if (!inData) {
          raw[row + rx] = clampAdu(level + noise * rng.fastGaussian());
          continue;
        }
        const ti = y * w + a * layout.ampWidth + x;
        raw[row + rx] = clampAdu(level + truth.biasStructure[ti] + Math.min(signal[ti], FULL_WELL) / gain + noise * rng.fastGaussian());
      }
    }
  }
  return raw;
}

function clampAdu(v: number): number {
  if (!(v > 0)) return 0;
  return v >= 65535 ? 65535 : Math.round(v);
}

/** Writes one simulated multi-extension raw into `dir`; returns its path. */
export function writeSimulatedRaw(dir: string, exp: SimExposure, options: SimulatorOptions): string {
  const seed = options.seed ?? 1;
  const binning = options.binning ?? 1;
  checkBinning(binning);
  const compress = options.compress ?? true;
  const camera = loadCamera('megaprime');
  const start = parseUtc(exp.startUtc);
  if (exp.obstype === 'OBJECT' && !exp.pointing) throw new Error(`simulated science exposure ${exp.expnum} needs a pointing`);
  const primary = new Header();
  primary.set('EXTEND', true);
  primary.set('NEXTEND', options.detectors.length, 'Number of extensions');
  observationCards(primary, exp, start);
  const specs: HduSpec[] = [{ type: 'image', header: primary }];
  const stars = exp.obstype === 'OBJECT' && exp.pointing ? fieldStars(seed, exp.pointing) : undefined;
  for (const id of options.detectors) {
    const detector = getDetector(camera, id);
    const layout = simLayout(detector, binning);
    const h = new Header();
    observationCards(h, exp, start);
    detectorCards(h, detector, layout);
    let wcs: SkyWcs | undefined;
    if (exp.pointing) {
      for (const [k, v, c] of simulatedWcsCards(camera, detector, exp.pointing, binning)) h.set(k, v, c);
      wcs = SkyWcs.fromHeader(h, { where: `simulated ${detector.name}` });
    }
    const data = simulateDetectorFrame(exp, detector, { seed, binning, seeing: options.seeing ?? 0.8, camera, wcs, stars });
    const axes = [layout.rawWidth, layout.rawHeight];
    specs.push(compress ? { type: 'compressed-image', header: h, data, axes, compression: { type: 'RICE_1' } } : { type: 'image', header: h, data, axes });
  }
  const path = join(dir, rawFileName(exp, compress));
  writeFits(path, specs);
  return path;
}
