// Reading binary tables (all TFORM codes, TSCAL/TZERO with the unsigned conventions, TNULL,
// variable-length arrays in the heap) and ASCII tables, column by column.
import { FitsError, type FitsErrorLocation } from './errors.js';
import type { Header } from './header.js';
import { alignedBytes, decodePhysical, physicalTypeOf, storedView, type PixelArray } from './pixels.js';
import { CODE_BITPIX, ELEMENT_SIZE, parseAsciiFormat, parseBinaryFormat, type AsciiFormat, type BinaryFormat } from './table-format.js';

export interface Column {
  index: number;
  /** TTYPEn ('' when absent). */
  name: string;
  /** TFORMn as written. */
  tform: string;
  unit?: string;
  /** TDIMn, NAXIS order (fastest first). */
  dim?: number[];
  zero: number;
  scale: number;
  /** TNULLn (integer) or the null string of an ASCII column. */
  null?: number | string;
  /** Byte offset of the field in a row. */
  offset: number;
  binary?: BinaryFormat;
  ascii?: AsciiFormat;
}

export type ColumnValues =
  /** Numbers (physical values after TSCAL/TZERO), `repeat` per row, row-major. */
  | { kind: 'numeric'; repeat: number; values: PixelArray }
  /** Interleaved real/imaginary pairs, `repeat` complex numbers per row. */
  | { kind: 'complex'; repeat: number; values: Float32Array | Float64Array }
  | { kind: 'logical'; repeat: number; values: Array<boolean | null> }
  /** One 0/1 byte per bit, `repeat` per row. */
  | { kind: 'bits'; repeat: number; values: Uint8Array }
  /** One string per row, trailing blanks and NULs removed. */
  | { kind: 'string'; values: string[] }
  /** Variable-length arrays: one entry per row. */
  | { kind: 'varlen'; values: Array<PixelArray | string | Array<boolean | null>> };

export class Table {
  constructor(
    readonly kind: 'bintable' | 'table',
    readonly header: Header,
    readonly rows: number,
    readonly rowBytes: number,
    readonly columns: Column[],
    private readonly data: Uint8Array,
    private readonly heapOffset: number,
    private readonly where: FitsErrorLocation,
    private readonly heap?: HeapReader,
  ) {}

  /** `length` bytes at `offset` from the start of the data unit, from memory or through the heap reader. */
  private dataBytes(start: number, length: number, what: string): Uint8Array {
    if (start + length <= this.data.length) return this.data.subarray(start, start + length);
    if (this.heap && start + length <= this.heap.dataSize) return this.heap.read(start, length);
    throw new FitsError(`${what}: heap array (${length} bytes at heap offset ${start - this.heapOffset}) runs past the data unit`, this.where);
  }

