// Image + Mask + Variance sharing one bounding box (afw MaskedImage), with afw's arithmetic:
// masks are OR-ed, variances propagated (isr.md §0.3). Image and variance pixels are float32.
import { Box2I } from './box.js';
import { Image, type ImageOptions, type VarianceImage } from './image.js';
import { Mask } from './mask.js';
import type { MaskPlaneDict } from './maskPlanes.js';

const f = Math.fround;

export class MaskedImage {
  readonly image: Image<Float32Array>;
  readonly mask: Mask;
  readonly variance: VarianceImage;

  constructor(image: Image<Float32Array>, mask?: Mask, variance?: VarianceImage) {
    this.image = image;
    this.mask = mask ?? Mask.createMask(image.width, image.height, { x0: image.x0, y0: image.y0 });
    this.variance = variance ?? Image.create(image.width, image.height, { x0: image.x0, y0: image.y0 });
    for (const [name, plane] of [['mask', this.mask], ['variance', this.variance]] as const) {
      if (!plane.bbox.equals(image.bbox)) {
        throw new Error(`MaskedImage: ${name} bbox ${plane.bbox.toString()} differs from the image bbox ${image.bbox.toString()}`);
      }
    }
  }

  /** A new all-zero masked image (mask clear, variance 0). */
  static create(width: number, height: number, options: ImageOptions & { planes?: MaskPlaneDict } = {}): MaskedImage {
    return new MaskedImage(
      Image.create(width, height, options),
      Mask.createMask(width, height, options),
      Image.create(width, height, options),
    );
  }

  static fromBox(box: Box2I, planes?: MaskPlaneDict): MaskedImage {
    return MaskedImage.create(box.width, box.height, { x0: box.minX, y0: box.minY, planes });
  }

  get width(): number {
    return this.image.width;
  }

  get height(): number {
    return this.image.height;
  }

  get x0(): number {
    return this.image.x0;
  }

  get y0(): number {
    return this.image.y0;
  }

  get bbox(): Box2I {
    return this.image.bbox;
  }

  setXY0(x0: number, y0: number): void {
    this.image.setXY0(x0, y0);
    this.mask.setXY0(x0, y0);
    this.variance.setXY0(x0, y0);
  }

  /** A view of `box` (parent coordinates) sharing memory with this one. */
  subImage(box: Box2I): MaskedImage {
    return new MaskedImage(this.image.subImage(box), this.mask.subImage(box), this.variance.subImage(box));
  }

  clone(): MaskedImage {
    return new MaskedImage(this.image.clone(), this.mask.clone(), this.variance.clone());
  }

  /** Copies the three planes of a masked image of the same size into this one. */
  assign(other: MaskedImage): this {
    this.image.assign(other.image);
    this.mask.assign(other.mask);
    this.variance.assign(other.variance);
    return this;
  }

  /** mi += other: image +, mask |, variance +. mi += s: image only. */
  plus(operand: number | MaskedImage): this {
    if (typeof operand === 'number') {
      this.image.add(operand);
      return this;
    }
    this.checkSize(operand);
    this.image.add(operand.image);
    this.mask.orWith(operand.mask);
    this.variance.add(operand.variance);
    return this;
  }

  /** mi -= other: image −, mask |, variance +. mi -= s: image only. */
  minus(operand: number | MaskedImage): this {
    if (typeof operand === 'number') {
      this.image.subtract(operand);
      return this;
    }
    this.checkSize(operand);
    this.image.subtract(operand.image);
    this.mask.orWith(operand.mask);
    this.variance.add(operand.variance);
    return this;
  }

  /** mi += c·other: variance += c²·var(other). */
  scaledPlus(c: number, other: MaskedImage): this {
    this.checkSize(other);
    this.image.scaledAdd(c, other.image);
    this.mask.orWith(other.mask);
    this.variance.scaledAdd(c * c, other.variance);
    return this;
  }

  /** mi -= c·other: variance += c²·var(other). */
  scaledMinus(c: number, other: MaskedImage): this {
    this.checkSize(other);
    this.image.scaledSubtract(c, other.image);
    this.mask.orWith(other.mask);
    this.variance.scaledAdd(c * c, other.variance);
    return this;
  }

  /** mi *= s: image·s, variance·s² (s and s² rounded to float32 as afw does). */
  multiplyScalar(s: number): this {
    this.image.multiply(s);
    this.variance.multiply(f(f(s) * f(s)));
    return this;
  }

  /** mi /= s: image/s, variance/s² (each a multiply by the float32 reciprocal). */
  divideScalar(s: number): this {
    this.image.divide(s);
    this.variance.divide(f(f(s) * f(s)));
    return this;
  }

  /** mi *= c·other: var = c²(img²·var_o + img_o²·var), img = img·(c·img_o). */
  scaledMultiplies(c: number, other: MaskedImage): this {
    this.checkSize(other);
    const c2 = c * c;
    const cf = f(c);
    for (let y = 0; y < this.height; y++) {
      const ir = this.image.row(y);
      const vr = this.variance.row(y);
      const oir = other.image.row(y);
      const ovr = other.variance.row(y);
      for (let x = 0; x < ir.length; x++) {
        const img = ir[x];
        const oimg = oir[x];
        vr[x] = c2 * (img * img * ovr[x] + oimg * oimg * vr[x]);
        ir[x] = img * f(cf * oimg);
      }
    }
    this.mask.orWith(other.mask);
    return this;
  }

  multiplies(other: MaskedImage): this {
    return this.scaledMultiplies(1, other);
  }

  /**
   * mi /= c·other: variance first, var = (img²·var_o + img_o²·var) / (c²·img_o⁴) in double, then
   * img = img / (c·img_o), all stored as float32.
   */
  scaledDivides(c: number, other: MaskedImage): this {
    this.checkSize(other);
    const c2 = c * c;
    const cf = f(c);
    for (let y = 0; y < this.height; y++) {
      const ir = this.image.row(y);
      const vr = this.variance.row(y);
      const oir = other.image.row(y);
      const ovr = other.variance.row(y);
      for (let x = 0; x < ir.length; x++) {
        const img = ir[x];
        const oimg = oir[x];
        const o2 = oimg * oimg;
        vr[x] = (img * img * ovr[x] + o2 * vr[x]) / (c2 * o2 * o2);
        ir[x] = img / f(cf * oimg);
      }
    }
    this.mask.orWith(other.mask);
    return this;
  }

  divides(other: MaskedImage): this {
    return this.scaledDivides(1, other);
  }

  private checkSize(other: MaskedImage): void {
    if (other.width !== this.width || other.height !== this.height) {
      throw new Error(`MaskedImage arithmetic: size mismatch ${this.width}×${this.height} vs ${other.width}×${other.height}`);
    }
  }
}
