// Task framework. Public API: Task (base class: config, name/fullName, log, metadata, makeSubtask,
// timeMethod, getFullMetadata), TaskMetadata, TaskLogger + captureLogs, PipelineTaskConnections.
export * from './task.js';
export * from './metadata.js';
export * from './log.js';
export * from './timer.js';
export * from './connections.js';
