// Calibrations: master bias/dark/flat building, certification and lookup, curated defects.
export * from './ampGeometry.js';
export * from './combine.js';
export * from './prepareFrame.js';
export * from './calibTypes.js';
export * from './buildCalibs.js';
export * from './defects.js';
export * from './curated.js';
