// Exposure ↔ FITS in afw's layout: an empty primary HDU with the metadata and visit info, then
// IMAGE, MASK and VARIANCE image HDUs (EXTNAME/EXTTYPE, INHERIT = T, the WCS moved to the file's
// pixel grid, LTV1/LTV2 = −xy0 and the 'A' WCS giving parent coordinates, MP_* on the mask), and a
// DETECTOR table holding the detector as JSON. Each component reads alone: only the headers are
// scanned and only the HDU (and, with a bbox, the rows) it needs are read.
import { FitsFile, type HduInfo } from '../../fits/fits-file.js';
import { Header } from '../../fits/header.js';
import { physicalTypeOf, scalingOf } from '../../fits/pixels.js';
import { writeFits, type HduSpec } from '../../fits/writer.js';
import { loadCamera, shippedCameras } from '../../camera/cameraData.js';
import { detectorFromJson, detectorToJson } from '../../camera/detectorJson.js';
import type { Detector } from '../../camera/geometry.js';
import { Box2I } from '../../image/box.js';
import { Exposure } from '../../image/exposure.js';
import { Image } from '../../image/image.js';
import { Mask } from '../../image/mask.js';
import { MaskPlaneDict } from '../../image/maskPlanes.js';
import { MaskedImage } from '../../image/maskedImage.js';
import type { FilterLabel, VisitInfo } from '../../image/visitInfo.js';
import { hasWcs } from '../../wcs/headerWcs.js';
import { SkyWcs } from '../../wcs/skyWcs.js';
import { isWcsKeyword, wcsToCards } from '../../wcs/wcsCards.js';
import { takeFloat32Buffer, takeInt32Buffer } from './planeBuffers.js';

export const EXPOSURE_COMPONENTS = ['image', 'mask', 'variance', 'metadata', 'wcs', 'visitInfo', 'detector', 'filter', 'bbox', 'id'] as const;
export type ExposureComponent = (typeof EXPOSURE_COMPONENTS)[number];

export interface ExposureReadOptions {
  /** Parent-coordinate sub-region to read (only its rows are read). */
  bbox?: Box2I;
}

const STRUCTURAL = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|BZERO|BSCALE|BLANK|EXTNAME|EXTTYPE|EXTVER|INHERIT|CHECKSUM|DATASUM|END|ZIMAGE|ZBITPIX|ZNAXIS\d*|ZTILE\d*|ZCMPTYPE|ZNAME\d*|ZVAL\d*|ZQUANTIZ|ZDITHER0|ZSIMPLE|ZTENSION|ZEXTEND|ZPCOUNT|ZGCOUNT|ZHECKSUM|ZDATASUM|TTYPE\d+|TFORM\d+|TFIELDS|THEAP)$/;
// afw's VisitInfo keywords (stripVisitInfoKeywords) plus the extra ones we write.
const VISIT_KEYS = ['EXPID', 'EXPTIME', 'DARKTIME', 'DATE-AVG', 'TIMESYS', 'TIME-MID', 'MJD-AVG-UT1', 'AVG-ERA', 'BORE-RA', 'BORE-DEC', 'BORE-AZ', 'BORE-ALT', 'BORE-AIRMASS', 'BORE-ROTANG', 'ROTTYPE', 'OBS-LONG', 'OBS-LAT', 'OBS-ELEV', 'AIRTEMP', 'AIRPRESS', 'HUMIDITY', 'INSTRUMENT', 'OBSTYPE', 'PROGRAM', 'OBJECT'];
const XY0_KEYS = /^(LTV[12]|LTM\d_\d|CTYPE[12]A|CRPIX[12]A|CRVAL[12]A|CUNIT[12]A|CD[12]_[12]A|CDELT[12]A)$/;

function copyCards(target: Header, source: Header | undefined, keep: (key: string) => boolean): void {
  if (!source) return;
  for (const card of source.cards) if (card.kind === 'commentary' || keep(card.keyword)) target.insert({ ...card });
}

