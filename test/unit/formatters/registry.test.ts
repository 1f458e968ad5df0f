// The serializer registry: (type, format, storage kind) keys, nearest-ancestor fallback,
// overwrite protection; daf_butler formatter-name mapping.
import { describe, expect, it } from 'vitest';
import {
  SerializerRegistry, formatterInfo, registerFormatterName, resolveFormatter, serializers, type Serializer, jsonSerializer,
} from '../../../core/formatters/index.js';

class Exposure {}
class ExposureF extends Exposure {}
class ExposureFSpecial extends ExposureF {}

const fake = (name: string): Serializer => ({ name, extension: '.fits', read: async () => name, write: async () => undefined });

describe('SerializerRegistry', () => {
  it('finds the nearest ancestor entry, preferring an exact storage kind over "*"', () => {
    const reg = new SerializerRegistry();
    reg.register(Exposure, 'fits', 'posix', fake('exposure-posix'));
    reg.register(ExposureF, 'fits', '*', fake('exposureF-any'));
    expect(reg.get(ExposureFSpecial, 'fits', 'posix').name).toBe('exposureF-any');
    expect(reg.get(Exposure, 'fits', 'posix').name).toBe('exposure-posix');
    expect(reg.find(Exposure, 'fits', 's3')).toBeUndefined();
    expect(reg.getForObject(new ExposureFSpecial(), 'FITS', 's3').name).toBe('exposureF-any');
  });
  it('refuses a second registration for the same key unless overwrite', () => {
    const reg = new SerializerRegistry();
    reg.register(Exposure, 'fits', 'posix', fake('a'));
    expect(() => reg.register(Exposure, 'fits', 'posix', fake('b'))).toThrow(/already registered \(a\); pass overwrite: true/);
    reg.register(Exposure, 'fits', 'posix', fake('b'), { overwrite: true });
    expect(reg.get(Exposure, 'fits', 'posix').name).toBe('b');
  });
  it('says which formats exist when none fits', () => {
    const reg = new SerializerRegistry();
    reg.register(Exposure, 'fits', 'posix', fake('a'));
    expect(() => reg.get(ExposureF, 'hdf5', 'posix')).toThrow(/No serializer for objects of type ExposureF in format hdf5 on posix storage \(formats available for this type: fits\)/);
  });
  it('the shared registry serves plain objects, arrays and numbers as JSON', () => {
    expect(serializers.getForObject({ a: 1 }, 'json', 'posix')).toBe(jsonSerializer);
    expect(serializers.getForObject([1], 'json', 'posix')).toBe(jsonSerializer);
    expect(serializers.getForObject(5, 'json', 'posix')).toBe(jsonSerializer);
    expect(serializers.getForObject({}, 'yaml', 'posix').name).toBe('YAML');
  });
});

describe('daf_butler formatter names', () => {
  it('maps real class names, including the obs_lsst raw formatter of the shared repository', () => {
    expect(formatterInfo('lsst.daf.butler.formatters.json.JsonFormatter')).toEqual({ format: 'json', extension: '.json' });
    expect(resolveFormatter('lsst.obs.lsst.rawFormatter.LsstCamRawFormatter', 'raw.fits').format).toBe('fits');
  });
  it('unsupported and unknown formatters name the formatter and the file', () => {
    expect(() => resolveFormatter('lsst.daf.butler.formatters.parquet.ParquetFormatter', '/r/t.parq')).toThrow(/ParquetFormatter \(used for \/r\/t\.parq\) is not supported/);
    expect(() => resolveFormatter('my.Formatter', '/r/x.bin')).toThrow(/Formatter my\.Formatter \(used for \/r\/x\.bin\) is not known/);
  });
  it('other areas can register names; conflicting re-registration needs overwrite', () => {
    registerFormatterName('test.formatters.Thing', { format: 'thing', extension: '.thing' });
    expect(() => registerFormatterName('test.formatters.Thing', { format: 'other', extension: '.o' })).toThrow(/already mapped/);
    registerFormatterName('test.formatters.Thing', { format: 'other', extension: '.o' }, { overwrite: true });
    expect(formatterInfo('test.formatters.Thing')?.format).toBe('other');
  });
});
