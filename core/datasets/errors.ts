// Errors about dataset types and storage classes, named as daf_butler's.

/** An invalid dataset type definition (bad name, unknown component, wrong dimensions). */
export class DatasetTypeError extends Error {
  override name = 'DatasetTypeError';
}

/** A storage class that the factory does not know, or a bad storage class definition. */
export class StorageClassError extends Error {
  override name = 'StorageClassError';
}
