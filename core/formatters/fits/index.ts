// FITS formatters of the image model, registered in the serializer registry (core/formatters):
// Exposure in afw's layout ('fits') and MegaPrime raws ('megaprime-raw'), with the daf_butler
// formatter class names that map to them and the storage classes that read as Exposure.
import { ANY_STORAGE, registerFormatterName, registerStorageClassType, serializers, SerializerError, type ReadContext, type Serializer, type WriteContext } from '../index.js';
import { Box2I } from '../../image/box.js';
import { Exposure } from '../../image/exposure.js';
import { EXPOSURE_COMPONENTS, ExposureFitsReader, writeExposureFits, type ExposureComponent } from './exposureFits.js';
import { readMegaPrimeRaw } from './megaPrimeRaw.js';
import { readImageFits, readMaskedImageFits, readMaskFits, writeImageFits, writeMaskedImageFits, writeMaskFits } from './imageFits.js';
import { Image } from '../../image/image.js';
import { Mask } from '../../image/mask.js';
import { MaskedImage } from '../../image/maskedImage.js';

export * from './exposureFits.js';
export * from './megaPrimeRaw.js';
export * from './imageFits.js';
export { releasePlaneBuffers, pooledPlaneBuffers } from './planeBuffers.js';

/** A bbox read parameter as Box2I, or {minX, minY, width, height}, or [minX, minY, maxX, maxY]. */
export function toBox(value: unknown, what = 'bbox'): Box2I {
  if (value instanceof Box2I) return value;
  if (Array.isArray(value) && value.length === 4 && value.every((v) => Number.isInteger(v))) return Box2I.fromCorners(value[0], value[1], value[2], value[3]);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ([o.minX, o.minY, o.width, o.height].every((v) => Number.isInteger(v))) return new Box2I(o.minX as number, o.minY as number, o.width as number, o.height as number);
  }
  throw new SerializerError(`read parameter ${what} must be a Box2I, {minX, minY, width, height} or [minX, minY, maxX, maxY]; got ${JSON.stringify(value)}`);
}

function bboxOf(ctx: ReadContext): Box2I | undefined {
  return ctx.parameters.bbox === undefined ? undefined : toBox(ctx.parameters.bbox);
}

export const exposureFitsSerializer: Serializer = {
  name: 'FITS Exposure (afw layout)',
  extension: '.fits',
  handledParameters: ['bbox'],
  readsComponent: (component) => (EXPOSURE_COMPONENTS as readonly string[]).includes(component),
  async read(ctx: ReadContext): Promise<unknown> {
    const reader = new ExposureFitsReader(await ctx.localPath());
    try {
      const bbox = bboxOf(ctx);
      const options = bbox ? { bbox } : {};
      if (ctx.component) {
        if (!(EXPOSURE_COMPONENTS as readonly string[]).includes(ctx.component)) {
          throw new SerializerError(`${ctx.location.path}: Exposure has no component '${ctx.component}' (components: ${EXPOSURE_COMPONENTS.join(', ')})`);
        }
        return reader.readComponent(ctx.component as ExposureComponent, options);
      }
      return reader.read(options);
    } finally {
      reader.close();
    }
  },
  async write(obj: unknown, ctx: WriteContext): Promise<void> {
    if (!(obj instanceof Exposure)) throw new SerializerError(`${ctx.location.path}: the FITS Exposure formatter writes Exposure objects, got ${obj === null ? 'null' : typeof obj}`);
    // The datastore stages this temporary file and publishes it; its fsync option decides
    // durability for every artifact alike (daf_butler does not fsync each file either).
    await ctx.writeLocalFile(async (tmp) => writeExposureFits(tmp, obj, { fsync: false }));
  },
};

