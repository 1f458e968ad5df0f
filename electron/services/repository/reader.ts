// What the repository handlers need from core, in the contract's plain shapes. The registry-backed
// implementation (registryReader.ts) adapts core/registry to it; keeping this seam small means the
// handlers do not change when core's classes grow.
import type { RepositoryInfo } from '../../../core/api/sections/app.js';
import type { CollectionInfo, DatasetRow, DatasetTypeInfo } from '../../../core/api/sections/repository.js';
import type { CollectionType, DataId, ScalarRecord } from '../../../core/api/sections/values.js';

export interface DatasetSearch {
  datasetType: string;
  collections: string[];
  where: string;
  bind: Record<string, unknown>;
  findFirst: boolean;
}

export interface ArtifactRecord {
  component: string | null;
  /** As stored in file_datastore_records (relative to the datastore root, or an absolute URI). */
  storedPath: string;
  formatter: string;
  size: number | null;
}

export interface DatasetFacts {
  id: string;
  datasetType: DatasetTypeInfo;
  run: string;
  dataId: DataId;
  records: Record<string, ScalarRecord>;
  artifacts: ArtifactRecord[];
  componentStorageClasses: { name: string; storageClass: string }[];
}

export interface DimensionElementInfo {
  name: string;
  required: string[];
  implied: string[];
  metadata: string[];
  hasTable: boolean;
}

export interface RepositoryReader {
  readonly path: string;
  /** Root directory of the file datastore (where relative artifact paths start). */
  readonly datastoreRoot: string;
  info(): RepositoryInfo;
  collections(types?: CollectionType[]): CollectionInfo[];
  countInCollections(names: string[]): Record<string, number>;
  datasetTypes(collections?: string[]): DatasetTypeInfo[];
  datasetTypeCounts(datasetType: string): { collection: string; type: CollectionType; count: number }[];
  queryDatasets(search: DatasetSearch, page: { orderBy: string[]; limit: number; offset: number }): { dimensions: string[]; rows: DatasetRow[] };
  countDatasets(search: DatasetSearch): number;
  dataset(id: string): DatasetFacts;
  dimensionElements(): DimensionElementInfo[];
  dimensionRecords(element: string, query: { where: string; bind: Record<string, unknown>; limit: number; offset: number }): { columns: string[]; rows: ScalarRecord[]; total: number };
  close(): void;
}