function visitInfoCards(h: Header, v: VisitInfo): void {
  if (v.id !== undefined) h.set('EXPID', v.id, 'exposure id');
  if (Number.isFinite(v.exposureTime)) h.set('EXPTIME', v.exposureTime, 'Exposure time (sec)', { float: true });
  if (Number.isFinite(v.darkTime)) h.set('DARKTIME', v.darkTime, 'Time from CCD flush to readout (sec)', { float: true });
  if (v.date) {
    h.set('DATE-AVG', v.date.replace(/ TAI$/, ''), 'TAI date at middle of observation');
    h.set('TIMESYS', 'TAI');
  }
  if (v.boresightRaDec) {
    h.set('BORE-RA', v.boresightRaDec.ra, '[deg] Telescope boresight RA at middle of obs', { float: true });
    h.set('BORE-DEC', v.boresightRaDec.dec, '[deg] Telescope boresight Dec at middle of obs', { float: true });
  }
  if (v.boresightAzAlt) {
    h.set('BORE-AZ', v.boresightAzAlt.az, '[deg] Telescope boresight azimuth', { float: true });
    h.set('BORE-ALT', v.boresightAzAlt.alt, '[deg] Telescope boresight altitude', { float: true });
  }
  if (v.boresightAirmass !== undefined) h.set('BORE-AIRMASS', v.boresightAirmass, 'Airmass at boresight', { float: true });
  if (v.boresightRotAngle !== undefined) h.set('BORE-ROTANG', v.boresightRotAngle, '[deg] Rotation angle at boresight', { float: true });
  if (v.observatory) {
    h.set('OBS-LONG', v.observatory.longitude, '[deg] East longitude of observatory', { float: true });
    h.set('OBS-LAT', v.observatory.latitude, '[deg] Latitude of observatory', { float: true });
    h.set('OBS-ELEV', v.observatory.elevation, '[m] Elevation of observatory', { float: true });
  }
  if (v.instrumentLabel) h.set('INSTRUMENT', v.instrumentLabel, 'Instrument');
  if (v.observationType) h.set('OBSTYPE', v.observationType, 'Observation type');
  if (v.scienceProgram) h.set('PROGRAM', v.scienceProgram, 'Science program');
  if (v.object) h.set('OBJECT', v.object, 'Observation target');
}

/** VisitInfo from afw's keywords; undefined when the header has none. */
export function visitInfoFromHeader(h: Header): VisitInfo | undefined {
  if (!h.has('EXPTIME') && !h.has('DARKTIME') && !h.has('DATE-AVG')) return undefined;
  const n = (k: string) => h.getNumber(k);
  const v: VisitInfo = { exposureTime: n('EXPTIME') ?? NaN, darkTime: n('DARKTIME') ?? NaN };
  if (h.has('EXPID')) v.id = n('EXPID');
  const date = h.getString('DATE-AVG');
  if (date) v.date = `${date} ${h.getString('TIMESYS') ?? 'TAI'}`;
  if (h.has('BORE-RA') && h.has('BORE-DEC')) v.boresightRaDec = { ra: n('BORE-RA') ?? NaN, dec: n('BORE-DEC') ?? NaN };
  if (h.has('BORE-AZ') && h.has('BORE-ALT')) v.boresightAzAlt = { az: n('BORE-AZ') ?? NaN, alt: n('BORE-ALT') ?? NaN };
  if (h.has('BORE-AIRMASS')) v.boresightAirmass = n('BORE-AIRMASS');
  if (h.has('BORE-ROTANG')) v.boresightRotAngle = n('BORE-ROTANG');
  if (h.has('OBS-LONG') && h.has('OBS-LAT')) v.observatory = { longitude: n('OBS-LONG') ?? NaN, latitude: n('OBS-LAT') ?? NaN, elevation: n('OBS-ELEV') ?? NaN };
  const s = (k: string) => h.getString(k);
  if (s('INSTRUMENT')) v.instrumentLabel = s('INSTRUMENT');
  if (s('OBSTYPE')) v.observationType = s('OBSTYPE');
  if (s('PROGRAM')) v.scienceProgram = s('PROGRAM');
  if (s('OBJECT')) v.object = s('OBJECT');
  return v;
}

