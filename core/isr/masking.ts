// Mask-plane steps of IsrTask (isr.md §1.2, 1.3, 1.10, 1.11, 1.16): threshold masks (SAT, SUSPECT),
// defects → BAD, edge → SUSPECT, non-finite → UNMASKEDNAN, saturation-trail widening, and the
// Manhattan growth of SAT before interpolation.

import type { Box2I, Mask, MaskedImage } from '../image/index.js';
import { growManhattan } from './overscan.js';

/** Sets `planeBits` on every pixel of `box` whose image value is ≥ `level`; returns the count. */
export function thresholdMask(mi: MaskedImage, box: Box2I, level: number, planeBits: number): number {
  if (!Number.isFinite(level) || box.isEmpty()) return 0;
  const view = mi.subImage(box.intersection(mi.bbox));
  let n = 0;
  for (let y = 0; y < view.height; y++) {
    const ir = view.image.row(y);
    const mr = view.mask.row(y);
    for (let x = 0; x < ir.length; x++) {
      if (ir[x] >= level) {
        mr[x] |= planeBits;
        n++;
      }
    }
  }
  return n;
}

/** True when every pixel of `box` has any of `bits`. */
export function allMasked(mask: Mask, box: Box2I, bits: number): boolean {
  const view = mask.subImage(box.intersection(mask.bbox));
  for (let y = 0; y < view.height; y++) {
    const r = view.row(y);
    for (let x = 0; x < r.length; x++) if ((r[x] & bits) === 0) return false;
  }
  return view.width > 0 && view.height > 0;
}

/** BAD on every defect box (clipped to the image); returns the number of boxes that touched it. */
export function maskDefects(mask: Mask, defects: readonly Box2I[], planeName = 'BAD'): number {
  const bits = mask.getPlaneBitMask(planeName);
  let n = 0;
  for (const d of defects) {
    const clipped = d.intersection(mask.bbox);
    if (clipped.isEmpty()) continue;
    mask.subImage(clipped).orWith(bits);
    n++;
  }
  return n;
}

/** Sets the plane on every pixel within `numEdge` pixels of the edges of each box. */
export function maskEdges(mask: Mask, boxes: readonly Box2I[], numEdge: number, planeName = 'SUSPECT'): void {
  if (numEdge <= 0) return;
  const bits = mask.getPlaneBitMask(planeName);
  for (const box of boxes) {
    const view = mask.subImage(box.intersection(mask.bbox));
    for (let y = 0; y < view.height; y++) {
      const r = view.row(y);
      const edgeRow = y < numEdge || y >= view.height - numEdge;
      for (let x = 0; x < r.length; x++) if (edgeRow || x < numEdge || x >= view.width - numEdge) r[x] |= bits;
    }
  }
}

/** UNMASKEDNAN where the image or the variance is not finite; returns the count (NUMNANS). */
export function maskNans(mi: MaskedImage, planeName = 'UNMASKEDNAN'): number {
  const bits = 1 << mi.mask.addMaskPlane(planeName, 'Pixel was not finite (NaN or ±Inf) and was not masked before ISR masked it.');
  let n = 0;
  for (let y = 0; y < mi.height; y++) {
    const ir = mi.image.row(y);
    const vr = mi.variance.row(y);
    const mr = mi.mask.row(y);
    for (let x = 0; x < ir.length; x++) {
      if (!Number.isFinite(ir[x]) || !Number.isFinite(vr[x])) {
        mr[x] |= bits;
        n++;
      }
    }
  }
  return n;
}

/** Extra columns on each side of a saturated run of width w (ip_isr widenSaturationTrails). */
export function trailGrowth(w: number): number {
  if (w <= 5) return 0;
  if (w <= 7) return 1;
  if (w <= 9) return 3;
  return 4;
}

/**
 * Widens every horizontal run of SAT pixels by trailGrowth(width) on both sides (rows only).
 * `rows`, when given, lists the only rows (local) that can hold SAT pixels.
 */
