// Reading tile-compressed images (FITS 4.0 §10): a binary table with one row per tile. Supports
// RICE_1, GZIP_1, GZIP_2 and NOCOMPRESS, quantised floats (ZSCALE/ZZERO, NO_DITHER and
// SUBTRACTIVE_DITHER_1/2 with the standard random sequence, ZBLANK), and tiles stored
// losslessly in GZIP_COMPRESSED_DATA or UNCOMPRESSED_DATA.
import { decompressSync } from 'fflate';
import { FitsError, type FitsErrorLocation } from './errors.js';
import { Header } from './header.js';
import { checkBitpix, type Bitpix } from './layout.js';
import { alignedBytes, fillFloat32, uninitializedFloat32, int32StoredToFloat32, scalingOf, storedToFloat32, storedToPhysical, storedView, type PixelArray, type Scaling } from './pixels.js';
import { parseTable, type Table } from './table.js';
import { riceDecode, riceDecodeInto } from './compression/rice.js';
import { N_RANDOM, ditherStart, randomSequence } from './compression/dither.js';
import type { FitsFile, HduInfo, ImageData } from './fits-file.js';
import { checkRegion, type Region } from './region.js';

export type Quantize = 'NO_DITHER' | 'SUBTRACTIVE_DITHER_1' | 'SUBTRACTIVE_DITHER_2' | 'NONE';

export interface CompressedImageInfo {
  bitpix: Bitpix;
  axes: number[];
  tile: number[];
  compression: string;
  blockSize: number;
  bytePix: number;
  quantize: Quantize;
  dither0: number;
  /** ZBLANK keyword (undefined pixels of quantised floats). */
  zblank?: number;
  /** The header of the image as it was before compression. */
  imageHeader: Header;
}

// Keywords that describe the table, not the image; dropped when rebuilding the image header.
// The table's CHECKSUM/DATASUM stay unless ZHECKSUM/ZDATASUM replace them (astropy does the same).
const TABLE_KEYS = /^(XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|THEAP|TTYPE\d+|TFORM\d+|TUNIT\d+|TDIM\d+|TNULL\d+|TSCAL\d+|TZERO\d+|TDISP\d+|ZIMAGE|ZCMPTYPE|ZBITPIX|ZNAXIS\d*|ZTILE\d+|ZNAME\d+|ZVAL\d+|ZQUANTIZ|ZSIMPLE|ZTENSION|ZEXTEND|ZBLOCKED|ZPCOUNT|ZGCOUNT|ZHECKSUM|ZDATASUM|ZMASKCMP|ZBLANK)$/;

export function compressedImageInfo(header: Header, where: FitsErrorLocation): CompressedImageInfo {
  const bitpix = checkBitpix(header.requireInt('ZBITPIX', where), where);
  const naxis = header.requireInt('ZNAXIS', where);
  const axes: number[] = [];
  const tile: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    axes.push(header.requireInt(`ZNAXIS${i}`, where));
    tile.push(header.getNumber(`ZTILE${i}`) ?? (i === 1 ? axes[0] : 1));
  }
  const compression = (header.getString('ZCMPTYPE') ?? '').trim().toUpperCase();
  const params = new Map<string, number>();
  for (let i = 1; header.has(`ZNAME${i}`); i++) {
    const v = header.getNumber(`ZVAL${i}`);
    if (v !== undefined) params.set((header.getString(`ZNAME${i}`) ?? '').trim().toUpperCase(), v);
  }
  const quantize = ((header.getString('ZQUANTIZ') ?? 'NO_DITHER').trim().toUpperCase()) as Quantize;
  return {
    bitpix,
    axes,
    tile,
    compression,
    blockSize: params.get('BLOCKSIZE') ?? 32,
    bytePix: params.get('BYTEPIX') ?? 4,
    quantize,
    dither0: header.getNumber('ZDITHER0') ?? 1,
    zblank: header.getNumber('ZBLANK'),
    imageHeader: rebuildImageHeader(header, bitpix, axes),
  };
}

