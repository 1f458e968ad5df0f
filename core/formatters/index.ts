// Public entry of the formatter layer: the serializer registry with the JSON, YAML and
// HDF5 serializers registered for plain objects on every storage kind.
import { hdf5Serializer } from './hdf5.js';
import { jsonSerializer } from './json.js';
import { ANY_STORAGE, serializers } from './serializerRegistry.js';
import { yamlSerializer } from './yaml.js';

export * from './types.js';
export { SerializerRegistry, serializers, ANY_STORAGE } from './serializerRegistry.js';
export { registerFormatterName, formatterInfo, resolveFormatter, formatterNameFor, UnsupportedFormatterError, type FormatterInfo } from './formatterNames.js';
export { registerStorageClassType, storageClassType } from './storageClassTypes.js';
export { registerDelegate, delegateFor, plainObjectDelegate, DelegateError, type StorageClassDelegate } from './delegates.js';
export { jsonSerializer } from './json.js';
export { yamlSerializer } from './yaml.js';
export { hdf5Serializer } from './hdf5.js';
export { ensureFormatLoaded, ensureStorageClassLoaded, registerFormatLoader } from './lazyFormats.js';

serializers.register(Object, 'json', ANY_STORAGE, jsonSerializer, { overwrite: true });
serializers.register(Object, 'yaml', ANY_STORAGE, yamlSerializer, { overwrite: true });
serializers.register(Object, 'hdf5', ANY_STORAGE, hdf5Serializer, { overwrite: true });
