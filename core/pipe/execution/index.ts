// Running quantum graphs: the parallel ISR executor (worker threads, single registry writer,
// provenance per quantum) and how its output collections are set up (pipetask conventions).
export * from './executor.js';
export * from './outputs.js';
export * from './outputCollections.js';
export type { QuantumTimings } from './protocol.js';
