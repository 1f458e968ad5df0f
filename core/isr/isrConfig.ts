// IsrTaskConfig: every field of ip_isr's IsrTaskConfig that this implementation honours, with the
// same names and defaults (isrtask_config_defaults.txt), plus a few extensions for ccdproc-style
// processing (outputUnits, varianceSource, MEAN_FLOAT32 flat scaling, useFusedPath). Steps this
// implementation does not have are accepted only when off, with an error naming the field.

import { configField, defineConfig, f, subtaskField, registerConfigurable } from '../pipe/config/index.js';
import { AssembleCcdConfig, AssembleCcdTask } from './assemble.js';
import { CrosstalkConfig } from './crosstalk.js';
import { FringeConfig, FringeTask } from './fringe.js';
import { OverscanConfig, OverscanCorrectionTask } from './overscan.js';

registerConfigurable(OverscanCorrectionTask);
registerConfigurable(AssembleCcdTask);
registerConfigurable(FringeTask);

export const IsrQaFlatnessConfig = defineConfig('IsrQaFlatnessConfig', 'Flatness (background grid) QA.', {
  meshX: f.int({ doc: 'Mesh size in X for flatness statistics (pixels).', default: 256, min: 1 }),
  meshY: f.int({ doc: 'Mesh size in Y for flatness statistics (pixels).', default: 256, min: 1 }),
  doClip: f.bool({ doc: 'Clip outliers (MEANCLIP) for each cell, else MEAN.', default: true }),
  clipSigma: f.float({ doc: 'Number of sigma for clipping.', default: 3.0, min: 0, minExclusive: true }),
  nIter: f.int({ doc: 'Number of clipping iterations.', default: 3, min: 1 }),
});

export const IsrQaConfig = defineConfig('IsrQaConfig', 'ISR quality-assurance statistics.', {
  saveStats: f.bool({ doc: 'Record per-amplifier variance and background statistics in the task metadata.', default: true }),
  flatness: configField(IsrQaFlatnessConfig, 'Flatness parameters.'),
});

const UNSUPPORTED: Array<[string, string]> = [
  ['doDeferredCharge', 'deferred-charge (CTI) correction'],
  ['doStrayLight', 'stray-light correction'],
  ['doVignette', 'vignetting'],
  ['doAttachTransmissionCurve', 'transmission curves'],
  ['doIlluminationCorrection', 'illumination correction'],
  ['doAmpOffset', 'amplifier offset correction'],
  ['doCalculateStatistics', 'IsrStatisticsTask statistics'],
  ['doBinnedExposures', 'binned exposures'],
  ['doBrighterFatter', 'brighter-fatter correction'],
  ['doSaveInterpPixels', 'saving the pre-interpolation pixels'],
  ['doBiasBeforeOverscan', 'bias subtraction before overscan'],
  ['doTrimToMatchCalib', 'trimming to match calibrations'],
  ['usePtcGains', 'PTC gains'],
  ['usePtcReadNoise', 'PTC read noise'],
];

const G = {
  general: 'General',
  sat: 'Saturation and suspect',
  overscan: 'Overscan and assembly',
  bias: 'Bias',
  variance: 'Variance',
  lin: 'Linearity and crosstalk',
  masking: 'Defects and masking',
  dark: 'Dark',
  flat: 'Flat and gains',
  fringe: 'Fringe',
  interp: 'Interpolation',
  photo: 'Photometry',
  qa: 'QA and statistics',
  ext: 'Extensions (this implementation)',
  unsupported: 'Not available here',
};

