// Adapts the registry's dimension universe to what templates and lookups need.
import { DimensionUniverse } from '../dimensions/index.js';
import type { DimensionConformer, LookupDatasetType } from '../templates/index.js';

export function universeConformer(universe: DimensionUniverse = DimensionUniverse.default()): DimensionConformer {
  return (names) => {
    if (!names.every((n) => universe.has(n))) return undefined;
    try {
      return [...universe.group(names).names];
    } catch {
      return undefined;
    }
  };
}

export function skypixOf(names: readonly string[], universe: DimensionUniverse = DimensionUniverse.default()): string[] {
  return names.filter((n) => universe.has(n) && universe.getElement(n).kind === 'skypix');
}

/** A lookup dataset type from plain case data. */
export function caseDatasetType(c: {
  datasetType: string;
  storageClass?: string | null;
  parentStorageClass?: string | null;
  dimensions: readonly string[];
  requiredDimensions?: readonly string[] | null;
}): LookupDatasetType {
  return {
    name: c.datasetType,
    storageClassName: c.storageClass ?? undefined,
    parentStorageClassName: c.parentStorageClass ?? undefined,
    dimensions: c.dimensions,
    requiredDimensions: c.requiredDimensions ?? c.dimensions,
    skypixDimensions: skypixOf(c.dimensions),
  };
}
