// Public entry of the configuration layer.
export { Config, type ConfigSource } from './config.js';
export type { ConfigMap, ConfigValue, ConfigScalar } from './configFile.js';
export { expandEnvVars, expandPath, isConfigMap } from './configFile.js';
export type { ConfigKey } from './keyPath.js';
export { ConfigSubset, registerConfigClass, defaultSearchPaths, type ConfigSubsetSpec, type ConfigSubsetOptions } from './configSubset.js';
export {
  ButlerConfig,
  RegistryConfig,
  DatastoreConfig,
  StorageClassConfig,
  RepoTransferFormatConfig,
  replaceRoot,
  butlerConfigFile,
  BUTLER_ROOT_TAG,
} from './butlerConfig.js';
export * from './errors.js';
