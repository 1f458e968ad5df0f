// IsrTask.run, step by step in ip_isr's order with its defaults (isr.md §1): raw (untrimmed, raw
// coordinates) → int→float → saturation/suspect masks → overscan → assembly/trim → bias → variance →
// linearity → crosstalk → defects/edges → NaN mask → trail widening → dark → fringe → flat/gains →
// BAD regions → interpolation → zero point → QA statistics. Where the configuration allows it the
// arithmetic from overscan to gains runs as one fused pass (fusedIsr.ts) with identical results.

import type { Amplifier, Detector } from '../camera/geometry.js';
import { Header } from '../fits/header.js';
import { Box2I, Exposure, Image, MaskedImage, Mask, type PixelArray, type ExposureInfo } from '../image/index.js';
import type { Config } from '../pipe/config/index.js';
import { PipelineTaskConnections, Task, type TaskOptions } from '../pipe/task/index.js';
import { AssembleCcdTask, assembleMaskedImage } from './assemble.js';
import { applyGain, biasCorrection, darkCorrection, flatCorrection, flatScale, maskNegativeVariance, updateVariance, varianceFromFinalImage } from './corrections.js';
import { type CrosstalkCalib, crosstalkFromConfig, subtractCrosstalk } from './crosstalk.js';
import { FringeTask } from './fringe.js';
import { interpolateOverMask } from './interp/legacyInterp.js';
import { IsrConfig, type IsrFields, maskPlanesToInterpolate } from './isrConfig.js';
import type { Linearizer } from './linearize.js';
import { allMasked, growMasks, maskDefects, maskEdges, maskNans, thresholdMask, widenSaturationTrails } from './masking.js';
import { type OverscanRunResult, OverscanCorrectionTask } from './overscan.js';
import { measureBackground, roughZeroPoint, setBadRegions, standardStatistics } from './qa.js';
import { clippedStats, goodValues, numpyFloat32Mean } from './stats.js';
import { canFuse, runFused } from './fusedIsr.js';

/** The raw frame: an Exposure (float32 pixels), or an integer image as read from the raw file. */
export type RawInput = Exposure | { image: Image<PixelArray>; info?: ExposureInfo };

export interface IsrInputs {
  raw: RawInput;
  /** Camera geometry of this CCD; defaults to the raw's detector. */
  detector?: Detector;
  bias?: Exposure | MaskedImage;
  dark?: Exposure | MaskedImage;
  flat?: Exposure | MaskedImage;
  /** Defect boxes in trimmed detector coordinates. */
  defects?: readonly Box2I[];
  linearizer?: Linearizer;
  crosstalk?: CrosstalkCalib;
  fringes?: { frames: readonly MaskedImage[]; seed?: number };
  /** A brighter-fatter kernel: not supported (refused with an error). */
  bfKernel?: unknown;
}

export interface IsrResult {
  /** postISRCCD: trimmed, assembled, with mask and variance. */
  exposure: Exposure;
  /** Metadata of the task and its subtasks (keyed by task name, pipe_base style). */
  metadata: Record<string, unknown>;
  /** The frozen config used. */
  config: Config<IsrFields>;
  /** Whether the fused pass ran. */
  fused: boolean;
}

