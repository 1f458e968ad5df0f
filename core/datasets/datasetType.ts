// DatasetType: a named kind of dataset with its dimensions and storage class. Component
// dataset types (`parent.component`) name a part of a composite parent.
import type { DimensionGroup, DimensionUniverse } from '../dimensions/index.js';
import { DatasetTypeError } from './errors.js';
import type { StorageClassFactory } from './storageClass.js';

const NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)*$/;

export interface DatasetTypeJson {
  name: string;
  storageClass: string;
  dimensions: string[];
  isCalibration: boolean;
  parentStorageClass?: string | null;
}

export class DatasetType {
  readonly name: string;
  readonly dimensions: DimensionGroup;
  readonly storageClassName: string;
  readonly isCalibration: boolean;
  /** For component dataset types, the storage class of the composite parent. */
  readonly parentStorageClassName: string | null;

  constructor(
    name: string,
    dimensions: DimensionGroup,
    storageClass: string,
    options: { isCalibration?: boolean; parentStorageClass?: string | null } = {},
  ) {
    DatasetType.validateName(name);
    this.name = name;
    this.dimensions = dimensions;
    this.storageClassName = storageClass;
    this.isCalibration = options.isCalibration ?? false;
    this.parentStorageClassName = options.parentStorageClass ?? null;
    if (this.isComponent() && this.parentStorageClassName === null) {
      throw new DatasetTypeError(`Component dataset type '${name}' needs the parent's storage class`);
    }
    if (!this.isComponent() && this.parentStorageClassName !== null) {
      throw new DatasetTypeError(`Dataset type '${name}' is not a component, so it cannot have a parent storage class`);
    }
  }

  /** Builds a dataset type from dimension names. */
  static fromNames(universe: DimensionUniverse, name: string, dimensions: Iterable<string>, storageClass: string, options: { isCalibration?: boolean; parentStorageClass?: string | null } = {}): DatasetType {
    return new DatasetType(name, universe.group(dimensions), storageClass, options);
  }

  /** Throws DatasetTypeError unless `name` follows daf_butler's rules (identifiers joined by dots). */
  static validateName(name: string): void {
    if (typeof name !== 'string' || !NAME_RE.test(name)) {
      throw new DatasetTypeError(`Dataset type name '${name}' is not valid: it must start with a letter or underscore and contain only letters, digits and underscores, with '.' only to separate a component`);
    }
  }

  /** Splits `a.b.c` into ['a', 'b.c'] (component after the first dot), or [name, null]. */
  static splitName(name: string): [string, string | null] {
    const i = name.indexOf('.');
    return i < 0 ? [name, null] : [name.slice(0, i), name.slice(i + 1)];
  }

  static nameWithComponent(parent: string, component: string): string {
    return `${parent}.${component}`;
  }

  isComponent(): boolean {
    return this.name.includes('.');
  }

  component(): string | null {
    return DatasetType.splitName(this.name)[1];
  }

  get parentName(): string {
    return DatasetType.splitName(this.name)[0];
  }

  /** The component dataset type for `component`, checked against the storage class's components. */
  makeComponentDatasetType(component: string, factory: StorageClassFactory): DatasetType {
    const sc = factory.get(this.storageClassName);
    const componentSc = sc.componentStorageClassName(component);
    return new DatasetType(DatasetType.nameWithComponent(this.name, component), this.dimensions, componentSc, {
      isCalibration: this.isCalibration,
      parentStorageClass: this.storageClassName,
    });
  }

  /** The composite parent of a component dataset type. */
  makeCompositeDatasetType(): DatasetType {
    if (!this.isComponent() || this.parentStorageClassName === null) throw new DatasetTypeError(`Dataset type '${this.name}' is not a component`);
    return new DatasetType(this.parentName, this.dimensions, this.parentStorageClassName, { isCalibration: this.isCalibration });
  }

  /** Every component dataset type of this (composite) dataset type. */
  makeAllComponentDatasetTypes(factory: StorageClassFactory): DatasetType[] {
    const sc = factory.get(this.storageClassName);
    return Object.keys(sc.allComponents()).map((c) => this.makeComponentDatasetType(c, factory));
  }

  /** Same name, dimensions, storage class and calibration flag. */
  equals(other: DatasetType): boolean {
    return this.name === other.name && this.storageClassName === other.storageClassName && this.isCalibration === other.isCalibration
      && this.dimensions.equals(other.dimensions) && this.parentStorageClassName === other.parentStorageClassName;
  }

  /** Human-readable differences from another definition of the same name (for conflict errors). */
  differences(other: DatasetType): string[] {
    const out: string[] = [];
    if (!this.dimensions.equals(other.dimensions)) out.push(`dimensions ${this.dimensions.required.join(', ') || '(none)'} vs ${other.dimensions.required.join(', ') || '(none)'}`);
    if (this.storageClassName !== other.storageClassName) out.push(`storage class ${this.storageClassName} vs ${other.storageClassName}`);
    if (this.isCalibration !== other.isCalibration) out.push(`isCalibration ${this.isCalibration} vs ${other.isCalibration}`);
    return out;
  }

  toJSON(): DatasetTypeJson {
    const out: DatasetTypeJson = { name: this.name, storageClass: this.storageClassName, dimensions: [...this.dimensions.required], isCalibration: this.isCalibration };
    if (this.parentStorageClassName) out.parentStorageClass = this.parentStorageClassName;
    return out;
  }

  static fromJSON(json: DatasetTypeJson, universe: DimensionUniverse): DatasetType {
    return DatasetType.fromNames(universe, json.name, json.dimensions, json.storageClass, { isCalibration: json.isCalibration, parentStorageClass: json.parentStorageClass ?? null });
  }

  /** daf_butler's look: `DatasetType('raw', {instrument, detector, exposure}, Exposure)`. */
  toString(): string {
    return `DatasetType('${this.name}', {${this.dimensions.required.join(', ')}}, ${this.storageClassName}${this.isCalibration ? ', isCalibration=True' : ''})`;
  }
}
