// A 2-D pixel array in parent coordinates (afw Image): row-major typed-array storage with an
// origin (x0, y0). Sub-images are views that share the parent's memory (offset + row stride).
// Arithmetic follows afw: operands are first converted to the pixel type (float32 for the
// default Float32Array) and results are stored in it.
import { Box2I } from './box.js';

export type PixelArray = Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array;
export type PixelType = 'float32' | 'float64' | 'int32' | 'uint32' | 'int16' | 'uint16' | 'uint8';

interface PixelArrayConstructor<A extends PixelArray> {
  new (length: number): A;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
}

const constructors: Record<PixelType, PixelArrayConstructor<PixelArray>> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  uint8: Uint8Array,
};

export function pixelTypeOf(array: PixelArray): PixelType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Uint32Array) return 'uint32';
  if (array instanceof Int16Array) return 'int16';
  if (array instanceof Uint16Array) return 'uint16';
  return 'uint8';
}

export function allocatePixels(type: PixelType, length: number): PixelArray {
  return new constructors[type](length);
}

/** A scalar converted to the pixel type, as C++ does when afw takes `PixelT const &`. */
export function toPixelType(type: PixelType, value: number): number {
  switch (type) {
    case 'float32':
      return Math.fround(value);
    case 'float64':
      return value;
    default:
      return Math.trunc(value);
  }
}

function isFloatType(type: PixelType): boolean {
  return type === 'float32' || type === 'float64';
}

type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'idiv' | 'or' | 'and';

function scalarLoop(op: BinaryOp, a: PixelArray, start: number, n: number, v: number): void {
  const end = start + n;
  switch (op) {
    case 'add':
      for (let i = start; i < end; i++) a[i] = a[i] + v;
      break;
    case 'sub':
      for (let i = start; i < end; i++) a[i] = a[i] - v;
      break;
    case 'mul':
      for (let i = start; i < end; i++) a[i] = a[i] * v;
      break;
    case 'div':
      for (let i = start; i < end; i++) a[i] = a[i] / v;
      break;
    case 'idiv':
      for (let i = start; i < end; i++) a[i] = Math.trunc(a[i] / v);
      break;
    case 'or':
      for (let i = start; i < end; i++) a[i] = a[i] | v;
      break;
    case 'and':
      for (let i = start; i < end; i++) a[i] = a[i] & v;
      break;
  }
}

function arrayLoop(op: BinaryOp, a: PixelArray, aStart: number, b: PixelArray, bStart: number, n: number): void {
  const d = bStart - aStart;
  const end = aStart + n;
  switch (op) {
    case 'add':
      for (let i = aStart; i < end; i++) a[i] = a[i] + b[i + d];
      break;
    case 'sub':
      for (let i = aStart; i < end; i++) a[i] = a[i] - b[i + d];
      break;
    case 'mul':
      for (let i = aStart; i < end; i++) a[i] = a[i] * b[i + d];
      break;
    case 'div':
      for (let i = aStart; i < end; i++) a[i] = a[i] / b[i + d];
      break;
    case 'idiv':
      for (let i = aStart; i < end; i++) a[i] = Math.trunc(a[i] / b[i + d]);
      break;
    case 'or':
      for (let i = aStart; i < end; i++) a[i] = a[i] | b[i + d];
      break;
    case 'and':
      for (let i = aStart; i < end; i++) a[i] = a[i] & b[i + d];
      break;
  }
}

export interface ImageOptions {
  x0?: number;
  y0?: number;
}

export class Image<A extends PixelArray = Float32Array> {
  /** Backing storage, possibly larger than this image when it is a view. */
  readonly array: A;
  /** Index in `array` of local pixel (0, 0). */
  readonly offset: number;
  /** Elements between the starts of consecutive rows in `array`. */
  readonly stride: number;
  readonly width: number;
  readonly height: number;
  x0: number;
  y0: number;