  column(ref: string | number): Column {
    const col =
      typeof ref === 'number'
        ? this.columns[ref]
        : this.columns.find((c) => c.name === ref) ?? this.columns.find((c) => c.name.toUpperCase() === ref.toUpperCase());
    if (!col) throw new FitsError(`no column ${ref} (columns: ${this.columns.map((c) => c.name || `#${c.index + 1}`).join(', ')})`, this.where);
    return col;
  }

  /** Decodes a whole column. */
  read(ref: string | number): ColumnValues {
    const col = this.column(ref);
    return this.kind === 'table' ? this.readAscii(col) : this.readBinary(col);
  }

  /** Bytes of one field in every row, packed (aligned, fresh). */
  private gather(col: Column, width: number): Uint8Array {
    const out = alignedBytes(width * this.rows);
    for (let r = 0; r < this.rows; r++) {
      const from = r * this.rowBytes + col.offset;
      out.set(this.data.subarray(from, from + width), r * width);
    }
    return out;
  }

  private readBinary(col: Column): ColumnValues {
    const f = col.binary as BinaryFormat;
    if (f.varlen) return this.readVarlen(col, f);
    const bytes = this.gather(col, f.width);
    return decodeElements(bytes, f.code, f.repeat, col, this.rows);
  }

  private readVarlen(col: Column, f: BinaryFormat): ColumnValues {
    const descriptors = this.gather(col, f.width);
    const view = new DataView(descriptors.buffer);
    const values: Array<PixelArray | string | Array<boolean | null>> = [];
    const size = f.code === 'X' ? 1 : ELEMENT_SIZE[f.code];
    for (let r = 0; r < this.rows; r++) {
      const count = f.varlen === 'P' ? view.getUint32(r * 8) : Number(view.getBigUint64(r * 16));
      const offset = f.varlen === 'P' ? view.getUint32(r * 8 + 4) : Number(view.getBigUint64(r * 16 + 8));
      const nbytes = f.code === 'X' ? Math.ceil(count / 8) : count * size;
      const bytes = alignedBytes(nbytes);
      bytes.set(this.dataBytes(this.heapOffset + offset, nbytes, `row ${r + 1} column ${col.name}`));
      const decoded = decodeElements(bytes, f.code, count, col, 1);
      values.push(decoded.kind === 'string' ? decoded.values[0] : decoded.kind === 'logical' ? decoded.values : decoded.values as PixelArray);
    }
    return { kind: 'varlen', values };
  }

  /** The raw bytes of a variable-length array cell (for tile-compressed images). */
  heapBytes(ref: string | number, row: number): Uint8Array {
    const col = this.column(ref);
    const f = col.binary;
    if (!f?.varlen) throw new FitsError(`column ${col.name} is not a variable-length array`, this.where);
    const at = row * this.rowBytes + col.offset;
    const view = new DataView(this.data.buffer, this.data.byteOffset + at, f.width);
    const count = f.varlen === 'P' ? view.getUint32(0) : Number(view.getBigUint64(0));
    const offset = f.varlen === 'P' ? view.getUint32(4) : Number(view.getBigUint64(8));
    const nbytes = count * (f.code === 'X' ? 1 : ELEMENT_SIZE[f.code]);
    return this.dataBytes(this.heapOffset + offset, nbytes, `row ${row + 1} column ${col.name}`);
  }

  /** A fixed-width field of one row as raw bytes. */
  fieldBytes(ref: string | number, row: number): Uint8Array {
    const col = this.column(ref);
    const width = col.binary?.width ?? col.ascii?.width ?? 0;
    const at = row * this.rowBytes + col.offset;
    return this.data.subarray(at, at + width);
  }

  private readAscii(col: Column): ColumnValues {
    const f = col.ascii as AsciiFormat;
    const texts: string[] = [];
    for (let r = 0; r < this.rows; r++) {
      const at = r * this.rowBytes + col.offset;
      texts.push(Buffer.from(this.data.subarray(at, at + f.width)).toString('latin1'));
    }
    if (f.code === 'A') return { kind: 'string', values: texts.map((t) => t.replace(/[ \0]+$/, '')) };
    // astropy's types: I → int16 (width ≤ 4), int32 (≤ 9) or int64; F, E, D and scaled → float64.
    const scaled = col.scale !== 1 || col.zero !== 0;
    let values: PixelArray;
    if (f.code === 'I' && !scaled) values = f.width <= 4 ? new Int16Array(this.rows) : f.width <= 9 ? new Int32Array(this.rows) : new BigInt64Array(this.rows);
    else values = new Float64Array(this.rows);
    texts.forEach((t, r) => {
      const s = t.trim();
      // Empty and TNULL fields read as 0, as astropy reads them.
      const isNull = s === '' || (col.null !== undefined && s === String(col.null).trim());
      const v = isNull ? 0 : Number(s.replace(/[Dd]/, 'E'));
      if (Number.isNaN(v)) throw new FitsError(`row ${r + 1} column ${col.name}: '${s}' is not a number (TFORM ${col.tform})`, this.where);
      if (values instanceof BigInt64Array) values[r] = isNull ? 0n : BigInt(s.replace(/^\+/, ''));
      else values[r] = values instanceof Float64Array ? v * col.scale + col.zero : v;
    });
    return { kind: 'numeric', repeat: 1, values };
  }
}

function decodeElements(bytes: Uint8Array, code: BinaryFormat['code'], repeat: number, col: Column, rows: number): ColumnValues {
  switch (code) {
    case 'A': {
      const values: string[] = [];
      const width = repeat;
      for (let r = 0; r < rows; r++) {
        const text = Buffer.from(bytes.subarray(r * width, (r + 1) * width)).toString('latin1');
        const nul = text.indexOf('\0');
        values.push((nul >= 0 ? text.slice(0, nul) : text).replace(/ +$/, ''));
      }
      return { kind: 'string', values };
    }
    case 'L': {
      const values: Array<boolean | null> = [];
      for (let i = 0; i < bytes.length; i++) values.push(bytes[i] === 0x54 ? true : bytes[i] === 0x46 ? false : null);
      return { kind: 'logical', repeat, values };
    }
    case 'X': {
      const values = new Uint8Array(rows * repeat);
      const width = Math.ceil(repeat / 8);
      for (let r = 0; r < rows; r++) {
        for (let b = 0; b < repeat; b++) values[r * repeat + b] = (bytes[r * width + (b >> 3)] >> (7 - (b & 7))) & 1;
      }
      return { kind: 'bits', repeat, values };
    }
    case 'C':
    case 'M': {
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (code === 'C') {
        buf.swap32();
        return { kind: 'complex', repeat, values: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4) };
      }
      buf.swap64();
      return { kind: 'complex', repeat, values: new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8) };
    }
    default: {
      const bitpix = CODE_BITPIX[code];
      if (bitpix === undefined) throw new FitsError(`unsupported TFORM code ${code}`);
      // As astropy: TNULL does not change a column's type; pseudo-unsigned TZERO gives unsigned
      // integers; any other scaling gives float64.
      const scaling = { bitpix, bzero: col.zero, bscale: col.scale };
      const pseudo = physicalTypeOf(scaling);
      if (col.zero === 0 && col.scale === 1) return { kind: 'numeric', repeat, values: decodePhysical(bytes, scaling) };
      if (!pseudo.startsWith('float')) return { kind: 'numeric', repeat, values: decodePhysical(bytes, scaling) };
      const stored = storedView(bytes, bitpix);
      const out = new Float64Array(stored.length);
      for (let i = 0; i < stored.length; i++) out[i] = Number(stored[i]) * col.scale + col.zero;
      return { kind: 'numeric', repeat, values: out };
    }
  }
}

