// Single-plane FITS files as afw writes Image and Mask (the pixels in the primary HDU, xy0 as
// LTV1/LTV2 and the 'A' WCS, MP_* keywords on a mask), and MaskedImage (the Exposure layout
// without the exposure info). Reading finds the plane in such files and in Exposure files.
import { FitsFile, type HduInfo } from '../../fits/fits-file.js';
import { Header } from '../../fits/header.js';
import { writeFits } from '../../fits/writer.js';
import { Box2I } from '../../image/box.js';
import { Exposure } from '../../image/exposure.js';
import { Image, type PixelArray } from '../../image/image.js';
import { Mask } from '../../image/mask.js';
import { MaskPlaneDict } from '../../image/maskPlanes.js';
import type { MaskedImage } from '../../image/maskedImage.js';
import { ExposureFitsReader, writeExposureFits } from './exposureFits.js';

function xy0Cards(h: Header, x0: number, y0: number): void {
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
}

function withoutStructure(metadata: Header | undefined): Header {
  const h = new Header();
  if (!metadata) return h;
  const skip = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|BZERO|BSCALE|BLANK|CHECKSUM|DATASUM|LTV[12]|(CRPIX|CRVAL|CTYPE|CUNIT)[12]A|MP_.*)$/;
  for (const c of metadata.cards) if (c.kind === 'commentary' || !skip.test(c.keyword)) h.insert({ ...c });
  return h;
}

/** Writes an Image (any pixel type) to the primary HDU, afw style. */
export function writeImageFits(path: string, image: Image<PixelArray>, metadata?: Header): void {
  const h = withoutStructure(metadata);
  xy0Cards(h, image.x0, image.y0);
  writeFits(path, [{ type: 'image', header: h, data: image.pixels(), axes: [image.width, image.height] }]);
}

/** Writes a Mask to the primary HDU with its MP_* planes. */
export function writeMaskFits(path: string, mask: Mask, metadata?: Header): void {
  const h = withoutStructure(metadata);
  xy0Cards(h, mask.x0, mask.y0);
  for (const [k, bit] of mask.planes.toHeaderEntries()) h.set(k, bit);
  writeFits(path, [{ type: 'image', header: h, data: mask.pixels(), axes: [mask.width, mask.height] }]);
}

/** Writes a MaskedImage in the Exposure layout (empty primary, IMAGE/MASK/VARIANCE). */
export function writeMaskedImageFits(path: string, maskedImage: MaskedImage, metadata?: Header): void {
  writeExposureFits(path, new Exposure(maskedImage, metadata ? { metadata } : {}));
}

function isImageHdu(h: HduInfo): boolean {
  return (h.kind === 'image' || h.kind === 'compressed-image') && h.axes.length >= 2 && h.axes[0] > 0;
}

/** The HDU holding a plane: `name` (IMAGE/MASK) in an Exposure file, else the first image with pixels. */
function planeHdu(file: FitsFile, name: 'IMAGE' | 'MASK'): HduInfo {
  const named = file.hdus.find((h) => h.name.toUpperCase() === name && isImageHdu(h));
  if (named) return named;
  const first = file.hdus.find(isImageHdu);
  if (!first) throw new Error(`${file.name}: no image HDU with pixels (HDUs: ${file.hdus.map((h) => `${h.index}:${h.name}`).join(', ')})`);
  return first;
}

function headerOf(file: FitsFile, h: HduInfo): Header {
  return h.kind === 'compressed-image' ? file.imageHeader(h.index) : h.header;
}

function parentBox(header: Header, h: HduInfo): Box2I {
  const x0 = header.getNumber('CRVAL1A') ?? -(header.getNumber('LTV1') ?? 0);
  const y0 = header.getNumber('CRVAL2A') ?? -(header.getNumber('LTV2') ?? 0);
  return new Box2I(x0, y0, h.axes[0], h.axes[1]);
}

function regionFor(path: string, full: Box2I, bbox: Box2I | undefined): { region?: { x: number; y: number; width: number; height: number }; box: Box2I } {
  if (!bbox) return { box: full };
  if (bbox.isEmpty() || !full.containsBox(bbox)) throw new Error(`${path}: bbox ${bbox.toString()} is not inside the image ${full.toString()}`);
  return { region: { x: bbox.minX - full.minX, y: bbox.minY - full.minY, width: bbox.width, height: bbox.height }, box: bbox };
}

/** Reads an image plane as float32 (an afw Image file, or the IMAGE plane of an Exposure file). */
export function readImageFits(path: string, options: { bbox?: Box2I } = {}): Image<Float32Array> {
  const file = FitsFile.open(path);
  try {
    const h = planeHdu(file, 'IMAGE');
    const { region, box } = regionFor(path, parentBox(headerOf(file, h), h), options.bbox);
    const data = file.readImageFloat32(h.index, region ? { region } : {});
    return new Image(data.data, box.width, box.height, { x0: box.minX, y0: box.minY });
  } finally {
    file.close();
  }
}

/** Reads a mask plane with its MP_* dictionary (an afw Mask file, or the MASK plane of an Exposure). */
export function readMaskFits(path: string, options: { bbox?: Box2I } = {}): Mask {
  const file = FitsFile.open(path);
  try {
    const h = planeHdu(file, 'MASK');
    const header = headerOf(file, h);
    const { region, box } = regionFor(path, parentBox(header, h), options.bbox);
    const data = file.readImage(h.index, region ? { region } : {}).data;
    const pixels = data instanceof Int32Array ? data : Int32Array.from(data as ArrayLike<number>);
    const planes = MaskPlaneDict.fromHeaderEntries(header.cards.map((c) => [c.keyword, c.value] as const), `${path}[${h.index}]`);
    return new Mask(pixels, box.width, box.height, { x0: box.minX, y0: box.minY, planes: planes.names().length ? planes : MaskPlaneDict.withDefaults() });
  } finally {
    file.close();
  }
}

export function readMaskedImageFits(path: string, options: { bbox?: Box2I } = {}): MaskedImage {
  const r = new ExposureFitsReader(path);
  try {
    return r.readMaskedImage(options);
  } finally {
    r.close();
  }
}
