// One header card: parsing an 80-character card image into keyword, typed value and comment,
// and formatting it back. Cards read from a file keep their original image (`raw`) so that a
// header we did not modify is written back byte for byte.
import { FitsError } from './errors.js';

export const CARD_LENGTH = 80;

export interface FitsComplex {
  re: number;
  im: number;
}

/** A keyword value as read: strings, logicals, integers (bigint beyond 2^53), floats, complex, or null (undefined value). */
export type FitsValue = string | number | bigint | boolean | FitsComplex | null;

/**
 * How the value was (or will be) written. `integer` and `float` are kept apart so that 1 and 1.0
 * stay distinct; `commentary` is COMMENT/HISTORY/blank (and any card without "= "); `invalid`
 * keeps a value we could not parse as its raw text rather than failing the whole header.
 */
export type CardKind = 'string' | 'logical' | 'integer' | 'float' | 'complex' | 'undefined' | 'commentary' | 'invalid';

export interface Card {
  /** Upper-case keyword; HIERARCH keywords without the "HIERARCH " prefix; '' for a blank keyword. */
  keyword: string;
  kind: CardKind;
  /** For commentary cards, the text after column 8. */
  value: FitsValue;
  comment: string;
  hierarch: boolean;
  /** The original card image(s) from the file: 80 characters, or a multiple for CONTINUE strings. Cleared on change. */
  raw?: string;
}

export const COMMENTARY_KEYWORDS = new Set(['COMMENT', 'HISTORY', '']);

const INTEGER_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/;

/** Parses the value field (everything after "= ") into a typed value and a comment. */
export function parseValueField(text: string): { kind: CardKind; value: FitsValue; comment: string } {
  let i = 0;
  while (i < text.length && text[i] === ' ') i++;
  if (i >= text.length) return { kind: 'undefined', value: null, comment: '' };
  if (text[i] === '/') return { kind: 'undefined', value: null, comment: commentAfterSlash(text, i) };

  if (text[i] === "'") {
    let value = '';
    let j = i + 1;
    for (;;) {
      const q = text.indexOf("'", j);
      if (q < 0) throw new FitsError(`unterminated string value: ${text.trimEnd()}`);
      value += text.slice(j, q);
      if (text[q + 1] === "'") {
        value += "'";
        j = q + 2;
        continue;
      }
      j = q + 1;
      break;
    }
    return { kind: 'string', value: value.replace(/ +$/, ''), comment: restComment(text, j) };
  }

  if (text[i] === '(') {
    const close = text.indexOf(')', i);
    if (close < 0) throw new FitsError(`unterminated complex value: ${text.trimEnd()}`);
    const parts = text.slice(i + 1, close).split(',').map((s) => s.trim());
    if (parts.length !== 2 || !parts.every(isNumberToken)) throw new FitsError(`bad complex value: ${text.slice(i, close + 1)}`);
    return { kind: 'complex', value: { re: parseNumberToken(parts[0]), im: parseNumberToken(parts[1]) }, comment: restComment(text, close + 1) };
  }

  const slash = text.indexOf('/', i);
  const token = (slash < 0 ? text.slice(i) : text.slice(i, slash)).trim();
  const comment = slash < 0 ? '' : commentAfterSlash(text, slash);
  if (token === 'T' || token === 'F') return { kind: 'logical', value: token === 'T', comment };
  if (INTEGER_RE.test(token)) return { kind: 'integer', value: parseIntegerToken(token), comment };
  if (FLOAT_RE.test(token)) return { kind: 'float', value: parseNumberToken(token), comment };
  return { kind: 'invalid', value: token, comment };
}

function isNumberToken(s: string): boolean {
  return INTEGER_RE.test(s) || FLOAT_RE.test(s);
}

function parseNumberToken(s: string): number {
  return Number(s.replace(/[Dd]/, 'E'));
}

