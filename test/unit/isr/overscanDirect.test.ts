// The fused pass measures serial overscans straight from the raw (or from the copy gathered while
// staging it in wasm memory, with SIMD row medians for 32-column overscans). These tests hold that
// path to correctOverscan on a masked copy — the step-by-step path's definition — value for value.
import { describe, expect, it } from 'vitest';
import { Box2I, Exposure, Image, MaskedImage } from '../../../core/image/index.js';
import { OverscanConfig, OverscanCorrectionTask } from '../../../core/isr/overscan.js';
import { scanRaw } from '../../../core/isr/kernels/rawScan.js';
import { estimateSaturation, saturationFromHigh } from '../../../core/isr/cfhtIsrTask.js';
import { clippedStats } from '../../../core/isr/stats.js';
import { makeDetector, rng } from './synthetic.js';

const OS = 32;
const DATA = 40;
const H = 150; // not a multiple of 4: medians32 pads the last group of rows

/** A one-amplifier raw: serial overscan (OS columns) on the left, data on the right, integer ADU with noise. */
function rawImage(seed: number, edit?: (img: Image<Float32Array>) => void): Image<Float32Array> {
  const r = rng(seed);
  const img = Image.create(OS + DATA, H);
  for (let y = 0; y < H; y++) for (let x = 0; x < OS + DATA; x++) img.set(x, y, Math.round(1000 + 0.05 * y + 12 * (r() + r() + r() - 1.5)));
  edit?.(img);
  return img;
}

function amplifier(osWidth = OS) {
  const base = makeDetector().amplifiers[0];
  return {
    ...base,
    rawBBox: new Box2I(0, 0, osWidth + DATA, H),
    rawDataBBox: new Box2I(osWidth, 0, DATA, H),
    rawSerialOverscanBBox: new Box2I(0, 0, osWidth, H),
  };
}

function task(overrides: Record<string, unknown>): OverscanCorrectionTask {
  return new OverscanCorrectionTask({ config: OverscanConfig.make({ fitType: 'MEDIAN_PER_ROW', doOutlierRejection: false, ...overrides }) });
}

/** correctOverscan on a copy of the overscan as an exposure with an empty mask (what the generic path measures). */
function generic(t: OverscanCorrectionTask, img: Image<Float32Array>, amp: ReturnType<typeof amplifier>) {
  const box = amp.rawSerialOverscanBBox;
  const copy = new Exposure(new MaskedImage(img.subImage(box).clone()));
  return t.correctOverscan(copy, amp, amp.rawDataBBox, box, false, t.config.leadingColumnsToSkip, t.config.trailingColumnsToSkip, false);
}

describe('serial overscan measured straight from the raw', () => {
  it.each([
    ['per-row median, float values', {}],
    ['per-row median, integer (afw tie-aware) median', { overscanIsInt: true }],
    ['per-row mean', { fitType: 'MEAN_PER_ROW' }],
    ['per-row median with a finite maxDeviation that flags nothing', { maxDeviation: 1000 }],
    ['per-row median, skipping columns (no longer 32 wide)', { leadingColumnsToSkip: 2, trailingColumnsToSkip: 1 }],
  ])('equals correctOverscan on a copy: %s', (_name, overrides) => {
    const t = task(overrides);
    const amp = amplifier();
    const img = rawImage(7);
    const expected = generic(t, img, amp);
    const fromRaw = t.measureSerialFromRaw(img, amp, amp.rawSerialOverscanBBox, t.config.leadingColumnsToSkip, t.config.trailingColumnsToSkip, Infinity);
    expect(fromRaw?.result).toEqual(expected);
    // The same from the scan's gathered copy and its SIMD row middles.
    const scan = scanRaw(img, { gather: [amp.rawSerialOverscanBBox] });
    expect(scan).toBeDefined();
    try {
      const box = amp.rawSerialOverscanBBox;
      expect(scan!.gathered(box)!.pixels()).toEqual(img.subImage(box).pixels());
      const viaStage = t.measureSerialFromRaw(scan!.gathered(box)!, amp, box, t.config.leadingColumnsToSkip, t.config.trailingColumnsToSkip, Infinity, scan!.rowMiddles(box));
      expect(viaStage?.result).toEqual(expected);
    } finally {
      scan!.release();
    }
  });

  it('leaves the decision to the general path when a pixel would be excluded', () => {
    const t = task({ maxDeviation: 100 });
    const amp = amplifier();
    const args = [amp, amp.rawSerialOverscanBBox, 0, 0] as const;
    expect(t.measureSerialFromRaw(rawImage(1, (img) => img.set(3, 10, 70000)), ...args, 65000)).toBeUndefined(); // saturated
    expect(t.measureSerialFromRaw(rawImage(1, (img) => img.set(3, 10, NaN)), ...args, 65000)).toBeUndefined(); // not finite
    expect(t.measureSerialFromRaw(rawImage(1, (img) => img.set(3, 10, 5000)), ...args, 65000)).toBeUndefined(); // beyond maxDeviation
    expect(t.measureSerialFromRaw(rawImage(1), ...args, 65000)).toBeDefined();
  });

  it('ignores SIMD row middles for rows with values the integer-order trick cannot rank (zero or negative)', () => {
    const t = task({ maxDeviation: Infinity });
    const amp = amplifier();
    const img = rawImage(5, (im) => {
      im.set(0, 20, 0);
      im.set(1, 21, -3);
    });
    const scan = scanRaw(img, { gather: [amp.rawSerialOverscanBBox] })!;
    try {
      const box = amp.rawSerialOverscanBBox;
      expect(t.measureSerialFromRaw(scan.gathered(box)!, amp, box, 0, 0, Infinity, scan.rowMiddles(box))?.result).toEqual(generic(t, img, amp));
    } finally {
      scan.release();
    }
  });
});

