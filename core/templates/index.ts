// Public entry of the file-template layer.
export { FileTemplate, FileTemplateValidationError, FileTemplateKeyError, FileTemplateRuntimeError, pySet } from './fileTemplate.js';
export { FileTemplates, FileTemplateLookupError, type FileTemplatesOptions } from './fileTemplates.js';
export { LookupKey, LookupTable, processLookupConfigs, lookupNames, lookupNameStrings, lookupCacheKey, findLookupMatch, type DimensionConformer, type LookupEntry } from './lookup.js';
export * from './entities.js';
export { parseFormatString, formatWithSpec, applyConversion, OpaqueValue } from './pyFormat.js';
