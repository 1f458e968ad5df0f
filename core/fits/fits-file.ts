// Random access to the HDUs of a FITS file: opening scans only the headers (seeking past each
// data unit by its computed size), and reading an image or table reads only that HDU's bytes
// (for an image sub-region, only the rows it covers).
import { Header } from './header.js';
import { FitsError, type FitsErrorLocation } from './errors.js';
import { BLOCK_SIZE, axesOf, checkBitpix, dataSizeOf, padToBlock, type Bitpix } from './layout.js';
import {
  bytesPerPixel,
  consumeToFloat32,
  decodePhysical,
  decodeToFloat32,
  physicalTypeOf,
  pixelTypeOf,
  scalingOf,
  setPixels,
  storedView,
  swapPlanOf,
  uninitializedFloat32,
  uninitializedPixels,
  type PixelArray,
  type Scaling,
  type SwapPlan,
} from './pixels.js';
import { KERNEL_CHUNK, wasmKernel, type WasmKernel } from './wasm/kernel.js';
import { FileSource, MemorySource, type ByteSource } from './source.js';
import { readCompressedImage, compressedImageInfo } from './compressed-read.js';
import { parseTable, type Table } from './table.js';
import { verifyChecksums, type ChecksumStatus } from './checksum.js';
import { checkRegion, type Region } from './region.js';

export { checkRegion, type Region };

export type HduKind = 'image' | 'bintable' | 'table' | 'compressed-image' | 'other';

export interface HduInfo {
  index: number;
  /** EXTNAME, or 'PRIMARY' for HDU 0 without one. */
  name: string;
  /** EXTVER (1 when absent). */
  version: number;
  kind: HduKind;
  /** The header as stored in the file (for a compressed image: the binary table's header). */
  header: Header;
  headerOffset: number;
  dataOffset: number;
  /** Data size in bytes without padding. */
  dataSize: number;
  /** Image BITPIX (for a compressed image, ZBITPIX); 8 for tables. */
  bitpix: Bitpix;
  /** Image axes NAXIS1..n (for a compressed image, ZNAXISn; for a table, [row bytes, rows]). */
  axes: number[];
  /** ZCMPTYPE of a tile-compressed image. */
  compression?: string;
  /** The data unit extends past the end of the file. */
  truncated: boolean;
}

export interface ImageData<T extends PixelArray = PixelArray> {
  /** NAXIS1..n of the returned array (the region's width and height when a region was read). */
  axes: number[];
  /** Row-major pixels: index = x + axes[0] · (y + axes[1] · plane). */
  data: T;
  /** The scaling that turned stored into physical values. */
  scaling: Scaling;
}

export type HduRef = number | string;

export class FitsFile {
  readonly hdus: HduInfo[];
  /** Bytes after the last HDU that do not start a valid extension (kept as a warning, not an error). */
  readonly trailingBytes: number;

  private constructor(private readonly source: ByteSource) {
    const { hdus, trailingBytes } = scanHdus(source);
    this.hdus = hdus;
    this.trailingBytes = trailingBytes;
  }

  /** Opens a file and reads its headers (only). */
  static open(path: string): FitsFile {
    let source: FileSource;
    try {
      source = new FileSource(path);
    } catch (err) {
      throw new FitsError(`cannot open: ${(err as Error).message}`, { file: path });
    }
    try {
      return new FitsFile(source);
    } catch (err) {
      source.close();
      throw err;
    }
  }

  /** The same API over bytes already in memory. */
  static fromBytes(bytes: Uint8Array, name = '<memory>'): FitsFile {
    return new FitsFile(new MemorySource(bytes, name));
  }

  get name(): string {
    return this.source.name;
  }

  get size(): number {
    return this.source.size;
  }

  /** Bytes read from the file so far (headers included). */
  get bytesRead(): number {
    return this.source.bytesRead;
  }

  close(): void {
    this.source.close();
  }

  /** An HDU by index, by EXTNAME (case-insensitive), or by "EXTNAME,EXTVER". */
  hdu(ref: HduRef): HduInfo {
    if (typeof ref === 'number' || /^\d+$/.test(ref)) {
      const i = Number(ref);
      const h = this.hdus[i];
      if (!h) throw new FitsError(`no HDU ${i}: the file has ${this.hdus.length} (0..${this.hdus.length - 1})`, { file: this.name });
      return h;
    }
    const [nameText, verText] = ref.split(',');
    const name = nameText.trim().toUpperCase();
    const version = verText === undefined ? undefined : Number(verText);
    const found = this.hdus.find((h) => h.name.toUpperCase() === name && (version === undefined || h.version === version));
    if (!found) {
      const names = this.hdus.map((h) => `${h.index}:${h.name}`).join(', ');
      throw new FitsError(`no HDU named ${ref} (HDUs: ${names})`, { file: this.name });
    }
    return found;
  }

