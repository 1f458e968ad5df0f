// Public surface of the dimensions package.
export { DimensionUniverse } from './universe.js';
export { DimensionGroup } from './group.js';
export { DimensionElement, type ElementKind } from './elements.js';
export { DataCoordinate, coerceValue, formatDataId, type DataIdInput } from './dataCoordinate.js';
export { DimensionNameError, DataIdValueError, InconsistentDataIdError } from './errors.js';
export type { DataIdValue, DimensionRecord, RecordValue, TimespanNs } from './records.js';
export { isTimespanNs } from './records.js';
export type { FieldSpec, UniverseConfig, ElementConfig } from './config.js';
export { pythonJsonDumps } from './pythonJson.js';