  constructor(array: A, width: number, height: number, options: ImageOptions & { offset?: number; stride?: number } = {}) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
      throw new Error(`Image: bad dimensions ${width}×${height}`);
    }
    const offset = options.offset ?? 0;
    const stride = options.stride ?? width;
    if (stride < width) throw new Error(`Image: row stride ${stride} is smaller than the width ${width}`);
    const needed = height === 0 || width === 0 ? 0 : offset + (height - 1) * stride + width;
    if (needed > array.length) {
      throw new Error(`Image: ${width}×${height} pixels (stride ${stride}, offset ${offset}) need ${needed} elements, the array has ${array.length}`);
    }
    this.array = array;
    this.width = width;
    this.height = height;
    this.offset = offset;
    this.stride = stride;
    this.x0 = options.x0 ?? 0;
    this.y0 = options.y0 ?? 0;
  }

  /** A new zero-filled float32 image. */
  static create(width: number, height: number, options: ImageOptions = {}): Image<Float32Array> {
    return new Image(new Float32Array(width * height), width, height, options);
  }

  /** A new zero-filled image of the given pixel type. */
  static createOfType<T extends PixelArray>(type: PixelType, width: number, height: number, options: ImageOptions = {}): Image<T> {
    return new Image(allocatePixels(type, width * height) as T, width, height, options);
  }

  /** A new zero-filled image covering `box` (its xy0 is the box's minimum). */
  static fromBox(box: Box2I, type: PixelType = 'float32'): Image<PixelArray> {
    return new Image(allocatePixels(type, box.area), box.width, box.height, { x0: box.minX, y0: box.minY });
  }

  get pixelType(): PixelType {
    return pixelTypeOf(this.array);
  }

  get bbox(): Box2I {
    return new Box2I(this.x0, this.y0, this.width, this.height);
  }

  setXY0(x0: number, y0: number): void {
    this.x0 = x0;
    this.y0 = y0;
  }

  /** True when the pixels are one gap-free run of the backing array. */
  isContiguous(): boolean {
    return this.stride === this.width || this.height <= 1;
  }

  /** Index into `array` of local pixel (x, y). */
  index(x: number, y: number): number {
    return this.offset + y * this.stride + x;
  }

  /** Pixel at parent coordinates. */
  get(x: number, y: number): number {
    this.checkParent(x, y);
    return this.array[this.index(x - this.x0, y - this.y0)];
  }

  set(x: number, y: number, value: number): void {
    this.checkParent(x, y);
    this.array[this.index(x - this.x0, y - this.y0)] = value;
  }

  /** Pixel at local (0-based from this image's corner) coordinates, unchecked for speed. */
  getLocal(x: number, y: number): number {
    return this.array[this.offset + y * this.stride + x];
  }

  setLocal(x: number, y: number, value: number): void {
    this.array[this.offset + y * this.stride + x] = value;
  }

  /** Local row y as a view into the backing array. */
  row(y: number): A {
    if (y < 0 || y >= this.height) throw new Error(`Image: row ${y} outside 0..${this.height - 1}`);
    const start = this.offset + y * this.stride;
    return this.array.subarray(start, start + this.width) as A;
  }

  /** A view of `box` (parent coordinates) sharing this image's memory. */
  subImage(box: Box2I): this {
    if (!this.bbox.containsBox(box)) {
      throw new Error(`Image: sub-image ${box.toString()} is outside the image ${this.bbox.toString()}`);
    }
    return this.view(this.index(box.minX - this.x0, box.minY - this.y0), this.stride, box.width, box.height, box.minX, box.minY);
  }

  /** Constructs a view of the same kind; subclasses carry their extra state along. */
  protected view(offset: number, stride: number, width: number, height: number, x0: number, y0: number): this {
    return new Image(this.array, width, height, { offset, stride, x0, y0 }) as this;
  }

  /** A deep, contiguous copy with the same origin. */
  clone(): this {
    const copy = this.pixels();
    return this.withArray(copy === this.array ? (copy.slice() as A) : copy);
  }

  /** A new image of this kind over a fresh contiguous array of this size. */
  protected withArray(array: A): this {
    return new Image(array, this.width, this.height, { x0: this.x0, y0: this.y0 }) as this;
  }

  /**
   * The pixels as one contiguous row-major array: the backing array itself when this image
   * is exactly it, otherwise a copy.
   */
  pixels(): A {
    if (this.offset === 0 && this.isContiguous() && this.array.length === this.width * this.height) return this.array;
    const Ctor = this.array.constructor as PixelArrayConstructor<A>;
    const out = new Ctor(this.width * this.height);
    for (let y = 0; y < this.height; y++) out.set(this.row(y), y * this.width);
    return out;
  }

  /** A copy converted to another pixel type (C++ conversion semantics). */
  convert<T extends PixelArray>(type: PixelType): Image<T> {
    const out = Image.createOfType<T>(type, this.width, this.height, { x0: this.x0, y0: this.y0 });
    const toInt = !isFloatType(type);
    for (let y = 0; y < this.height; y++) {
      const src = this.row(y);
      const dst = out.row(y);
      if (toInt) for (let x = 0; x < this.width; x++) dst[x] = Math.trunc(src[x]);
      else dst.set(src);
    }
    return out;
  }

  fill(value: number): this {
    const v = toPixelType(this.pixelType, value);
    if (this.isContiguous()) this.array.fill(v, this.offset, this.offset + this.width * this.height);
    else for (let y = 0; y < this.height; y++) this.row(y).fill(v);
    return this;
  }

  /** Copies the pixels of an image of the same size into this one (origins may differ). */
  assign(source: Image<PixelArray>): this {
    this.checkSameSize(source, 'assign');
    for (let y = 0; y < this.height; y++) this.row(y).set(source.row(y));
    return this;
  }

  /** Applies `fn` to every pixel in place (value, parent x, parent y). */
  transform(fn: (value: number, x: number, y: number) => number): this {
    const { array, width, height, stride, x0, y0 } = this;
    for (let y = 0; y < height; y++) {
      const start = this.offset + y * stride;
      for (let x = 0; x < width; x++) array[start + x] = fn(array[start + x], x + x0, y + y0);
    }
    return this;
  }

  /** this += s, or this += other pixel by pixel. */
  add(operand: number | Image<PixelArray>): this {
    return this.apply('add', operand);
  }

  subtract(operand: number | Image<PixelArray>): this {
    return this.apply('sub', operand);
  }

  multiply(operand: number | Image<PixelArray>): this {
    return this.apply('mul', operand);
  }

  /**
   * this /= s or this /= other. Division by a scalar multiplies by the reciprocal rounded to the
   * pixel type, as afw does (`ImageF /= s` is `img * float(1/float(s))`).
   */
  divide(operand: number | Image<PixelArray>): this {
    const type = this.pixelType;
    if (typeof operand === 'number' && isFloatType(type)) return this.apply('mul', toPixelType(type, 1 / toPixelType(type, operand)));
    return this.apply(isFloatType(type) ? 'div' : 'idiv', operand);
  }

  /** this += c * other, with c converted to the pixel type first (and c·other rounded to it). */
  scaledAdd(c: number, other: Image<PixelArray>): this {
    return this.scaled(c, other, 1);
  }

  scaledSubtract(c: number, other: Image<PixelArray>): this {
    return this.scaled(c, other, -1);
  }

  /** Sum, minimum and maximum over finite pixels, and how many pixels were not finite. */
  summary(): { sum: number; min: number; max: number; finite: number; nonFinite: number } {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let finite = 0;
    for (let y = 0; y < this.height; y++) {
      const r = this.row(y);
      for (let x = 0; x < r.length; x++) {
        const v = r[x];
        if (Number.isFinite(v)) {
          sum += v;
          finite++;
          if (v < min) min = v;
          if (v > max) max = v;
        }
      }
    }
    return { sum, min, max, finite, nonFinite: this.width * this.height - finite };
  }

  /** In-place `this op= operand`, one tight loop per row (no per-pixel calls). */
  protected apply(op: BinaryOp, operand: number | Image<PixelArray>): this {
    const { array, width, height, stride, offset } = this;
    const rowsAtOnce = this.isContiguous() ? 1 : height;
    const span = rowsAtOnce === 1 ? width * height : width;
    if (typeof operand === 'number') {
      const v = toPixelType(this.pixelType, operand);
      for (let r = 0; r < rowsAtOnce; r++) scalarLoop(op, array, offset + r * stride, span, v);
      return this;
    }
    this.checkSameSize(operand, 'arithmetic');
    if (rowsAtOnce === 1 && operand.isContiguous()) {
      arrayLoop(op, array, offset, operand.array, operand.offset, span);
    } else {
      for (let y = 0; y < height; y++) arrayLoop(op, array, offset + y * stride, operand.array, operand.offset + y * operand.stride, width);
    }
    return this;
  }

  private scaled(c: number, other: Image<PixelArray>, sign: 1 | -1): this {
    this.checkSameSize(other, 'arithmetic');
    const type = this.pixelType;
    const cc = toPixelType(type, c);
    const { array, width, height, stride, offset } = this;
    const o = other.array;
    const f32 = type === 'float32';
    const k = sign * cc;
    for (let y = 0; y < height; y++) {
      const a0 = offset + y * stride;
      const b0 = other.offset + y * other.stride;
      const end = a0 + width;
      const d = b0 - a0;
      // c·other is rounded to the pixel type before the add, as the C++ expression is evaluated.
      if (f32) for (let i = a0; i < end; i++) array[i] = array[i] + Math.fround(k * o[i + d]);
      else for (let i = a0; i < end; i++) array[i] = array[i] + toPixelType(type, k * o[i + d]);
    }
    return this;
  }

  protected checkSameSize(other: { width: number; height: number }, what: string): void {
    if (other.width !== this.width || other.height !== this.height) {
      throw new Error(`Image ${what}: size mismatch ${this.width}×${this.height} vs ${other.width}×${other.height}`);
    }
  }

  private checkParent(x: number, y: number): void {
    if (x < this.x0 || y < this.y0 || x >= this.x0 + this.width || y >= this.y0 + this.height) {
      throw new Error(`Image: pixel (${x}, ${y}) is outside ${this.bbox.toString()}`);
    }
  }
}

/** The variance plane of a MaskedImage: float32, like afw's VariancePixel. */
export type VarianceImage = Image<Float32Array>;
