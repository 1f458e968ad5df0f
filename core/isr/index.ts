// Instrument Signature Removal. Public API:
//   runIsr(inputs: IsrInputs, config?) → {exposure, metadata, config, fused}
//   IsrTask / CfhtIsrTask (run(inputs)), IsrConfig / CfhtIsrConfig, IsrTaskConnections
//   loadIsrPreset(name) / configFromYaml(text, source) / listIsrPresets()
//   IsrWorkerPool (worker threads over core/isr/isr.worker.ts; recycle(exposure) hands output planes back)
//   recycleIsrOutput(exposure): output planes reused by the next runIsr on this thread
//   building blocks: OverscanCorrectionTask, AssembleCcdTask, FringeTask, Linearizer,
//   subtractCrosstalk, interpolateOverMask, afw-exact statistics (stats.ts).
export * from './isrConfig.js';
export * from './isrTask.js';
export * from './cfhtIsrTask.js';
export * from './runIsr.js';
export * from './presets.js';
export { OverscanCorrectionTask, OverscanConfig, type OverscanCorrectionResult } from './overscan.js';
export { AssembleCcdTask, assembleMaskedImage } from './assemble.js';
export { FringeTask } from './fringe.js';
export { Linearizer, type AmpLinearity, type LinearityType } from './linearize.js';
export { subtractCrosstalk, type CrosstalkCalib } from './crosstalk.js';
export { interpolateOverMask } from './interp/legacyInterp.js';
export { IsrWorkerPool, type PoolJob, type PoolResult } from './workerPool.js';
export { markZeroPlane, setWasmKernelEnabled } from './fusedIsr.js';
export { recycleIsrOutput } from './outputBuffers.js';
