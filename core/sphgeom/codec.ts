// lsst.sphgeom's binary region encoding (little-endian float64 after a type byte)
// and daf_butler's SQLite storage of it: base64 text; ':'-joined base64 pieces
// denote a union (sphgeom's decodeBase64).
import { Box } from './box.js';
import { Circle } from './circle.js';
import { ConvexPolygon } from './convexPolygon.js';
import { IntersectionRegion, UnionRegion, type Region } from './region.js';
import type { Vec3 } from './vector.js';

export const TYPE_CODES = { box: 0x62, circle: 0x63, polygon: 0x70, ellipse: 0x65, union: 0x75, intersection: 0x69 } as const;
const BOX_SIZE = 33;
const CIRCLE_SIZE = 41;

export class RegionDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegionDecodeError';
  }
}

class Writer {
  private chunks: number[] = [];
  private readonly scratch = new DataView(new ArrayBuffer(8));
  byte(b: number): void {
    this.chunks.push(b);
  }
  f64(x: number): void {
    this.scratch.setFloat64(0, x, true);
    for (let i = 0; i < 8; i += 1) this.chunks.push(this.scratch.getUint8(i));
  }
  u64(x: number): void {
    this.scratch.setBigUint64(0, BigInt(x), true);
    for (let i = 0; i < 8; i += 1) this.chunks.push(this.scratch.getUint8(i));
  }
  bytes(b: Uint8Array): void {
    for (const x of b) this.chunks.push(x);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

export function encodeRegion(region: Region): Uint8Array {
  const w = new Writer();
  switch (region.kind) {
    case 'polygon':
      w.byte(TYPE_CODES.polygon);
      for (const v of region.vertices) {
        w.f64(v[0]);
        w.f64(v[1]);
        w.f64(v[2]);
      }
      break;
    case 'circle':
      w.byte(TYPE_CODES.circle);
      w.f64(region.center[0]);
      w.f64(region.center[1]);
      w.f64(region.center[2]);
      w.f64(region.squaredChordLength);
      w.f64(region.openingAngle);
      break;
    case 'box':
      w.byte(TYPE_CODES.box);
      w.f64(region.lon.a);
      w.f64(region.lon.b);
      w.f64(region.lat.a);
      w.f64(region.lat.b);
      break;
    case 'union':
    case 'intersection':
      w.byte(TYPE_CODES[region.kind]);
      for (const operand of region.operands) {
        const bytes = encodeRegion(operand);
        w.u64(bytes.length);
        w.bytes(bytes);
      }
      break;
  }
  return w.done();
}

export function decodeRegion(bytes: Uint8Array): Region {
  if (bytes.length === 0) throw new RegionDecodeError('Byte-string is not an encoded Region: it is empty');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f64 = (offset: number): number => view.getFloat64(offset, true);
  const type = bytes[0];
  switch (type) {
    case TYPE_CODES.polygon: {
      if (bytes.length < 1 + 24 * 3 || (bytes.length - 1) % 24 !== 0) {
        throw new RegionDecodeError(`Byte-string is not an encoded ConvexPolygon: ${bytes.length} bytes (need 1 + 24·n, n ≥ 3)`);
      }
      const vertices: Vec3[] = [];
      for (let o = 1; o < bytes.length; o += 24) vertices.push([f64(o), f64(o + 8), f64(o + 16)]);
      return ConvexPolygon.fromOrderedVertices(vertices);
    }
    case TYPE_CODES.circle:
      if (bytes.length !== CIRCLE_SIZE) throw new RegionDecodeError(`Byte-string is not an encoded Circle: ${bytes.length} bytes (need ${CIRCLE_SIZE})`);
      return new Circle([f64(1), f64(9), f64(17)], f64(25), f64(33));
    case TYPE_CODES.box:
      if (bytes.length !== BOX_SIZE) throw new RegionDecodeError(`Byte-string is not an encoded Box: ${bytes.length} bytes (need ${BOX_SIZE})`);
      return Box.fromIntervals({ a: f64(1), b: f64(9) }, { a: f64(17), b: f64(25) });
    case TYPE_CODES.union:
    case TYPE_CODES.intersection: {
      const operands: Region[] = [];
      let o = 1;
      while (o < bytes.length) {
        if (o + 8 > bytes.length) throw new RegionDecodeError('Encoded CompoundRegion is truncated.');
        const n = Number(view.getBigUint64(o, true));
        o += 8;
        if (o + n > bytes.length) throw new RegionDecodeError('Encoded CompoundRegion is truncated.');
        operands.push(decodeRegion(bytes.subarray(o, o + n)));
        o += n;
      }
      return type === TYPE_CODES.union ? new UnionRegion(operands) : new IntersectionRegion(operands);
    }
    case TYPE_CODES.ellipse:
      throw new RegionDecodeError('Ellipse regions are not supported (only ConvexPolygon, Circle, Box, union and intersection)');
    default:
      throw new RegionDecodeError(`Byte-string is not an encoded Region: unknown type byte 0x${type.toString(16).padStart(2, '0')}`);
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new RegionDecodeError(`region text is not valid base64: "${text.length > 40 ? text.slice(0, 40) + '…' : text}"`);
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) out[i] = binary.charCodeAt(i);
  return out;
}

/** daf_butler's TEXT column value for a region. */
export function encodeRegionBase64(region: Region): string {
  return toBase64(encodeRegion(region));
}

/** Decode a region column value; '' is the empty union and 'a:b' a union, as sphgeom's decodeBase64. */
export function decodeRegionBase64(text: string): Region {
  if (text === '') return new UnionRegion([]);
  const pieces = text.split(':');
  if (pieces.length > 1) return new UnionRegion(pieces.map((p) => decodeRegion(fromBase64(p))));
  return decodeRegion(fromBase64(text));
}
