import { describe, expect, it } from 'vitest';
import type { Exposure } from '../../../core/image/index.js';
import { IsrConfig, IsrWorkerPool, recycleIsrOutput, runIsr, type IsrInputs } from '../../../core/isr/index.js';
import { OS_W, makeCalib, makeDetector, makeRaw } from './synthetic.js';

const detector = makeDetector();

function inputs(): IsrInputs {
  const raw = makeRaw(detector, {
    darkTime: 300,
    edit: (img) => {
      for (let y = 12; y < 20; y++) for (let x = OS_W + 20; x < OS_W + 28; x++) img.set(x, y, 65000);
      img.set(OS_W + 50, 30, NaN);
    },
  });
  return {
    raw,
    bias: makeCalib(detector, (x, y) => 0.5 * Math.sin(x / 5) + 0.01 * y),
    dark: makeCalib(detector, (x) => 0.02 + (x === 20 ? 5 : 0), 1000),
    flat: makeCalib(detector, (x, y) => 0.95 + 0.0005 * x - 0.0003 * y),
  };
}

// The ccdproc-like chain (wasm kernel) and ip_isr's default variance (JavaScript kernel).
const configs = {
  final: () => IsrConfig.make({ outputUnits: 'electron', varianceSource: 'FINAL_IMAGE', overscan: { fitType: 'MEDIAN_PER_ROW', overscanIsInt: false } }),
  afterBias: () => IsrConfig.make({ overscan: { fitType: 'MEDIAN_PER_ROW' } }),
};

/** Copies (pixels() may return the plane's own array, whose memory is recycled). */
function planes(e: Exposure): [Float32Array, Int32Array, Float32Array] {
  return [e.image.pixels().slice(), e.mask.pixels().slice(), e.variance.pixels().slice()];
}

describe('recycled ISR output planes', () => {
  for (const [name, cfg] of Object.entries(configs)) {
    it(`give the same result as fresh ones (${name})`, () => {
      const inp = inputs();
      const first = runIsr(inp, cfg());
      expect(first.fused).toBe(true);
      const want = planes(first.exposure);
      // Garbage in the handed-back planes must not leak into the next result.
      first.exposure.image.array.fill(NaN);
      first.exposure.mask.array.fill(-1);
      first.exposure.variance.array.fill(-7);
      const buffers = [first.exposure.image.array.buffer, first.exposure.mask.array.buffer, first.exposure.variance.array.buffer];
      recycleIsrOutput(first.exposure);
      const second = runIsr(inp, cfg());
      const reused = [second.exposure.image.array.buffer, second.exposure.mask.array.buffer, second.exposure.variance.array.buffer];
      expect(reused.filter((b) => buffers.includes(b as ArrayBuffer))).toHaveLength(3);
      const got = planes(second.exposure);
      expect(got[0]).toEqual(want[0]);
      expect(got[1]).toEqual(want[1]);
      expect(got[2]).toEqual(want[2]);
    });
  }

  it('IsrWorkerPool.recycle hands planes back to the workers; results stay identical', async () => {
    const inp = inputs();
    const config = configs.final();
    config.freeze();
    const want = planes(runIsr(inp, config).exposure);
    const pool = new IsrWorkerPool(1);
    try {
      for (const [id, c] of [['bias', inp.bias], ['dark', inp.dark], ['flat', inp.flat]] as const) pool.addCalibration(id, c as Exposure);
      const raw = inp.raw as Exposure;
      for (let i = 0; i < 3; i++) {
        const copy = makeRaw(detector, { darkTime: 300 });
        copy.image.array.set(raw.image.array);
        const r = await pool.run({ raw: copy, detector, bias: 'bias', dark: 'dark', flat: 'flat' }, config);
        expect(r.fused).toBe(true);
        const got = planes(r.exposure);
        expect(got[0]).toEqual(want[0]);
        expect(got[1]).toEqual(want[1]);
        expect(got[2]).toEqual(want[2]);
        const buffer = r.exposure.image.array.buffer;
        pool.recycle(r.exposure);
        // Transferred to the worker: this thread no longer holds the memory.
        expect(buffer.byteLength).toBe(0);
      }
    } finally {
      await pool.close();
    }
  });
});
