import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIsrPreset, runIsr } from '../../../core/isr/index.js';
import { generateReference, loadReference, type ReferenceData } from './ccdprocData.js';

let dir = '';
let ref: ReferenceData;
let generationSeconds = 0;

beforeAll(() => {
  const g = generateReference(1);
  dir = g.dir;
  generationSeconds = g.seconds;
  ref = loadReference(dir);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function compare(ours: Float32Array, theirs: Float32Array): { maxRel: number; exact: number; n: number } {
  let maxRel = 0;
  let exact = 0;
  for (let i = 0; i < theirs.length; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) {
      exact++;
      continue;
    }
    const rel = Math.abs(a - b) / Math.max(Math.abs(b), 1);
    if (!(rel <= maxRel)) maxRel = Number.isNaN(rel) ? Infinity : rel;
  }
  return { maxRel, exact, n: theirs.length };
}

describe('ISR vs ccdproc (ccdproc_reference.py float32 chain)', () => {
  it.each([
    ['IsrTask', true],
    ['IsrTask', false],
    ['CfhtIsrTask', true],
  ] as const)('%s (fused path %s) matches numpy_f32_out.fits pixel for pixel', (task, fused) => {
    const { config } = loadIsrPreset('ccdproc-equivalent', task);
    config.useFusedPath = fused;
    // QA statistics are covered elsewhere; here they would only slow the comparison down.
    config.doStandardStatistics = false;
    config.qa.saveStats = false;
    const detector = ref.raw.detector!;
    // IsrTask takes gains/read noise from the camera; give it the file's (CfhtIsrTask reads them itself).
    const inputs =
      task === 'IsrTask'
        ? { raw: ref.raw, bias: ref.bias, dark: ref.dark, flat: ref.flat, detector: { ...detector, amplifiers: detector.amplifiers.map((a) => ({ ...a, gain: a.name === 'A' ? 1.57 : 1.67, readNoise: a.name === 'A' ? 3 : 5 })) } }
        : { raw: ref.raw, bias: ref.bias, dark: ref.dark, flat: ref.flat };
    const result = runIsr(inputs, config);
    expect(result.fused).toBe(fused);
    const out = result.exposure;
    expect([out.width, out.height]).toEqual([2048, 4612]);
    const sci = out.image.pixels();
    const sigma = Float32Array.from(out.variance.pixels(), (v) => Math.fround(Math.sqrt(v)));
    const s = compare(sci, ref.sci);
    const g = compare(sigma, ref.sigma);
    // Required: ≤ 1e-6 relative; achieved: bit-identical.
    expect(s.maxRel).toBeLessThanOrEqual(1e-6);
    expect(g.maxRel).toBeLessThanOrEqual(1e-6);
    expect(s.exact).toBe(s.n);
    expect(g.exact).toBe(g.n);
    expect(out.metadata?.get('LSST ISR UNITS')).toBe('electron');
    console.log(`[isr vs ccdproc] ${task} fused=${fused}: SCI ${s.exact}/${s.n} identical, SIGMA ${g.exact}/${g.n} identical; reference generation took ${generationSeconds.toFixed(1)} s`);
  });
});