function parseIntegerToken(s: string): number | bigint {
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

function commentAfterSlash(text: string, slash: number): string {
  return text.slice(slash + 1).replace(/^ +/, '').replace(/ +$/, '');
}

function restComment(text: string, from: number): string {
  const rest = text.slice(from).trim();
  if (rest === '') return '';
  if (rest[0] === '/') return commentAfterSlash(rest, 0);
  // Text after a value without a slash is not standard; keep it visible as the comment.
  return rest;
}

/** Parses one 80-character card image (not CONTINUE handling: see Header). */
export function parseCard(image: string): Card {
  const head = image.slice(0, 8).trimEnd().toUpperCase();
  if (head === 'HIERARCH' && image.includes('=')) {
    const eq = image.indexOf('=');
    const keyword = image.slice(8, eq).trim().toUpperCase();
    const parsed = parseValueField(image.slice(eq + 1));
    return { keyword, ...parsed, hierarch: true, raw: image };
  }
  if (COMMENTARY_KEYWORDS.has(head) || image[8] !== '=') {
    return { keyword: head, kind: 'commentary', value: image.slice(8).trimEnd(), comment: '', hierarch: false, raw: image };
  }
  const parsed = parseValueField(image.slice(10));
  return { keyword: head, ...parsed, hierarch: false, raw: image };
}

/** The value as it appears in a card: 20 characters right-justified for numbers and logicals. */
export function formatValue(kind: CardKind, value: FitsValue): string {
  switch (kind) {
    case 'string':
      // astropy's layout: at least 8 characters inside the quotes, the field padded to 20.
      return ("'" + String(value).replace(/'/g, "''").padEnd(8) + "'").padEnd(20);
    case 'logical':
      return (value ? 'T' : 'F').padStart(20);
    case 'integer':
      return String(value).padStart(20);
    case 'float':
      return formatFloat(value as number).padStart(20);
    case 'complex': {
      const c = value as FitsComplex;
      return `(${formatFloat(c.re)}, ${formatFloat(c.im)})`.padStart(20);
    }
    case 'undefined':
      return '';
    case 'invalid':
      return String(value);
    case 'commentary':
      return String(value);
  }
}

/** Shortest round-trip float text, with an upper-case exponent of at least two digits, at most 20 characters. */
export function formatFloat(x: number): string {
  if (!Number.isFinite(x)) throw new FitsError(`cannot write ${x} as a header value (FITS has no NaN or Infinity keywords)`);
  let s = String(x);
  if (s.length > 20) s = x.toPrecision(16);
  s = s.toUpperCase();
  const e = s.indexOf('E');
  let mantissa = e < 0 ? s : s.slice(0, e);
  if (!mantissa.includes('.')) mantissa += '.0';
  if (e < 0) return mantissa;
  let exp = s.slice(e + 1);
  let sign = '+';
  if (exp[0] === '+' || exp[0] === '-') {
    sign = exp[0];
    exp = exp.slice(1);
  }
  return `${mantissa}E${sign}${exp.padStart(2, '0')}`;
}

const MAX_STRING_CHUNK = 67;
const MAX_COMMENT_CHUNK = 64;

/** Formats a card into one or more 80-character images (CONTINUE for long strings, several cards for long commentary). */
export function formatCard(card: Card): string {
  if (card.raw !== undefined) return card.raw;
  // FITS headers are printable ASCII only; say which keyword breaks that rather than write a bad file.
  const text = `${card.keyword}${typeof card.value === 'string' ? card.value : ''}${card.comment}`;
  const bad = /[^\x20-\x7e]/.exec(text);
  if (bad) {
    throw new FitsError(`keyword ${card.keyword || '(blank)'}: character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not printable ASCII, which FITS headers require`);
  }
  if (card.kind === 'commentary') {
    const text = String(card.value ?? '');
    const keyword = card.keyword.padEnd(8);
    if (text.length <= 72) return (keyword + text).padEnd(CARD_LENGTH);
    let out = '';
    for (let i = 0; i < text.length; i += 72) out += (keyword + text.slice(i, i + 72)).padEnd(CARD_LENGTH);
    return out;
  }
  const prefix = card.hierarch ? `HIERARCH ${card.keyword} = ` : card.keyword.padEnd(8) + '= ';
  // HIERARCH values are not padded to column 30 (astropy's layout), leaving room for long keys.
  const formatted = formatValue(card.kind, card.value);
  const value = card.hierarch ? formatted.trimStart() : formatted;
  let image = prefix + value;
  if (card.comment) image += ' / ' + card.comment;
  if (image.length <= CARD_LENGTH) return image.padEnd(CARD_LENGTH);
  if (card.kind === 'string' && (prefix + value).length > CARD_LENGTH) return formatLongString(card, prefix);
  if ((prefix + value).length > CARD_LENGTH) {
    throw new FitsError(`keyword ${card.keyword}: value does not fit in one 80-character card`);
  }
  if (card.kind === 'string') return formatLongString(card, prefix);
  // A long comment on a non-string value is cut, as astropy does; the value is never cut.
  return image.slice(0, CARD_LENGTH);
}

function formatLongString(card: Card, prefix: string): string {
  const text = String(card.value);
  const first = Math.max(1, MAX_STRING_CHUNK - Math.max(0, prefix.length - 10));
  const chunks: string[] = [];
  let i = 0;
  let limit = first;
  while (i < text.length || chunks.length === 0) {
    // Cut on raw characters so a doubled quote is never split between cards.
    let j = i;
    let escaped = 0;
    while (j < text.length && escaped + (text[j] === "'" ? 2 : 1) <= limit) {
      escaped += text[j] === "'" ? 2 : 1;
      j++;
    }
    chunks.push(text.slice(i, j));
    i = j;
    limit = MAX_STRING_CHUNK;
  }
  const commentChunks: string[] = [];
  for (let k = 0; k < card.comment.length; k += MAX_COMMENT_CHUNK) commentChunks.push(card.comment.slice(k, k + MAX_COMMENT_CHUNK));
  let out = '';
  chunks.forEach((chunk, idx) => {
    const last = idx === chunks.length - 1 && commentChunks.length === 0;
    const head = idx === 0 ? prefix : 'CONTINUE  ';
    out += (head + "'" + chunk.replace(/'/g, "''") + (last ? "'" : "&'")).padEnd(CARD_LENGTH);
  });
  commentChunks.forEach((chunk, idx) => {
    const head = idx === commentChunks.length - 1 ? "CONTINUE  '' / " : "CONTINUE  '&' / ";
    out += (head + chunk).padEnd(CARD_LENGTH);
  });
  return out;
}