  /** Reads raw bytes of the file (fresh, aligned buffer). */
  readBytes(offset: number, length: number): Uint8Array {
    return this.source.read(offset, length);
  }

  /** The header of the image an HDU holds: for a compressed image the reconstructed image header. */
  imageHeader(ref: HduRef): Header {
    const h = this.hdu(ref);
    if (h.kind === 'compressed-image') return compressedImageInfo(h.header, this.where(h)).imageHeader;
    return h.header;
  }

  /**
   * Pixels in the physical type astropy gives (uint16 for BZERO 32768, float when scaled, ...).
   * `into`: an array of that type holding at least the pixels read, which receives them (no new
   * memory); the result's data is then a view of it.
   */
  readImage(ref: HduRef, options: { region?: Region; into?: PixelArray } = {}): ImageData {
    const h = this.requireImage(ref);
    const { region, into } = options;
    if (into) {
      const type = physicalTypeOf(h.kind === 'compressed-image' ? scalingOf(this.imageHeader(h.index), h.bitpix) : scalingOf(h.header, h.bitpix));
      if (pixelTypeOf(into) !== type) throw new FitsError(`the output array is ${pixelTypeOf(into)} but the image's pixels are ${type}`, this.where(h));
      checkInto(into, regionPixels(h, region), this.where(h));
    }
    if (h.kind !== 'compressed-image' && !region) {
      const scaling = scalingOf(h.header, h.bitpix);
      const plan = swapPlanOf(scaling);
      const kernel = wasmKernel('read');
      if (plan && kernel) {
        this.checkComplete(h);
        const n = pixelCount(h);
        // A new array is not zeroed: readSwapped writes every value (or throws).
        const out = into ? into.subarray(0, n) : uninitializedPixels(plan.type, n);
        this.readSwapped(h, plan, kernel, out);
        return { axes: h.axes.slice(), data: out, scaling };
      }
    }
    let result: ImageData;
    if (h.kind === 'compressed-image') result = readCompressedImage(this, h, region, 'physical');
    else {
      const { bytes, axes, scaling } = this.readImageBytes(h, region);
      result = { axes, data: decodePhysical(bytes, scaling), scaling };
    }
    if (!into) return result;
    setPixels(into, result.data, 0);
    return { ...result, data: into.subarray(0, result.data.length) };
  }

  /** Physical values as float32 (BLANK → NaN), the fast path for display and processing. */
  readImageFloat32(ref: HduRef, options: { region?: Region; into?: Float32Array } = {}): ImageData<Float32Array> {
    const h = this.requireImage(ref);
    let result: ImageData<Float32Array>;
    if (h.kind === 'compressed-image') {
      if (options.into) checkInto(options.into, regionPixels(h, options.region), this.where(h));
      result = readCompressedImage(this, h, options.region, 'float32', options.into) as ImageData<Float32Array>;
    } else if (!options.region && Math.abs(h.bitpix) <= 32) result = this.readWholeFloat32(h, options.into);
    else {
      const { bytes, axes, scaling } = this.readImageBytes(h, options.region);
      result = { axes, data: decodeToFloat32(bytes, scaling), scaling };
    }
    // Paths that did not decode into the caller's array (regions, other types) are copied into it.
    if (options.into && !(result.data.buffer === options.into.buffer && result.data.byteOffset === options.into.byteOffset)) {
      checkInto(options.into, result.data.length, this.where(h));
      options.into.set(result.data);
      result = { ...result, data: options.into.subarray(0, result.data.length) };
    }
    return result;
  }

  /** A binary or ASCII table. */
  readTable(ref: HduRef): Table {
    const h = this.hdu(ref);
    if (h.kind !== 'bintable' && h.kind !== 'table' && h.kind !== 'compressed-image') {
      throw new FitsError(`HDU ${h.index} (${h.name}) is ${h.kind}, not a table`, this.where(h));
    }
    return parseTable(h.header, this.readData(h), this.where(h));
  }

  /** The whole (unpadded) data unit of an HDU, or its first `length` bytes. */
  readData(h: HduInfo, length = h.dataSize): Uint8Array {
    this.checkComplete(h);
    return this.source.read(h.dataOffset, Math.min(length, h.dataSize));
  }

  /** DATASUM/CHECKSUM status of an HDU (reads its header and data). */
  verifyChecksum(ref: HduRef): ChecksumStatus {
    const h = this.hdu(ref);
    this.checkComplete(h);
    const headerBytes = this.source.read(h.headerOffset, h.dataOffset - h.headerOffset);
    const data = this.source.read(h.dataOffset, padToBlock(h.dataSize));
    return verifyChecksums(h.header, headerBytes, data);
  }

  where(h: HduInfo, extra: FitsErrorLocation = {}): FitsErrorLocation {
    return { file: this.name, hdu: h.index, ...extra };
  }

