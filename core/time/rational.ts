// Exact rationals over bigint: time literals are converted exactly from the
// double or decimal text the user gave, and rounded to nanoseconds only once.

export interface Rational {
  readonly num: bigint;
  /** Always positive. */
  readonly den: bigint;
}

export function rational(num: bigint, den = 1n): Rational {
  if (den === 0n) throw new RangeError('rational with zero denominator');
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

export function add(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

export function sub(a: Rational, b: Rational): Rational {
  return add(a, { num: -b.num, den: b.den });
}

export function mul(a: Rational, b: Rational): Rational {
  return { num: a.num * b.num, den: a.den * b.den };
}

export function floorOf(a: Rational): bigint {
  const q = a.num / a.den;
  return a.num < 0n && q * a.den !== a.num ? q - 1n : q;
}

/** Nearest integer, halves away from zero (as Python's round of a positive double would rarely differ). */
export function roundOf(a: Rational): bigint {
  const twice = 2n * a.num;
  if (a.num >= 0n) return (twice + a.den) / (2n * a.den);
  return -((-twice + a.den) / (2n * a.den));
}

const view = new DataView(new ArrayBuffer(8));

/** The exact value of a finite double. */
export function fromDouble(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const exponent = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let shift: number;
  if (exponent === 0) {
    shift = -1074;
  } else {
    mantissa |= 1n << 52n;
    shift = exponent - 1075;
  }
  const signed = negative ? -mantissa : mantissa;
  return shift >= 0 ? { num: signed << BigInt(shift), den: 1n } : { num: signed, den: 1n << BigInt(-shift) };
}

/** Exact value of a decimal string such as "12.3456" or "7" (no exponent). */
export function fromDecimal(text: string): Rational {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new RangeError(`not a decimal number: "${text}"`);
  const fraction = match[3] ?? '';
  const digits = BigInt((match[2] || '0') + fraction);
  return { num: match[1] === '-' ? -digits : digits, den: 10n ** BigInt(fraction.length) };
}
