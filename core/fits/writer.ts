// Writing FITS files: each HDU is a header (the caller's cards, with the structural keywords put
// in their required order and values) and a data unit padded to 2880 bytes. Files are written
// atomically (temporary file in the same directory, fsync, rename), optionally with DATASUM/CHECKSUM.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { imageHeader } from './header-structure.js';
import { bytesHdu, dataOf, type EncodedHdu } from './encoded.js';
import { FitsError } from './errors.js';
import { Header } from './header.js';
import { BLOCK_SIZE, padToBlock, type Bitpix } from './layout.js';
import { bytesPerPixel, defaultScalingFor, encodePixelChunks, encodePixels, type PixelArray, type Scaling } from './pixels.js';
import { complement32, encodeChecksum, onesComplementSum } from './checksum.js';
import { encodeBinTable, type ColumnSpec } from './table-write.js';
import { encodeCompressedImage, type CompressOptions } from './compressed-write.js';

export { bytesHdu, dataOf, imageHeader, type EncodedHdu };

export interface ImageHduSpec {
  type: 'image';
  /** Extra cards (EXTNAME, WCS, ...). Structural keywords in it are replaced by the real ones. */
  header?: Header;
  /** Pixels, row-major with NAXIS1 fastest. Omit for a header-only HDU. */
  data?: PixelArray;
  /** NAXIS1..n; defaults to [data.length]. */
  axes?: number[];
  /** Stored type and scaling; default: the typed array's natural type (uint16 → BITPIX 16 + BZERO 32768). */
  bitpix?: Bitpix;
  bzero?: number;
  bscale?: number;
  /** Stored value for NaN when writing floats as integers. */
  blank?: number;
}

export interface BinTableHduSpec {
  type: 'bintable';
  header?: Header;
  columns: ColumnSpec[];
  /** Number of rows (defaults to the first column's length). */
  rows?: number;
}

export interface CompressedImageHduSpec {
  type: 'compressed-image';
  header?: Header;
  data: PixelArray;
  axes: number[];
  compression?: CompressOptions;
  /** Stored integer type and scaling (as for images); default: the typed array's natural type. */
  bitpix?: Bitpix;
  bzero?: number;
  bscale?: number;
  blank?: number;
}

/** Bytes already encoded elsewhere (e.g. an HDU copied unchanged). `data` is the unpadded data unit. */
export interface RawHduSpec {
  type: 'raw';
  header: Header;
  data: Uint8Array;
}

export type HduSpec = (ImageHduSpec | BinTableHduSpec | CompressedImageHduSpec | RawHduSpec) & {
  /** Add (or update) DATASUM and CHECKSUM in this HDU; overrides WriteOptions.checksum. */
  checksum?: boolean;
};

export interface WriteOptions {
  /** Add (or update) DATASUM and CHECKSUM in every HDU. */
  checksum?: boolean;
  /** Flush the file to disk before the rename (default true: a crash never leaves a half-written file under the name). */
  fsync?: boolean;
}

/** Encodes HDUs to their final headers and data (an empty primary is added before a leading table). */
export function encodeHdus(specs: HduSpec[], options: WriteOptions = {}): EncodedHdu[] {
  const list = specs.slice();
  if (list.length === 0 || (list[0].type !== 'image' && !(list[0].type === 'raw' && list[0].header.cards[0]?.keyword === 'SIMPLE'))) {
    list.unshift({ type: 'image' });
  }
  return list.map((spec, index) => {
    const encoded = encodeOne(spec, index, list.length);
    if (spec.checksum ?? options.checksum) addChecksums(encoded);
    return encoded;
  });
}

/** The whole file as one buffer. */
export function encodeFits(specs: HduSpec[], options: WriteOptions = {}): Uint8Array {
  const hdus = encodeHdus(specs, options);
  const parts: Uint8Array[] = [];
  for (const h of hdus) parts.push(h.header.toBytes(), padData(dataOf(h)));
  return Buffer.concat(parts);
}

