// The binary-route registry: services register `name → handler` for bulk bytes (pixels, raw files).
// The loopback host serves a route at /data/<name>?…, Electron at app://data/<name>?…; both call serveBinary.
import { isRouteName } from '../../core/api/binary.js';
import { ApiError } from '../../core/api/errors.js';
import type { Dispatch } from '../../core/api/dispatch.js';

export interface BinaryResponse {
  bytes: Uint8Array;
  contentType: string;
  headers?: Record<string, string>;
}

/** What a route handler may use: the open repository's path and the API itself (e.g. datasets.get). */
export interface BinaryRouteContext {
  repositoryPath: string | null;
  dispatch: Dispatch;
  /** Resolves a dataset's artifact (file) path from the registry; never from user-supplied paths. */
  artifactPath(datasetId: string, component: string | null): Promise<string>;
}

export type BinaryRouteHandler = (params: URLSearchParams, ctx: BinaryRouteContext) => Promise<BinaryResponse>;

const routes = new Map<string, BinaryRouteHandler>();

export function registerBinaryRoute(name: string, handler: BinaryRouteHandler, options: { overwrite?: boolean } = {}): void {
  if (!isRouteName(name)) throw new Error(`invalid binary route name ${JSON.stringify(name)}: use lower-case letters, digits and '-'`);
  if (routes.has(name) && !options.overwrite) throw new Error(`binary route ${name} is already registered`);
  routes.set(name, handler);
}

export function binaryRouteNames(): string[] {
  return [...routes.keys()].sort();
}

/** Runs a route by name; unknown or malformed names are NOT_FOUND (never treated as paths). */
export async function serveBinary(name: string, params: URLSearchParams, ctx: BinaryRouteContext): Promise<BinaryResponse> {
  const handler = isRouteName(name) ? routes.get(name) : undefined;
  if (!handler) throw new ApiError('NOT_FOUND', `no binary route named ${JSON.stringify(name)}`);
  return handler(params, ctx);
}