/** Reads heap bytes on demand when only the main table is in memory (offsets from the data unit's start). */
export interface HeapReader {
  /** Size of the whole data unit (table + heap). */
  dataSize: number;
  read(offset: number, length: number): Uint8Array;
}

/**
 * Reads the column layout of a BINTABLE or TABLE header over its data unit. `data` may hold only
 * the main table when a `heap` reader is given (variable-length arrays are then read on demand).
 */
export function parseTable(header: Header, data: Uint8Array, where: FitsErrorLocation, heap?: HeapReader): Table {
  const xtension = (header.getString('XTENSION') ?? '').trim().toUpperCase();
  const kind = xtension === 'TABLE' ? 'table' : 'bintable';
  const rowBytes = header.requireInt('NAXIS1', where);
  const rows = header.requireInt('NAXIS2', where);
  const fields = header.requireInt('TFIELDS', where);
  const columns: Column[] = [];
  let offset = 0;
  for (let i = 1; i <= fields; i++) {
    const tform = header.getString(`TFORM${i}`);
    if (tform === undefined) throw new FitsError(`required keyword TFORM${i} is missing`, where);
    const col: Column = {
      index: i - 1,
      name: header.getString(`TTYPE${i}`) ?? '',
      tform,
      unit: header.getString(`TUNIT${i}`),
      zero: header.getNumber(`TZERO${i}`) ?? 0,
      scale: header.getNumber(`TSCAL${i}`) ?? 1,
      offset,
    };
    const tnull = header.get(`TNULL${i}`);
    if (typeof tnull === 'number' || typeof tnull === 'string') col.null = tnull;
    const tdim = header.getString(`TDIM${i}`);
    if (tdim) col.dim = tdim.replace(/[()]/g, '').split(',').map((s) => Number(s.trim()));
    const colWhere = { ...where, card: header.indexOf(`TFORM${i}`) + 1 };
    if (kind === 'table') {
      col.ascii = parseAsciiFormat(tform, colWhere);
      const tbcol = header.requireInt(`TBCOL${i}`, where);
      col.offset = tbcol - 1;
      if (col.offset + col.ascii.width > rowBytes) throw new FitsError(`column ${i} (TBCOL${i} = ${tbcol}, width ${col.ascii.width}) extends past NAXIS1 = ${rowBytes}`, colWhere);
    } else {
      col.binary = parseBinaryFormat(tform, colWhere);
      offset += col.binary.width;
    }
    columns.push(col);
  }
  if (kind === 'bintable' && offset !== rowBytes) {
    throw new FitsError(`the columns' TFORMs add up to ${offset} bytes per row but NAXIS1 = ${rowBytes}`, where);
  }
  const heapOffset = header.getNumber('THEAP') ?? rowBytes * rows;
  if (data.length < rowBytes * rows) throw new FitsError(`table data holds ${data.length} bytes, fewer than NAXIS1 × NAXIS2 = ${rowBytes * rows}`, where);
  return new Table(kind, header, rows, rowBytes, columns, data, heapOffset, where, heap);
}
