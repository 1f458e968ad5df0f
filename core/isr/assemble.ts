// CCD assembly and trimming (ip_isr AssembleCcdTask, afw assembleAmplifierImage; isr.md §1.5): copy
// each amplifier's raw data box into its place in the trimmed detector frame, flipping columns/rows
// as the camera says, for image, mask and variance alike.

import type { Detector } from '../camera/geometry.js';
import { Exposure, MaskedImage, Image, Mask } from '../image/index.js';
import { defineConfig, f } from '../pipe/config/index.js';
import { Task, type TaskOptions } from '../pipe/task/index.js';

export const AssembleCcdConfig = defineConfig('AssembleCcdConfig', 'CCD assembly.', {
  doTrim: f.bool({ doc: 'Trim out non-data regions (only trimmed assembly is supported).', default: true }),
  keysToRemove: f.list({ doc: 'FITS headers to remove (in addition to DATASEC, BIASSEC, TRIMSEC and GAIN).', item: 'string', default: [] }),
});
export type AssembleCcdFields = typeof AssembleCcdConfig.fields;

function copyPlane(src: Float32Array | Int32Array, srcOff: number, srcStride: number, dst: Float32Array | Int32Array, dstOff: number, dstStride: number, w: number, h: number, flipX: boolean, flipY: boolean): void {
  for (let y = 0; y < h; y++) {
    const sy = flipY ? h - 1 - y : y;
    const s = srcOff + sy * srcStride;
    const d = dstOff + y * dstStride;
    if (!flipX) dst.set(src.subarray(s, s + w), d);
    else for (let x = 0; x < w; x++) dst[d + x] = src[s + w - 1 - x];
  }
}

/** Trimmed, assembled masked image of `raw` (raw-frame coordinates) for `detector`. */
export function assembleMaskedImage(raw: MaskedImage, detector: Detector): MaskedImage {
  const out = new MaskedImage(
    Image.create(detector.bbox.width, detector.bbox.height, { x0: detector.bbox.minX, y0: detector.bbox.minY }),
    Mask.createMask(detector.bbox.width, detector.bbox.height, { x0: detector.bbox.minX, y0: detector.bbox.minY, planes: raw.mask.planes.clone() }),
    Image.create(detector.bbox.width, detector.bbox.height, { x0: detector.bbox.minX, y0: detector.bbox.minY }),
  );
  for (const amp of detector.amplifiers) {
    const src = amp.rawDataBBox;
    const dst = amp.bbox;
    if (src.width !== dst.width || src.height !== dst.height) {
      throw new Error(`amplifier ${amp.name}: raw data box ${src.toString()} and assembled box ${dst.toString()} differ in size`);
    }
    if (!raw.bbox.containsBox(src)) throw new Error(`amplifier ${amp.name}: raw data box ${src.toString()} is outside the raw image ${raw.bbox.toString()}`);
    const s = raw.subImage(src);
    const d = out.subImage(dst);
    copyPlane(s.image.array, s.image.offset, s.image.stride, d.image.array, d.image.offset, d.image.stride, src.width, src.height, amp.rawFlipX, amp.rawFlipY);
    copyPlane(s.mask.array, s.mask.offset, s.mask.stride, d.mask.array, d.mask.offset, d.mask.stride, src.width, src.height, amp.rawFlipX, amp.rawFlipY);
    copyPlane(s.variance.array, s.variance.offset, s.variance.stride, d.variance.array, d.variance.offset, d.variance.stride, src.width, src.height, amp.rawFlipX, amp.rawFlipY);
  }
  return out;
}

export class AssembleCcdTask extends Task<AssembleCcdFields> {
  static readonly taskName: string = 'AssembleCcdTask';
  static readonly ConfigClass = AssembleCcdConfig;
  static readonly defaultName = 'assembleCcd';

  constructor(options: TaskOptions<AssembleCcdFields> = {}) {
    super(AssembleCcdConfig, AssembleCcdTask.defaultName, options);
    if (!this.config.doTrim) throw new Error(`${this.fullName}.doTrim=false (untrimmed assembly) is not supported; use doTrim=true`);
  }

  assembleCcd(raw: Exposure, detector: Detector): Exposure {
    const mi = assembleMaskedImage(raw.maskedImage, detector);
    const metadata = raw.metadata?.clone();
    if (metadata) for (const key of ['DATASEC', 'BIASSEC', 'TRIMSEC', 'GAIN', ...this.config.keysToRemove]) metadata.delete(key);
    return new Exposure(mi, { ...raw.info(), metadata, detector });
  }
}
