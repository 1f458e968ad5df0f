// Pure display algorithms shared by the renderer's Web Worker, the CLI and the pixel service (no Node modules).
export * from './selection.js';
export * from './zscale.js';
export * from './percentile.js';
export * from './limits.js';
export * from './stretch.js';
export * from './colormaps.js';
export * from './histogram.js';
export * from './downsample.js';
export * from './maskPlanes.js';
export * from './sections.js';
export * from './render.js';
export * from './analysis.js';
export * from './wcs.js';
export * from './png.js';
