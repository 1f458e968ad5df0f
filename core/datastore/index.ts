// Public entry of the datastore layer.
export * from './datastore.js';
export { FileDatastore, type FileDataset, type FileDatastoreOptions } from './fileDatastore.js';
export { InMemoryDatastore } from './inMemoryDatastore.js';
export { ChainedDatastore, DatastoreValidationError } from './chainedDatastore.js';
export { createDatastore, type DatastoreContext } from './factory.js';
export { Constraints } from './constraints.js';
export { CompositesMap } from './composites.js';
export { FormatterFactory, type FormatterChoice } from './formatterConfig.js';
export { FileRecordsTable, DatasetLocationTable, NULL_COMPONENT, type StoredFileInfo } from './records.js';
export { CrashJournal, JOURNAL_DIR, type RecoveryReport } from './journal.js';
export { lookupRef, lookupDatasetType, conformerFor } from './refAdapter.js';
export { PosixStorage, TEMP_MARKER, isTempName } from './storage/posixStorage.js';
export { TRANSFER_MODES, StorageError, type Storage, type StagedFile, type TransferMode } from './storage/storage.js';