function rebuildImageHeader(table: Header, bitpix: Bitpix, axes: number[]): Header {
  const out = new Header();
  const primary = table.has('ZSIMPLE');
  if (primary) out.set('SIMPLE', table.get('ZSIMPLE') ?? true, table.card('ZSIMPLE')?.comment);
  else out.set('XTENSION', table.getString('ZTENSION') ?? 'IMAGE', table.card('ZTENSION')?.comment ?? 'Image extension');
  out.set('BITPIX', bitpix, table.card('ZBITPIX')?.comment);
  out.set('NAXIS', axes.length, table.card('ZNAXIS')?.comment);
  axes.forEach((n, i) => out.set(`NAXIS${i + 1}`, n, table.card(`ZNAXIS${i + 1}`)?.comment));
  if (primary) {
    if (table.has('ZEXTEND')) out.set('EXTEND', table.get('ZEXTEND') ?? true, table.card('ZEXTEND')?.comment);
  } else {
    out.set('PCOUNT', table.getNumber('ZPCOUNT') ?? 0, table.card('ZPCOUNT')?.comment);
    out.set('GCOUNT', table.getNumber('ZGCOUNT') ?? 1, table.card('ZGCOUNT')?.comment);
  }
  // The compressor's default EXTNAME names the table, not the image (astropy drops it too).
  // ZDITHER0 stays, as astropy keeps it, so re-compression can reuse the seed.
  for (const card of table.cards) {
    if (TABLE_KEYS.test(card.keyword)) continue;
    if (card.keyword === 'EXTNAME' && String(card.value).trim() === 'COMPRESSED_IMAGE') continue;
    out.cards.push(card);
  }
  if (table.has('ZHECKSUM')) out.set('CHECKSUM', table.get('ZHECKSUM') ?? null, table.card('ZHECKSUM')?.comment);
  if (table.has('ZDATASUM')) out.set('DATASUM', table.get('ZDATASUM') ?? null, table.card('ZDATASUM')?.comment);
  return out;
}

function tileGrid(axes: number[], tile: number[]): number[] {
  return axes.map((n, i) => Math.ceil(n / tile[i]));
}

/**
 * Decompresses the tiles a region needs (all tiles without a region) into physical or float32
 * pixels; float32 pixels of integer images go into `into` when given (it must hold them).
 */
