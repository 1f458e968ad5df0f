// Public surface of the datasets package.
export { DatasetType, type DatasetTypeJson } from './datasetType.js';
export { DatasetRef, type DatasetRefJson } from './datasetRef.js';
export { StorageClass, StorageClassFactory, type StorageClassDefinition } from './storageClass.js';
export { DatasetTypeError, StorageClassError } from './errors.js';
export * from './ids.js';
