// storedRef builds DatasetRefs without the constructor's per-ID check: they must be
// indistinguishable from constructed ones (prototype, own fields and their order, methods), so
// a field added to DatasetRef fails here until storedRef sets it too.
import { describe, expect, it } from 'vitest';
import { DatasetRef, DatasetType } from '../../../core/datasets/index.js';
import { DataCoordinate, DimensionUniverse } from '../../../core/dimensions/index.js';
import { storedRef } from '../../../core/registry/queries/storedRef.js';

describe('storedRef', () => {
  it('is an ordinary DatasetRef', () => {
    const universe = DimensionUniverse.default();
    const dt = DatasetType.fromNames(universe, 'raw', ['instrument', 'detector', 'exposure'], 'Exposure');
    const dataId = DataCoordinate.standardize(universe, { instrument: 'Cam', detector: 3, exposure: 7 }, { dimensions: dt.dimensions });
    const id = '138f0b4b-33ba-5524-b843-e77079ced6ac';
    const made = new DatasetRef(dt, dataId, 'run/a', id);
    const stored = storedRef(dt, dataId, 'run/a', id);
    expect(stored).toBeInstanceOf(DatasetRef);
    expect(Object.getPrototypeOf(stored)).toBe(DatasetRef.prototype);
    expect(Reflect.ownKeys(stored)).toEqual(Reflect.ownKeys(made));
    for (const key of Reflect.ownKeys(made)) expect(Reflect.get(stored, key)).toBe(Reflect.get(made, key));
    expect(stored.equals(made)).toBe(true);
    expect(stored.toString()).toBe(made.toString());
    expect(stored.toJSON()).toEqual(made.toJSON());
    expect(stored).toEqual(made);
  });
});