export function readCompressedImage(file: FitsFile, h: HduInfo, region: Region | undefined, mode: 'physical' | 'float32', into?: Float32Array): ImageData {
  const where = file.where(h);
  const info = compressedImageInfo(h.header, where);
  // Only the main table (one row per tile) is read up front; each tile's bytes are read from the
  // heap when that tile is needed, so a region reads only the tiles it touches.
  // A whole image needs every tile: one read of the data unit beats a read per tile.
  const tableBytes = (h.header.getNumber('NAXIS1') ?? 0) * (h.header.getNumber('NAXIS2') ?? 0);
  const table = region
    ? parseTable(h.header, file.readData(h, tableBytes), where, {
        dataSize: h.dataSize,
        read: (offset, length) => file.readBytes(h.dataOffset + offset, length),
      })
    : parseTable(h.header, file.readData(h), where);
  const scaling = scalingOf(info.imageHeader, info.bitpix);
  const { axes, tile } = info;
  if (region) checkRegion(region, axes, where);
  const outAxes = region ? [region.width, region.height] : axes.slice();
  const total = outAxes.reduce((a, b) => a * b, 1);
  // float32 output of an integer image: each tile is scaled straight into the output (no
  // full-size intermediate array of stored values).
  const direct = mode === 'float32' && info.bitpix > 0 && info.bitpix !== 64;
  // A caller's array (large enough, checked by FitsFile) takes the pixels directly: no fresh memory
  // to fault in. A new one is not zeroed: the tiles write every pixel (or the read throws).
  const size = axes.length ? total : 0;
  const stored = direct ? (into ? into.subarray(0, size) : uninitializedFloat32(size)) : allocStored(info.bitpix, size);
  const grid = tileGrid(axes, tile);
  const tileCount = grid.reduce((a, b) => a * b, 1);
  if (table.rows < tileCount) throw new FitsError(`compressed image needs ${tileCount} tiles but the table has ${table.rows} rows`, where);
  const columns = new Set(table.columns.map((c) => c.name.toUpperCase()));
  const zscale = columns.has('ZSCALE') ? (table.read('ZSCALE').values as Float64Array) : undefined;
  const zzero = columns.has('ZZERO') ? (table.read('ZZERO').values as Float64Array) : undefined;
  const zblankCol = columns.has('ZBLANK') ? (table.read('ZBLANK').values as PixelArray) : undefined;

  const names = columnNames(table);
  const addend = direct ? exactAddend(info, scaling) : undefined;
  const index = new Array<number>(axes.length).fill(0);
  const geometry = { axes, region };
  for (let t = 0; t < tileCount; t++) {
    // Tile t covers [start, start + size) on each axis.
    let rem = t;
    for (let d = 0; d < axes.length; d++) {
      index[d] = rem % grid[d];
      rem = Math.floor(rem / grid[d]);
    }
    const start = index.map((k, d) => k * tile[d]);
    const size = start.map((s, d) => Math.min(tile[d], axes[d] - s));
    if (region && !tileOverlaps(start, size, region, axes)) continue;
    const count = size.reduce((a, b) => a * b, 1);
    // Exact physical values of a tile that fills consecutive output pixels go straight into the image.
    const at = addend !== undefined ? contiguousOffset(start, size, axes, region) : -1;
    let decoded: DecodedTile;
    try {
      decoded = decodeTile(table, names, t, info, count, {
        scale: zscale?.[t],
        zero: zzero?.[t],
        blank: zblankCol ? Number(zblankCol[t]) : info.zblank,
      }, addend, at >= 0 ? { out: stored as Float32Array, at } : undefined);
    } catch (err) {
      const detail = err instanceof FitsError ? err.detail : (err as Error).message;
      throw new FitsError(`tile ${t + 1} of ${tileCount}: ${detail}`, where);
    }
    if (decoded.kind === 'placed') continue;
    const values = decoded.values;
    if (decoded.kind === 'physical') {
      // Exact physical values in a float32 scratch: copied row by row (a plain memory copy).
      const src = values as Float32Array;
      const out = stored as Float32Array;
      forEachTileRow(start, size, geometry, (from, to, length) => out.set(src.subarray(from, from + length), to));
    } else if (direct && values instanceof Int32Array) {
      // Rice tiles: scaled from the decoder's int32 values straight into the output, row by row.
      const src = values;
      const out = stored as Float32Array;
      forEachTileRow(start, size, geometry, (from, to, length) => int32StoredToFloat32(src, from, length, out, to, scaling));
    } else {
      const src = direct ? tileToFloat32(values, info.bitpix, scaling) : values;
      const dst = stored as Float64Array;
      forEachTileRow(start, size, geometry, (from, to, length) => dst.set((src as Float64Array).subarray(from, from + length), to));
    }
  }
  const data = direct ? stored : mode === 'float32' ? storedToFloat32(stored, scaling) : storedToPhysical(stored, scaling);
  return { axes: outAxes, data, scaling };
}

/** Coordinates on the axes beyond the second of a flattened plane index. */
function planeCoordinates(plane: number, axes: number[]): number[] {
  const coords: number[] = [];
  for (let d = 2; d < axes.length; d++) {
    coords.push(plane % axes[d]);
    plane = Math.floor(plane / axes[d]);
  }
  return coords;
}