/** Writes the file atomically: a temporary file beside the target, fsync, then rename. */
export function writeFits(path: string, specs: HduSpec[], options: WriteOptions = {}): void {
  const hdus = encodeHdus(specs, options);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (err) {
    throw new FitsError(`cannot write: ${(err as Error).message}`, { file: path });
  }
  try {
    for (const h of hdus) {
      writeAll(fd, h.header.toBytes());
      for (const chunk of h.chunks()) writeAll(fd, chunk);
      const pad = padToBlock(h.size) - h.size;
      if (pad > 0) writeAll(fd, new Uint8Array(pad));
    }
    if (options.fsync !== false) fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw new FitsError(`cannot write: ${(err as Error).message}`, { file: path });
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

function padData(data: Uint8Array): Uint8Array {
  const size = padToBlock(data.length);
  if (size === data.length) return data;
  const out = new Uint8Array(size);
  out.set(data);
  return out;
}

function encodeOne(spec: HduSpec, index: number, count: number): EncodedHdu {
  switch (spec.type) {
    case 'image':
      return encodeImage(spec, index, count);
    case 'bintable': {
      const { header, data } = encodeBinTable(spec.columns, spec.header ?? new Header(), spec.rows);
      return bytesHdu(header, data);
    }
    case 'compressed-image':
      return encodeCompressedImage(spec.data, spec.axes, spec.header ?? new Header(), spec.compression ?? {}, scalingFor(spec.data, spec));
    case 'raw':
      return bytesHdu(spec.header, spec.data);
  }
}

function encodeImage(spec: ImageHduSpec, index: number, count: number): EncodedHdu {
  const data = spec.data;
  const axes = spec.axes ?? (data ? [data.length] : []);
  const pixels = axes.length ? axes.reduce((a, b) => a * b, 1) : 0;
  if ((data?.length ?? 0) !== pixels) {
    throw new FitsError(`image data has ${data?.length ?? 0} pixels but axes ${axes.join('×') || '(none)'} need ${pixels}`);
  }
  const scaling = scalingFor(data, spec);
  const header = imageHeader(spec.header ?? new Header(), index, count, scaling, axes);
  if (!data) return bytesHdu(header, new Uint8Array(0));
  // Checked now so that a value that does not fit fails before anything is written.
  if (!isNatural(data, scaling)) return bytesHdu(header, encodePixels(data, scaling));
  return { header, size: data.length * bytesPerPixel(scaling.bitpix), chunks: () => encodePixelChunks(data, scaling) };
}

function isNatural(data: PixelArray, s: Scaling): boolean {
  const n = defaultScalingFor(data);
  return n.bitpix === s.bitpix && n.bzero === s.bzero && n.bscale === s.bscale;
}

/** The stored type and scaling a spec asks for, defaulting to the data's natural type. */
function scalingFor(data: PixelArray | undefined, spec: { bitpix?: Bitpix; bzero?: number; bscale?: number; blank?: number }): Scaling {
  const natural: Scaling = data ? defaultScalingFor(data) : { bitpix: spec.bitpix ?? 8, bzero: 0, bscale: 1 };
  const bitpix = spec.bitpix ?? natural.bitpix;
  return {
    bitpix,
    bzero: spec.bzero ?? (bitpix === natural.bitpix ? natural.bzero : 0),
    bscale: spec.bscale ?? 1,
    blank: spec.blank,
  };
}

/** Sets DATASUM and CHECKSUM so the HDU verifies (FITS 4.0 Appendix J). */
export function addChecksums(hdu: EncodedHdu): void {
  // Chunks are multiples of 4 bytes except possibly the last, whose zero padding completes it.
  let dataSum = 0;
  for (const chunk of hdu.chunks()) {
    const whole = chunk.length - (chunk.length % 4);
    dataSum = onesComplementSum(chunk.subarray(0, whole), dataSum);
    if (whole < chunk.length) {
      const tail = new Uint8Array(4);
      tail.set(chunk.subarray(whole));
      dataSum = onesComplementSum(tail, dataSum);
    }
  }
  const h = hdu.header;
  if (h.has('CHECKSUM')) h.set('CHECKSUM', '0000000000000000');
  else h.set('CHECKSUM', '0000000000000000', 'HDU checksum');
  if (h.has('DATASUM')) h.set('DATASUM', String(dataSum));
  else h.set('DATASUM', String(dataSum), 'data unit checksum', { after: 'CHECKSUM' });
  const headerBytes = h.toBytes();
  const sum = onesComplementSum(headerBytes, dataSum);
  h.set('CHECKSUM', encodeChecksum(complement32(sum)));
}

export { BLOCK_SIZE };
