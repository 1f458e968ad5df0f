// "Copy Python": the daf_butler call that fetches the same dataset, so a user can move from the app to a
// notebook without retyping the data ID.
import type { DataId } from './sections/values.js';

/** A Python string literal (double-quoted, with backslashes, quotes and control characters escaped). */
export function pythonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function pythonValue(v: string | number): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`data ID value ${v} has no Python literal`);
    return String(v);
  }
  return pythonString(v);
}

export interface PythonGetOptions {
  repositoryPath: string;
  datasetType: string;
  dataId: DataId;
  collection: string;
  component?: string | null;
}

/** `butler.get(...)` for one dataset, by dataset type + data ID + its RUN collection (unambiguous). */
export function pythonGetSnippet(o: PythonGetOptions): string {
  const typeName = o.component ? `${o.datasetType}.${o.component}` : o.datasetType;
  const keys = Object.keys(o.dataId);
  const dataId = keys.length === 0 ? '{}' : `{${keys.map((k) => `${pythonString(k)}: ${pythonValue(o.dataId[k])}`).join(', ')}}`;
  return [
    'from lsst.daf.butler import Butler',
    '',
    `butler = Butler(${pythonString(o.repositoryPath)})`,
    `obj = butler.get(${pythonString(typeName)}, dataId=${dataId}, collections=${pythonString(o.collection)})`,
  ].join('\n');
}
