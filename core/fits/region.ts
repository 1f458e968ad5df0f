// Image regions: a rectangle of the first two axes on one plane of the others, and its bounds check.
import { FitsError, type FitsErrorLocation } from './errors.js';

/** A rectangle of an image in 0-based pixel coordinates; `plane` indexes the axes beyond the second. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
  plane?: number;
}

export function checkRegion(region: Region, axes: number[], where: FitsErrorLocation): void {
  const [nx, ny] = [axes[0] ?? 0, axes[1] ?? 1];
  const planes = axes.slice(2).reduce((a, b) => a * b, 1);
  const plane = region.plane ?? 0;
  const ok =
    [region.x, region.y, region.width, region.height, plane].every(Number.isInteger) &&
    region.x >= 0 && region.y >= 0 && region.width > 0 && region.height > 0 &&
    region.x + region.width <= nx && region.y + region.height <= ny && plane >= 0 && plane < planes;
  if (!ok) {
    throw new FitsError(
      `region x=${region.x} y=${region.y} width=${region.width} height=${region.height} plane=${plane} is outside the ${axes.join('×')} image`,
      where,
    );
  }
}
