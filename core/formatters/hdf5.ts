// HDF5 serializer on h5wasm: a plain object maps to a file whose groups are nested
// objects and whose datasets are arrays, typed arrays, numbers or strings. A component
// (a top-level member) is read alone without reading the rest.
import type { ReadContext, Serializer, WriteContext } from './types.js';
import { SerializerError } from './types.js';

type H5Module = typeof import('h5wasm');
type H5Group = InstanceType<H5Module['Group']>;
type H5Dataset = InstanceType<H5Module['Dataset']>;

let loading: Promise<H5Module> | undefined;

/** Loads h5wasm once (its Node build reads and writes real files). */
async function h5(): Promise<H5Module> {
  loading ??= (async () => {
    const mod = (await import('h5wasm/node')) as unknown as { default: H5Module };
    await mod.default.ready;
    return mod.default;
  })();
  return loading;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function writeMember(group: H5Group, name: string, value: unknown, path: string): void {
  if (isPlainObject(value)) {
    const sub = group.create_group(name);
    for (const [k, v] of Object.entries(value)) writeMember(sub, k, v, `${path}/${k}`);
    return;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint' || typeof value === 'boolean') {
    group.create_dataset({ name, data: (typeof value === 'boolean' ? Number(value) : value) as never });
    return;
  }
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    group.create_dataset({ name, data: value as never });
    return;
  }
  throw new SerializerError(`Cannot store ${path} in HDF5: ${value === null ? 'null' : typeof value} values are not supported`);
}

function readMember(h: H5Module, node: H5Group | H5Dataset): unknown {
  if (node instanceof h.Group) {
    const out: Record<string, unknown> = {};
    for (const key of node.keys()) {
      const child = node.get(key);
      if (child instanceof h.Group || child instanceof h.Dataset) out[key] = readMember(h, child);
    }
    return out;
  }
  return (node as H5Dataset).value;
}

export const hdf5Serializer: Serializer = {
  name: 'HDF5',
  extension: '.hdf5',
  readsComponent: () => true,
  async read(ctx: ReadContext) {
    const h = await h5();
    const path = await ctx.localPath();
    const file = new h.File(path, 'r');
    try {
      if (ctx.component !== undefined) {
        const node = file.get(ctx.component);
        if (!(node instanceof h.Group || node instanceof h.Dataset)) {
          throw new SerializerError(`${ctx.location.uri} has no member '${ctx.component}' (members: ${file.keys().join(', ')})`);
        }
        return readMember(h, node);
      }
      return readMember(h, file);
    } finally {
      file.close();
    }
  },
  async write(obj: unknown, ctx: WriteContext) {
    if (!isPlainObject(obj)) throw new SerializerError(`HDF5 files hold mappings of arrays; got ${Array.isArray(obj) ? 'an array' : typeof obj} for ${ctx.location.path}`);
    const h = await h5();
    await ctx.writeLocalFile(async (tmpPath) => {
      const file = new h.File(tmpPath, 'w');
      try {
        for (const [k, v] of Object.entries(obj)) writeMember(file, k, v, k);
      } finally {
        file.close();
      }
    });
  },
};
