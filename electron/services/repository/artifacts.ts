// Turns datastore records into URIs and local paths, and guesses the viewer a file needs.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ArtifactRecord } from './reader.js';

export interface ResolvedArtifact {
  component: string | null;
  uri: string;
  path: string | null;
  size: number | null;
  formatter: string;
  exists: boolean;
}

export function resolveArtifact(record: ArtifactRecord, datastoreRoot: string): ResolvedArtifact {
  let path: string | null;
  let uri: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(record.storedPath)) {
    uri = record.storedPath;
    path = uri.startsWith('file://') ? fileURLToPath(uri) : null;
  } else {
    path = isAbsolute(record.storedPath) ? record.storedPath : join(datastoreRoot, record.storedPath);
    uri = pathToFileURL(path).href;
  }
  const exists = path !== null && existsSync(path);
  const size = record.size ?? (exists && path ? statSync(path).size : null);
  return { component: record.component, uri, path, size, formatter: record.formatter, exists };
}

export type ContentFormat = 'fits' | 'json' | 'yaml' | 'other';

export function formatOf(pathOrUri: string, formatter: string): ContentFormat {
  const ext = extname(pathOrUri.replace(/[?#].*$/, '')).toLowerCase();
  if (ext === '.fits' || ext === '.fz' || ext === '.fit' || /fits/i.test(formatter)) return 'fits';
  if (ext === '.json' || /json/i.test(formatter)) return 'json';
  if (ext === '.yaml' || ext === '.yml' || /yaml/i.test(formatter)) return 'yaml';
  return 'other';
}

/** Storage classes whose datasets are images (the viewer can preview them). */
export function isImageStorageClass(storageClass: string): boolean {
  return /^(Exposure|ExposureF|ExposureI|ExposureU|ExposureD|Image|ImageF|ImageI|ImageU|ImageD|MaskedImage\w*|DecoratedImage\w*|Mask\w*)$/.test(storageClass);
}
