// JSON-safe value shapes shared by several sections. Values must survive both structured clone (Electron IPC)
// and JSON (WebSocket), so nothing here may be a Date, Map, bigint or typed array.
import { z } from 'zod';

/** A data ID value: integers for most dimensions, strings for instrument, band, physical_filter… */
export const dataIdValueSchema = z.union([z.string(), z.number()]);
export const dataIdSchema = z.record(z.string(), dataIdValueSchema);
export type DataId = z.infer<typeof dataIdSchema>;

/** A scalar cell of a dimension record or header: timespans and regions arrive pre-formatted as strings. */
export const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalarSchema>;
export const recordSchema = z.record(z.string(), scalarSchema);
export type ScalarRecord = z.infer<typeof recordSchema>;

export const COLLECTION_TYPES = ['RUN', 'TAGGED', 'CHAINED', 'CALIBRATION'] as const;
export const collectionTypeSchema = z.enum(COLLECTION_TYPES);
export type CollectionType = z.infer<typeof collectionTypeSchema>;

export const uuidSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/, 'expected a dataset UUID');

export const emptySchema = z.object({}).strict();
