import { describe, expect, it } from 'vitest';
import { Box2I, Image, Mask } from '../../../core/image/index.js';
import { runWasmBands, type WasmAmp } from '../../../core/isr/kernels/wasmKernel.js';
import { rng } from './synthetic.js';

const f32 = Math.fround;

/** The final-variance pass of one pixel, step by step in float32 (fusedIsr.ts's JavaScript kernel). */
function reference(r: number, m: number, b: number, d: number, fl: number, amp: WasmAmp, darkC: number, bits: { sat: number; nan: number; neg: number }) {
  let mask = 0;
  if (Number.isFinite(amp.satLevel) && r >= amp.satLevel) mask |= bits.sat;
  let v = f32(f32(r - m) - b);
  if (v - v !== 0) mask |= bits.nan;
  v = f32(f32(v - f32(darkC * d)) / fl);
  v = f32(v * amp.gain);
  const vr = v < 0 ? NaN : f32(f32(v * amp.inv) + amp.rn2);
  if (vr <= 0) mask |= bits.neg;
  return { v, vr, mask };
}

function plane(w: number, h: number, fill: (x: number, y: number) => number): Image<Float32Array> {
  const img = Image.create(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.set(x, y, fill(x, y));
  return img;
}

describe('runWasmBands (the SIMD band kernel)', () => {
  // 2×2 amplifiers (two row groups, each tiling the width) and a staggered layout whose groups do
  // not tile the width (each amplifier's rows copied out alone).
  const layouts: Array<[string, number, number, Array<[number, number, number, number]>]> = [
    ['2×2 quadrants', 16, 10, [[0, 0, 8, 5], [8, 0, 8, 5], [0, 5, 8, 5], [8, 5, 8, 5]]],
    ['staggered halves', 16, 10, [[0, 0, 8, 6], [8, 4, 8, 6]]],
  ];
  it.each(layouts)('agrees with the float32 step-by-step formula: %s', (_name, W, H, boxes) => {
    const r = rng(3);
    // Raw: the output boxes shifted right by 4 columns of prescan and down by 2 rows.
    const raw = plane(W + 8, H + 4, () => Math.round(900 + 400 * r()));
    raw.set(4 + 3, 2 + 1, 70000); // saturated
    raw.set(4 + 9, 2 + 7, NaN);
    const bias = plane(W, H, () => f32(0.5 * r()));
    const dark = plane(W, H, () => f32(0.01 + 0.1 * r()));
    const flat = plane(W, H, () => f32(0.8 + 0.4 * r()));
    const amps: WasmAmp[] = boxes.map(([x, y, w, h], i) => ({
      src: new Box2I(x + 4, y + 2, w, h),
      dst: new Box2I(x, y, w, h),
      model: i % 2 === 0 ? f32(1000.5) : Float64Array.from({ length: h }, (_, k) => f32(990 + k)),
      satLevel: 65000,
      gain: f32(1.5 + 0.1 * i),
      inv: 1,
      rn2: f32(25 + i),
    }));
    const outImage = Image.create(W, H);
    const outVariance = Image.create(W, H);
    const outMask = new Mask(new Int32Array(W * H), W, H);
    // Garbage in the outputs must be overwritten everywhere the amplifiers cover.
    outImage.array.fill(-7);
    const satRows = new Uint8Array(H);
    const bits = { sat: 1 << 1, nan: 1 << 9, neg: 1 << 0 };
    const scale = f32(1.25);
    const darkC = f32(0.75);
    const counts = runWasmBands({ raw, bias, dark, flat, flatScale: scale, outImage, outVariance, outMask, satBits: bits.sat, nanBits: bits.nan, negBits: bits.neg, darkC, amps, satRows });
    expect(counts).toBeDefined();
    const expectedSatRows = new Uint8Array(H);
    amps.forEach((amp, i) => {
      let nSat = 0;
      let nNan = 0;
      let nNeg = 0;
      for (let y = 0; y < amp.dst.height; y++) {
        for (let x = 0; x < amp.dst.width; x++) {
          const ox = amp.dst.minX + x;
          const oy = amp.dst.minY + y;
          const m = typeof amp.model === 'number' ? amp.model : amp.model[y];
          const e = reference(raw.get(amp.src.minX + x, amp.src.minY + y), m, bias.get(ox, oy), dark.get(ox, oy), f32(flat.get(ox, oy) / scale), amp, darkC, bits);
          expect(Object.is(outImage.get(ox, oy), e.v) || (Number.isNaN(e.v) && Number.isNaN(outImage.get(ox, oy)))).toBe(true);
          const vr = outVariance.get(ox, oy);
          expect(Object.is(vr, e.vr) || (Number.isNaN(e.vr) && Number.isNaN(vr))).toBe(true);
          expect(outMask.get(ox, oy)).toBe(e.mask);
          if (e.mask & bits.sat) {
            nSat++;
            expectedSatRows[oy] = 1;
          }
          if (e.mask & bits.nan) nNan++;
          if (e.mask & bits.neg) nNeg++;
        }
      }
      expect(counts![i]).toEqual({ nSat, nNan, nNeg });
    });
    expect([...satRows]).toEqual([...expectedSatRows]);
    expect(counts!.reduce((s, c) => s + c.nSat, 0)).toBe(1);
  });

  it('declines inputs it cannot compute exactly (the caller then runs the JavaScript kernel)', () => {
    const img = () => Image.create(8, 2);
    const amp: WasmAmp = { src: new Box2I(0, 0, 8, 2), dst: new Box2I(0, 0, 8, 2), model: 1000.1, satLevel: NaN, gain: 1, inv: 1, rn2: 0 };
    const args = { raw: img(), bias: img(), dark: img(), flat: img(), flatScale: 1, outImage: img(), outVariance: img(), outMask: new Mask(new Int32Array(16), 8, 2), satBits: 0, nanBits: 0, negBits: 0, darkC: 0, satRows: new Uint8Array(2) };
    // 1000.1 is not a float32: the kernel's float32 subtraction would round differently.
    expect(runWasmBands({ ...args, amps: [amp] })).toBeUndefined();
    // A width that is not a multiple of four.
    expect(runWasmBands({ ...args, amps: [{ ...amp, model: 1000, src: new Box2I(0, 0, 6, 2), dst: new Box2I(0, 0, 6, 2) }] })).toBeUndefined();
    expect(runWasmBands({ ...args, amps: [{ ...amp, model: 1000 }] })).toBeDefined();
  });
});
