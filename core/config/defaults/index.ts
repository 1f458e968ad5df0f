// The packaged defaults, addressed by the file names daf_butler uses under
// `resource://lsst.daf.butler/configs`. They live in code so that every bundle has them.
import { CHAINED_DATASTORE_YAML, DATASTORE_YAML, FILE_DATASTORE_YAML, IN_MEMORY_DATASTORE_YAML } from './datastores.js';
import { REPO_TRANSFER_FORMATS_YAML, STORAGE_CLASSES_YAML } from './misc.js';
import { REGISTRY_YAML } from './registry.js';

export const PACKAGED_DEFAULTS_URI = 'resource://lsst.daf.butler/configs';

export const PACKAGED_DEFAULTS: Readonly<Record<string, string>> = {
  'registry.yaml': REGISTRY_YAML,
  'datastore.yaml': DATASTORE_YAML,
  'datastores/fileDatastore.yaml': FILE_DATASTORE_YAML,
  'datastores/inMemoryDatastore.yaml': IN_MEMORY_DATASTORE_YAML,
  'datastores/chainedDatastore.yaml': CHAINED_DATASTORE_YAML,
  'storageClasses.yaml': STORAGE_CLASSES_YAML,
  'repo_transfer_formats.yaml': REPO_TRANSFER_FORMATS_YAML,
};
