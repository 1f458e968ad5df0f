// Adapts the registry's DatasetType/DatasetRef to the lookup views templates,
// formatters, composites and constraints work on.
import type { DatasetRef, DatasetType } from '../datasets/index.js';
import type { DimensionUniverse } from '../dimensions/index.js';
import type { DimensionConformer, LookupDatasetType, LookupRef } from '../templates/index.js';

const typeCache = new WeakMap<DatasetType, LookupDatasetType>();

export function lookupDatasetType(dt: DatasetType): LookupDatasetType {
  let out = typeCache.get(dt);
  if (!out) {
    const universe = dt.dimensions.universe;
    out = {
      name: dt.name,
      storageClassName: dt.storageClassName,
      parentStorageClassName: dt.parentStorageClassName ?? undefined,
      dimensions: dt.dimensions.names,
      requiredDimensions: dt.dimensions.required,
      skypixDimensions: dt.dimensions.names.filter((n) => universe.getElement(n).kind === 'skypix'),
    };
    typeCache.set(dt, out);
  }
  return out;
}

export function lookupRef(ref: DatasetRef): LookupRef {
  return {
    datasetType: lookupDatasetType(ref.datasetType),
    dataId: ref.dataId.values,
    records: ref.dataId.records,
    run: ref.run,
    id: ref.id,
  };
}

export function conformerFor(universe: DimensionUniverse): DimensionConformer {
  return (names) => {
    if (!names.every((n) => universe.has(n) && universe.getElement(n).isDimension)) return undefined;
    return [...universe.group(names).names];
  };
}