export const megaPrimeRawSerializer: Serializer = {
  name: 'MegaPrime raw FITS',
  extension: '.fits',
  handledParameters: ['bbox', 'detector'],
  async read(ctx: ReadContext): Promise<unknown> {
    // obs_base takes the detector from the dataId; a read parameter or formatter option can also name it.
    const withDataset = ctx as ReadContext & { dataset?: { dataId?: Readonly<Record<string, unknown>> } };
    const detector = ctx.parameters.detector ?? withDataset.dataset?.dataId?.detector ?? ctx.location.options.detector;
    const exp = readMegaPrimeRaw(await ctx.localPath(), {
      ...(typeof detector === 'number' || typeof detector === 'string' ? { detector } : {}),
      ...(ctx.parameters.bbox !== undefined ? { bbox: toBox(ctx.parameters.bbox) } : {}),
    });
    if (!ctx.component) return exp;
    const c = ctx.component;
    const parts: Record<string, unknown> = { image: exp.image, mask: exp.mask, variance: exp.variance, metadata: exp.metadata, wcs: exp.wcs, visitInfo: exp.visitInfo, detector: exp.detector, filter: exp.filter, bbox: exp.bbox, id: exp.id };
    if (!(c in parts)) throw new SerializerError(`${ctx.location.path}: a raw Exposure has no component '${c}'`);
    return parts[c];
  },
  async write(_obj: unknown, ctx: WriteContext): Promise<void> {
    throw new SerializerError(`${ctx.location.path}: raws are ingested, never written; write the Exposure with the FITS Exposure formatter`);
  },
};

/** A serializer for one image-model plane type (Image, Mask, MaskedImage) in afw's FITS layout. */
function planeSerializer<T>(name: string, type: new (...args: never[]) => T, read: (path: string, o: { bbox?: Box2I }) => unknown, write: (path: string, obj: T) => void): Serializer {
  return {
    name,
    extension: '.fits',
    handledParameters: ['bbox'],
    async read(ctx: ReadContext): Promise<unknown> {
      if (ctx.component) throw new SerializerError(`${ctx.location.path}: ${name} has no component '${ctx.component}'`);
      return read(await ctx.localPath(), ctx.parameters.bbox !== undefined ? { bbox: toBox(ctx.parameters.bbox) } : {});
    },
    async write(obj: unknown, ctx: WriteContext): Promise<void> {
      if (!(obj instanceof type)) throw new SerializerError(`${ctx.location.path}: the ${name} formatter writes ${type.name} objects`);
      await ctx.writeLocalFile(async (tmp) => write(tmp, obj));
    },
  };
}

export const imageFitsSerializer = planeSerializer('FITS Image', Image, readImageFits, (p, o: Image) => writeImageFits(p, o));
export const maskFitsSerializer = planeSerializer('FITS Mask', Mask, readMaskFits, (p, o: Mask) => writeMaskFits(p, o));
export const maskedImageFitsSerializer = planeSerializer('FITS MaskedImage', MaskedImage, readMaskedImageFits, (p, o: MaskedImage) => writeMaskedImageFits(p, o));

const EXPOSURE_FORMATTERS = [
  'lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter',
  'lsst.obs.base.fitsExposureFormatter.FitsExposureFormatter',
];

for (const name of EXPOSURE_FORMATTERS) registerFormatterName(name, { format: 'fits', extension: '.fits' }, { overwrite: true });
registerFormatterName('lsst.obs.cfht.rawFormatter.MegaPrimeRawFormatter', { format: 'megaprime-raw', extension: '.fits' }, { overwrite: true });
for (const sc of ['Exposure', 'ExposureF', 'ExposureI', 'ExposureU', 'ExposureD']) registerStorageClassType(sc, Exposure);
serializers.register(Exposure, 'fits', ANY_STORAGE, exposureFitsSerializer, { overwrite: true });
serializers.register(Exposure, 'megaprime-raw', ANY_STORAGE, megaPrimeRawSerializer, { overwrite: true });
for (const sc of ['ImageF', 'ImageD', 'ImageI', 'ImageU', 'Image']) registerStorageClassType(sc, Image);
for (const sc of ['Mask', 'MaskX']) registerStorageClassType(sc, Mask);
for (const sc of ['MaskedImage', 'MaskedImageF', 'MaskedImageD', 'MaskedImageI', 'MaskedImageU']) registerStorageClassType(sc, MaskedImage);
// Mask extends Image: register it first-class so the prototype-chain lookup finds its own serializer.
serializers.register(Image, 'fits', ANY_STORAGE, imageFitsSerializer, { overwrite: true });
serializers.register(Mask, 'fits', ANY_STORAGE, maskFitsSerializer, { overwrite: true });
serializers.register(MaskedImage, 'fits', ANY_STORAGE, maskedImageFitsSerializer, { overwrite: true });
for (const name of ['lsst.obs.base.formatters.fitsExposure.FitsImageFormatter', 'lsst.obs.base.formatters.fitsExposure.FitsMaskFormatter', 'lsst.obs.base.formatters.fitsExposure.FitsMaskedImageFormatter']) {
  registerFormatterName(name, { format: 'fits', extension: '.fits' }, { overwrite: true });
}