function tileOverlaps(start: number[], size: number[], r: Region, axes: number[]): boolean {
  if (start[0] >= r.x + r.width || start[0] + size[0] <= r.x) return false;
  const ys = start[1] ?? 0;
  if (ys >= r.y + r.height || ys + (size[1] ?? 1) <= r.y) return false;
  const coords = planeCoordinates(r.plane ?? 0, axes);
  return coords.every((c, d) => c >= start[d + 2] && c < start[d + 2] + size[d + 2]);
}

/**
 * Where a tile's pixels start in the whole output image when they are consecutive there (whole
 * rows, and whole planes or a single plane), else −1 (also for region reads).
 */
function contiguousOffset(start: number[], size: number[], axes: number[], region: Region | undefined): number {
  const nx = axes[0] ?? 0;
  const ny = axes[1] ?? 1;
  if (region || size[0] !== nx) return -1;
  for (let d = 2; d < axes.length; d++) if (size[d] !== 1 && (size[1] ?? 1) !== ny) return -1;
  if (axes.length > 3 && size.slice(2, -1).some((n, i) => n !== axes[i + 2])) return -1;
  let plane = 0;
  let mul = 1;
  for (let d = 2; d < axes.length; d++) {
    plane += start[d] * mul;
    mul *= axes[d];
  }
  return (plane * ny + (start[1] ?? 0)) * nx;
}

interface CopyGeometry {
  axes: number[];
  region?: Region;
}

/**
 * The rows of a decoded tile (row-major within the tile) that land in the output image or region:
 * calls `put(from, to, length)` with the offset in the tile, the offset in the output and the count.
 */
function forEachTileRow(start: number[], size: number[], g: CopyGeometry, put: (from: number, to: number, length: number) => void): void {
  const { axes, region } = g;
  const nx = axes[0] ?? 0;
  const ny = axes[1] ?? 1;
  const tw = size[0];
  const th = size[1] ?? 1;
  const higher = size.slice(2);
  const planesInTile = higher.reduce((a, b) => a * b, 1);
  const xa = Math.max(start[0], region?.x ?? 0);
  const xb = Math.min(start[0] + tw, region ? region.x + region.width : nx);
  if (xb <= xa) return;
  for (let p = 0; p < planesInTile; p++) {
    // Global flattened plane index of this slice of the tile.
    let rem = p;
    let plane = 0;
    let mul = 1;
    for (let d = 0; d < higher.length; d++) {
      plane += (start[d + 2] + (rem % higher[d])) * mul;
      rem = Math.floor(rem / higher[d]);
      mul *= axes[d + 2];
    }
    if (region && plane !== (region.plane ?? 0)) continue;
    for (let row = 0; row < th; row++) {
      const y = (start[1] ?? 0) + row;
      if (region && (y < region.y || y >= region.y + region.height)) continue;
      const from = (p * th + row) * tw + (xa - start[0]);
      const to = region ? (y - region.y) * region.width + (xa - region.x) : (plane * ny + y) * nx + xa;
      put(from, to, xb - xa);
    }
  }
}

const tileStored: { [bitpix: number]: PixelArray } = {};
let tileFloat = new Float32Array(0);

/** A tile's integer values as float32 physical values, in a reused buffer (valid until the next tile). */
function tileToFloat32(values: PixelArray, bitpix: Bitpix, scaling: Scaling): Float32Array {
  // The stored type decides the arithmetic (8/16-bit data scale in float32, as astropy does).
  let typed = values;
  const want = bitpix === 8 ? Uint8Array : bitpix === 16 ? Int16Array : Int32Array;
  if (!(values instanceof want)) {
    let buf = tileStored[bitpix];
    if (!buf || buf.length < values.length) buf = tileStored[bitpix] = new want(values.length);
    typed = buf.subarray(0, values.length);
    (typed as Int32Array).set(values as Int32Array);
  }
  if (tileFloat.length < values.length) tileFloat = new Float32Array(values.length);
  const out = tileFloat.subarray(0, values.length);
  fillFloat32(typed, scaling, out);
  return out;
}