export const IsrConfig = defineConfig(
  'IsrTaskConfig',
  'Instrument Signature Removal: turn a raw CCD into a calibrated, assembled exposure (postISRCCD).',
  {
    datasetType: f.string({ doc: 'Dataset type of the input raw.', default: 'raw', group: G.general }),
    fallbackFilterName: f.string({ doc: 'Fallback physical filter name for calibrations.', default: '', group: G.general }),
    expectWcs: f.bool({ doc: 'Expect the raw to carry a WCS (warn otherwise).', default: true, group: G.general }),
    fwhm: f.float({ doc: 'FWHM of the PSF in arcseconds (not used by the legacy interpolator).', default: 1.0, min: 0, minExclusive: true, group: G.general }),
    qa: configField(IsrQaConfig, 'QA-related configuration options.', G.qa),
    doHeaderProvenance: f.bool({ doc: 'Write calibration identifiers and dates into the output header.', default: true, group: G.general }),
    doRaiseOnCalibMismatch: f.bool({ doc: 'Raise (instead of warn) when calibration header keywords differ from the raw.', default: false, group: G.general }),
    cameraKeywordsToCompare: f.list({ doc: 'Header keywords that must agree between the raw and every calibration.', item: 'string', default: [], group: G.general }),
    doConvertIntToFloat: f.bool({ doc: 'Convert integer raw images to floating point values (variance := 1, mask := 0)?', default: true, group: G.general }),
    doSaturation: f.bool({ doc: 'Mask saturated pixels (raw value ≥ saturation level).', default: true, group: G.sat }),
    saturatedMaskName: f.string({ doc: 'Name of mask plane to use in saturation detection and interpolation.', default: 'SAT', group: G.sat }),
    saturation: f.float({ doc: 'The saturation level to use if no Detector is present in the Exposure (ignored if NaN).', default: NaN, group: G.sat }),
    growSaturationFootprintSize: f.int({ doc: 'Number of pixels by which to grow the saturation footprints before interpolation.', default: 1, min: 0, group: G.sat }),
    doSuspect: f.bool({ doc: 'Mask suspect pixels (≥ the amplifier suspect level)?', default: false, group: G.sat }),
    suspectMaskName: f.string({ doc: 'Name of mask plane to use for suspect pixels.', default: 'SUSPECT', group: G.sat }),
    numEdgeSuspect: f.int({ doc: 'Number of edge pixels to be flagged as untrustworthy.', default: 0, min: 0, group: G.masking }),
    edgeMaskLevel: f.choice({ doc: 'Mask edge pixels in which coordinate frame?', default: 'DETECTOR', allowed: { DETECTOR: 'Mask only the edges of the full detector.', AMP: 'Mask edges of each amplifier.' }, group: G.masking }),
    doSetBadRegions: f.bool({ doc: 'Should we set the level of all BAD patches of the chip to the chip\'s median?', default: true, group: G.masking }),
    badStatistic: f.choice({ doc: 'How to estimate the average value for BAD regions (ip_isr ignores this field and always uses MEDIAN; so do we).', default: 'MEANCLIP', allowed: { MEANCLIP: 'Correct using the (clipped) mean of good data.', MEDIAN: 'Correct using the median of the good data.' }, group: G.masking }),
    doOverscan: f.bool({ doc: 'Do overscan subtraction?', default: true, group: G.overscan }),
    overscan: subtaskField(OverscanCorrectionTask, OverscanConfig, 'Overscan subtraction task for image segments.', G.overscan),
    doAssembleCcd: f.bool({ doc: 'Assemble amp-level exposures into a ccd-level exposure?', default: true, group: G.overscan }),
    assembleCcd: subtaskField(AssembleCcdTask, AssembleCcdConfig, 'CCD assembly task.', G.overscan),
    doAssembleIsrExposures: f.bool({ doc: 'Assemble untrimmed calibrations (same size as the raw) before using them?', default: false, group: G.overscan }),
    doTrimToMatchCalib: f.bool({ doc: 'Trim raw data to match calibration bounding boxes?', default: false, group: G.unsupported }),
    doBias: f.bool({ doc: 'Apply bias frame correction?', default: true, group: G.bias }),
    biasDataProductName: f.string({ doc: 'Name of the bias data product.', default: 'bias', group: G.bias }),
    doBiasBeforeOverscan: f.bool({ doc: 'Reverse order of overscan and bias correction.', default: false, group: G.unsupported }),
    doDeferredCharge: f.bool({ doc: 'Apply deferred charge correction?', default: false, group: G.unsupported }),
    doVariance: f.bool({ doc: 'Calculate variance?', default: true, group: G.variance }),
    gain: f.float({ doc: 'The gain to use if no Detector is present in the Exposure (ignored if NaN).', default: NaN, group: G.variance }),
    readNoise: f.float({ doc: 'The read noise to use if no Detector is present in the Exposure.', default: 0.0, min: 0, group: G.variance }),
    doEmpiricalReadNoise: f.bool({ doc: 'Calculate empirical read noise instead of value from AmpInfo data?', default: false, group: G.variance }),
    usePtcReadNoise: f.bool({ doc: 'Use readnoise values from the Photon Transfer Curve?', default: false, group: G.unsupported }),
    maskNegativeVariance: f.bool({ doc: 'Mask pixels that claim a negative variance?', default: true, group: G.variance }),
    negativeVarianceMaskName: f.string({ doc: 'Mask plane to use to mark pixels with negative variance, if masking them.', default: 'BAD', group: G.variance }),
    doLinearize: f.bool({ doc: 'Correct for nonlinearity of the detector\'s response?', default: true, group: G.lin }),
    doCrosstalk: f.bool({ doc: 'Apply intra-CCD crosstalk correction?', default: false, group: G.lin }),
    doCrosstalkBeforeAssemble: f.bool({ doc: 'Apply crosstalk correction before CCD assembly, and before trimming?', default: false, group: G.lin }),
    crosstalk: configField(CrosstalkConfig, 'Intra-CCD crosstalk correction.', G.lin),
    doDefect: f.bool({ doc: 'Apply correction for CCD defects, e.g. hot pixels?', default: true, group: G.masking }),
    doNanMasking: f.bool({ doc: 'Mask non-finite (NAN, inf) pixels?', default: true, group: G.masking }),
    doWidenSaturationTrails: f.bool({ doc: 'Widen bleed trails based on their width?', default: true, group: G.sat }),
    doBrighterFatter: f.bool({ doc: 'Apply the brighter-fatter correction?', default: false, group: G.unsupported }),
    doDark: f.bool({ doc: 'Apply dark frame correction?', default: true, group: G.dark }),
    darkDataProductName: f.string({ doc: 'Name of the dark data product.', default: 'dark', group: G.dark }),
    doStrayLight: f.bool({ doc: 'Subtract stray light in the y-band (due to encoder LEDs)?', default: false, group: G.unsupported }),
    doFlat: f.bool({ doc: 'Apply flat field correction?', default: true, group: G.flat }),
    flatDataProductName: f.string({ doc: 'Name of the flat data product.', default: 'flat', group: G.flat }),
    flatScalingType: f.choice({
      doc: 'The method for scaling the flat on the fly.',
      default: 'USER',
      allowed: {
        USER: 'Scale by flatUserScale.',
        MEAN: 'Scale by the inverse of the mean (double precision, afw).',
        MEDIAN: 'Scale by the inverse of the median.',
        MEAN_FLOAT32: 'Scale by the inverse of numpy\'s float32 mean (what ccdproc.flat_correct uses): bit-identical to ccdproc/numpy.',
      },
      group: G.flat,
    }),
    flatUserScale: f.float({ doc: 'If flatScalingType is \'USER\' then scale flat by this amount; ignored otherwise.', default: 1.0, group: G.flat }),
    doTweakFlat: f.bool({ doc: 'Tweak flats to match observed amplifier ratios?', default: false, group: G.unsupported }),
    doApplyGains: f.bool({ doc: 'Correct the amplifiers for their gains instead of applying flat correction (ADU → electrons, no flat).', default: false, group: G.flat }),
    usePtcGains: f.bool({ doc: 'Use the gain values from the Photon Transfer Curve?', default: false, group: G.unsupported }),
    normalizeGains: f.bool({ doc: 'Normalize all the amplifiers in each CCD to have the same median value.', default: false, group: G.flat }),
    doFringe: f.bool({ doc: 'Apply fringe correction?', default: true, group: G.fringe }),
    fringe: subtaskField(FringeTask, FringeConfig, 'Fringe subtraction task.', G.fringe),
    fringeAfterFlat: f.bool({ doc: 'Do fringe subtraction after flat-fielding?', default: true, group: G.fringe }),
    doAmpOffset: f.bool({ doc: 'Calculate and apply amp offset corrections?', default: false, group: G.unsupported }),
    doMeasureBackground: f.bool({ doc: 'Measure the background level on the reduced image?', default: false, group: G.qa }),
    doCameraSpecificMasking: f.bool({ doc: 'Mask camera-specific bad regions? (The base masking task does nothing.)', default: false, group: G.masking }),
    doInterpolate: f.bool({ doc: 'Interpolate masked pixels?', default: true, group: G.interp }),
    doSaturationInterpolation: f.bool({ doc: 'Perform interpolation over pixels masked as saturated? (adds SAT to the list)', default: true, group: G.interp }),
    doNanInterpolation: f.bool({ doc: 'Perform interpolation over pixels masked as NaN? (adds UNMASKEDNAN to the list)', default: true, group: G.interp }),
    doNanInterpAfterFlat: f.bool({ doc: 'If True, ensure we interpolate NaNs after flat-fielding, even if we also have to interpolate them before flat-fielding. (Not referenced by run(), as in ip_isr.)', default: false, group: G.interp }),
    maskListToInterpolate: f.list({ doc: 'List of mask planes that should be interpolated.', item: 'string', default: ['SAT', 'BAD'], group: G.interp }),
    doSaveInterpPixels: f.bool({ doc: 'Save a copy of the pre-interpolated pixel values?', default: false, group: G.unsupported }),
    useLegacyInterp: f.bool({ doc: 'Use the legacy interpolation algorithm (the Gaussian-process one is not available here).', default: true, group: G.interp }),
    fluxMag0T1: f.dict({ doc: 'The approximate flux of a zero-magnitude object in a one-second exposure, per filter.', item: 'float', default: { Unknown: Math.pow(10.0, 0.4 * 28.0) }, group: G.photo }),
    defaultFluxMag0T1: f.float({ doc: 'Default value for fluxMag0T1 (for an unrecognized filter).', default: Math.pow(10.0, 0.4 * 28.0), min: 0, minExclusive: true, group: G.photo }),
    doVignette: f.bool({ doc: 'Compute and attach the validPolygon defining the unvignetted region to the exposure?', default: false, group: G.unsupported }),
    doAttachTransmissionCurve: f.bool({ doc: 'Construct and attach a wavelength-dependent throughput curve for this CCD image?', default: false, group: G.unsupported }),
    doIlluminationCorrection: f.bool({ doc: 'Perform illumination correction?', default: false, group: G.unsupported }),
    doStandardStatistics: f.bool({ doc: 'Should standard image quality statistics be calculated?', default: true, group: G.qa }),
    doCalculateStatistics: f.bool({ doc: 'Should additional ISR statistics be calculated?', default: false, group: G.unsupported }),
    doBinnedExposures: f.bool({ doc: 'Should binned exposures be calculated?', default: false, group: G.unsupported }),
    doWrite: f.bool({ doc: 'Persist postISRCCD?', default: true, group: G.general }),
    outputUnits: f.choice({
      doc: 'Units of the output image. "electron" multiplies each amplifier (image·g, variance·g²) after flat-fielding, as ccdproc.gain_correct and IsrTaskLSST do.',
      default: 'adu',
      allowed: { adu: 'Leave the image in ADU (IsrTask).', electron: 'Convert to electrons with each amplifier\'s gain.' },
      group: G.ext,
    }),
    varianceSource: f.choice({
      doc: 'When the variance plane is computed.',
      default: 'AFTER_BIAS',
      allowed: {
        AFTER_BIAS: 'IsrTask: image/g + (rn/g)² right after bias subtraction, then propagated through dark and flat.',
        FINAL_IMAGE: 'ccdproc create_deviation: from the final image (in output units), NaN where the image is negative.',
      },
      group: G.ext,
    }),
    useFusedPath: f.bool({ doc: 'Run overscan, assembly, bias, variance, dark, flat and gains in one fused pass when the configuration allows it (identical results, faster).', default: true, group: G.ext }),
  },
  {
    validate: (c) => {
      if (c.doFlat && c.doApplyGains) throw new Error('You may not specify both doFlat and doApplyGains');
      if (c.doApplyGains && c.outputUnits === 'electron') throw new Error('doApplyGains already converts to electrons; do not also set outputUnits=electron');
      if (c.doBiasBeforeOverscan && c.doTrimToMatchCalib) throw new Error('You may not specify both doBiasBeforeOverscan and doTrimToMatchCalib');
      for (const [field, what] of UNSUPPORTED) {
        if ((c as unknown as Record<string, unknown>)[field] === true) {
          throw new Error(`${field}=true: ${what} is not available in this implementation; set ${field}=false`);
        }
      }
      if (!c.useLegacyInterp) throw new Error('useLegacyInterp=false: the Gaussian-process interpolator is not available in this implementation; set useLegacyInterp=true');
      if (!c.doAssembleCcd && (c.doBias || c.doDark || c.doFlat || c.doDefect)) {
        throw new Error('doAssembleCcd=false leaves the exposure untrimmed; bias/dark/flat/defects need the assembled detector frame (turn them off or assemble)');
      }
    },
  },
);
export type IsrFields = typeof IsrConfig.fields;

/** The planes interpolated over, after IsrTaskConfig.validate()'s additions (SAT, UNMASKEDNAN). */
export function maskPlanesToInterpolate(c: { maskListToInterpolate: string[]; saturatedMaskName: string; doSaturationInterpolation: boolean; doNanInterpolation: boolean }): string[] {
  const list = [...c.maskListToInterpolate];
  if (c.doSaturationInterpolation && !list.includes(c.saturatedMaskName)) list.push(c.saturatedMaskName);
  if (!c.doSaturationInterpolation && list.includes(c.saturatedMaskName)) list.splice(list.indexOf(c.saturatedMaskName), 1);
  if (c.doNanInterpolation && !list.includes('UNMASKEDNAN')) list.push('UNMASKEDNAN');
  return list;
}
