// Python's str.format machinery as far as file templates need it: parsing a format
// string into (literal, field, spec, conversion) parts like string.Formatter().parse,
// and format(value, spec) with the standard format-spec mini-language.

export interface FormatPart {
  literal: string;
  /** undefined for the trailing literal after the last field. */
  field: string | undefined;
  spec: string;
  conversion: string | undefined;
}

export class FormatSyntaxError extends Error {
  override name = 'ValueError';
}

/** string.Formatter().parse: `{{`/`}}` escapes, `{name!c:spec}` fields (nested braces allowed in spec). */
export function parseFormatString(text: string): FormatPart[] {
  const parts: FormatPart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '{') {
      if (text[i + 1] === '{') {
        literal += '{';
        i += 2;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      while (j < text.length && depth > 0) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        if (depth > 0) j++;
      }
      if (depth !== 0) throw new FormatSyntaxError(`expected '}' before end of string in ${JSON.stringify(text)}`);
      const inner = text.slice(i + 1, j);
      const m = /^([^!:]*)(?:!(.))?(?::(.*))?$/s.exec(inner);
      if (!m) throw new FormatSyntaxError(`invalid field {${inner}} in ${JSON.stringify(text)}`);
      if (inner.includes('!') && m[2] === undefined) throw new FormatSyntaxError(`end of string while looking for conversion specifier in {${inner}}`);
      parts.push({ literal, field: m[1], spec: m[3] ?? '', conversion: m[2] });
      literal = '';
      i = j + 1;
    } else if (ch === '}') {
      if (text[i + 1] !== '}') throw new FormatSyntaxError(`Single '}' encountered in format string ${JSON.stringify(text)}`);
      literal += '}';
      i += 2;
    } else {
      literal += ch;
      i++;
    }
  }
  if (literal !== '') parts.push({ literal, field: undefined, spec: '', conversion: undefined });
  return parts;
}

/** A value Python would not treat as str (e.g. a UUID): never sanitised, formatted via its text. */
export class OpaqueValue {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type FormatValue = string | number | bigint | boolean | OpaqueValue;

/** Python repr() of a str (single quotes unless the text holds one and no double quote). */
function pyRepr(value: FormatValue): string {
  if (typeof value !== 'string') return pyStr(value);
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const body = value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), '\\' + quote).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return quote + body + quote;
}

function pyStr(value: FormatValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

export function applyConversion(value: FormatValue, conversion: string | undefined): FormatValue {
  if (conversion === undefined) return value;
  if (conversion === 's') return pyStr(value);
  if (conversion === 'r') return pyRepr(value);
  if (conversion === 'a') return pyRepr(value).replace(/[\u{80}-\u{10ffff}]/gu, (c) => {
    const cp = c.codePointAt(0) ?? 0;
    return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : cp > 0xff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\x${cp.toString(16).padStart(2, '0')}`;
  });
  throw new FormatSyntaxError(`Unknown conversion specifier ${conversion}`);
}

const SPEC_RE = /^(?:(.)?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su;

function group(digits: string, sep: string, every: number): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % every === 0) out += sep;
    out += digits[i];
  }
  return out;
}

/** format(value, spec) with Python's mini-language for str, int and float values. */
export function formatWithSpec(value: FormatValue, spec: string): string {
  if (spec === '') return pyStr(value);
  const m = SPEC_RE.exec(spec);
  if (!m) throw new FormatSyntaxError(`Invalid format specifier '${spec}'`);
  const [, fillRaw, alignRaw, sign, , alt, zero, widthRaw, grouping, precisionRaw, type] = m;
  let fill = fillRaw ?? ' ';
  let align = alignRaw;
  const width = widthRaw ? Number(widthRaw) : 0;
  const precision = precisionRaw === undefined ? undefined : Number(precisionRaw);
  const isNumber = typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
  if (zero && !alignRaw) {
    fill = '0';
    align = isNumber ? '=' : '<';
  }
  let body: string;
  let prefix = '';
  if (!isNumber) {
    if (type !== undefined && type !== 's') throw new FormatSyntaxError(`Unknown format code '${type}' for object of type 'str'`);
    if (sign) throw new FormatSyntaxError('Sign not allowed in string format specifier');
    body = String(value);
    if (precision !== undefined) body = [...body].slice(0, precision).join('');
    align = align ?? '<';
  } else {
    const num = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    const isInt = typeof num === 'bigint' || Number.isInteger(num);
    const t = type ?? (isInt ? 'd' : '');
    if (isInt && t === 's') throw new FormatSyntaxError(`Unknown format code 's' for object of type 'int'`);
    const negative = typeof num === 'bigint' ? num < 0n : num < 0 || Object.is(num, -0);
    const abs = typeof num === 'bigint' ? (negative ? -num : num) : Math.abs(num);
    const absN = Number(abs);
    switch (t) {
      case 'd':
      case 'n':
        if (!isInt) throw new FormatSyntaxError(`Unknown format code 'd' for object of type 'float'`);
        body = abs.toString();
        break;
      case 'x':
      case 'X':
      case 'o':
      case 'b': {
        const radix = t === 'o' ? 8 : t === 'b' ? 2 : 16;
        body = abs.toString(radix);
        if (t === 'X') body = body.toUpperCase();
        if (alt) prefix = t === 'o' ? '0o' : t === 'b' ? '0b' : t === 'X' ? '0X' : '0x';
        break;
      }
      case 'c':
        body = String.fromCodePoint(absN);
        break;
      case 'e':
      case 'E':
        body = absN.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
        if (t === 'E') body = body.toUpperCase();
        break;
      case 'f':
      case 'F':
        body = absN.toFixed(precision ?? 6);
        break;
      case '%':
        body = (absN * 100).toFixed(precision ?? 6) + '%';
        break;
      case 'g':
      case 'G':
      case '': {
        if (t === '' && precision === undefined) {
          body = isInt ? abs.toString() : String(absN).includes('e') ? String(absN).replace(/e([+-])(\d)$/, 'e$10$2') : String(absN);
          if (!isInt && !body.includes('.') && !body.includes('e') && !body.includes('inf') && !body.includes('N')) body += '.0';
        } else {
          const p = precision === 0 ? 1 : (precision ?? 6);
          const exp = absN === 0 ? 0 : Math.floor(Math.log10(absN));
          body = exp < -4 || exp >= p ? absN.toExponential(p - 1) : absN.toPrecision(p);
          if (!alt) body = body.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
          body = body.replace(/e([+-])(\d)$/, 'e$10$2');
          if (t === 'G') body = body.toUpperCase();
        }
        break;
      }
      default:
        throw new FormatSyntaxError(`Unknown format code '${t}'`);
    }
    if (grouping) {
      const [intPart, frac] = body.split('.');
      body = group(intPart, grouping, t === 'x' || t === 'X' || t === 'o' || t === 'b' ? 4 : 3) + (frac !== undefined ? '.' + frac : '');
    }
    const signText = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    prefix = signText + prefix;
    align = align ?? '>';
  }
  const len = [...prefix].length + [...body].length;
  const pad = Math.max(0, width - len);
  if (pad === 0) return prefix + body;
  switch (align) {
    case '<':
      return prefix + body + fill.repeat(pad);
    case '^':
      return fill.repeat(Math.floor(pad / 2)) + prefix + body + fill.repeat(pad - Math.floor(pad / 2));
    case '=':
      return prefix + fill.repeat(pad) + body;
    default:
      return fill.repeat(pad) + prefix + body;
  }
}