function allocStored(bitpix: Bitpix, n: number): PixelArray {
  switch (bitpix) {
    case 8:
      return new Uint8Array(n);
    case 16:
      return new Int16Array(n);
    case 32:
      return new Int32Array(n);
    case 64:
      return new BigInt64Array(n);
    case -32:
      return new Float32Array(n);
    case -64:
      return new Float64Array(n);
  }
}

interface TileQuantisation {
  scale?: number;
  zero?: number;
  blank?: number;
}

const ZERO_VALUE = -2147483646;

let riceScratch = new Int32Array(0);
let riceFloatScratch = new Float32Array(0);

function columnNames(table: Table): Set<string> {
  return new Set(table.columns.map((c) => c.name.toUpperCase()));
}

/**
 * The integer to add to Rice-decoded values so that they are the physical values and each
 * converts to float32 exactly (as the float32 arithmetic of the generic path gives them): for
 * unscaled images without BLANK whose values plus BZERO stay within ±2^24 (uint8, int8, int16,
 * uint16, int32 without offset). Undefined otherwise.
 */
function exactAddend(info: CompressedImageInfo, s: Scaling): number | undefined {
  if (s.bscale !== 1 || s.blank !== undefined || info.bytePix * 8 !== info.bitpix || !Number.isInteger(s.bzero)) return undefined;
  if (info.bitpix === 32) return s.bzero === 0 ? 0 : undefined;
  const largest = info.bitpix === 8 ? 255 : 32768;
  return Math.abs(s.bzero) + largest <= 2 ** 24 ? s.bzero : undefined;
}

/**
 * A decoded tile: `placed` when written straight into the output (see `target`), `physical` when
 * its values are exact physical values in a float32 scratch (Rice with `addend`, see
 * exactAddend), else the stored values (valid until the next tile).
 */
type DecodedTile = { kind: 'placed' } | { kind: 'physical'; values: Float32Array } | { kind: 'stored'; values: PixelArray };

function decodeTile(
  table: Table,
  names: Set<string>,
  row: number,
  info: CompressedImageInfo,
  count: number,
  q: TileQuantisation,
  addend: number | undefined,
  target: { out: Float32Array; at: number } | undefined,
): DecodedTile {
  const compressed = names.has('COMPRESSED_DATA') ? table.heapBytes('COMPRESSED_DATA', row) : new Uint8Array(0);
  if (compressed.length === 0 && count > 0) {
    // Tiles that could not be quantised are kept losslessly in one of these columns.
    if (names.has('GZIP_COMPRESSED_DATA')) {
      const gz = table.heapBytes('GZIP_COMPRESSED_DATA', row);
      if (gz.length > 0) return { kind: 'stored', values: bigEndianValues(inflate(gz), info.bitpix, count, true) };
    }
    if (names.has('UNCOMPRESSED_DATA')) {
      const raw = table.heapBytes('UNCOMPRESSED_DATA', row);
      if (raw.length > 0) return { kind: 'stored', values: bigEndianValues(raw, info.bitpix, count, true) };
    }
    throw new FitsError('tile has no data in COMPRESSED_DATA, GZIP_COMPRESSED_DATA or UNCOMPRESSED_DATA');
  }
  const quantised = info.bitpix < 0 && q.scale !== undefined && info.quantize !== 'NONE';
  let values: PixelArray;
  switch (info.compression) {
    case 'RICE_1':
    case 'RICE_ONE': {
      const bytePix = info.bytePix;
      if (bytePix !== 1 && bytePix !== 2 && bytePix !== 4) throw new FitsError(`RICE_1 BYTEPIX must be 1, 2 or 4, found ${bytePix}`);
      if (addend !== undefined) {
        if (target) {
          riceDecodeInto(compressed, count, info.blockSize, bytePix, target.out, target.at, addend);
          return { kind: 'placed' };
        }
        if (riceFloatScratch.length < count) riceFloatScratch = new Float32Array(count);
        riceDecodeInto(compressed, count, info.blockSize, bytePix, riceFloatScratch, 0, addend);
        return { kind: 'physical', values: riceFloatScratch.subarray(0, count) };
      }
      // Decoded into a reused buffer: the caller copies the values out before the next tile.
      if (riceScratch.length < count) riceScratch = new Int32Array(count);
      values = riceDecode(compressed, count, info.blockSize, bytePix, riceScratch.subarray(0, count));
      break;
    }
    case 'GZIP_1':
      values = bigEndianValues(inflate(compressed), info.bitpix, count, !quantised);
      break;
    case 'GZIP_2': {
      const bytes = inflate(compressed);
      values = bigEndianValues(unshuffle(bytes, bytes.length / count), info.bitpix, count, !quantised);
      break;
    }
    case 'NOCOMPRESS':
      values = bigEndianValues(compressed, info.bitpix, count, !quantised);
      break;
    default:
      throw new FitsError(`compression ${info.compression || '(ZCMPTYPE missing)'} is not supported (RICE_1, GZIP_1, GZIP_2 and NOCOMPRESS are)`);
  }
  if (info.bitpix > 0 || !quantised) return { kind: 'stored', values };
  return { kind: 'stored', values: dequantise(values, row, info, q) };
}

