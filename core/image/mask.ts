// Mask image (afw Mask<MaskPixel>): int32 pixels whose bits are named planes. Views share the
// dictionary with their parent, so a plane added through one is visible through all.
import { Box2I } from './box.js';
import { Image, type ImageOptions, type PixelArray } from './image.js';
import { MaskPlaneDict } from './maskPlanes.js';

export class Mask extends Image<Int32Array> {
  readonly planes: MaskPlaneDict;

  constructor(array: Int32Array, width: number, height: number, options: ImageOptions & { offset?: number; stride?: number; planes?: MaskPlaneDict } = {}) {
    super(array, width, height, options);
    this.planes = options.planes ?? MaskPlaneDict.withDefaults();
  }

  /** A new all-clear mask with afw's default planes unless a dictionary is given. */
  static createMask(width: number, height: number, options: ImageOptions & { planes?: MaskPlaneDict } = {}): Mask {
    return new Mask(new Int32Array(width * height), width, height, options);
  }

  static fromBoxMask(box: Box2I, planes?: MaskPlaneDict): Mask {
    return Mask.createMask(box.width, box.height, { x0: box.minX, y0: box.minY, planes });
  }

  protected override view(offset: number, stride: number, width: number, height: number, x0: number, y0: number): this {
    return new Mask(this.array, width, height, { offset, stride, x0, y0, planes: this.planes }) as this;
  }

  /** Copies get their own dictionary, so adding planes to the copy leaves this one alone. */
  protected override withArray(array: Int32Array): this {
    return new Mask(array, this.width, this.height, { x0: this.x0, y0: this.y0, planes: this.planes.clone() }) as this;
  }

  addMaskPlane(name: string, doc = ''): number {
    return this.planes.addPlane(name, doc);
  }

  getPlaneBitMask(names: string | Iterable<string>): number {
    return this.planes.getPlaneBitMask(names);
  }

  /** this |= other (pixel by pixel) or this |= bits. */
  orWith(operand: number | Image<PixelArray>): this {
    return this.apply('or', operand);
  }

  andWith(operand: number | Image<PixelArray>): this {
    return this.apply('and', operand);
  }

  /** Clears the given bits everywhere (afw `clearMaskPlane` for several planes at once). */
  clearBits(bits: number): this {
    return this.apply('and', ~bits);
  }

  /** Sets the bits of the named planes on every pixel inside `box` (parent coordinates). */
  setMaskInBox(box: Box2I, names: string | Iterable<string>): this {
    this.subImage(box.intersection(this.bbox)).orWith(this.getPlaneBitMask(names));
    return this;
  }

  /** Count of pixels with any of `bits` set. */
  countSet(bits: number): number {
    let n = 0;
    for (let y = 0; y < this.height; y++) {
      const r = this.row(y);
      for (let x = 0; x < r.length; x++) if ((r[x] & bits) !== 0) n++;
    }
    return n;
  }

  /**
   * Re-expresses the pixels in another dictionary (as afw conforms a mask read from a file to
   * the canonical dictionary): every set bit moves to the target's bit for the same plane name.
   * Returns a new mask using `target`; bits with no plane name are dropped.
   */
  conformedTo(target: MaskPlaneDict): Mask {
    const mapping = this.planes.mappingTo(target);
    const out = Mask.createMask(this.width, this.height, { x0: this.x0, y0: this.y0, planes: target });
    const identity = [...mapping].every(([from, to]) => from === to);
    let keep = 0;
    for (const from of mapping.keys()) keep |= 1 << from;
    for (let y = 0; y < this.height; y++) {
      const src = this.row(y);
      const dst = out.row(y);
      for (let x = 0; x < src.length; x++) {
        const v = src[x] & keep;
        if (identity || v === 0) {
          dst[x] = v;
          continue;
        }
        let mapped = 0;
        for (const [from, to] of mapping) if (v & (1 << from)) mapped |= 1 << to;
        dst[x] = mapped;
      }
    }
    return out;
  }
}
