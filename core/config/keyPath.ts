// Turns a config key into the list of nested keys it names, with daf_butler's rules:
// a string starting with a non-alphanumeric character uses that character as the
// delimiter (".a.b", "/a/b", ":a:b"); any other string is one literal key; arrays are
// explicit paths. A delimiter inside a key is escaped with a backslash.
import { ConfigValueError } from './errors.js';

export type ConfigKey = string | readonly (string | number)[];

/** Python's str.isalnum for the first character (letters and digits of any script). */
function isAlnum(ch: string): boolean {
  return /^[\p{L}\p{N}]$/u.test(ch);
}

/** Splits `text` on `delimiter`, honouring `\<delimiter>` escapes. */
export function splitEscaped(text: string, delimiter: string): string[] {
  if (text.includes('\r')) throw new ConfigValueError(`Config key ${JSON.stringify(text)} contains "\\r", which is not supported`);
  const escaped = '\\' + delimiter;
  if (text.includes('\\' + escaped)) {
    throw new ConfigValueError(`Escaping an escaped delimiter is not supported: ${JSON.stringify(text)}`);
  }
  // The same placeholder trick as daf_butler: protect escaped delimiters, split, restore.
  return text.split(escaped).join('\r').split(delimiter).map((part) => part.split('\r').join(delimiter));
}

/** The delimiter a string key asks for, or undefined for a literal key. */
export function keyDelimiter(key: string): string | undefined {
  if (key.length === 0) return undefined;
  const first = String.fromCodePoint(key.codePointAt(0) ?? 0);
  return isAlnum(first) ? undefined : first;
}

/**
 * The path named by `key`. `topLevelKeys` lets an exact top-level match win over
 * interpreting the first character as a delimiter.
 */
export function keyPath(key: ConfigKey, hasTopLevel: (k: string) => boolean): (string | number)[] {
  if (typeof key !== 'string') return [...key];
  if (hasTopLevel(key)) return [key];
  const delimiter = keyDelimiter(key);
  if (delimiter === undefined) return [key];
  const rest = key.slice(delimiter.length);
  if (rest === '') return [];
  return splitEscaped(rest, delimiter);
}

/** Joins a path for display or for names(), escaping the delimiter inside parts. */
export function joinPath(parts: readonly (string | number)[], delimiter: string): string {
  return parts.map((p) => delimiter + String(p).split(delimiter).join('\\' + delimiter)).join('');
}
