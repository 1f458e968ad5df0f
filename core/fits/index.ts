// core/fits: FITS in TypeScript (Node; not for the renderer bundle).
//
// Reading — random access, only the bytes asked for are read:
//   const f = FitsFile.open(path);               // scans headers only
//   f.hdus                                       // HduInfo[]: index, name, kind, header, bitpix, axes, compression, offsets
//   f.hdu(1) / f.hdu('SCI') / f.hdu('SCI,2')     // by index, EXTNAME, EXTNAME,EXTVER
//   f.readImage(ref, { region })                 // ImageData: physical values in astropy's type (uint16 for BZERO 32768, ...)
//   f.readImageFloat32(ref, { region, into })    // ImageData<Float32Array>: physical float32, BLANK → NaN (fast path;
//                                                //   `into` decodes into a reused array, avoiding fresh-memory page faults)
//   f.imageHeader(ref)                           // image header (rebuilt for tile-compressed images)
//   f.readTable(ref).read('COL')                 // BINTABLE / ASCII TABLE columns (ColumnValues)
//   f.verifyChecksum(ref)                        // { datasum, checksum: 'ok' | 'bad' | 'absent' }
//   f.bytesRead, f.trailingBytes                 // bytes read so far; non-FITS bytes after the last HDU
//   f.close()
//   FitsFile.fromBytes(bytes)                    // the same over a buffer
//
// Writing — atomic (temporary file + fsync + rename):
//   writeFits(path, [{ type: 'image', data, axes, header }, { type: 'bintable', columns }, ...], { checksum: true })
//   encodeFits(specs) → Uint8Array
//   compressed images: { type: 'compressed-image', data, axes, compression: { type: 'RICE_1' | 'GZIP_1' | 'GZIP_2' } }
//
// Headers: Header (cards with typed get/set, CONTINUE, HIERARCH, COMMENT/HISTORY; unmodified cards
// keep their original 80 characters). Errors: FitsError with file, hdu, card and byte offset.
export { FitsError, type FitsErrorLocation } from './errors.js';
export { type Card, type CardKind, type FitsValue, type FitsComplex, parseCard, formatCard, formatFloat, CARD_LENGTH } from './card.js';
export { Header, type SetOptions } from './header.js';
export { BLOCK_SIZE, type Bitpix, padToBlock, dataSizeOf, axesOf } from './layout.js';
export {
  type PixelArray,
  type PixelType,
  type Scaling,
  pixelTypeOf,
  physicalTypeOf,
  scalingOf,
  defaultScalingFor,
  decodeToFloat32,
  decodePhysical,
  storedToFloat32,
  storedToPhysical,
  encodePixels,
} from './pixels.js';
export { FitsFile, type HduInfo, type HduKind, type HduRef, type ImageData, type Region } from './fits-file.js';
export { Table, type Column, type ColumnValues, parseTable } from './table.js';
export { type ColumnSpec, type ColumnData } from './table-write.js';
export {
  writeFits,
  encodeFits,
  encodeHdus,
  type HduSpec,
  type ImageHduSpec,
  type BinTableHduSpec,
  type CompressedImageHduSpec,
  type RawHduSpec,
  type WriteOptions,
  type EncodedHdu,
} from './writer.js';
export { type CompressOptions, type CompressionType } from './compressed-write.js';
export { compressedImageInfo, type CompressedImageInfo } from './compressed-read.js';
export { copyFits, type CopyOptions, type CopyReport } from './copy.js';
export { imageStats, type ImageStats } from './stats.js';
export { onesComplementSum, encodeChecksum, verifyChecksums, type ChecksumStatus, type ChecksumState } from './checksum.js';