describe('scanRaw (one sequential SIMD pass over the raw)', () => {
  it('lists the pixels at or above a level in pixel order, as the JavaScript scan does', () => {
    const r = rng(11);
    // 37 columns: not a multiple of the scan's 16-pixel blocks.
    const img = Image.create(37, 301);
    const px = img.pixels();
    for (let i = 0; i < px.length; i++) px[i] = r() < 0.003 ? 60000 + Math.floor(5000 * r()) : 1000 * r();
    px[5] = NaN;
    px[6] = Infinity;
    px[7] = 60000;
    px[8] = 59999.5;
    const scan = scanRaw(img, { highAtOrAbove: 60000 })!;
    try {
      const js = px.filter((v) => v >= 60000);
      expect(Array.from(scan.high!)).toEqual(Array.from(js));
      expect(saturationFromHigh(scan.high!, 0.95, undefined)).toBe(estimateSaturation(px, 0.95, undefined));
    } finally {
      scan.release();
    }
  });

  it('carries the list and the boxes across its bands of rows (a wide raw: 58 rows per band)', () => {
    const r = rng(4);
    const img = Image.create(4096, 301);
    const px = img.pixels();
    for (let i = 0; i < px.length; i++) px[i] = r() < 0.001 ? 60000 + Math.floor(3000 * r()) : 1 + 1000 * r();
    const boxes = [new Box2I(0, 0, 32, 300), new Box2I(4000, 50, 17, 200)];
    const scan = scanRaw(img, { highAtOrAbove: 60000, gather: boxes })!;
    try {
      expect(Array.from(scan.high!)).toEqual(Array.from(px.filter((v) => v >= 60000)));
      for (const b of boxes) expect(scan.gathered(b)!.pixels()).toEqual(img.subImage(b).pixels());
      const m = scan.rowMiddles(boxes[0])!;
      for (const y of [0, 57, 58, 59, 299]) {
        const sorted = Array.from(img.subImage(boxes[0]).row(y)).sort((a, b) => a - b);
        expect([m.lower[y], m.upper[y]]).toEqual([sorted[15], sorted[16]]);
      }
    } finally {
      scan.release();
    }
  });

  it('gives each 32-wide gathered row its two middle order statistics', () => {
    const r = rng(2);
    const img = Image.create(70, 37);
    const px = img.pixels();
    for (let i = 0; i < px.length; i++) px[i] = r() < 0.5 ? Math.round(1 + 3000 * r()) : 1 + 1e4 * r();
    const box = new Box2I(30, 3, 32, 33);
    const scan = scanRaw(img, { gather: [box] })!;
    try {
      const m = scan.rowMiddles(box)!;
      for (let y = 0; y < box.height; y++) {
        const sorted = Array.from(img.subImage(box).row(y)).sort((a, b) => a - b);
        expect([m.lower[y], m.upper[y]]).toEqual([sorted[15], sorted[16]]);
      }
      expect(scan.rowMiddles(new Box2I(0, 0, 31, 33))).toBeUndefined();
    } finally {
      scan.release();
    }
  });
});

describe('clippedStats over a half-integer grid (its histogram)', () => {
  it('gives the data-order mean and median, and the variance to rounding', () => {
    const r = rng(9);
    const a = Float64Array.from({ length: 5000 }, () => Math.round(2 * 10 * (r() + r() + r() - 1.5)) / 2);
    a[17] = 400; // an outlier the clipping removes
    const s = clippedStats(a, 3, 3);
    // The same passes over the data in order (the general path's definition).
    const sorted = Array.from(a).sort((x, y) => x - y);
    const q = (p: number) => {
      const idx = p * (a.length - 1);
      const i = Math.floor(idx);
      return (i + 1 - idx) * sorted[i] + (idx - i) * sorted[i + 1];
    };
    let center = q(0.5);
    let hw = 3 * 0.741301109252802 * (q(0.75) - q(0.25));
    let m = NaN;
    let v = NaN;
    for (let it = 0; it < 3; it++) {
      const kept = Array.from(a).filter((x) => Math.abs(x - center) <= hw);
      m = kept.reduce((p, x) => p + x, 0) / kept.length;
      v = kept.reduce((p, x) => p + (x - m) * (x - m), 0) / (kept.length - 1);
      center = m;
      hw = 3 * Math.sqrt(v);
    }
    expect(s.median).toBe(q(0.5));
    expect(s.mean).toBe(m);
    expect(Math.abs(s.variance - v) / v).toBeLessThan(1e-12);
  });
});
