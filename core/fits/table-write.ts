// Encoding binary tables: fixed-width columns from typed arrays, strings and logicals, and
// variable-length array columns (P/Q) stored in the heap after the table.
import type { FitsValue } from './card.js';
import { FitsError } from './errors.js';
import { Header } from './header.js';
import { defaultScalingFor, encodePixels, pixelTypeOf, type PixelArray } from './pixels.js';
import { CODE_BITPIX, ELEMENT_SIZE, parseBinaryFormat, type BinaryCode } from './table-format.js';
import { withStructure } from './header-structure.js';

export type ColumnData = PixelArray | string[] | Array<boolean | null> | Array<PixelArray>;

export interface ColumnSpec {
  name: string;
  /** TFORM, e.g. '1J', '20A', '3E', '1PB'. Derived from the data when absent. */
  format?: string;
  unit?: string;
  /** TDIMn (NAXIS order). */
  dim?: number[];
  /** TNULLn for integer columns. */
  null?: number;
  /**
   * Rows × repeat values (numbers, strings, logicals; 0/1 per bit for X; interleaved real/imaginary
   * pairs for C and M), or one typed array per row for P/Q columns.
   */
  data: ColumnData;
}

interface PreparedColumn {
  spec: ColumnSpec;
  code: BinaryCode;
  repeat: number;
  varlen?: 'P' | 'Q';
  width: number;
  tform: string;
  zero: number;
}

const TYPED_CODE: Record<string, BinaryCode> = {
  uint8: 'B', int8: 'B', int16: 'I', uint16: 'I', int32: 'J', uint32: 'J', int64: 'K', uint64: 'K', float32: 'E', float64: 'D',
};

function isTyped(data: unknown): data is PixelArray {
  return ArrayBuffer.isView(data) && !(data instanceof DataView);
}

function prepare(spec: ColumnSpec, rows: number): PreparedColumn {
  const data = spec.data;
  if (spec.format) {
    const f = parseBinaryFormat(spec.format);
    const zero = isTyped(data) ? defaultScalingFor(data).bzero : 0;
    return { spec, code: f.code, repeat: f.repeat, varlen: f.varlen, width: f.width, tform: spec.format, zero };
  }
  if (isTyped(data)) {
    const code = TYPED_CODE[pixelTypeOf(data)];
    const repeat = rows === 0 ? 1 : data.length / rows;
    if (!Number.isInteger(repeat)) throw new FitsError(`column ${spec.name}: ${data.length} values do not divide into ${rows} rows`);
    return { spec, code, repeat, width: repeat * ELEMENT_SIZE[code], tform: `${repeat}${code}`, zero: defaultScalingFor(data).bzero };
  }
  const arr = data as unknown[];
  if (arr.length > 0 && isTyped(arr[0])) {
    const code = TYPED_CODE[pixelTypeOf(arr[0] as PixelArray)];
    const max = Math.max(0, ...(arr as PixelArray[]).map((a) => a.length));
    return { spec, code, repeat: 1, varlen: 'P', width: 8, tform: `1P${code}(${max})`, zero: defaultScalingFor(arr[0] as PixelArray).bzero };
  }
  if (arr.every((v) => typeof v === 'string')) {
    const width = Math.max(1, ...(arr as string[]).map((s) => Buffer.byteLength(s, 'latin1')));
    return { spec, code: 'A', repeat: width, width, tform: `${width}A`, zero: 0 };
  }
  if (arr.every((v) => typeof v === 'boolean' || v === null)) {
    const repeat = rows === 0 ? 1 : arr.length / rows;
    return { spec, code: 'L', repeat, width: repeat, tform: `${repeat}L`, zero: 0 };
  }
  throw new FitsError(`column ${spec.name}: cannot infer a TFORM from its data; give 'format'`);
}

/** Encodes the table (row-major data followed by the heap) and its header. */
export function encodeBinTable(specs: ColumnSpec[], source: Header, rowCount?: number): { header: Header; data: Uint8Array } {
  const rows = rowCount ?? (specs.length ? rowsOf(specs[0]) : 0);
  const columns = specs.map((s) => prepare(s, rows));
  const rowBytes = columns.reduce((a, c) => a + c.width, 0);
  const table = new Uint8Array(rowBytes * rows);
  const heapParts: Uint8Array[] = [];
  let heapSize = 0;
  let offset = 0;
  for (const col of columns) {
    const fields = col.varlen ? encodeVarlen(col, rows, heapParts, () => heapSize, (n) => (heapSize += n)) : encodeFixed(col, rows);
    for (let r = 0; r < rows; r++) table.set(fields.subarray(r * col.width, (r + 1) * col.width), r * rowBytes + offset);
    offset += col.width;
  }
  const data = Buffer.concat([table, ...heapParts]);

  const structural: Array<[string, FitsValue, string]> = [
    ['XTENSION', 'BINTABLE', 'binary table extension'],
    ['BITPIX', 8, 'array data type'],
    ['NAXIS', 2, 'number of array dimensions'],
    ['NAXIS1', rowBytes, 'length of dimension 1'],
    ['NAXIS2', rows, 'length of dimension 2'],
    ['PCOUNT', heapSize, 'number of group parameters'],
    ['GCOUNT', 1, 'number of groups'],
    ['TFIELDS', columns.length, 'number of table fields'],
  ];
  const columnKey = /^(TTYPE|TFORM|TUNIT|TDIM|TZERO|TSCAL|TNULL|TBCOL)\d+$/;
  const header = withStructure(source, structural, (k) => ['SIMPLE', 'XTENSION', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'PCOUNT', 'GCOUNT', 'TFIELDS', 'THEAP', 'EXTEND'].includes(k) || columnKey.test(k));
  // Column keywords go right after TFIELDS, grouped per column as astropy writes them.
  const columnCards = new Header();
  columns.forEach((col, i) => {
    const n = i + 1;
    columnCards.set(`TTYPE${n}`, col.spec.name);
    columnCards.set(`TFORM${n}`, col.tform);
    if (col.spec.unit) columnCards.set(`TUNIT${n}`, col.spec.unit);
    if (col.spec.dim) columnCards.set(`TDIM${n}`, `(${col.spec.dim.join(',')})`);
    if (col.spec.null !== undefined) columnCards.set(`TNULL${n}`, col.spec.null);
    if (col.zero !== 0) {
      columnCards.set(`TSCAL${n}`, 1);
      columnCards.set(`TZERO${n}`, col.zero);
    }
  });
  header.cards.splice(structural.length, 0, ...columnCards.cards);
  return { header, data };
}