export const IsrTaskConnections = new PipelineTaskConnections<Config<IsrFields>>({
  dimensions: ['instrument', 'exposure', 'detector'],
  inputs: {
    ccdExposure: { name: 'raw', storageClass: 'Exposure', dimensions: ['instrument', 'exposure', 'detector'], doc: 'Input exposure to process.' },
  },
  prerequisiteInputs: {
    camera: { name: 'camera', storageClass: 'Camera', dimensions: ['instrument'], doc: 'Input camera to construct complete exposures.', isCalibration: true },
    bias: { name: 'bias', storageClass: 'ExposureF', dimensions: ['instrument', 'detector'], doc: 'Input bias calibration.', isCalibration: true },
    dark: { name: 'dark', storageClass: 'ExposureF', dimensions: ['instrument', 'detector'], doc: 'Input dark calibration.', isCalibration: true },
    flat: { name: 'flat', storageClass: 'ExposureF', dimensions: ['instrument', 'physical_filter', 'detector'], doc: 'Combined flat.', isCalibration: true },
    defects: { name: 'defects', storageClass: 'Defects', dimensions: ['instrument', 'detector'], doc: 'Input defect tables.', isCalibration: true },
    linearizer: { name: 'linearizer', storageClass: 'Linearizer', dimensions: ['instrument', 'detector'], doc: 'Linearity correction calibration.', isCalibration: true, minimum: 0 },
    crosstalk: { name: 'crosstalk', storageClass: 'CrosstalkCalib', dimensions: ['instrument', 'detector'], doc: 'Input crosstalk object.', isCalibration: true, minimum: 0 },
    fringes: { name: 'fringe', storageClass: 'ExposureF', dimensions: ['instrument', 'physical_filter', 'detector'], doc: 'Input fringe calibration.', isCalibration: true, minimum: 0 },
  },
  outputs: {
    outputExposure: { name: 'postISRCCD', storageClass: 'Exposure', dimensions: ['instrument', 'exposure', 'detector'], doc: 'Output ISR processed exposure.' },
  },
  adjust: (c, active) => {
    if (!c.doBias) active.delete('bias');
    if (!c.doDark) active.delete('dark');
    if (!c.doFlat) active.delete('flat');
    if (!c.doDefect) active.delete('defects');
    if (!c.doLinearize) active.delete('linearizer');
    if (!c.doCrosstalk || c.crosstalk.useConfigCoefficients) active.delete('crosstalk');
    if (!c.doFringe || c.fringe.filters.length === 0) active.delete('fringes');
    if (!c.doWrite) active.delete('outputExposure');
  },
});

function asMaskedImage(x: Exposure | MaskedImage): MaskedImage {
  return x instanceof Exposure ? x.maskedImage : x;
}

function setHeader(h: Header, key: string, value: string | number | boolean, comment?: string): void {
  h.set(key, typeof value === 'number' && !Number.isFinite(value) ? String(value) : value, comment);
}

export class IsrTask extends Task<IsrFields> {
  static readonly taskName: string = 'IsrTask';
  static readonly ConfigClass = IsrConfig;
  static readonly defaultName = 'isr';
  static readonly connections = IsrTaskConnections;
  readonly overscan: OverscanCorrectionTask;
  readonly assembleCcd: AssembleCcdTask;
  readonly fringe: FringeTask;

  constructor(options: TaskOptions<IsrFields> = {}) {
    super(IsrConfig, IsrTask.defaultName, options);
    this.overscan = this.makeSubtask('overscan', OverscanCorrectionTask);
    this.assembleCcd = this.makeSubtask('assembleCcd', AssembleCcdTask);
    this.fringe = this.makeSubtask('fringe', FringeTask);
  }

  /** Runs ISR on one CCD; inputs are not modified. */
  run(inputs: IsrInputs): IsrResult {
    return this.timeMethod('run', () => this.runSteps(inputs));
  }

  /** Per-amplifier gain and read noise actually used (defineEffectivePtc): NaN or ≤ 0 gains become 1. */
  effectiveGain(amp: Amplifier): number {
    const g = Number.isFinite(amp.gain) ? amp.gain : this.config.gain;
    if (!Number.isFinite(g) || g <= 0) {
      this.log.warning(`Amplifier ${amp.name}: gain ${g} is not usable; using 1.0`);
      return 1.0;
    }
    return g;
  }

  saturationLevel(amp: Amplifier): number {
    return Number.isFinite(this.config.saturation) ? this.config.saturation : amp.saturation;
  }

  protected checkInputs(inputs: IsrInputs, detector: Detector): void {
    const c = this.config;
    if (inputs.bfKernel !== undefined && inputs.bfKernel !== null) throw new Error('a brighter-fatter kernel was given, but brighter-fatter correction is not available (doBrighterFatter must be false)');
    if (c.doBias && !inputs.bias) throw new Error('doBias=true but no bias was given (pass a bias or set doBias=false)');
    if (c.doDark && !inputs.dark) throw new Error('doDark=true but no dark was given (pass a dark or set doDark=false)');
    if (c.doFlat && !inputs.flat) throw new Error('doFlat=true but no flat was given (pass a flat or set doFlat=false)');
    if (this.doLinearize(detector) && !inputs.linearizer) {
      throw new Error(`doLinearize=true and detector ${detector.name} has linearity type ${detector.amplifiers[0].linearityType}, but no linearizer was given`);
    }
    if (c.doCrosstalk && !inputs.crosstalk && !c.crosstalk.useConfigCoefficients) throw new Error('doCrosstalk=true but no crosstalk calibration was given (pass one or set crosstalk.useConfigCoefficients)');
  }

