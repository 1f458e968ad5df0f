// Public surface of the API contract (shared by Electron main, the loopback host, services and the renderer).
export * from './contract.js';
export * from './errors.js';
export * from './envelope.js';
export * from './dispatch.js';
export * from './client.js';
export * from './wire.js';
export * from './wsTransport.js';
export * from './binary.js';
export * from './python.js';
export * from './sections/values.js';
export type { RepositoryInfo } from './sections/app.js';
export type { CollectionInfo, DatasetTypeInfo, DatasetRow, DatasetQuery, DatasetDetail, HeaderHdu, Provenance } from './sections/repository.js';