function planeHeader(extname: 'IMAGE' | 'MASK' | 'VARIANCE', exposure: Exposure): Header {
  const h = new Header();
  h.set('EXTTYPE', extname, 'Exposure plane');
  h.set('EXTNAME', extname, 'Exposure plane');
  h.set('INHERIT', true, 'Inherit the primary header');
  const { x0, y0 } = exposure;
  if (exposure.wcs) {
    // The file's pixel (i, j) is parent (i + x0, j + y0); the SkyWcs's pixel 0 is parent wcs.x0.
    for (const [k, v, c] of wcsToCards(exposure.wcs.params, { dx: x0 - exposure.wcs.x0, dy: y0 - exposure.wcs.y0 })) h.set(k, v, c, { float: typeof v === 'number' && !k.endsWith('ORDER') });
  }
  h.set('LTV1', -x0, 'Image offset to parent (-x0)');
  h.set('LTV2', -y0, 'Image offset to parent (-y0)');
  h.set('CRPIX1A', 1, 'Parent coordinates (afw xy0)');
  h.set('CRPIX2A', 1);
  h.set('CRVAL1A', x0);
  h.set('CRVAL2A', y0);
  h.set('CTYPE1A', 'LINEAR');
  h.set('CTYPE2A', 'LINEAR');
  h.set('CUNIT1A', 'PIXEL');
  h.set('CUNIT2A', 'PIXEL');
  if (extname === 'MASK') for (const [k, bit] of exposure.mask.planes.toHeaderEntries()) h.set(k, bit);
  return h;
}

/**
 * Writes an Exposure atomically in afw's FITS layout (temporary file + rename). `fsync` (default
 * true) flushes the file before the rename; a caller that owns durability itself (the datastore
 * staging a file it publishes later) turns it off.
 */
export function writeExposureFits(path: string, exposure: Exposure, options: { checksum?: boolean; fsync?: boolean } = {}): void {
  const primary = new Header();
  // Visit-info and detector/filter cards are overwritten below from the exposure's own values; a WCS
  // in the metadata moves to the image planes when the exposure has one, else it stays (nothing lost).
  const hasWcsObject = exposure.wcs !== undefined;
  copyCards(primary, exposure.metadata, (k) => !STRUCTURAL.test(k) && !(hasWcsObject && isWcsKeyword(k)) && !XY0_KEYS.test(k) && !k.startsWith('MP_'));
  if (exposure.visitInfo) visitInfoCards(primary, exposure.visitInfo);
  if (exposure.filter?.physicalLabel) primary.set('FILTER', exposure.filter.physicalLabel, 'Physical filter');
  if (exposure.filter?.band) primary.set('BAND', exposure.filter.band, 'Band');
  if (exposure.detector) {
    primary.set('DETNAME', exposure.detector.name, 'Detector name');
    primary.set('DETSER', exposure.detector.serial, 'Detector serial');
    primary.set('DETID', exposure.detector.id, 'Detector id');
  }
  if (exposure.id !== undefined) primary.set('EXPOSURE_ID', exposure.id, 'Exposure id');
  const { width, height } = exposure;
  const specs: HduSpec[] = [
    { type: 'image', header: primary },
    { type: 'image', header: planeHeader('IMAGE', exposure), data: exposure.image.pixels(), axes: [width, height] },
    { type: 'image', header: planeHeader('MASK', exposure), data: exposure.mask.pixels(), axes: [width, height] },
    { type: 'image', header: planeHeader('VARIANCE', exposure), data: exposure.variance.pixels(), axes: [width, height] },
  ];
  if (exposure.detector) {
    const json = JSON.stringify(detectorToJson(exposure.detector));
    const th = new Header();
    th.set('EXTNAME', 'DETECTOR', 'Detector geometry (JSON)');
    specs.push({ type: 'bintable', header: th, columns: [{ name: 'DETECTOR_JSON', format: `${json.length}A`, data: [json] }] });
  }
  writeFits(path, specs, { checksum: options.checksum ?? false, fsync: options.fsync ?? true });
}

/** Reads an afw-layout Exposure file, or its components one at a time. */
export class ExposureFitsReader {
  private readonly file: FitsFile;

  constructor(readonly path: string) {
    this.file = FitsFile.open(path);
  }

  close(): void {
    this.file.close();
  }

  private plane(name: 'IMAGE' | 'MASK' | 'VARIANCE'): HduInfo {
    const byName = this.file.hdus.find((h) => h.name.toUpperCase() === name);
    if (byName) return byName;
    // Files without EXTNAMEs: afw's fixed order (1 image, 2 mask, 3 variance).
    const index = { IMAGE: 1, MASK: 2, VARIANCE: 3 }[name];
    const h = this.file.hdus[index];
    if (!h || (h.kind !== 'image' && h.kind !== 'compressed-image')) {
      throw new Error(`${this.path}: no ${name} HDU (HDUs: ${this.file.hdus.map((x) => `${x.index}:${x.name}`).join(', ')})`);
    }
    return h;
  }