  doLinearize(detector: Detector): boolean {
    return this.config.doLinearize && detector.amplifiers.length > 0 && detector.amplifiers[0].linearityType !== 'None';
  }

  /** int → float: a new float32 exposure; variance := 1, mask := 0 when converting. */
  protected convertIntToFloat(raw: RawInput): Exposure {
    if (raw instanceof Exposure) return raw.clone();
    const img = raw.image;
    const isFloat = img.pixelType === 'float32' || img.pixelType === 'float64';
    if (!this.config.doConvertIntToFloat && !isFloat) throw new Error(`the raw image is ${img.pixelType}; doConvertIntToFloat must be true to process it`);
    const f32 = img.convert<Float32Array>('float32');
    const mi = new MaskedImage(f32, Mask.createMask(img.width, img.height, { x0: img.x0, y0: img.y0 }), Image.create(img.width, img.height, { x0: img.x0, y0: img.y0 }).fill(1));
    return new Exposure(mi, raw.info ?? {});
  }

  protected prepareCalib(calib: Exposure | MaskedImage, raw: Exposure, detector: Detector, what: string): MaskedImage {
    let mi = asMaskedImage(calib);
    if (this.config.doAssembleIsrExposures && mi.bbox.equals(raw.bbox) && !mi.bbox.equals(detector.bbox)) mi = assembleMaskedImage(mi, detector);
    if (!mi.bbox.equals(detector.bbox)) {
      throw new Error(`${what} covers ${mi.bbox.toString()} but detector ${detector.name} is ${detector.bbox.toString()} after assembly` + (mi.bbox.equals(raw.bbox) ? ' (it is untrimmed: set doAssembleIsrExposures=true)' : ''));
    }
    return mi;
  }

