// Writing tile-compressed images as astropy and fpack do: RICE_1 for integer images (lossless),
// GZIP_1/GZIP_2 for any type (lossless; floats are stored unquantised, ZQUANTIZ = 'NONE').
// One tile per row by default (ZTILE1 = NAXIS1, ZTILEn = 1).
import { gzipSync } from 'fflate';
import { FitsError } from './errors.js';
import { Header } from './header.js';
import { alignedBytes, defaultScalingFor, encodePixels, storedView, type PixelArray, type Scaling } from './pixels.js';
import { riceEncode, type BytePix } from './compression/rice.js';
import { imageHeader } from './header-structure.js';
import { bytesHdu, type EncodedHdu } from './encoded.js';
import { encodeBinTable } from './table-write.js';

export type CompressionType = 'RICE_1' | 'GZIP_1' | 'GZIP_2';

export interface CompressOptions {
  type?: CompressionType;
  /** ZTILEn; default one image row per tile. */
  tile?: number[];
  /** Rice block size (ZVAL for BLOCKSIZE); default 32. */
  blockSize?: number;
}

const IMAGE_STRUCTURE = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|EXTEND|GROUPS|CHECKSUM|DATASUM|ZIMAGE|ZCMPTYPE|ZBITPIX|ZNAXIS\d*|ZTILE\d+|ZNAME\d+|ZVAL\d+|ZQUANTIZ|ZDITHER0|ZSIMPLE|ZTENSION|ZEXTEND|ZPCOUNT|ZGCOUNT|ZHECKSUM|ZDATASUM|TFIELDS|TTYPE\d+|TFORM\d+)$/;