  private requireImage(ref: HduRef): HduInfo {
    const h = this.hdu(ref);
    if (h.kind !== 'image' && h.kind !== 'compressed-image') {
      throw new FitsError(`HDU ${h.index} (${h.name}) is ${h.kind}, not an image`, this.where(h));
    }
    return h;
  }

  private checkComplete(h: HduInfo): void {
    if (h.truncated) {
      throw new FitsError(
        `data unit is truncated: needs ${h.dataSize} bytes from byte ${h.dataOffset}, the file ends at byte ${this.size}`,
        this.where(h, { offset: this.size }),
      );
    }
  }

  /**
   * Whole image to float32 with no intermediate buffer: the stored bytes are read into the tail
   * of the output's memory and converted front to back in place (output element i never
   * overwrites a stored value not yet converted, since stored values are at most 4 bytes).
   */
  private readWholeFloat32(h: HduInfo, into?: Float32Array): ImageData<Float32Array> {
    this.checkComplete(h);
    const scaling = scalingOf(h.header, h.bitpix);
    const n = pixelCount(h);
    if (into) checkInto(into, n, this.where(h));
    // A caller's reused array avoids faulting in fresh memory (the dominant cost for large images).
    // Not zeroed: the read and the conversion write every value (or this throws).
    const out = into ? into.subarray(0, n) : uninitializedFloat32(n);
    const plan = swapPlanOf(scaling);
    const kernel = wasmKernel('read');
    if (plan && kernel && plan.size <= 4) {
      this.readSwapped(h, plan, kernel, out);
      return { axes: h.axes.slice(), data: out, scaling };
    }
    // Otherwise the stored bytes are read into the tail of the output and converted in place.
    const bpp = bytesPerPixel(h.bitpix);
    const tail = new Uint8Array(out.buffer, out.byteOffset + out.byteLength - n * bpp, n * bpp);
    const got = this.source.readInto(h.dataOffset, tail);
    if (got !== tail.length) throw new FitsError(`data unit ends after ${got} of ${tail.length} bytes`, this.where(h, { offset: h.dataOffset + got }));
    const stored = storedView(tail, h.bitpix);
    if (h.bitpix === -32 && scaling.bscale === 1 && scaling.bzero === 0) return { axes: h.axes.slice(), data: out, scaling };
    consumeToFloat32(stored, scaling, out);
    return { axes: h.axes.slice(), data: out, scaling };
  }

  /**
   * A whole image whose physical values are its stored values byte-swapped (and top-bit flipped):
   * the data unit is read in chunks into the kernel's scratch, converted there, and copied into
   * `out` (the engine's native copy, converting to out's type), so the output is written once and
   * the stored bytes need no buffer of their own.
   */
  private readSwapped(h: HduInfo, plan: SwapPlan, kernel: WasmKernel, out: PixelArray): void {
    const total = pixelCount(h) * plan.size;
    const chunk = KERNEL_CHUNK - (KERNEL_CHUNK % plan.size);
    for (let done = 0; done < total; done += chunk) {
      const m = Math.min(chunk, total - done);
      const got = this.source.readInto(h.dataOffset + done, kernel.bytes.subarray(0, m));
      if (got !== m) throw new FitsError(`data unit ends after ${done + got} of ${total} bytes`, this.where(h, { offset: h.dataOffset + done + got }));
      kernel.toNative(m, plan.size, plan.flip);
      setPixels(out, plan.view(kernel.bytes.buffer as ArrayBuffer, m / plan.size), done / plan.size);
    }
  }

  private readImageBytes(h: HduInfo, region: Region | undefined): { bytes: Uint8Array; axes: number[]; scaling: Scaling } {
    this.checkComplete(h);
    const scaling = scalingOf(h.header, h.bitpix);
    const bpp = bytesPerPixel(h.bitpix);
    if (!region) return { bytes: this.source.read(h.dataOffset, h.dataSize), axes: h.axes.slice(), scaling };
    const [nx, ny] = [h.axes[0] ?? 0, h.axes[1] ?? 1];
    checkRegion(region, h.axes, this.where(h));
    const plane = region.plane ?? 0;
    const rowBytes = nx * bpp;
    const start = h.dataOffset + (plane * ny + region.y) * rowBytes;
    const rows = this.source.read(start, region.height * rowBytes);
    if (region.x === 0 && region.width === nx) return { bytes: rows, axes: [nx, region.height], scaling };
    const out = new Uint8Array(new ArrayBuffer(region.width * region.height * bpp));
    const cut = region.width * bpp;
    for (let r = 0; r < region.height; r++) {
      const from = r * rowBytes + region.x * bpp;
      out.set(rows.subarray(from, from + cut), r * cut);
    }
    return { bytes: out, axes: [region.width, region.height], scaling };
  }
}