  private runSteps(inputs: IsrInputs): IsrResult {
    const c = this.config;
    const rawInfo = inputs.raw instanceof Exposure ? inputs.raw.info() : (inputs.raw.info ?? {});
    const detector = inputs.detector ?? rawInfo.detector;
    if (!detector) throw new Error('no detector: pass inputs.detector or a raw exposure with a detector');
    this.checkInputs(inputs, detector);

    // 1–2. int → float: a working copy, so the caller's raw is left alone — except on the fused
    // path, which only reads the raw's data pixels (it copies the small overscan regions it edits).
    const rawExposure = inputs.raw instanceof Exposure ? inputs.raw : undefined;
    const fuse = rawExposure !== undefined && canFuse(this, inputs, detector, rawExposure.bbox.equals(new Box2I(0, 0, detector.rawWidth, detector.rawHeight)) && !detector.bbox.equals(rawExposure.bbox));
    const ccd = fuse ? new Exposure(rawExposure.maskedImage, rawExposure.info()) : this.convertIntToFloat(inputs.raw);
    ccd.detector = detector;
    ccd.metadata = ccd.metadata?.clone() ?? new Header();
    const header = ccd.metadata;
    setHeader(header, 'LSST ISR UNITS', 'adu', 'Units of the ISR-processed image');
    const rawBox = new Box2I(0, 0, detector.rawWidth, detector.rawHeight);
    if (!ccd.bbox.equals(rawBox) && !ccd.bbox.equals(detector.bbox)) {
      throw new Error(`raw image is ${ccd.width}×${ccd.height} at (${ccd.x0}, ${ccd.y0}) but detector ${detector.name} expects a ${detector.rawWidth}×${detector.rawHeight} raw frame`);
    }
    const untrimmed = ccd.bbox.equals(rawBox) && !rawBox.equals(detector.bbox);

    const bias = c.doBias && inputs.bias ? this.prepareCalib(inputs.bias, ccd, detector, 'bias') : undefined;
    const dark = c.doDark && inputs.dark ? this.prepareCalib(inputs.dark, ccd, detector, 'dark') : undefined;
    const flat = c.doFlat && inputs.flat ? this.prepareCalib(inputs.flat, ccd, detector, 'flat') : undefined;
    const defects = c.doDefect ? (inputs.defects ?? []) : [];

    const gains = new Map(detector.amplifiers.map((a) => [a.name, this.effectiveGain(a)]));
    const readNoises = new Map(detector.amplifiers.map((a) => [a.name, Number.isFinite(a.readNoise) ? a.readNoise : c.readNoise]));

    if (fuse && untrimmed) {
      const exposure = runFused(this, { ccd, detector, bias, dark, flat, defects, gains, readNoises, darkScale: darkTimeOf(inputs.dark), header });
      this.finish(exposure, detector, inputs, header);
      return { exposure, metadata: this.getFullMetadata(), config: this.config, fused: true };
    }

    // 4. Parallel-overscan masking, 5. per-amplifier masking and overscan.
    if (untrimmed && c.doOverscan && c.overscan.doParallelOverscan) this.overscan.maskParallelOverscan(ccd, detector.amplifiers);
    const overscans = new Map<string, OverscanRunResult>();
    if (untrimmed) {
      for (const amp of detector.amplifiers) {
        if (!ccd.bbox.containsBox(amp.rawBBox)) continue;
        const bad = this.maskAmplifier(ccd, amp, defects);
        if (c.doOverscan && !bad) {
          if (amp.rawSerialOverscanBBox.isEmpty()) continue;
          const r = this.overscan.run(ccd, amp);
          overscans.set(amp.name, r);
          this.recordOverscan(header, amp.name, r);
        }
      }
      if (c.doOverscan) header.set('OVERSCAN', 'Overscan corrected');
    }

    // 8–9. Crosstalk before assembly is not supported; assemble/trim.
    let exposure = ccd;
    if (c.doAssembleCcd && untrimmed) exposure = this.assembleCcd.assembleCcd(ccd, detector);
    exposure.metadata = header;
    const mi = exposure.maskedImage;

    // 11. Bias.
    if (bias) {
      biasCorrection(mi, bias);
      setHeader(header, 'LSST ISR BIAS APPLIED', true);
    }

    // 12. Variance.
    if (c.doVariance && c.varianceSource === 'AFTER_BIAS') {
      for (const amp of detector.amplifiers) {
        if (!exposure.bbox.containsBox(amp.bbox)) continue;
        const g = gains.get(amp.name)!;
        const rn = this.readNoiseFor(amp, g, readNoises.get(amp.name)!, overscans.get(amp.name));
        updateVariance(mi, amp.bbox, g, rn);
      }
      if (c.maskNegativeVariance) this.metadata.set('NEGATIVEVARIANCE', maskNegativeVariance(mi, c.negativeVarianceMaskName));
    }

    // 13. Linearity.
    if (this.doLinearize(detector) && inputs.linearizer) {
      const r = inputs.linearizer.applyLinearity(mi, detector);
      this.metadata.set('LINEARITY_OUT_OF_RANGE', r.nOutOfRange);
      setHeader(header, 'LSST ISR LINEARIZER APPLIED', true);
    }

    // 14. Crosstalk (after assembly).
    if (c.doCrosstalk) {
      const calib = c.crosstalk.useConfigCoefficients ? crosstalkFromConfig(c.crosstalk.crosstalkValues, c.crosstalk.crosstalkShape, detector.amplifiers.length) : inputs.crosstalk!;
      const n = subtractCrosstalk(mi, detector, calib, {
        minPixelToMask: c.crosstalk.minPixelToMask,
        maskPlane: c.crosstalk.crosstalkMaskPlane,
        backgroundMethod: c.crosstalk.crosstalkBackgroundMethod as 'None' | 'AMP' | 'DETECTOR',
        doQuadratic: c.crosstalk.doQuadraticCrosstalkCorrection,
      });
      this.metadata.set('CROSSTALK_MASKED', n);
      setHeader(header, 'LSST ISR CROSSTALK APPLIED', true);
    }

    // 15–17. Defects and edges, NaN masking, saturation-trail widening.
    this.maskingSteps(exposure, detector, defects, header);

    // 20. Dark.
    if (dark) {
      const scale = this.darkScaleFor(exposure, darkTimeOf(inputs.dark));
      darkCorrection(mi, dark, scale.exp, scale.dark);
      setHeader(header, 'LSST ISR DARK APPLIED', true);
    }

    // 21. Fringe before flat.
    if (c.doFringe && !c.fringeAfterFlat) this.fringeStep(exposure, inputs);

    // 23–24. Flat, or gains.
    if (flat) {
      flatCorrection(mi, flat, this.flatScaleFor(flat));
      setHeader(header, 'LSST ISR FLAT APPLIED', true);
    }
    if (c.doApplyGains || c.outputUnits === 'electron') {
      for (const amp of detector.amplifiers) if (exposure.bbox.containsBox(amp.bbox)) applyGain(mi, amp.bbox, gains.get(amp.name)!);
      setHeader(header, 'LSST ISR UNITS', 'electron');
    }
    if (c.doVariance && c.varianceSource === 'FINAL_IMAGE') this.finalVariance(exposure, detector, gains, readNoises, overscans);

    // 25. Fringe after flat.
    if (c.doFringe && c.fringeAfterFlat) this.fringeStep(exposure, inputs);

    this.finish(exposure, detector, inputs, header);
    return { exposure, metadata: this.getFullMetadata(), config: this.config, fused: false };
  }

