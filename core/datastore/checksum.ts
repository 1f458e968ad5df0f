// File checksums as daf_butler records them: blake2b (512-bit) hex digests, read in 64 KiB blocks.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export function checksumBytes(bytes: Uint8Array): string {
  return createHash('blake2b512').update(bytes).digest('hex');
}

export function checksumFile(path: string): string {
  const hash = createHash('blake2b512');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 16);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