/** Pixels of an image HDU. */
function pixelCount(h: HduInfo): number {
  return h.axes.length ? h.axes.reduce((a, b) => a * b, 1) : 0;
}

/** Pixels of an image HDU, or of a region of it. */
function regionPixels(h: HduInfo, region: Region | undefined): number {
  return region ? region.width * region.height : pixelCount(h);
}

function checkInto(into: PixelArray, n: number, where: FitsErrorLocation): void {
  if (into.length < n) throw new FitsError(`the output array holds ${into.length} values but the image has ${n} pixels`, where);
}

function scanHdus(source: ByteSource): { hdus: HduInfo[]; trailingBytes: number } {
  const hdus: HduInfo[] = [];
  let offset = 0;
  while (offset < source.size) {
    const index = hdus.length;
    const where = { file: source.name, hdu: index };
    const first = source.read(offset, BLOCK_SIZE);
    const firstText = Buffer.from(first.buffer, first.byteOffset, Math.min(80, first.byteLength)).toString('latin1');
    if (index === 0 && !firstText.startsWith('SIMPLE  ')) {
      throw new FitsError(`not a FITS file: the first card must be SIMPLE, found "${printable(firstText.slice(0, 30))}"`, { ...where, card: 1, offset: 0 });
    }
    // Anything after the last HDU that is not an extension (zero padding, junk) ends the scan.
    if (index > 0 && !firstText.startsWith('XTENSION')) break;

    const headerText = readHeaderText(source, offset, first, where);
    const header = Header.parse(headerText, { ...where, offset });
    const headerSize = padToBlock(headerText.length);
    const dataOffset = offset + headerSize;
    const info = describeHdu(index, header, offset, dataOffset, source.size, where);
    hdus.push(info);
    offset = dataOffset + padToBlock(info.dataSize);
  }
  return { hdus, trailingBytes: Math.max(0, source.size - offset) };
}

function readHeaderText(source: ByteSource, offset: number, firstBlock: Uint8Array, where: FitsErrorLocation): string {
  let text = '';
  for (let block = offset; ; block += BLOCK_SIZE) {
    const bytes = block === offset ? firstBlock : source.read(block, BLOCK_SIZE);
    if (bytes.length < BLOCK_SIZE) {
      throw new FitsError(`header has no END card before the end of the file (truncated at byte ${block + bytes.length})`, {
        ...where,
        card: (block - offset) / 80 + Math.floor(bytes.length / 80) + 1,
        offset: block + bytes.length,
      });
    }
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    text += chunk;
    for (let c = 0; c < BLOCK_SIZE; c += 80) {
      if (chunk.startsWith('END', c) && chunk.slice(c + 3, c + 80).trim() === '') return text;
    }
  }
}

function describeHdu(index: number, header: Header, headerOffset: number, dataOffset: number, fileSize: number, where: FitsErrorLocation): HduInfo {
  const firstKey = header.cards[0]?.keyword;
  const hduWhere = { ...where, offset: headerOffset };
  let kind: HduKind = 'image';
  if (index > 0) {
    if (firstKey !== 'XTENSION') throw new FitsError('extension header does not start with XTENSION', { ...hduWhere, card: 1 });
    const xtension = (header.getString('XTENSION') ?? '').trim().toUpperCase();
    if (xtension === 'IMAGE') kind = 'image';
    else if (xtension === 'BINTABLE' || xtension === 'A3DTABLE') kind = header.get('ZIMAGE') === true ? 'compressed-image' : 'bintable';
    else if (xtension === 'TABLE') kind = 'table';
    else kind = 'other';
  }
  // Random groups (NAXIS1 = 0, GROUPS = T) are skipped correctly but not decoded as an image.
  if (kind === 'image' && header.get('GROUPS') === true && header.getNumber('NAXIS1') === 0) kind = 'other';
  const dataSize = dataSizeOf(header, hduWhere);
  let bitpix = checkBitpix(header.requireInt('BITPIX', hduWhere), hduWhere);
  let axes = axesOf(header, hduWhere);
  let compression: string | undefined;
  let naming = header;
  if (kind === 'compressed-image') {
    const info = compressedImageInfo(header, hduWhere);
    bitpix = info.bitpix;
    axes = info.axes;
    compression = info.compression;
    naming = info.imageHeader;
  }
  const extname = naming.getString('EXTNAME') ?? header.getString('EXTNAME');
  return {
    index,
    name: extname !== undefined ? extname : index === 0 ? 'PRIMARY' : '',
    version: naming.getNumber('EXTVER') ?? 1,
    kind,
    header,
    headerOffset,
    dataOffset,
    dataSize,
    bitpix,
    axes,
    compression,
    truncated: dataOffset + dataSize > fileSize,
  };
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').trimEnd();
}
