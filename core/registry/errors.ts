// Registry errors, named as daf_butler's so users and scripts recognise them. Every message
// names the collection, dataset type, data ID or file that is wrong.
export { DimensionNameError, DataIdValueError, InconsistentDataIdError } from '../dimensions/errors.js';
export { DatasetTypeError, StorageClassError } from '../datasets/errors.js';

export class RegistryError extends Error {
  override name = 'RegistryError';
}

export class MissingCollectionError extends RegistryError {
  override name = 'MissingCollectionError';
}

export class CollectionTypeError extends RegistryError {
  override name = 'CollectionTypeError';
}

export class CollectionCycleError extends RegistryError {
  override name = 'CollectionCycleError';
}

export class ConflictingDefinitionError extends RegistryError {
  override name = 'ConflictingDefinitionError';
}

export class MissingDatasetTypeError extends RegistryError {
  override name = 'MissingDatasetTypeError';
}

export class DatasetNotFoundError extends RegistryError {
  override name = 'DatasetNotFoundError';
}

export class OrphanedRecordError extends RegistryError {
  override name = 'OrphanedRecordError';
}

export class CalibrationLookupError extends RegistryError {
  override name = 'CalibrationLookupError';
}

export class InvalidQueryError extends RegistryError {
  override name = 'InvalidQueryError';
}

export class NoDefaultCollectionError extends RegistryError {
  override name = 'NoDefaultCollectionError';
}

/** The path is not a repository, or its registry uses managers/versions we cannot read. */
export class UnsupportedRepositoryError extends RegistryError {
  override name = 'UnsupportedRepositoryError';
}

export class ReadOnlyRegistryError extends RegistryError {
  override name = 'ReadOnlyRegistryError';
}
