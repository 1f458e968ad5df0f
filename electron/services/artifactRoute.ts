// The `artifact` binary route: the bytes of a dataset's file, located through the registry by dataset UUID
// (never by a path from the request), e.g. /data/artifact?id=<uuid>[&component=<name>].
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ApiError } from '../../core/api/errors.js';
import { uuidSchema } from '../../core/api/sections/values.js';
import { registerBinaryRoute, binaryRouteNames } from './binaryRoutes.js';

const CONTENT_TYPES: Record<string, string> = {
  '.fits': 'application/fits',
  '.fz': 'application/fits',
  '.json': 'application/json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.h5': 'application/x-hdf5',
  '.hdf5': 'application/x-hdf5',
  '.txt': 'text/plain; charset=utf-8',
};

export function registerArtifactRoute(): void {
  if (binaryRouteNames().includes('artifact')) return;
  registerBinaryRoute('artifact', async (params, ctx) => {
    const id = params.get('id');
    if (!id || !uuidSchema.safeParse(id).success) throw new ApiError('BAD_PARAMS', `artifact: id must be a dataset UUID, got ${JSON.stringify(id)}`);
    const component = params.get('component');
    const path = await ctx.artifactPath(id, component);
    const bytes = await readFile(path);
    const ext = extname(path).toLowerCase();
    return {
      bytes,
      contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      headers: { 'content-disposition': `attachment; filename="${path.split('/').pop()?.replace(/["\\]/g, '_') ?? 'dataset'}"` },
    };
  });
}
