// The task framework: typed configs (./config) and tasks with metadata, timers, logs and
// connections (./task). The quantum-graph builder and executor will live beside them.
export * from './config/index.js';
export * from './task/index.js';
