// Image viewer methods (helper H8's section). Pixel arrays never travel through these methods: they go
// through binary routes (see core/api/binary.ts), and these methods carry the small JSON facts about them.
import { z } from 'zod';
import { method } from '../method.js';
import { scalarSchema, uuidSchema } from './values.js';

/** What to view: a dataset of the open repository (by UUID, optionally a component), or a FITS file on this machine. */
export const imageSourceSchema = z.union([
  z.object({ dataset: uuidSchema, component: z.string().min(1).nullable().default(null) }).strict(),
  z.object({ file: z.string().min(1, 'file path is empty') }).strict(),
]);
export type ImageSource = z.input<typeof imageSourceSchema>;

export const hduRoleSchema = z.enum(['image', 'mask', 'variance', 'table', 'empty']);
export type HduRole = z.infer<typeof hduRoleSchema>;

export const hduSummarySchema = z.object({
  index: z.number().int(),
  name: z.string(),
  role: hduRoleSchema,
  /** Image width/height (0 for tables and data-less HDUs). */
  width: z.number().int(),
  height: z.number().int(),
  bitpix: z.number().int(),
  compression: z.string().nullable(),
});
export type HduSummary = z.infer<typeof hduSummarySchema>;

export const openedImageSchema = z.object({
  /** Opaque handle for viewer.hdu and the pixel routes (valid until viewer.close or the app restarts). */
  key: z.string(),
  /** A short name for the title bar: the file name, or dataset type + data ID. */
  label: z.string(),
  hdus: z.array(hduSummarySchema),
  /** The HDU to show first: the first image with pixels (IMAGE in an Exposure). */
  defaultHdu: z.number().int(),
});
export type OpenedImage = z.infer<typeof openedImageSchema>;

const rectSchema = z.object({ x0: z.number().int(), y0: z.number().int(), x1: z.number().int(), y1: z.number().int() });

export const maskPlaneSchema = z.object({ name: z.string(), bit: z.number().int(), color: z.string(), description: z.string().optional() });

export const ampSchema = z.object({ name: z.string(), amp: rectSchema.nullable(), data: rectSchema, bias: rectSchema.nullable() });

export const hduViewSchema = z.object({
  key: z.string(),
  index: z.number().int(),
  name: z.string(),
  role: hduRoleSchema,
  width: z.number().int(),
  height: z.number().int(),
  bitpix: z.number().int(),
  /** Parent-frame origin of pixel (0, 0) (afw xy0, from the "A" alternate WCS or LTV1/LTV2). */
  xy0: z.object({ x: z.number().int(), y: z.number().int() }),
  bunit: z.string().nullable(),
  /** The image header (for a tile-compressed image, the reconstructed image header). */
  header: z.array(z.object({ keyword: z.string(), value: scalarSchema, comment: z.string() })),
  /** The MASK HDU that goes with this image, and its planes (from MP_* keywords). */
  maskHdu: z.number().int().nullable(),
  maskPlanes: z.array(maskPlaneSchema),
  /** Amplifier geometry from the section keywords (raws), in this HDU's pixel coordinates. */
  amps: z.array(ampSchema),
  /** The header has a celestial TAN/TAN-SIP WCS (the renderer evaluates it with core/wcs via core/display). */
  celestialWcs: z.boolean(),
  /** Why there is no usable WCS, when there is none (shown in the readout instead of RA/Dec). */
  wcsNote: z.string().nullable(),
  /**
   * The certified defects of the dataset's detector (valid at its exposure's time), in this HDU's pixel
   * coordinates; present only for trimmed images (no overscan, e.g. postISRCCD) of datasets with defects.
   */
  defects: z.array(z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int(), height: z.number().int() })).optional(),
  /** Binary route names: float32 LE pixels ("pixels") and int32 LE mask ("pixels-mask"). */
  routes: z.object({ pixels: z.string(), mask: z.string() }),
});
export type HduView = z.infer<typeof hduViewSchema>;

export const viewerMethods = {
  'viewer.routes': method(
    z.object({}).strict(),
    z.array(z.string()),
    'Names of the binary routes registered by services (served as /data/<name> or app://data/<name>).',
  ),
  'viewer.open': method(
    z.object({ source: imageSourceSchema }).strict(),
    openedImageSchema,
    'Opens a dataset or FITS file for viewing: its HDUs and a key for viewer.hdu and the pixel routes.',
  ),
  'viewer.hdu': method(
    z.object({ key: z.string().min(1), hdu: z.number().int().min(0) }).strict(),
    hduViewSchema,
    'Everything about one image HDU except its pixels: size, xy0, header, mask planes, amplifiers, WCS.',
  ),
  'viewer.close': method(z.object({ key: z.string().min(1) }).strict(), z.null(), 'Forgets an opened image and frees its cached pixels.'),
} as const;
