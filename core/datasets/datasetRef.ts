// DatasetRef: a resolved reference to one dataset (type, data ID, RUN and UUID).
import { DataCoordinate, type DataIdValue, type DimensionUniverse } from '../dimensions/index.js';
import { DatasetType, type DatasetTypeJson } from './datasetType.js';
import type { StorageClassFactory } from './storageClass.js';
import { normalizeUuid } from './ids.js';

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface DatasetRefJson {
  id: string;
  datasetType: DatasetTypeJson;
  dataId: Record<string, DataIdValue>;
  run: string;
  component?: string | null;
}

export class DatasetRef {
  readonly datasetType: DatasetType;
  readonly dataId: DataCoordinate;
  readonly run: string;
  /** Canonical hyphenated lowercase UUID. */
  readonly id: string;

  constructor(datasetType: DatasetType, dataId: DataCoordinate, run: string, id: string) {
    if (dataId.dimensions !== datasetType.dimensions && !dataId.dimensions.equals(datasetType.dimensions)) {
      throw new Error(`Data ID ${dataId.toString()} has dimensions ${dataId.dimensions.toString()} but dataset type ${datasetType.name} has ${datasetType.dimensions.toString()}`);
    }
    this.datasetType = datasetType;
    this.dataId = dataId;
    this.run = run;
    this.id = CANONICAL.test(id) ? id : normalizeUuid(id);
  }

  /** A ref to one component of this (composite) dataset: same id, run and data ID. */
  makeComponentRef(component: string, factory: StorageClassFactory): DatasetRef {
    return new DatasetRef(this.datasetType.makeComponentDatasetType(component, factory), this.dataId, this.run, this.id);
  }

  /** The composite parent's ref for a component ref. */
  makeCompositeRef(): DatasetRef {
    return new DatasetRef(this.datasetType.makeCompositeDatasetType(), this.dataId, this.run, this.id);
  }

  /** Returns a copy whose data ID carries implied values/records. */
  withDataId(dataId: DataCoordinate): DatasetRef {
    return new DatasetRef(this.datasetType, dataId, this.run, this.id);
  }

  equals(other: DatasetRef): boolean {
    return this.id === other.id && this.datasetType.name === other.datasetType.name;
  }

  toJSON(): DatasetRefJson {
    return { id: this.id, datasetType: this.datasetType.toJSON(), dataId: this.dataId.toJSON(), run: this.run };
  }

  static fromJSON(json: DatasetRefJson, universe: DimensionUniverse): DatasetRef {
    const datasetType = DatasetType.fromJSON(json.datasetType, universe);
    const dataId = DataCoordinate.standardize(universe, json.dataId, { dimensions: datasetType.dimensions });
    return new DatasetRef(datasetType, dataId, json.run, json.id);
  }

  /** daf_butler's look: `raw@{instrument: 'LSSTCam', detector: 94, exposure: 2025041500054} [sc=Exposure] (run=LSSTCam/raw/all id=138f0b4b-...)`. */
  toString(): string {
    return `${this.datasetType.name}@${this.dataId.toString()} [sc=${this.datasetType.storageClassName}] (run=${this.run} id=${this.id})`;
  }
}
