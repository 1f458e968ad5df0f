// DATASUM and CHECKSUM (FITS 4.0 Appendix J): the 32-bit ones'-complement sum of the big-endian
// words of the data (DATASUM) and of the whole HDU, encoded as 16 ASCII characters so that the
// HDU sums to −0 (all ones) once the CHECKSUM card is in place.
import type { Header } from './header.js';

/** Ones'-complement sum of big-endian 32-bit words; `bytes.length` must be a multiple of 4. */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  // Sum each byte lane separately (no carries are lost in doubles up to 2^53), fold at the end.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = bytes.length - (bytes.length % 4);
  if (bytes.byteOffset % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, n / 4);
    const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      s0 += w & 0xff;
      s1 += (w >>> 8) & 0xff;
      s2 += (w >>> 16) & 0xff;
      s3 += w >>> 24;
    }
    if (!little) [s0, s1, s2, s3] = [s3, s2, s1, s0];
  } else {
    for (let i = 0; i < n; i += 4) {
      s0 += bytes[i];
      s1 += bytes[i + 1];
      s2 += bytes[i + 2];
      s3 += bytes[i + 3];
    }
  }
  // In big-endian order byte 0 is the most significant: hi half = b0·256 + b1, lo half = b2·256 + b3.
  let hi = s0 * 256 + s1 + Math.floor(initial / 65536);
  let lo = s2 * 256 + s3 + (initial % 65536);
  while (hi > 0xffff || lo > 0xffff) {
    const hiCarry = Math.floor(hi / 65536);
    const loCarry = Math.floor(lo / 65536);
    hi = (hi % 65536) + loCarry;
    lo = (lo % 65536) + hiCarry;
  }
  return hi * 65536 + lo;
}

const EXCLUDED = new Set([0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60]);

/** Encodes a 32-bit sum as the standard's 16 printable characters (alphanumerics only). */
export function encodeChecksum(sum: number): string {
  const asc = new Array<number>(16).fill(0);
  for (let i = 0; i < 4; i++) {
    const byte = Math.floor(sum / 2 ** (24 - 8 * i)) & 0xff;
    const quotient = Math.floor(byte / 4) + 0x30;
    const remainder = byte % 4;
    const ch = [quotient + remainder, quotient, quotient, quotient];
    let changed = true;
    while (changed) {
      changed = false;
      for (let j = 0; j < 4; j += 2) {
        if (EXCLUDED.has(ch[j]) || EXCLUDED.has(ch[j + 1])) {
          ch[j]++;
          ch[j + 1]--;
          changed = true;
        }
      }
    }
    for (let j = 0; j < 4; j++) asc[4 * j + i] = ch[j];
  }
  // The standard rotates the string one character to the right so it aligns with word boundaries.
  const rotated = [asc[15], ...asc.slice(0, 15)];
  return String.fromCharCode(...rotated);
}

export function complement32(x: number): number {
  return 0xffffffff - x;
}

export type ChecksumState = 'ok' | 'bad' | 'absent';

export interface ChecksumStatus {
  datasum: ChecksumState;
  checksum: ChecksumState;
  /** The data sum we computed (decimal, as DATASUM stores it). */
  computedDatasum: string;
}

/** Checks DATASUM against the data and CHECKSUM against the whole HDU (header bytes as stored + padded data). */
export function verifyChecksums(header: Header, headerBytes: Uint8Array, paddedData: Uint8Array): ChecksumStatus {
  const dataSum = onesComplementSum(paddedData);
  const storedDatasum = header.get('DATASUM');
  let datasum: ChecksumState = 'absent';
  if (storedDatasum !== undefined) datasum = String(storedDatasum).trim() === String(dataSum) ? 'ok' : 'bad';
  let checksum: ChecksumState = 'absent';
  if (header.has('CHECKSUM')) {
    const total = onesComplementSum(headerBytes, dataSum);
    checksum = total === 0xffffffff ? 'ok' : 'bad';
  }
  return { datasum, checksum, computedDatasum: String(dataSum) };
}
