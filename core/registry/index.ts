// Public surface of the registry package.
export { Registry, REGISTRY_FILENAME, resolveRegistryPath, type RegistryCreateOptions, type RegistryOpenOptions, type QueryCollectionsOptions, type CollectionSummary } from './registry.js';
export type { CollectionInfo, CollectionRecord } from './collections.js';
export { type CollectionType, COLLECTION_TYPES, parseCollectionType } from './collectionType.js';
export type { DatasetQueryOptions } from './queries/datasetQuery.js';
export type { DimensionQueryOptions } from './queries/dimensionQuery.js';
export type { DatasetAssociation } from './datasets.js';
export type { Database, PreparedStatement, SqlValue, SqlRow } from './db/database.js';
export { nowTaiNs, parseTaiDate, formatTimespan, toStoredBounds, toTimespan, TIMESPAN_MAX_NS, TIMESPAN_MIN_NS } from './timespans.js';
export * from './errors.js';
export { MANAGERS, managerAttributes } from './managers.js';