/** Compresses `data` stored under `scaling` (default: the array's natural type, e.g. uint16 → int16 + BZERO). */
export function encodeCompressedImage(data: PixelArray, axes: number[], source: Header, options: CompressOptions, scaling: Scaling = defaultScalingFor(data)): EncodedHdu {
  const type = options.type ?? 'RICE_1';
  const pixels = axes.reduce((a, b) => a * b, 1);
  if (axes.length === 0 || pixels !== data.length) {
    throw new FitsError(`compressed image data has ${data.length} pixels but axes ${axes.join('×') || '(none)'} need ${pixels}`);
  }
  if (type === 'RICE_1' && (scaling.bitpix < 0 || scaling.bitpix === 64)) {
    throw new FitsError(
      `RICE_1 compresses 8/16/32-bit integer images only (this image is BITPIX ${scaling.bitpix}); use GZIP_2 for lossless float or 64-bit compression`,
    );
  }
  const tile = options.tile ?? axes.map((n, i) => (i === 0 ? n : 1));
  if (tile.length !== axes.length || tile.some((t, i) => !Number.isInteger(t) || t < 1 || t > axes[i])) {
    throw new FitsError(`tile ${tile.join('×')} does not fit the ${axes.join('×')} image`);
  }
  const blockSize = options.blockSize ?? 32;
  const bytePix = Math.abs(scaling.bitpix) / 8;

  // Native stored values (e.g. int16 for uint16 data), which is what the tiles hold.
  const be = encodePixels(data, scaling);
  const stored = storedView(copyAligned(be), scaling.bitpix);

  const grid = axes.map((n, i) => Math.ceil(n / tile[i]));
  const tileCount = grid.reduce((a, b) => a * b, 1);
  const cells: Uint8Array[] = [];
  const index = new Array<number>(axes.length).fill(0);
  for (let t = 0; t < tileCount; t++) {
    let rem = t;
    for (let d = 0; d < axes.length; d++) {
      index[d] = rem % grid[d];
      rem = Math.floor(rem / grid[d]);
    }
    const start = index.map((k, d) => k * tile[d]);
    const size = start.map((s, d) => Math.min(tile[d], axes[d] - s));
    const values = gatherTile(stored, axes, start, size);
    if (type === 'RICE_1') cells.push(riceEncode(values as ArrayLike<number>, blockSize, bytePix as BytePix));
    else {
      const bytes = encodePixels(values, { bitpix: scaling.bitpix, bzero: 0, bscale: 1 });
      cells.push(gzipSync(type === 'GZIP_2' ? shuffle(bytes, bytePix) : bytes, { level: 6 }));
    }
  }

  const image = imageHeader(source, 1, 2, scaling, axes);
  const table = new Header();
  // An image that was a primary HDU keeps that fact (astropy and cfitsio restore it on decompression).
  const fromPrimary = source.cards[0]?.keyword === 'SIMPLE';
  table.set('ZIMAGE', true, 'extension contains compressed image');
  if (fromPrimary) table.set('ZSIMPLE', true, 'file does conform to FITS standard');
  else table.set('ZTENSION', 'IMAGE', 'Image extension');
  table.set('ZBITPIX', scaling.bitpix, 'data type of original image');
  table.set('ZNAXIS', axes.length, 'dimension of original image');
  axes.forEach((n, i) => table.set(`ZNAXIS${i + 1}`, n, 'length of original image axis'));
  if (fromPrimary) table.set('ZEXTEND', true, '');
  else {
    table.set('ZPCOUNT', 0, 'number of parameters');
    table.set('ZGCOUNT', 1, 'number of groups');
  }
  tile.forEach((n, i) => table.set(`ZTILE${i + 1}`, n, 'size of tiles to be compressed'));
  table.set('ZCMPTYPE', type, 'compression algorithm');
  if (type === 'RICE_1') {
    table.set('ZNAME1', 'BLOCKSIZE', 'compression block size');
    table.set('ZVAL1', blockSize, 'pixels per block');
    table.set('ZNAME2', 'BYTEPIX', 'bytes per pixel (1, 2, 4, or 8)');
    table.set('ZVAL2', bytePix, 'bytes per pixel (1, 2, 4, or 8)');
  }
  if (scaling.bitpix < 0) table.set('ZQUANTIZ', 'NONE', 'no quantisation: floats stored losslessly');
  for (const card of image.cards) if (!IMAGE_STRUCTURE.test(card.keyword)) table.cards.push(card);
  if (!table.has('EXTNAME')) table.set('EXTNAME', 'COMPRESSED_IMAGE', 'name of this binary table extension');
  const max = Math.max(0, ...cells.map((c) => c.length));
  const encoded = encodeBinTable([{ name: 'COMPRESSED_DATA', format: `1PB(${max})`, data: cells }], table, tileCount);
  return bytesHdu(encoded.header, encoded.data);
}

function copyAligned(bytes: Uint8Array): Uint8Array {
  const out = alignedBytes(bytes.length);
  out.set(bytes);
  return out;
}

function gatherTile(stored: PixelArray, axes: number[], start: number[], size: number[]): PixelArray {
  const count = size.reduce((a, b) => a * b, 1);
  const Ctor = stored.constructor as new (n: number) => PixelArray;
  const out = new Ctor(count);
  const nx = axes[0];
  const ny = axes[1] ?? 1;
  const tw = size[0];
  const th = size[1] ?? 1;
  const higher = size.slice(2);
  const planes = higher.reduce((a, b) => a * b, 1);
  let k = 0;
  for (let p = 0; p < planes; p++) {
    let rem = p;
    let plane = 0;
    let mul = 1;
    for (let d = 0; d < higher.length; d++) {
      plane += (start[d + 2] + (rem % higher[d])) * mul;
      rem = Math.floor(rem / higher[d]);
      mul *= axes[d + 2];
    }
    for (let row = 0; row < th; row++) {
      const from = (plane * ny + (start[1] ?? 0) + row) * nx + start[0];
      (out as Float64Array).set((stored as Float64Array).subarray(from, from + tw), k);
      k += tw;
    }
  }
  return out;
}

function shuffle(bytes: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return bytes;
  const n = bytes.length / size;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < n; i++) for (let b = 0; b < size; b++) out[b * n + i] = bytes[i * size + b];
  return out;
}