  /** Steps 27–30, shared by the generic and fused paths. */
  protected finish(exposure: Exposure, detector: Detector, inputs: IsrInputs, header: Header): void {
    const c = this.config;
    const mi = exposure.maskedImage;
    // Variance statistics of the final plane (ip_isr records them right after updateVariance; the
    // fused pass never materialises that intermediate plane, so both paths report the final one).
    if (c.doVariance) for (const amp of detector.amplifiers) if (exposure.bbox.containsBox(amp.bbox)) this.recordVarianceStats(mi, amp);
    if (c.doSetBadRegions) {
      const { count, value } = setBadRegions(mi);
      this.metadata.set('BADREGIONS_COUNT', count);
      this.metadata.set('BADREGIONS_VALUE', value);
    }
    if (c.doInterpolate) {
      const planes = maskPlanesToInterpolate(c).filter((p) => mi.mask.planes.has(p));
      if (planes.includes('SAT') && c.growSaturationFootprintSize > 0) growMasks(mi.mask, c.growSaturationFootprintSize, ['SAT'], 'SAT');
      const img = mi.image;
      const fallback = clippedStats(goodValues(img.array, img.width, img.height, { offset: img.offset, stride: img.stride }), 3, 3).mean;
      const n = interpolateOverMask(mi, mi.mask.getPlaneBitMask(planes), fallback);
      this.metadata.set('INTERPOLATED_PIXELS', n);
      this.metadata.set('INTERPOLATION_FALLBACK', fallback);
    }
    const physical = exposure.filter?.physicalLabel;
    const fluxMag0 = physical !== undefined && Object.hasOwn(c.fluxMag0T1, physical) ? c.fluxMag0T1[physical] : c.defaultFluxMag0T1;
    if (physical === undefined || !Object.hasOwn(c.fluxMag0T1, physical)) this.log.warning(`No rough magnitude zero point defined for filter ${physical ?? '(none)'}; using defaultFluxMag0T1.`);
    const zp = roughZeroPoint(fluxMag0, exposure.visitInfo?.exposureTime ?? NaN);
    if (zp !== undefined) {
      this.metadata.set('ROUGH_ZEROPOINT', zp);
      setHeader(header, 'LSST ISR ROUGH ZEROPOINT', zp, 'mag for 1 count/s at this exposure time');
    }
    if (c.doMeasureBackground) {
      const qa = measureBackground(mi, c.qa.flatness);
      for (const [k, v] of Object.entries(qa)) setHeader(header, k, v);
    }
    if (c.doStandardStatistics) {
      for (const s of standardStatistics(exposure, detector, c.saturatedMaskName)) {
        setHeader(header, `LSST ISR MASK SAT ${s.amp}`, s.nSat);
        setHeader(header, `LSST ISR MASK BAD ${s.amp}`, s.nBad);
        setHeader(header, `LSST ISR FINAL MEAN ${s.amp}`, s.mean);
        setHeader(header, `LSST ISR FINAL MEDIAN ${s.amp}`, s.median);
        setHeader(header, `LSST ISR FINAL STDEV ${s.amp}`, s.stdevClip);
        const ovs = header.getNumber(`LSST ISR OVERSCAN SERIAL MEDIAN ${s.amp}`);
        setHeader(header, `LSST ISR LEVEL ${s.amp}`, c.doOverscan && ovs !== undefined ? s.median - ovs : NaN);
      }
    }
    if (c.doHeaderProvenance) {
      for (const [name, calib] of [['BIAS', inputs.bias], ['DARK', inputs.dark], ['FLAT', inputs.flat]] as const) {
        if (calib instanceof Exposure && calib.metadata) {
          const date = calib.metadata.getString('CALIB_CREATION_DATE') ?? calib.metadata.getString('DATE');
          if (date) setHeader(header, `LSST CALIB DATE ${name}`, date);
        }
      }
    }
  }