function rowsOf(spec: ColumnSpec): number {
  const data = spec.data as { length: number };
  if (spec.format) {
    const f = parseBinaryFormat(spec.format);
    if (f.varlen || f.code === 'A') return data.length;
    return f.repeat === 0 ? 0 : data.length / f.repeat;
  }
  return data.length;
}

function encodeFixed(col: PreparedColumn, rows: number): Uint8Array {
  const data = col.spec.data;
  const n = rows * col.repeat;
  if (col.code === 'A') {
    const out = new Uint8Array(rows * col.width).fill(0x20);
    (data as string[]).forEach((s, r) => {
      const bytes = Buffer.from(s, 'latin1');
      if (bytes.length > col.width) throw new FitsError(`column ${col.spec.name} row ${r + 1}: '${s}' is longer than ${col.width} characters`);
      out.set(bytes, r * col.width);
    });
    return out;
  }
  if (col.code === 'L') {
    const out = new Uint8Array(n);
    (data as Array<boolean | null>).forEach((v, i) => (out[i] = v === true ? 0x54 : v === false ? 0x46 : 0));
    return out;
  }
  if (col.code === 'X') {
    // One 0/1 value per bit, packed most significant bit first.
    const bits = data as ArrayLike<number | boolean | null>;
    if (bits.length !== n) throw new FitsError(`column ${col.spec.name}: expected ${n} bits (${rows} rows × ${col.repeat})`);
    const out = new Uint8Array(rows * col.width);
    for (let r = 0; r < rows; r++) {
      for (let b = 0; b < col.repeat; b++) if (bits[r * col.repeat + b]) out[r * col.width + (b >> 3)] |= 0x80 >> (b & 7);
    }
    return out;
  }
  if (col.code === 'C' || col.code === 'M') {
    // Interleaved real/imaginary pairs.
    const want = col.code === 'C' ? Float32Array : Float64Array;
    if (!(data instanceof want) || data.length !== 2 * n) {
      throw new FitsError(`column ${col.spec.name}: TFORM ${col.tform} needs a ${want.name} of ${2 * n} interleaved real/imaginary values`);
    }
    return encodePixels(data, { bitpix: col.code === 'C' ? -32 : -64, bzero: 0, bscale: 1 });
  }
  if (!isTyped(data) || data.length !== n) throw new FitsError(`column ${col.spec.name}: expected ${n} values (${rows} rows × ${col.repeat}) in a typed array`);
  const bitpix = CODE_BITPIX[col.code];
  if (bitpix === undefined) throw new FitsError(`column ${col.spec.name}: unsupported TFORM ${col.tform}`);
  return encodePixels(data, { bitpix, bzero: col.zero, bscale: 1 });
}

function encodeVarlen(col: PreparedColumn, rows: number, heap: Uint8Array[], heapSize: () => number, grow: (n: number) => void): Uint8Array {
  const out = new Uint8Array(rows * col.width);
  const view = new DataView(out.buffer);
  const cells = col.spec.data as unknown[];
  const bitpix = CODE_BITPIX[col.code];
  for (let r = 0; r < rows; r++) {
    const cell = cells[r];
    let bytes: Uint8Array;
    let count: number;
    if (typeof cell === 'string' && col.code === 'A') {
      bytes = Buffer.from(cell, 'latin1');
      count = bytes.length;
    } else if (isTyped(cell) && bitpix !== undefined) {
      bytes = encodePixels(cell, { bitpix, bzero: col.zero, bscale: 1 });
      count = cell.length;
    } else {
      throw new FitsError(`column ${col.spec.name} row ${r + 1}: a variable-length ${col.code} cell must be a typed array`);
    }
    const at = heapSize();
    if (col.varlen === 'Q') {
      view.setBigUint64(r * 16, BigInt(count));
      view.setBigUint64(r * 16 + 8, BigInt(at));
    } else {
      view.setUint32(r * 8, count);
      view.setUint32(r * 8 + 4, at);
    }
    heap.push(bytes);
    grow(bytes.length);
  }
  return out;
}
