// Serialises JSON exactly as Python's json.dumps does with default arguments
// (", " and ": " separators, ASCII-only with \uXXXX escapes), so attributes we write
// byte-match what daf_butler writes and reads back.

export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot serialise non-finite number ${value} as JSON`);
    return Number.isInteger(value) ? String(value) : pythonFloat(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return '[' + value.map(pythonJsonDumps).join(', ') + ']';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return '{' + entries.map(([k, v]) => pythonString(k) + ': ' + pythonJsonDumps(v)).join(', ') + '}';
  }
  throw new Error(`Cannot serialise a ${typeof value} as JSON`);
}

function pythonFloat(x: number): string {
  // Python's repr uses the shortest round-trip form like JS, but writes exponents as e-05/e+20.
  const s = String(x);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (!m) return s;
  const mantissa = m[1].includes('.') ? m[1] : m[1];
  return `${mantissa}e${m[2]}${m[3].padStart(2, '0')}`;
}

function pythonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || (code >= 0x7f && code <= 0xffff)) out += '\\u' + code.toString(16).padStart(4, '0');
    else if (code > 0xffff) {
      const v = code - 0x10000;
      out += '\\u' + (0xd800 + (v >> 10)).toString(16) + '\\u' + (0xdc00 + (v & 0x3ff)).toString(16);
    } else out += ch;
  }
  return out + '"';
}
