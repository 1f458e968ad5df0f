// The minimal views of dataset types and refs that templates, formatters, composites
// and constraints look things up by. The registry's DatasetType/DatasetRef are adapted
// to these (core/datastore/refAdapter.ts), so this layer does not depend on the registry.

export type DataIdValue = string | number;

export interface LookupDatasetType {
  /** Full name, including a component (`calexp.wcs`). */
  name: string;
  storageClassName?: string;
  /** Storage class of the parent composite, for component dataset types. */
  parentStorageClassName?: string;
  /** All dimensions (required and implied). */
  dimensions: readonly string[];
  requiredDimensions: readonly string[];
  /** Which of `dimensions` are skypix dimensions (e.g. htm7). Guessed from the name when absent. */
  skypixDimensions?: readonly string[];
}

export interface LookupRef {
  datasetType: LookupDatasetType;
  /** Every data ID value visible to the template (required plus implied values when known). */
  dataId: Readonly<Record<string, DataIdValue>>;
  /** Dimension records by element name (null for an element without a record); null when the data ID is not expanded. */
  records?: Readonly<Record<string, Readonly<Record<string, unknown>> | null>> | null;
  run: string;
  id: string;
}

export interface LookupStorageClass {
  storageClassName: string;
}

export type LookupEntity = LookupRef | LookupDatasetType | LookupStorageClass;

export function isLookupRef(e: LookupEntity): e is LookupRef {
  return 'datasetType' in e && 'run' in e;
}

export function isLookupDatasetType(e: LookupEntity): e is LookupDatasetType {
  return 'name' in e && 'dimensions' in e;
}

/** "calexp.wcs" → ["calexp", "wcs"]; "calexp" → ["calexp", undefined]. */
export function nameAndComponent(name: string): [string, string | undefined] {
  const dot = name.indexOf('.');
  return dot < 0 ? [name, undefined] : [name.slice(0, dot), name.slice(dot + 1)];
}

const SKYPIX_NAME = /^(htm|healpix|q3c|mq3c)\d+$/;

export function skypixDimensionsOf(dt: LookupDatasetType): string[] {
  return dt.skypixDimensions ? [...dt.skypixDimensions] : dt.dimensions.filter((d) => SKYPIX_NAME.test(d));
}

/** A short description like daf_butler's repr, for error messages. */
export function describeEntity(e: LookupEntity): string {
  if (isLookupRef(e)) {
    const dataId = '{' + Object.entries(e.dataId).map(([k, v]) => `'${k}': ${typeof v === 'string' ? `'${v}'` : v}`).join(', ') + '}';
    return `DatasetRef(${e.datasetType.name}, ${dataId}, run=${e.run})`;
  }
  if (isLookupDatasetType(e)) return `DatasetType('${e.name}', {${e.dimensions.join(', ')}}, ${e.storageClassName ?? '?'})`;
  return `StorageClass(${e.storageClassName})`;
}
