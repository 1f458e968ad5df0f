// Public entry of the Butler facade.
export { Butler, DeferredDatasetHandle, type ConfigValidationRow, DatasetNotFoundError, MissingCollectionsError, type ButlerOptions, type GetOptions, type PruneOptions, type DatasetRefOrType } from './butler.js';
export { DatasetExistence, existenceIsTrue, describeExistence, type DatasetExistenceFlags } from './existence.js';
export { makeRepoConfig, RepositoryExistsError, sqlitePath, type MakeRepoOptions } from './makeRepo.js';
export { buildExport, exportDatasets, importDatasets, type ExportOptions, type ImportOptions } from './transfers/exportImport.js';
export { parseExportYaml, writeExportYaml, EXPORT_FORMAT_VERSION, type ExportDocument } from './transfers/exportFormat.js';
