// Browsing methods: collections, dataset types, datasets, dimension records, the dataset inspector and
// provenance. Paged methods take limit/offset so the UI never asks for a whole table.
import { z } from 'zod';
import { method } from '../method.js';
import { collectionTypeSchema, dataIdSchema, emptySchema, recordSchema, scalarSchema, uuidSchema } from './values.js';

const nameSchema = z.string().min(1);
const bindSchema = z.record(z.string(), z.union([scalarSchema, z.array(z.union([z.string(), z.number()]))]));

export const collectionSchema = z.object({
  name: z.string(),
  type: collectionTypeSchema,
  doc: z.string().nullable(),
  /** CHAINED only: the children in search order. */
  children: z.array(z.string()),
  /** The chains this collection is a direct child of. */
  parents: z.array(z.string()),
});
export type CollectionInfo = z.infer<typeof collectionSchema>;

export const datasetTypeSchema = z.object({
  name: z.string(),
  storageClass: z.string(),
  /** All dimensions (required then implied). */
  dimensions: z.array(z.string()),
  /** The dimensions that identify a data ID (the keys of a dataset's data ID in query results). */
  requiredDimensions: z.array(z.string()),
  isCalibration: z.boolean(),
  components: z.array(z.string()),
});
export type DatasetTypeInfo = z.infer<typeof datasetTypeSchema>;

export const datasetRowSchema = z.object({
  id: z.string(),
  datasetType: z.string(),
  run: z.string(),
  dataId: dataIdSchema,
});
export type DatasetRow = z.infer<typeof datasetRowSchema>;

const datasetQueryBase = {
  datasetType: nameSchema,
  collections: z.array(nameSchema).min(1, 'at least one collection is required'),
  where: z.string().max(20_000).default(''),
  bind: bindSchema.default({}),
  findFirst: z.boolean().default(false),
};
export const datasetQuerySchema = z
  .object({
    ...datasetQueryBase,
    /** Sort terms, `-` prefix for descending: dimension names, element fields (`exposure.obs_id`), `run`, `ingest_date`. */
    orderBy: z.array(z.string().regex(/^-?[A-Za-z_][A-Za-z0-9_.]*$/, 'an orderBy term is a column name, optionally prefixed by -')).default([]),
    limit: z.number().int().min(1).max(10_000).default(200),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type DatasetQuery = z.input<typeof datasetQuerySchema>;

export const artifactSchema = z.object({
  component: z.string().nullable(),
  uri: z.string(),
  /** Local path when the artifact is a file on this machine (null for remote or missing artifacts). */
  path: z.string().nullable(),
  size: z.number().nullable(),
  formatter: z.string(),
  exists: z.boolean(),
});

export const datasetDetailSchema = z.object({
  id: z.string(),
  datasetType: z.string(),
  storageClass: z.string(),
  run: z.string(),
  dataId: dataIdSchema,
  /** Expanded data ID: one record per dimension element that has records. */
  records: z.record(z.string(), recordSchema),
  components: z.array(z.object({ name: z.string(), storageClass: z.string() })),
  artifacts: z.array(artifactSchema),
  /** Which viewer fits: FITS header + image preview, JSON/YAML text, or nothing we can show. */
  format: z.enum(['fits', 'json', 'yaml', 'other', 'none']),
  isImage: z.boolean(),
  repositoryPath: z.string(),
});
export type DatasetDetail = z.infer<typeof datasetDetailSchema>;

export const headerCardSchema = z.object({ keyword: z.string(), value: scalarSchema, comment: z.string() });
export const headerHduSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  kind: z.string(),
  cards: z.array(headerCardSchema),
});
export type HeaderHdu = z.infer<typeof headerHduSchema>;

export const datasetRefSummarySchema = z.object({ id: z.string(), datasetType: z.string(), run: z.string(), dataId: dataIdSchema });

export const provenanceSchema = z.discriminatedUnion('recorded', [
  z.object({ recorded: z.literal(false), reason: z.string() }),
  z.object({
    recorded: z.literal(true),
    quantum: z.object({ id: z.string(), task: z.string(), dataId: dataIdSchema }),
    inputs: z.array(datasetRefSummarySchema),
    outputs: z.array(datasetRefSummarySchema),
  }),
]);
export type Provenance = z.infer<typeof provenanceSchema>;

export const dimensionElementSchema = z.object({
  name: z.string(),
  required: z.array(z.string()),
  implied: z.array(z.string()),
  metadata: z.array(z.string()),
  hasTable: z.boolean(),
});

export const repositoryMethods = {
  'collections.list': method(
    z.object({ types: z.array(collectionTypeSchema).optional() }).strict(),
    z.array(collectionSchema),
    'Every collection (optionally only some types) with its chain children in search order.',
  ),
  'collections.counts': method(
    z.object({ names: z.array(nameSchema).max(1000) }).strict(),
    z.record(z.string(), z.number().int()),
    'Datasets directly in each named collection (for a chain: in its flattened children, counted once each).',
  ),
  'datasetTypes.list': method(
    z.object({ collections: z.array(nameSchema).optional() }).strict(),
    z.array(datasetTypeSchema),
    'Registered dataset types; with collections, only those present in them.',
  ),
  'datasetTypes.counts': method(
    z.object({ datasetType: nameSchema }).strict(),
    z.array(z.object({ collection: z.string(), type: collectionTypeSchema, count: z.number().int() })),
    'How many datasets of one type each non-chained collection holds (collections holding none are left out).',
  ),
  'datasets.query': method(
    datasetQuerySchema,
    z.object({ dimensions: z.array(z.string()), rows: z.array(datasetRowSchema) }),
    'One page of datasets of a type in collections, filtered by a `where` expression, sorted server-side.',
  ),
  'datasets.count': method(
    z.object(datasetQueryBase).strict(),
    z.object({ count: z.number().int() }),
    'How many datasets the same query (without paging) returns.',
  ),
  'datasets.get': method(z.object({ id: uuidSchema }).strict(), datasetDetailSchema, 'Everything the inspector shows about one dataset.'),
  'datasets.header': method(
    z.object({ id: uuidSchema, component: z.string().nullable().default(null) }).strict(),
    z.object({ path: z.string(), hdus: z.array(headerHduSchema) }),
    "The FITS headers of a dataset's file, one entry per HDU.",
  ),
  'datasets.content': method(
    z.object({ id: uuidSchema, component: z.string().nullable().default(null) }).strict(),
    z.object({ format: z.enum(['json', 'yaml', 'text']), text: z.string(), size: z.number(), truncated: z.boolean() }),
    'The text of a JSON/YAML dataset (task metadata, configs, structured data), up to 4 MB.',
  ),
  'provenance.get': method(
    z.object({ id: uuidSchema }).strict(),
    provenanceSchema,
    'The quantum that produced a dataset and its inputs, or why nothing is recorded.',
  ),
  'dimensions.elements': method(emptySchema, z.array(dimensionElementSchema), 'The dimension elements of the repository universe.'),
  'dimensions.records': method(
    z
      .object({
        element: nameSchema,
        where: z.string().max(20_000).default(''),
        bind: bindSchema.default({}),
        limit: z.number().int().min(1).max(10_000).default(200),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    z.object({ columns: z.array(z.string()), rows: z.array(recordSchema), total: z.number().int() }),
    'One page of the records of a dimension element, with the total matching count.',
  ),
} as const;