  private planeHeader(name: 'IMAGE' | 'MASK' | 'VARIANCE'): Header {
    const h = this.plane(name);
    return h.kind === 'compressed-image' ? this.file.imageHeader(h.index) : h.header;
  }

  /** Parent bbox of the exposure (NAXIS and LTV / 'A' WCS), from the IMAGE header alone. */
  readBBox(): Box2I {
    const h = this.plane('IMAGE');
    const header = this.planeHeader('IMAGE');
    const [w, hgt] = [h.axes[0] ?? 0, h.axes[1] ?? 0];
    const x0 = header.getNumber('CRVAL1A') ?? -(header.getNumber('LTV1') ?? 0);
    const y0 = header.getNumber('CRVAL2A') ?? -(header.getNumber('LTV2') ?? 0);
    return new Box2I(x0, y0, w, hgt);
  }

  /** The region to read in file pixels for a parent bbox. */
  private region(bbox: Box2I | undefined): { region?: { x: number; y: number; width: number; height: number }; box: Box2I } {
    const full = this.readBBox();
    if (!bbox) return { box: full };
    if (!full.containsBox(bbox) || bbox.isEmpty()) throw new Error(`${this.path}: bbox ${bbox.toString()} is not inside the exposure ${full.toString()}`);
    return { region: { x: bbox.minX - full.minX, y: bbox.minY - full.minY, width: bbox.width, height: bbox.height }, box: bbox };
  }

  readImage(options: ExposureReadOptions = {}): Image<Float32Array> {
    return this.readFloatPlane('IMAGE', options);
  }

  readVariance(options: ExposureReadOptions = {}): Image<Float32Array> {
    return this.readFloatPlane('VARIANCE', options);
  }

  private readFloatPlane(name: 'IMAGE' | 'VARIANCE', options: ExposureReadOptions): Image<Float32Array> {
    const { region, box } = this.region(options.bbox);
    const h = this.plane(name);
    // A whole plane goes into a released buffer of its size when there is one (planeBuffers.ts).
    const into = region || h.kind !== 'image' ? undefined : takeFloat32Buffer(box.width * box.height);
    const data = this.file.readImageFloat32(h.index, region ? { region } : into ? { into } : {});
    return new Image(data.data, box.width, box.height, { x0: box.minX, y0: box.minY });
  }

  /**
   * A whole int32 MASK plane (uncompressed or tile-compressed, unscaled) read straight into a
   * released buffer, or undefined when there is none of its size (then a new array is read).
   */
  private readMaskInto(h: HduInfo, length: number): Int32Array | undefined {
    if (h.truncated) return undefined;
    const scaling = scalingOf(this.file.imageHeader(h.index), h.bitpix);
    if (physicalTypeOf(scaling) !== 'int32') return undefined;
    const out = takeInt32Buffer(length);
    if (!out) return undefined;
    return this.file.readImage(h.index, { into: out }).data as Int32Array;
  }

  readMask(options: ExposureReadOptions = {}): Mask {
    const { region, box } = this.region(options.bbox);
    const h = this.plane('MASK');
    const header = this.planeHeader('MASK');
    const recycled = region ? undefined : this.readMaskInto(h, box.width * box.height);
    const data = recycled ?? this.file.readImage(h.index, region ? { region } : {}).data;
    const pixels = data instanceof Int32Array ? data : Int32Array.from(data as ArrayLike<number>);
    const entries = header.cards.map((c) => [c.keyword, c.value] as const);
    const planes = MaskPlaneDict.fromHeaderEntries(entries, `${this.path}[MASK]`);
    return new Mask(pixels, box.width, box.height, { x0: box.minX, y0: box.minY, planes: planes.names().length ? planes : MaskPlaneDict.withDefaults() });
  }

  /** The primary header without structural cards and the cards other components represent (afw's getMetadata()). */
  readMetadata(): Header {
    const out = new Header();
    const primary = this.file.hdus[0].header;
    // Keys become objects (visit info, filter, id, detector) only where those exist; the rest stays.
    const hasVisit = visitInfoFromHeader(primary) !== undefined;
    const hasDetectorTable = this.file.hdus.some((x) => x.name.toUpperCase() === 'DETECTOR' && x.kind === 'bintable');
    const represented = (k: string) =>
      (hasVisit && VISIT_KEYS.includes(k)) || ['FILTER', 'BAND', 'EXPOSURE_ID'].includes(k) || (hasDetectorTable && ['DETNAME', 'DETSER', 'DETID'].includes(k));
    copyCards(out, primary, (k) => !STRUCTURAL.test(k) && !represented(k));
    return out;
  }

