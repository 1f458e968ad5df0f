// Which JavaScript type a storage class reads back as, so a read can find the right
// serializer. Unknown storage classes read as plain objects (JSON/YAML mappings).
import type { ObjectType } from './types.js';

const types = new Map<string, ObjectType>([
  ['StructuredDataDict', Object],
  ['StructuredDataList', Array],
  ['StructuredDataDictYaml', Object],
  ['StructuredDataListYaml', Array],
  ['StructuredDataDictJson', Object],
  ['StructuredDataListJson', Array],
  ['int', Number],
  ['Integer', Number],
  ['float', Number],
  ['str', String],
  ['bool', Boolean],
  ['NumpyArray', Object],
]);

export function registerStorageClassType(storageClass: string, type: ObjectType): void {
  types.set(storageClass, type);
}

export function storageClassType(storageClass: string): ObjectType {
  return types.get(storageClass) ?? Object;
}
