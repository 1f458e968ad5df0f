import { describe, expect, it } from 'vitest';
import { Box2I, Exposure, type Image } from '../../../core/image/index.js';
import {
  CfhtIsrConfig,
  IsrConfig,
  IsrTaskConnections,
  configFromYaml,
  listIsrPresets,
  loadIsrPreset,
  makeIsrConfig,
  runIsr,
  type IsrInputs,
} from '../../../core/isr/index.js';
import { configJsonSchema, type FieldSet, type ConfigClass } from '../../../core/pipe/config/index.js';
import { DATA_W, OS_W, makeCalib, makeDetector, makeRaw } from './synthetic.js';

const detector = makeDetector();

function inputs(edit?: (img: Image<Float32Array>) => void): IsrInputs {
  const raw = makeRaw(detector, { edit, darkTime: 300 });
  const bias = makeCalib(detector, (x, y) => 0.5 * Math.sin(x / 5) + 0.01 * y);
  const dark = makeCalib(detector, (x) => 0.02 + (x === 20 ? 5 : 0), 1000);
  dark.variance.fill(1e-4);
  dark.mask.set(30, 30, dark.mask.getPlaneBitMask('SUSPECT'));
  const flat = makeCalib(detector, (x, y) => 0.95 + 0.0005 * x - 0.0003 * y);
  flat.variance.fill(1e-6);
  return { raw, bias, dark, flat, defects: [new Box2I(40, 10, 2, 5), new Box2I(100, 0, 1, 40)] };
}

/** A raw with a saturated star + bleed trail, a NaN pixel and a hot column. */
function richInputs(): IsrInputs {
  return inputs((img) => {
    for (let y = 12; y < 20; y++) for (let x = OS_W + 20; x < OS_W + 28; x++) img.set(x, y, 65000);
    img.set(OS_W + 50, 30, NaN);
    for (let y = 0; y < 40; y++) img.set(DATA_W + OS_W + 10, y, 3000);
  });
}

/** The inputs' raw with every pixel's variance set to `v` (the raw's own planes are left alone). */
function withRawVariance(inp: IsrInputs, v: number): Exposure {
  const raw = inp.raw as Exposure;
  const copy = new Exposure(raw.maskedImage.clone(), raw.info());
  copy.variance.fill(v);
  return copy;
}

function planes(e: Exposure): [Float32Array, Int32Array, Float32Array] {
  return [e.image.pixels(), e.mask.pixels(), e.variance.pixels()];
}

/**
 * Runs the fused path with the SIMD kernels, with them turned off, and the step-by-step path:
 * expects the SIMD kernel, then `jsKernel`, and the same three planes from all three.
 */
async function expectKernelsAgree(inp: IsrInputs, cfg: () => ReturnType<typeof IsrConfig.make>, jsKernel: string): Promise<{ wasm: ReturnType<typeof runIsr>; generic: ReturnType<typeof runIsr> }> {
  const { setWasmKernelEnabled } = await import('../../../core/isr/fusedIsr.js');
  const wasm = runIsr(inp, cfg());
  setWasmKernelEnabled(false);
  let js;
  try {
    js = runIsr(inp, cfg());
  } finally {
    setWasmKernelEnabled(true);
  }
  const gen = cfg();
  gen.useFusedPath = false;
  const generic = runIsr(inp, gen);
  const kernels = (r: typeof wasm) => (r.metadata.isr as Record<string, Record<string, unknown>>).fused;
  expect(kernels(wasm)).toMatchObject({ 'kernel A': 'wasm-simd', 'kernel B': 'wasm-simd' });
  expect(kernels(js)).toMatchObject({ 'kernel A': jsKernel, 'kernel B': jsKernel });
  for (const r of [js, generic]) {
    const [i1, m1, v1] = planes(wasm.exposure);
    const [i2, m2, v2] = planes(r.exposure);
    expect(i1).toEqual(i2);
    expect(m1).toEqual(m2);
    expect(v1).toEqual(v2);
  }
  return { wasm, generic };
}

