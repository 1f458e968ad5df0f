// The byte layout of an HDU: block size and the data size a header implies (FITS 4.0 §4.4.1).
import { FitsError, type FitsErrorLocation } from './errors.js';
import type { Header } from './header.js';

export const BLOCK_SIZE = 2880;

export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;
export const BITPIX_VALUES: readonly Bitpix[] = [8, 16, 32, 64, -32, -64];

export function padToBlock(n: number): number {
  return Math.ceil(n / BLOCK_SIZE) * BLOCK_SIZE;
}

export function checkBitpix(value: number, where: FitsErrorLocation = {}): Bitpix {
  if (!(BITPIX_VALUES as readonly number[]).includes(value)) {
    throw new FitsError(`BITPIX = ${value} is not one of 8, 16, 32, 64, -32, -64`, where);
  }
  return value as Bitpix;
}

/** NAXIS1..NAXISn as numbers (the FITS order: NAXIS1 is the fastest-varying axis). */
export function axesOf(header: Header, where: FitsErrorLocation = {}, prefix = 'NAXIS'): number[] {
  const naxis = header.requireInt(prefix, where);
  if (naxis < 0 || naxis > 999) throw new FitsError(`${prefix} = ${naxis} is out of range 0..999`, where);
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = header.requireInt(`${prefix}${i}`, where);
    if (n < 0) throw new FitsError(`${prefix}${i} = ${n} is negative`, where);
    axes.push(n);
  }
  return axes;
}

/** Size in bytes of the data unit (without padding): |BITPIX|/8 · GCOUNT · (PCOUNT + product of axes). */
export function dataSizeOf(header: Header, where: FitsErrorLocation = {}): number {
  const bitpix = checkBitpix(header.requireInt('BITPIX', where), where);
  const axes = axesOf(header, where);
  if (axes.length === 0) return 0;
  // Random groups (NAXIS1 = 0, GROUPS = T) leave NAXIS1 out of the product.
  const groups = axes[0] === 0 && header.get('GROUPS') === true;
  const dims = groups ? axes.slice(1) : axes;
  if (!groups && axes.some((n) => n === 0)) {
    const pcount = header.getNumber('PCOUNT') ?? 0;
    return pcount > 0 ? (Math.abs(bitpix) / 8) * pcount : 0;
  }
  const product = dims.reduce((a, b) => a * b, 1);
  const pcount = header.getNumber('PCOUNT') ?? 0;
  const gcount = header.getNumber('GCOUNT') ?? 1;
  return (Math.abs(bitpix) / 8) * gcount * (pcount + product);
}
