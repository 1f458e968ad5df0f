// Provenance of processing: quantum rows beside the registry (schema.ts, store.ts), lineage graphs
// over them (lineage.ts) and daf_butler's flat provenance cards in output FITS headers (fitsKeys.ts).
export * from './schema.js';
export * from './store.js';
export * from './lineage.js';
export * from './fitsKeys.js';
export { packageVersions } from './packages.js';
export * from './graphExport.js';
export * from './aggregate.js';
