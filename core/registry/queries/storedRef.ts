// DatasetRefs for registry rows whose IDs were already checked for the whole batch (see
// decodeLean in datasetQuery.ts): DatasetRef's constructor tests every ID with a regular
// expression, which was a third of the JavaScript time of listing 2,000 datasets. The objects
// are ordinary DatasetRefs: same prototype, same own fields in the same order
// (test/unit/registry/storedRef.test.ts compares them with constructed ones).
import type { DataCoordinate } from '../../dimensions/index.js';
import { DatasetRef, type DatasetType } from '../../datasets/index.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type DatasetRefFields = Writable<Pick<DatasetRef, 'datasetType' | 'dataId' | 'run' | 'id'>>;

/**
 * A DatasetRef from trusted parts: `dataId` has exactly `datasetType`'s dimensions and `id` is
 * already canonical (hyphenated lowercase). The caller guarantees both.
 */
export function storedRef(datasetType: DatasetType, dataId: DataCoordinate, run: string, id: string): DatasetRef {
  const ref = Object.create(DatasetRef.prototype) as DatasetRefFields;
  ref.datasetType = datasetType;
  ref.dataId = dataId;
  ref.run = run;
  ref.id = id;
  return ref as DatasetRef;
}
