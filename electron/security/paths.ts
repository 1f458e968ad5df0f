// Resolves a URL path to a file inside an allowed root, refusing anything that could escape it:
// `..` segments (raw or percent-encoded), encoded slashes and backslashes, NUL bytes, absolute paths, and
// symbolic links whose target lies outside the root.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export class PathRejected extends Error {
  constructor(readonly requested: string, reason: string) {
    super(`rejected path ${JSON.stringify(requested)}: ${reason}`);
    this.name = 'PathRejected';
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/**
 * Maps a URL pathname (still percent-encoded, as it arrived) to an existing regular file under `root`.
 * Throws PathRejected for traversal attempts and returns null when the file simply does not exist.
 */
export function resolveInsideRoot(root: string, urlPath: string): string | null {
  if (urlPath.includes('\0')) throw new PathRejected(urlPath, 'NUL byte');
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw new PathRejected(urlPath, 'malformed percent-encoding');
  }
  if (decoded.includes('\0')) throw new PathRejected(urlPath, 'NUL byte');
  if (decoded.includes('\\')) throw new PathRejected(urlPath, 'backslash');
  if (/%2f|%5c/i.test(urlPath)) throw new PathRejected(urlPath, 'encoded path separator');
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) throw new PathRejected(urlPath, 'parent-directory segment');
  const rootReal = realpathSync(resolve(root));
  const candidate = join(rootReal, ...segments);
  if (!isInside(rootReal, candidate)) throw new PathRejected(urlPath, 'outside the allowed root');
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return null;
  }
  if (!isInside(rootReal, real)) throw new PathRejected(urlPath, 'symbolic link leads outside the allowed root');
  return statSync(real).isFile() ? real : null;
}
