import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readExposureFits, writeExposureFits } from '../../../core/formatters/fits/exposureFits.js';
import { pooledPlaneBuffers, releasePlaneBuffers } from '../../../core/formatters/fits/planeBuffers.js';
import { Box2I } from '../../../core/image/box.js';
import { Exposure } from '../../../core/image/exposure.js';

const dir = mkdtempSync(join(tmpdir(), 'plane-buffers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exposure(seed: number): Exposure {
  const e = Exposure.create(33, 21, { x0: 5, y0: 7 });
  e.image.transform((_v, x, y) => seed + x * 0.5 - y * 3.25);
  e.variance.transform((_v, x, y) => seed + 1 + ((x * y) % 11));
  e.mask.set(10, 12, e.mask.getPlaneBitMask('CR'));
  e.mask.set(6, 8, 0x7fffffff);
  e.mask.set(7, 8, -0x80000000);
  return e;
}

describe('released plane buffers', () => {
  it('a whole-Exposure read into released buffers gives the same planes and uses those buffers', () => {
    const a = join(dir, 'a.fits');
    const b = join(dir, 'b.fits');
    writeExposureFits(a, exposure(1));
    writeExposureFits(b, exposure(2));
    const first = readExposureFits(a);
    const fresh = readExposureFits(b);
    releasePlaneBuffers(first.image.array, first.mask.array, first.variance.array);
    expect(pooledPlaneBuffers()).toBe(3);
    const recycled = readExposureFits(b);
    expect(pooledPlaneBuffers()).toBe(0);
    // Image and variance have the same size: either may get either float buffer.
    expect(new Set([recycled.image.array.buffer, recycled.variance.array.buffer])).toEqual(new Set([first.image.array.buffer, first.variance.array.buffer]));
    expect(recycled.image.array.buffer).not.toBe(recycled.variance.array.buffer);
    expect(recycled.mask.array.buffer).toBe(first.mask.array.buffer);
    expect(Array.from(recycled.image.array)).toEqual(Array.from(fresh.image.array));
    expect(Array.from(recycled.mask.array)).toEqual(Array.from(fresh.mask.array));
    expect(Array.from(recycled.variance.array)).toEqual(Array.from(fresh.variance.array));
    expect(recycled.mask.get(6, 8)).toBe(0x7fffffff);
    expect(recycled.mask.get(7, 8)).toBe(-0x80000000);
  });

  it('a bbox read and a read of another size leave released buffers alone', () => {
    const a = join(dir, 'a.fits');
    const e = readExposureFits(a);
    releasePlaneBuffers(e.image.array, e.mask.array, e.variance.array);
    const cut = readExposureFits(a, { bbox: new Box2I(6, 8, 4, 3) });
    expect(cut.image.array.buffer).not.toBe(e.image.array.buffer);
    expect(pooledPlaneBuffers()).toBe(3);
    const other = join(dir, 'other.fits');
    writeExposureFits(other, Exposure.create(10, 10));
    readExposureFits(other);
    expect(pooledPlaneBuffers()).toBe(3);
    // A detached (transferred) array is refused.
    const moved = new Float32Array(33 * 21);
    structuredClone(moved, { transfer: [moved.buffer] });
    releasePlaneBuffers(moved);
    expect(pooledPlaneBuffers()).toBe(3);
    readExposureFits(a);
    expect(pooledPlaneBuffers()).toBe(0);
  });
});