  /** Saturation/suspect masks over the raw amplifier box; returns true if the amplifier is bad. */
  maskAmplifier(ccd: Exposure, amp: Amplifier, defects: readonly Box2I[]): boolean {
    const c = this.config;
    if (defects.some((d) => d.containsBox(amp.bbox))) return true;
    const mi = ccd.maskedImage;
    if (c.doSaturation) {
      const n = thresholdMask(mi, amp.rawBBox, this.saturationLevel(amp), mi.mask.getPlaneBitMask(c.saturatedMaskName));
      this.metadata.set(`SATURATED ${amp.name}`, n);
    }
    if (c.doSuspect && Number.isFinite(amp.suspectLevel)) thresholdMask(mi, amp.rawBBox, amp.suspectLevel, 1 << mi.mask.addMaskPlane(c.suspectMaskName));
    const flagged = mi.mask.getPlaneBitMask(mi.mask.planes.has(c.suspectMaskName) ? [c.saturatedMaskName, c.suspectMaskName] : [c.saturatedMaskName]);
    if (allMasked(mi.mask, amp.rawDataBBox, flagged)) {
      this.log.warning(`Amplifier ${amp.name} is bad (every pixel saturated or suspect).`);
      mi.mask.setMaskInBox(amp.rawDataBBox, 'BAD');
      return true;
    }
    return false;
  }

  recordOverscan(header: Header, ampName: string, r: OverscanRunResult): void {
    const s = r.serial;
    setHeader(header, `LSST ISR OVERSCAN SERIAL MEAN ${ampName}`, s.mean);
    setHeader(header, `LSST ISR OVERSCAN SERIAL MEDIAN ${ampName}`, s.median);
    setHeader(header, `LSST ISR OVERSCAN SERIAL STDEV ${ampName}`, s.sigma);
    setHeader(header, `LSST ISR OVERSCAN RESIDUAL SERIAL MEAN ${ampName}`, s.residualMean);
    setHeader(header, `LSST ISR OVERSCAN RESIDUAL SERIAL MEDIAN ${ampName}`, s.residualMedian);
    setHeader(header, `LSST ISR OVERSCAN RESIDUAL SERIAL STDEV ${ampName}`, s.residualSigma);
    this.metadata.set(`FIT MEDIAN ${ampName}`, s.median);
    this.metadata.set(`FIT MEAN ${ampName}`, s.mean);
    this.metadata.set(`FIT STDEV ${ampName}`, s.sigma);
    this.metadata.set(`RESIDUAL MEDIAN ${ampName}`, s.residualMedian);
    this.metadata.set(`RESIDUAL MEAN ${ampName}`, s.residualMean);
    this.metadata.set(`RESIDUAL STDEV ${ampName}`, s.residualSigma);
    if (r.parallel) {
      const p = r.parallel;
      setHeader(header, `LSST ISR OVERSCAN PARALLEL MEAN ${ampName}`, p.mean);
      setHeader(header, `LSST ISR OVERSCAN PARALLEL MEDIAN ${ampName}`, p.median);
      setHeader(header, `LSST ISR OVERSCAN PARALLEL STDEV ${ampName}`, p.sigma);
    }
  }

  /** Read noise in electrons: empirical (overscan residual σ × gain) or the amplifier's. */
  readNoiseFor(amp: Amplifier, gain: number, nominal: number, overscan: OverscanRunResult | undefined): number {
    let rn = nominal;
    let source = 'amp';
    if (this.config.doEmpiricalReadNoise && overscan && Number.isFinite(overscan.serial.residualSigma)) {
      rn = overscan.serial.residualSigma * gain;
      source = 'empirical';
    }
    this.metadata.set(`LSST GAIN ${amp.name}`, gain);
    this.metadata.set(`LSST READNOISE ${amp.name}`, rn);
    this.metadata.set('LSST ISR NOISE SOURCE', source);
    return rn;
  }

  recordVarianceStats(mi: MaskedImage, amp: Amplifier): void {
    if (!this.config.qa.saveStats) return;
    const v = mi.variance.subImage(amp.bbox);
    const vals = goodValues(v.array, v.width, v.height, { offset: v.offset, stride: v.stride });
    const clipped = clippedStats(vals, 3, 3);
    this.metadata.set(`ISR VARIANCE ${amp.name} MEDIAN`, clipped.median);
    this.metadata.set(`ISR VARIANCE ${amp.name} STDEV`, clipped.stdev);
  }

