// Output planes of the fused ISR pass can be handed back once the caller is done with them (a
// streaming executor writes each postISRCCD and drops it): the next CCD on this thread then
// reuses their memory instead of faulting in and zeroing ~113 MB of fresh pages per MegaCam CCD.
// The pass writes every output pixel, so a reused buffer needs no clearing.

import { Exposure, type Image, type Mask, type MaskedImage } from '../image/index.js';

/** Free buffers by byte length; a few per size bound the memory held. */
const free = new Map<number, ArrayBuffer[]>();
const MAX_PER_SIZE = 6;

/** A free buffer of exactly `bytes`, or undefined. */
export function takeBuffer(bytes: number): ArrayBuffer | undefined {
  return free.get(bytes)?.pop();
}

/** Keeps `buffer` for reuse (ignored if enough of its size are kept already). */
export function keepBuffer(buffer: ArrayBuffer): void {
  let list = free.get(buffer.byteLength);
  if (!list) free.set(buffer.byteLength, (list = []));
  if (list.length < MAX_PER_SIZE && !list.includes(buffer)) list.push(buffer);
}

/** The whole, non-shared buffers behind the planes of `mi` (views into larger buffers are not reusable). */
export function planeBuffers(mi: MaskedImage): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const plane of [mi.image, mi.mask, mi.variance] as Array<Image<Float32Array> | Mask>) {
    const a = plane.array;
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && !out.includes(a.buffer)) out.push(a.buffer);
  }
  return out;
}

/**
 * Hands the planes of an ISR output back for reuse by the next runIsr on this thread. The
 * exposure (and every view of its pixels) must not be used afterwards: its memory will be
 * overwritten.
 */
export function recycleIsrOutput(e: Exposure | MaskedImage): void {
  for (const b of planeBuffers(e instanceof Exposure ? e.maskedImage : e)) keepBuffer(b);
}