function inflate(bytes: Uint8Array): Uint8Array {
  try {
    return decompressSync(bytes);
  } catch (err) {
    throw new FitsError(`gzip data is corrupt: ${(err as Error).message}`);
  }
}

/** GZIP_2 stores the most significant bytes of all values first, then the next, and so on. */
export function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  if (!Number.isInteger(size) || size <= 1) return bytes;
  const n = bytes.length / size;
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < size; b++) {
    const base = b * n;
    for (let i = 0; i < n; i++) out[i * size + b] = bytes[base + i];
  }
  return out;
}

/** Big-endian values of the size the byte count implies: floats for lossless float tiles, integers otherwise. */
function bigEndianValues(bytes: Uint8Array, bitpix: Bitpix, count: number, floatsAreFloats: boolean): PixelArray {
  const size = count === 0 ? 0 : bytes.length / count;
  if (![1, 2, 4, 8].includes(size)) throw new FitsError(`tile holds ${bytes.length} bytes, not a whole number of 1/2/4/8-byte values for ${count} pixels`);
  const own = alignedBytes(bytes.length);
  own.set(bytes);
  const asFloat = bitpix < 0 && floatsAreFloats;
  const storedBitpix = (asFloat ? -size * 8 : size * 8) as Bitpix;
  if (asFloat && size !== 4 && size !== 8) throw new FitsError(`float tile with ${size}-byte values`);
  return storedView(own, storedBitpix);
}

function dequantise(values: PixelArray, row: number, info: CompressedImageInfo, q: TileQuantisation): Float32Array | Float64Array {
  const n = values.length;
  const out = info.bitpix === -32 ? new Float32Array(n) : new Float64Array(n);
  const scale = q.scale as number;
  const zero = q.zero ?? 0;
  const blank = q.blank;
  const ints = values as Int32Array;
  if (info.quantize === 'SUBTRACTIVE_DITHER_1' || info.quantize === 'SUBTRACTIVE_DITHER_2') {
    const r = randomSequence();
    const dither2 = info.quantize === 'SUBTRACTIVE_DITHER_2';
    let { iseed, nextrand } = ditherStart(row + 1, info.dither0);
    for (let i = 0; i < n; i++) {
      const v = ints[i];
      if (blank !== undefined && v === blank) out[i] = NaN;
      else if (dither2 && v === ZERO_VALUE) out[i] = 0;
      else out[i] = (v - r[nextrand] + 0.5) * scale + zero;
      nextrand++;
      if (nextrand === N_RANDOM) {
        iseed++;
        if (iseed === N_RANDOM) iseed = 0;
        nextrand = Math.trunc(r[iseed] * 500);
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = ints[i];
      out[i] = blank !== undefined && v === blank ? NaN : v * scale + zero;
    }
  }
  return out;
}
