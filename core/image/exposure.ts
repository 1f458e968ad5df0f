// An Exposure (afw): a MaskedImage plus what describes it: the FITS metadata header, visit info
// (exposure and dark time), detector, filter and WCS. Its xy0 is the masked image's.
import type { Header } from '../fits/header.js';
import type { Detector } from '../camera/geometry.js';
import type { SkyWcs } from '../wcs/skyWcs.js';
import { Box2I } from './box.js';
import { MaskedImage } from './maskedImage.js';
import type { MaskPlaneDict } from './maskPlanes.js';
import type { FilterLabel, VisitInfo } from './visitInfo.js';

export interface ExposureInfo {
  metadata?: Header;
  visitInfo?: VisitInfo;
  detector?: Detector;
  filter?: FilterLabel;
  wcs?: SkyWcs;
  /** Exposure id (e.g. detector exposure id). */
  id?: number;
}

export class Exposure {
  readonly maskedImage: MaskedImage;
  /** Header cards that are not part of the image model (afw's `getMetadata()`). */
  metadata: Header | undefined;
  visitInfo: VisitInfo | undefined;
  detector: Detector | undefined;
  filter: FilterLabel | undefined;
  wcs: SkyWcs | undefined;
  id: number | undefined;

  constructor(maskedImage: MaskedImage, info: ExposureInfo = {}) {
    this.maskedImage = maskedImage;
    this.metadata = info.metadata;
    this.visitInfo = info.visitInfo;
    this.detector = info.detector;
    this.filter = info.filter;
    this.wcs = info.wcs;
    this.id = info.id;
  }

  static create(width: number, height: number, options: { x0?: number; y0?: number; planes?: MaskPlaneDict } & ExposureInfo = {}): Exposure {
    return new Exposure(MaskedImage.create(width, height, options), options);
  }

  static fromBox(box: Box2I, info: ExposureInfo = {}): Exposure {
    return new Exposure(MaskedImage.fromBox(box), info);
  }

  get image() {
    return this.maskedImage.image;
  }

  get mask() {
    return this.maskedImage.mask;
  }

  get variance() {
    return this.maskedImage.variance;
  }

  get bbox(): Box2I {
    return this.maskedImage.bbox;
  }

  get width(): number {
    return this.maskedImage.width;
  }

  get height(): number {
    return this.maskedImage.height;
  }

  get x0(): number {
    return this.maskedImage.x0;
  }

  get y0(): number {
    return this.maskedImage.y0;
  }

  setXY0(x0: number, y0: number): void {
    this.maskedImage.setXY0(x0, y0);
  }

  info(): ExposureInfo {
    return { metadata: this.metadata, visitInfo: this.visitInfo, detector: this.detector, filter: this.filter, wcs: this.wcs, id: this.id };
  }

  /**
   * A sub-exposure over `box` (parent coordinates): pixels are shared, the info is carried along
   * (the metadata header is shared too, as in afw where it is a reference).
   */
  subExposure(box: Box2I): Exposure {
    return new Exposure(this.maskedImage.subImage(box), this.info());
  }

  /** A deep copy (pixels and metadata header). */
  clone(): Exposure {
    return new Exposure(this.maskedImage.clone(), { ...this.info(), metadata: this.metadata?.clone() });
  }
}
