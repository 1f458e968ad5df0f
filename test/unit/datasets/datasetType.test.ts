import { describe, expect, it } from 'vitest';
import { DimensionUniverse, DataCoordinate } from '../../../core/dimensions/index.js';
import { DatasetRef, DatasetType, DatasetTypeError, StorageClassError, StorageClassFactory } from '../../../core/datasets/index.js';

const universe = DimensionUniverse.default();
const factory = StorageClassFactory.default();

describe('StorageClassFactory', () => {
  it('ships the storage classes the app needs, with inheritance applied', () => {
    for (const name of ['Exposure', 'ExposureF', 'ImageF', 'Mask', 'MaskX', 'StructuredDataDict', 'StructuredDataList', 'Config', 'TaskMetadata', 'PropertyList']) {
      expect(factory.has(name)).toBe(true);
    }
    const ef = factory.get('ExposureF');
    expect(ef.inheritsFrom).toBe('Exposure');
    expect(ef.components.image).toBe('ImageF');
    expect(ef.components.mask).toBe('MaskX');
    expect(ef.components.wcs).toBe('Wcs');
    expect(ef.derivedComponents.bbox).toBe('Box2I');
    expect(ef.parameters).toEqual(['bbox', 'origin', 'amp', 'detector']);
    expect(ef.isComposite()).toBe(true);
    expect(factory.get('ImageF').parameters).toEqual(['bbox', 'origin']);
    expect(factory.get('StructuredDataDict').isComposite()).toBe(false);
  });
  it('rejects unknown names, unknown parameters, conflicting redefinitions and inheritance cycles', () => {
    expect(() => factory.get('Exposur')).toThrow(StorageClassError);
    expect(() => factory.get('ImageF').validateParameters({ bbox: 1, zoom: 2 })).toThrow(/zoom not understood by storage class ImageF/);
    const f = new StorageClassFactory();
    f.addFromYaml('storageClasses:\n  A: {pytype: x.A}\n  B: {inheritsFrom: A, parameters: [p]}\n', 'test.yaml');
    expect(f.get('B').pytype).toBe('x.A');
    f.addFromYaml('A: {pytype: x.A}\n', 'again.yaml');
    expect(() => f.addFromYaml('A: {pytype: y.A}\n', 'other.yaml')).toThrow(/already defined differently/);
    expect(() => f.addFromYaml('C: {inheritsFrom: D}\nD: {inheritsFrom: C}\n', 'cycle.yaml')).toThrow(/inherits from itself/);
    expect(() => f.addFromYaml('E: {parameters: 3}\n', 'bad.yaml')).toThrow(/bad.yaml: storage class 'E': parameters/);
  });
});

describe('DatasetType', () => {
  it('validates names as daf_butler does', () => {
    for (const good of ['raw', '_x', 'calexp.wcs', 'a.b.c', 'deepCoadd_calexp']) expect(() => DatasetType.validateName(good)).not.toThrow();
    for (const bad of ['', '1raw', 'raw-1', 'raw.', '.raw', 'a..b', 'a b']) expect(() => DatasetType.validateName(bad)).toThrow(DatasetTypeError);
    expect(DatasetType.splitName('a.b.c')).toEqual(['a', 'b.c']);
  });
  it('makes component and composite dataset types through the storage class', () => {
    const calexp = DatasetType.fromNames(universe, 'calexp', ['instrument', 'visit', 'detector'], 'ExposureF');
    const wcs = calexp.makeComponentDatasetType('wcs', factory);
    expect(wcs.name).toBe('calexp.wcs');
    expect(wcs.storageClassName).toBe('Wcs');
    expect(wcs.parentStorageClassName).toBe('ExposureF');
    expect(wcs.makeCompositeDatasetType().equals(calexp)).toBe(true);
    expect(() => calexp.makeComponentDatasetType('nope', factory)).toThrow(/no component 'nope'/);
    expect(calexp.makeAllComponentDatasetTypes(factory).map((d) => d.name)).toContain('calexp.bbox');
    expect(calexp.dimensions.required).toEqual(['instrument', 'detector', 'visit']);
    expect(String(calexp)).toBe("DatasetType('calexp', {instrument, detector, visit}, ExposureF)");
  });
  it('round-trips refs through JSON', () => {
    const raw = DatasetType.fromNames(universe, 'raw', ['instrument', 'detector', 'exposure'], 'Exposure');
    const dataId = DataCoordinate.standardize(universe, { instrument: 'LSSTCam', detector: 94, exposure: 2025041500054 }, { dimensions: raw.dimensions });
    const ref = new DatasetRef(raw, dataId, 'LSSTCam/raw/all', '138f0b4b33ba5524b843e77079ced6ac');
    expect(ref.id).toBe('138f0b4b-33ba-5524-b843-e77079ced6ac');
    const back = DatasetRef.fromJSON(JSON.parse(JSON.stringify(ref)), universe);
    expect(back.equals(ref)).toBe(true);
    expect(back.dataId.toJSON()).toEqual({ instrument: 'LSSTCam', detector: 94, exposure: 2025041500054 });
    expect(ref.makeComponentRef('wcs', factory).datasetType.name).toBe('raw.wcs');
  });
});