  /** The WCS in parent pixel coordinates, or undefined when the IMAGE header has none. */
  readWcs(): SkyWcs | undefined {
    const header = this.planeHeader('IMAGE');
    if (!hasWcs(header)) return undefined;
    const box = this.readBBox();
    return SkyWcs.fromHeader(header, { origin: { x0: box.minX, y0: box.minY }, where: `${this.path}[IMAGE]` });
  }

  readVisitInfo(): VisitInfo | undefined {
    return visitInfoFromHeader(this.file.hdus[0].header);
  }

  readFilter(): FilterLabel | undefined {
    const h = this.file.hdus[0].header;
    const physicalLabel = h.getString('FILTER');
    const band = h.getString('BAND');
    if (!physicalLabel && !band) return undefined;
    return { ...(physicalLabel ? { physicalLabel } : {}), ...(band ? { band } : {}) };
  }

  readId(): number | undefined {
    return this.file.hdus[0].header.getNumber('EXPOSURE_ID');
  }

  readDetector(): Detector | undefined {
    const h = this.file.hdus.find((x) => x.name.toUpperCase() === 'DETECTOR' && x.kind === 'bintable');
    if (!h) return this.detectorFromCamera();
    const col = this.file.readTable(h.index).read('DETECTOR_JSON');
    if (col.kind !== 'string' || col.values.length !== 1) throw new Error(`${this.path}[DETECTOR]: expected one DETECTOR_JSON string`);
    let value: unknown;
    try {
      value = JSON.parse(col.values[0]);
    } catch (err) {
      throw new Error(`${this.path}[DETECTOR]: DETECTOR_JSON is not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return detectorFromJson(value, `${this.path}[DETECTOR]`);
  }

  /**
   * Files written by afw keep the detector in archive tables we do not decode; their primary header
   * still names it (DETNAME) and the instrument, so a shipped camera can supply it.
   */
  private detectorFromCamera(): Detector | undefined {
    const primary = this.file.hdus[0].header;
    const name = primary.getString('DETNAME');
    const instrument = primary.getString('INSTRUMENT') ?? primary.getString('INSTRUME');
    if (!name || !instrument || !shippedCameras().includes(instrument.toLowerCase())) return undefined;
    const camera = loadCamera(instrument.toLowerCase());
    return camera.detectors.find((d) => d.name === name);
  }

  readMaskedImage(options: ExposureReadOptions = {}): MaskedImage {
    return new MaskedImage(this.readImage(options), this.readMask(options), this.readVariance(options));
  }

  read(options: ExposureReadOptions = {}): Exposure {
    return new Exposure(this.readMaskedImage(options), {
      metadata: this.readMetadata(),
      visitInfo: this.readVisitInfo(),
      detector: this.readDetector(),
      filter: this.readFilter(),
      wcs: this.readWcs(),
      id: this.readId(),
    });
  }

  readComponent(component: ExposureComponent, options: ExposureReadOptions = {}): unknown {
    switch (component) {
      case 'image':
        return this.readImage(options);
      case 'mask':
        return this.readMask(options);
      case 'variance':
        return this.readVariance(options);
      case 'metadata':
        return this.readMetadata();
      case 'wcs':
        return this.readWcs();
      case 'visitInfo':
        return this.readVisitInfo();
      case 'detector':
        return this.readDetector();
      case 'filter':
        return this.readFilter();
      case 'bbox':
        return options.bbox ?? this.readBBox();
      case 'id':
        return this.readId();
    }
  }
}

/** Reads a whole Exposure (or a bbox of it). */
export function readExposureFits(path: string, options: ExposureReadOptions = {}): Exposure {
  const r = new ExposureFitsReader(path);
  try {
    return r.read(options);
  } finally {
    r.close();
  }
}

/** Reads one component without decoding the others. */
export function readExposureComponent(path: string, component: ExposureComponent, options: ExposureReadOptions = {}): unknown {
  if (!EXPOSURE_COMPONENTS.includes(component)) throw new Error(`unknown Exposure component '${String(component)}' (components: ${EXPOSURE_COMPONENTS.join(', ')})`);
  const r = new ExposureFitsReader(path);
  try {
    return r.readComponent(component, options);
  } finally {
    r.close();
  }
}
