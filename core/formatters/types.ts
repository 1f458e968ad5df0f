// What a serializer sees: where the artifact lives and how to get at its bytes, which
// component and read parameters were asked for, and the per-dataset-type options from
// the datastore's formatter configuration.

/** Where one artifact lives, with the options configured for its dataset type. */
export interface Location {
  /** Storage kind, e.g. "posix" (later "s3"). */
  storageKind: string;
  /** Path relative to the datastore root, or an absolute URI for `direct` ingests. */
  path: string;
  /** Absolute URI (file:///...). */
  uri: string;
  /** Formatter options from config (`formatters: {Name: {formatter: ..., parameters: {...}}}`). */
  options: Readonly<Record<string, unknown>>;
}

export interface ReadContext {
  location: Location;
  /** Storage class of the dataset as stored. */
  storageClass: string;
  /** A component to read alone, if the serializer can (see Serializer.readsComponent). */
  component?: string;
  /** Storage-class read parameters (e.g. bbox); the serializer applies those it declares. */
  parameters: Readonly<Record<string, unknown>>;
  readBytes(): Promise<Uint8Array>;
  /** A local file holding the artifact (the file itself on posix; a cached copy elsewhere). */
  localPath(): Promise<string>;
  /** The dataset being read (data ID values, dataset type, id), for formatters that need them (e.g. raw readers). */
  dataset?: { datasetType: string; dataId: Readonly<Record<string, string | number>>; id: string; run: string };
}

export interface WriteContext {
  location: Location;
  storageClass: string;
  /** Stores the bytes (the datastore makes it atomic). */
  writeBytes(bytes: Uint8Array): Promise<void>;
  /** For libraries that write files themselves: `fn` writes to the given local temporary path. */
  writeLocalFile(fn: (tmpPath: string) => Promise<void>): Promise<void>;
}

/** Reads and writes one kind of object in one file format. */
export interface Serializer {
  /** Short description for messages, e.g. "JSON". */
  readonly name: string;
  /** Extension (with dot) the datastore appends to template paths. */
  readonly extension: string;
  read(ctx: ReadContext): Promise<unknown>;
  write(obj: unknown, ctx: WriteContext): Promise<void>;
  /** True if read() honours ctx.component by reading only that component. */
  readsComponent?(component: string): boolean;
  /** Read parameters read() applies itself; others are applied after reading by the delegate. */
  readonly handledParameters?: readonly string[];
}

/** A class (or a primitive's wrapper such as Number) used as a registry key. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any constructor, also abstract ones and built-ins
export type ObjectType = Function;

/** The registry key type of a value: its constructor, or the wrapper of a primitive. */
export function typeOf(value: unknown): ObjectType {
  if (value === null || value === undefined) return Object;
  switch (typeof value) {
    case 'number':
      return Number;
    case 'string':
      return String;
    case 'boolean':
      return Boolean;
    case 'bigint':
      return BigInt;
    default: {
      const proto = Object.getPrototypeOf(value) as { constructor?: ObjectType } | null;
      return proto?.constructor ?? Object;
    }
  }
}

export class SerializerError extends Error {
  override name = 'SerializerError';
}