export function widenSaturationTrails(mask: Mask, rows?: Iterable<number>): void {
  const sat = mask.getPlaneBitMask('SAT');
  const width = mask.width;
  for (const y of rows ?? Array.from({ length: mask.height }, (_, i) => i)) {
    const r = mask.row(y);
    // Collect runs first: widening must not feed into the runs found later in the same row.
    const runs: Array<[number, number]> = [];
    for (let x = 0; x < width; x++) {
      // Saturated pixels are sparse even in rows that have some: skip eight clear pixels per test.
      while (x + 8 <= width && ((r[x] | r[x + 1] | r[x + 2] | r[x + 3] | r[x + 4] | r[x + 5] | r[x + 6] | r[x + 7]) & sat) === 0) x += 8;
      if (x >= width || (r[x] & sat) === 0) continue;
      const s = x;
      while (x + 1 < width && (r[x + 1] & sat) !== 0) x++;
      runs.push([s, x]);
    }
    for (const [x0, x1] of runs) {
      const extra = trailGrowth(x1 - x0 + 1);
      if (extra === 0) continue;
      const a = Math.max(0, x0 - extra);
      const b = Math.min(width - 1, x1 + extra);
      for (let x = a; x <= b; x++) r[x] |= sat;
    }
  }
}

/**
 * Grows the named planes by a Manhattan radius into `targetPlane` (ip_isr growMasks). Source pixels
 * are usually few (saturated stars): each paints its diamond, from a list taken before any painting
 * (so grown pixels never grow further). When they are many, a distance transform of the whole plane
 * does the same in time independent of their number.
 */
export function growMasks(mask: Mask, radius: number, planeNames: readonly string[], targetPlane: string): void {
  if (radius <= 0) return;
  const src = mask.getPlaneBitMask(planeNames);
  const target = mask.getPlaneBitMask(targetPlane);
  const { width, height } = mask;
  const diamond = 2 * radius * (radius + 1) + 1;
  // Painting costs the sources × diamond area; the transform about 6 operations per pixel.
  const maxSources = Math.floor((6 * width * height) / diamond);
  const sources = sourcePixels(mask, src, maxSources);
  if (sources) {
    for (let k = 0; k < sources.length; k += 2) {
      const x0 = sources[k];
      const y0 = sources[k + 1];
      for (let dy = -radius; dy <= radius; dy++) {
        const y = y0 + dy;
        if (y < 0 || y >= height) continue;
        const r = mask.row(y);
        const reach = radius - Math.abs(dy);
        const a = Math.max(0, x0 - reach);
        const b = Math.min(width - 1, x0 + reach);
        for (let x = a; x <= b; x++) r[x] |= target;
      }
    }
    return;
  }
  const hits = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const r = mask.row(y);
    for (let x = 0; x < width; x++) if ((r[x] & src) !== 0) hits[y * width + x] = 1;
  }
  const grown = growManhattan(hits, width, height, radius);
  for (let y = 0; y < height; y++) {
    const r = mask.row(y);
    for (let x = 0; x < width; x++) if (grown[y * width + x]) r[x] |= target;
  }
}

/** (x, y) pairs of the pixels with any of `bits`, or undefined once there are more than `max` (clear pixels skipped eight at a time). */
function sourcePixels(mask: Mask, bits: number, max: number): Int32Array | undefined {
  let out = new Int32Array(256);
  let n = 0;
  const add = (x: number, y: number): boolean => {
    if (n / 2 >= max) return false;
    if (n + 2 > out.length) {
      const grown = new Int32Array(2 * out.length);
      grown.set(out);
      out = grown;
    }
    out[n++] = x;
    out[n++] = y;
    return true;
  };
  const { width, height } = mask;
  for (let y = 0; y < height; y++) {
    const r = mask.row(y);
    for (let x = 0; x < width; x++) {
      while (x + 8 <= width && ((r[x] | r[x + 1] | r[x + 2] | r[x + 3] | r[x + 4] | r[x + 5] | r[x + 6] | r[x + 7]) & bits) === 0) x += 8;
      if (x < width && (r[x] & bits) !== 0 && !add(x, y)) return undefined;
    }
  }
  return out.subarray(0, n);
}