describe('IsrTask', () => {
  it.each([
    ['defaults (ADU, variance after bias, interpolation)', {}],
    ['electrons, final-image variance, MEAN flat', { outputUnits: 'electron', varianceSource: 'FINAL_IMAGE', flatScalingType: 'MEAN' }],
    ['per-row overscan, MEDIAN flat, suspect', { overscan: { fitType: 'MEDIAN_PER_ROW' }, flatScalingType: 'MEDIAN', doSuspect: true, numEdgeSuspect: 2 }],
  ] as const)('fused and step-by-step paths give identical results: %s', (_name, overrides) => {
    const a = IsrConfig.make(overrides as Record<string, unknown>);
    const b = IsrConfig.make(overrides as Record<string, unknown>);
    b.useFusedPath = false;
    // Suspect above 2500 ADU: the hot column in B and the star in A, not whole amplifiers.
    const suspectDetector = makeDetector({ A: { suspectLevel: 2500 }, B: { suspectLevel: 2500 } });
    const inp = { ...richInputs(), detector: 'doSuspect' in overrides ? suspectDetector : detector };
    const ra = runIsr(inp, a);
    const rb = runIsr(inp, b);
    expect(ra.fused).toBe(true);
    expect(rb.fused).toBe(false);
    const [ia, ma, va] = planes(ra.exposure);
    const [ib, mb, vb] = planes(rb.exposure);
    expect(ia).toEqual(ib);
    expect(ma).toEqual(mb);
    expect(va).toEqual(vb);
    expect(ra.exposure.mask.planes.entries()).toEqual(rb.exposure.mask.planes.entries());
    const meta = (r: typeof ra) => {
      const m = { ...(r.metadata.isr as Record<string, unknown>) };
      // Timings differ from run to run; 'fused' holds the fused pass's own timings.
      for (const k of Object.keys(m)) if (/^run|^fused$/.test(k)) delete m[k];
      return m;
    };
    expect(meta(ra)).toEqual(meta(rb));
    for (const key of ['LSST ISR FINAL MEDIAN A', 'LSST ISR OVERSCAN SERIAL MEDIAN B', 'LSST ISR MASK SAT A']) {
      expect(ra.exposure.metadata?.get(key)).toEqual(rb.exposure.metadata?.get(key));
    }
  });

  // USER: flat used as is; MEAN_FLOAT32: a float32 scale the kernel divides by; MEAN: a double
  // scale, so the normalised flat plane is made in JavaScript first.
  it.each(['USER', 'MEAN_FLOAT32', 'MEAN'] as const)('the WebAssembly SIMD kernel and the JavaScript kernel agree bit for bit (final-image variance, flat scaling %s)', async (flatScalingType) => {
    const base = richInputs();
    // Zero calibration variances and masks: the configuration the SIMD kernel serves.
    const inp = { ...base, dark: makeCalib(detector, (x) => 0.02 + (x === 20 ? 5 : 0), 1000), flat: makeCalib(detector, (x, y) => 0.95 + 0.0005 * x - 0.0003 * y) };
    const cfg = () => IsrConfig.make({ outputUnits: 'electron', varianceSource: 'FINAL_IMAGE', flatScalingType, overscan: { fitType: 'MEDIAN_PER_ROW', overscanIsInt: false } });
    await expectKernelsAgree(inp, cfg, 'js-common');
  });

  it('takes the SIMD kernel with real masters (variance planes) for the final-image variance, and not when a variance could make the NaN test fire', () => {
    // richInputs' dark and flat carry variance planes, as masters made by build-calibs do.
    const cfg = () => IsrConfig.make({ outputUnits: 'electron', varianceSource: 'FINAL_IMAGE', flatScalingType: 'MEAN_FLOAT32', overscan: { fitType: 'MEDIAN_PER_ROW', overscanIsInt: false } });
    const kernels = (r: ReturnType<typeof runIsr>) => (r.metadata.isr as Record<string, Record<string, unknown>>).fused;
    const compare = (inp: IsrInputs, kernel: string) => {
      const fused = runIsr(inp, cfg());
      const gen = cfg();
      gen.useFusedPath = false;
      const generic = runIsr(inp, gen);
      expect(kernels(fused)).toMatchObject({ 'kernel A': kernel, 'kernel B': kernel });
      const [i1, m1, v1] = planes(fused.exposure);
      const [i2, m2, v2] = planes(generic.exposure);
      expect(i1).toEqual(i2);
      expect(m1).toEqual(m2);
      expect(v1).toEqual(v2);
      return fused;
    };
    const withVariance = richInputs();
    const bias = makeCalib(detector, (x, y) => 0.5 * Math.sin(x / 5) + 0.01 * y);
    bias.variance.fill(2e-3);
    compare({ ...withVariance, bias }, 'wasm-simd');
    // A bias variance near the float32 maximum: raw + bias variance could overflow to Inf and flag
    // UNMASKEDNAN, which only the general kernel reproduces.
    const huge = makeCalib(detector, (x, y) => 0.5 * Math.sin(x / 5) + 0.01 * y);
    huge.variance.fill(2e-3);
    huge.variance.set(5, 5, 3e38);
    const r = compare({ ...withVariance, bias: huge, raw: withRawVariance(withVariance, 3e38) }, 'js-general');
    expect((r.metadata.isr as Record<string, unknown>).NUMNANS).toBeGreaterThan(1);
  });

  it.each([
    ['ADU (IsrTask defaults)', {}],
    ['electrons, MEAN flat (a scale that is not a float32)', { outputUnits: 'electron', flatScalingType: 'MEAN' }],
  ] as const)('the variance made after bias runs in the SIMD kernel, bit for bit the JavaScript kernel and the step-by-step path: %s', async (_name, overrides) => {
    // richInputs: a saturated star, a NaN, a hot column; dark and flat with variance planes and a SUSPECT bit.
    const inp = richInputs();
    const cfg = () => IsrConfig.make(overrides as Record<string, unknown>);
    const { wasm, generic } = await expectKernelsAgree(inp, cfg, 'js-general');
    const md = (r: typeof wasm) => r.metadata.isr as Record<string, unknown>;
    for (const key of ['NUMNANS', 'NEGATIVEVARIANCE', 'SATURATED A', 'SATURATED B']) expect(md(wasm)[key]).toEqual(md(generic)[key]);
  });

  it('runs every step in order on a realistic frame: masks, interpolation, metadata', () => {
    const inp = richInputs();
    const before = (inp.raw as Exposure).image.clone();
    const r = runIsr(inp);
    const e = r.exposure;
    expect((inp.raw as Exposure).image.pixels()).toEqual(before.pixels());
    expect([e.width, e.height]).toEqual([2 * DATA_W, 40]);
    const m = e.mask;
    const bit = (p: string) => m.getPlaneBitMask(p);
    // Saturated star: SAT, widened trail (8 wide → +3 each side) and grown by 1, then interpolated.
    expect(m.get(20, 15) & bit('SAT')).not.toBe(0);
    expect(m.get(17, 15) & bit('SAT')).not.toBe(0);
    expect(m.get(20, 15) & bit('INTRP')).not.toBe(0);
    // NaN → UNMASKEDNAN, interpolated to a finite value.
    expect(m.get(50, 30) & bit('UNMASKEDNAN')).not.toBe(0);
    expect(Number.isFinite(e.image.get(50, 30))).toBe(true);
    // Defects are BAD and interpolated.
    expect(m.get(40, 12) & bit('BAD')).not.toBe(0);
    expect(m.get(100, 5) & (bit('BAD') | bit('INTRP'))).toBe(bit('BAD') | bit('INTRP'));
    // The dark's mask is carried.
    expect(m.get(30, 30) & bit('SUSPECT')).not.toBe(0);
    const md = r.metadata.isr as Record<string, unknown>;
    expect(md.NUMNANS).toBe(1);
    expect(md['SATURATED A']).toBe(64);
    expect(md.INTERPOLATED_PIXELS).toBeGreaterThan(64 + 10 + 40);
    expect(Array.isArray(md.runStartCpuTime)).toBe(true);
    expect(e.metadata?.get('LSST ISR DARK APPLIED')).toBe(true);
    expect(e.metadata?.getNumber('LSST ISR FINAL MEDIAN A')).toBeGreaterThan(400);
    expect(e.metadata?.getNumber('LSST ISR FINAL MEDIAN A')).toBeLessThan(600);
    expect(r.config.isFrozen).toBe(true);
  });

  it('a wholly saturated/suspect amplifier is BAD and gets no overscan (generic path)', () => {
    const det = makeDetector({ B: { suspectLevel: 1400 } });
    const r = runIsr({ ...inputs(), detector: det }, IsrConfig.make({ doSuspect: true }));
    expect(r.fused).toBe(false);
    const md = r.metadata.isr as Record<string, unknown>;
    expect(md['FIT MEDIAN A']).toBeDefined();
    expect(md['FIT MEDIAN B']).toBeUndefined();
    const bad = r.exposure.mask.getPlaneBitMask('BAD');
    expect(r.exposure.mask.get(DATA_W + 5, 5) & bad).toBe(bad);
  });

  it('refuses missing calibrations and impossible configs with clear errors', () => {
    const { raw } = inputs();
    expect(() => runIsr({ raw })).toThrow(/doBias=true but no bias was given/);
    expect(() => IsrConfig.make({ doApplyGains: true }).freeze()).toThrow(/doFlat and doApplyGains/);
    expect(() => IsrConfig.make({ doBrighterFatter: true }).freeze()).toThrow(/doBrighterFatter=true: brighter-fatter correction is not available/);
    const c = IsrConfig.make({ doBias: false, doDark: false, doFlat: false });
    expect(() => runIsr({ raw, bfKernel: [[1]] }, c)).toThrow(/brighter-fatter kernel/);
    const d = IsrConfig.make({ doBias: false, doFlat: false });
    const noDarkTime = makeRaw(detector, { darkTime: NaN });
    expect(() => runIsr({ raw: noDarkTime, dark: inputs().dark }, d)).toThrow(/dark time/);
    const wrong = makeCalib(makeDetector(), () => 0);
    const small = new Exposure(wrong.maskedImage.subImage(new Box2I(0, 0, 10, 10)));
    expect(() => runIsr({ ...inputs(), bias: small })).toThrow(/bias covers .* but detector test00/);
  });

  it('CfhtIsrTask takes gains and read noise from GAINA/B, RDNOISEA/B and estimates saturation', () => {
    const cfg = CfhtIsrConfig.make({ doBias: false, doDark: false, doFlat: false, doFringe: false });
    const raw = makeRaw(detector, {
      edit: (img) => {
        for (let y = 0; y < 5; y++) img.set(OS_W + 60, y, 65535);
      },
    });
    raw.metadata!.set('GAINA', 1.25);
    raw.metadata!.set('RDNOISEA', 65535);
    raw.metadata!.set('RDNOISE', 4);
    const r = runIsr({ raw }, cfg as unknown as ReturnType<typeof makeIsrConfig>);
    const md = r.metadata.isr as Record<string, unknown>;
    expect(md['LSST GAIN A']).toBe(1.25);
    expect(md['LSST READNOISE A']).toBe(4);
    expect(md['LSST GAIN B']).toBe(2.0);
    expect(md.SATURATION_ESTIMATE).toBe(Math.trunc(0.95 * (60000 + 99 * ((65536 - 60000) / 100))));
    expect(r.exposure.metadata?.get('SATURATE')).toBe(md.SATURATION_ESTIMATE);
  });

  it('declares connections that follow the config', () => {
    const c = IsrConfig.make({ doDark: false });
    const names = IsrTaskConnections.resolve(c, 'isr').connections.map((x) => `${x.kind}:${x.name}`);
    expect(names).toContain('input:raw');
    expect(names).toContain('prerequisiteInput:bias');
    expect(names).not.toContain('prerequisiteInput:dark');
    expect(names).toContain('output:postISRCCD');
    expect(names).toContain('output:isr_metadata');
  });

  it('ships presets that load, and exports a JSON Schema with groups', () => {
    expect(listIsrPresets()).toEqual(expect.arrayContaining(['ccdproc-equivalent', 'cfht-megacam', 'isrtask-defaults']));
    const cfht = loadIsrPreset('cfht-megacam');
    expect(cfht.task).toBe('CfhtIsrTask');
    expect(cfht.config.doBias).toBe(false);
    expect(cfht.config.fringe.filters).toEqual(['i.MP9701', 'i.MP9702', 'z.MP9801']);
    expect(loadIsrPreset('isrtask-defaults').config.diff()).toEqual([]);
    expect(() => configFromYaml('overscan:\n  fitType: SPLINE\n', 'my.yaml')).toThrow(/my\.yaml: config field overscan\.fitType: value "SPLINE" is not one of the allowed values/);
    const schema = configJsonSchema(IsrConfig as unknown as ConfigClass<FieldSet>);
    expect(schema['x-groups']).toEqual(expect.arrayContaining(['Overscan and assembly', 'Flat and gains', 'Interpolation']));
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(props.overscan['x-subtask']).toBe('OverscanCorrectionTask');
    expect(props.saturation.default).toBe('NaN');
  });
});