  maskingSteps(exposure: Exposure, detector: Detector, defects: readonly Box2I[], header: Header): void {
    const c = this.config;
    const mi = exposure.maskedImage;
    if (c.doDefect) {
      this.metadata.set('DEFECTS_MASKED', maskDefects(mi.mask, defects));
      if (c.numEdgeSuspect > 0) {
        mi.mask.addMaskPlane(c.suspectMaskName);
        maskEdges(mi.mask, c.edgeMaskLevel === 'DETECTOR' ? [exposure.bbox] : detector.amplifiers.map((a) => a.bbox), c.numEdgeSuspect, c.suspectMaskName);
      }
      setHeader(header, 'LSST ISR DEFECTS APPLIED', true);
    }
    if (c.doNanMasking) this.metadata.set('NUMNANS', maskNans(mi));
    if (c.doWidenSaturationTrails) widenSaturationTrails(mi.mask);
  }

  /** Dark times of the exposure and of the dark (NaN/missing for the dark → 1.0 with a warning, as ip_isr). */
  darkScaleFor(exposure: Exposure, darkDarkTime: number): { exp: number; dark: number } {
    const exp = exposure.visitInfo?.darkTime ?? NaN;
    if (!Number.isFinite(exp)) throw new Error(`dark correction needs the exposure's dark time, which is ${exposure.visitInfo ? exp : 'missing (no visit info)'}`);
    let d = darkDarkTime;
    if (!Number.isFinite(d)) {
      this.log.warning('The dark has no dark time; using a dark scale of 1.0.');
      d = 1.0;
    }
    return { exp, dark: d };
  }

  flatScaleFor(flat: MaskedImage): number {
    const c = this.config;
    if (c.flatScalingType === 'USER') return c.flatUserScale;
    // A flat's mean/median does not change between exposures: computed once per flat image.
    const key = `${c.flatScalingType}`;
    const cached = flatScaleCache.get(flat.image)?.[key];
    if (cached !== undefined) return cached;
    const value = c.flatScalingType === 'MEAN_FLOAT32' ? numpyFloat32Mean(flat.image.pixels()) : flatScale(flat, c.flatScalingType as 'MEAN' | 'MEDIAN', c.flatUserScale);
    flatScaleCache.set(flat.image, { ...(flatScaleCache.get(flat.image) ?? {}), [key]: value });
    return value;
  }

  finalVariance(exposure: Exposure, detector: Detector, gains: Map<string, number>, readNoises: Map<string, number>, overscans: Map<string, OverscanRunResult>): void {
    const c = this.config;
    const mi = exposure.maskedImage;
    const electrons = c.doApplyGains || c.outputUnits === 'electron';
    for (const amp of detector.amplifiers) {
      if (!exposure.bbox.containsBox(amp.bbox)) continue;
      const g = gains.get(amp.name)!;
      const rn = this.readNoiseFor(amp, g, readNoises.get(amp.name)!, overscans.get(amp.name));
      // In electrons the gain is already applied: var = img + rn²; in ADU var = img/g + (rn/g)².
      varianceFromFinalImage(mi, amp.bbox, electrons ? 1 : g, rn);
    }
    if (c.maskNegativeVariance) this.metadata.set('NEGATIVEVARIANCE', maskNegativeVariance(mi, c.negativeVarianceMaskName));
  }

  fringeStep(exposure: Exposure, inputs: IsrInputs): void {
    if (!this.fringe.checkFilter(exposure)) return;
    if (!inputs.fringes) throw new Error(`doFringe=true and filter ${exposure.filter?.physicalLabel} is in fringe.filters, but no fringe frames were given`);
    const seed = inputs.fringes.seed ?? this.config.fringe.stats.rngSeedOffset + (exposure.id ?? 0);
    const r = this.fringe.run(exposure, inputs.fringes.frames, seed % 2 ** 32);
    if (r.applied) setHeader(exposure.metadata ?? new Header(), 'LSST ISR FRINGE APPLIED', true);
  }
}

/** Flat statistics per flat image (calibrations are not modified between runs). */
const flatScaleCache = new WeakMap<object, Record<string, number>>();

export function darkTimeOf(dark: Exposure | MaskedImage | undefined): number {
  return dark instanceof Exposure ? (dark.visitInfo?.darkTime ?? NaN) : NaN;
}
