// Quantum graphs: what a pipeline run will do, built from registry queries before anything runs.
export * from './isrGraph.js';
