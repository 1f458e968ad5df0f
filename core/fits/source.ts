// Where FITS bytes come from: a file read through a handle at computed offsets (never the whole
// file), or a buffer already in memory. Reads return fresh 8-byte-aligned buffers that the
// caller may modify (pixel decoding swaps bytes in place).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { alignedBytes, uninitializedBytes } from './pixels.js';

export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /** Bytes read so far (to check that random access reads only what it needs). */
  readonly bytesRead: number;
  /** Reads up to `length` bytes at `offset` (fewer only at end of file). */
  read(offset: number, length: number): Uint8Array;
  /** Reads exactly `into.length` bytes at `offset` into a caller's buffer; returns the count read. */
  readInto(offset: number, into: Uint8Array): number;
  close(): void;
}

export class FileSource implements ByteSource {
  readonly name: string;
  readonly size: number;
  bytesRead = 0;
  private fd: number | undefined;

  constructor(path: string) {
    this.name = path;
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    // Not zeroed first: the read overwrites it; a short read (the file shrank) zeroes the rest.
    const out = uninitializedBytes(n);
    const done = this.readInto(offset, out);
    if (done === n) return out;
    out.fill(0, done);
    return out.subarray(0, done);
  }

  readInto(offset: number, into: Uint8Array): number {
    if (this.fd === undefined) throw new Error(`${this.name}: file is closed`);
    const n = Math.max(0, Math.min(into.length, this.size - offset));
    let done = 0;
    while (done < n) {
      const got = readSync(this.fd, into, done, n - done, offset + done);
      if (got === 0) break;
      done += got;
    }
    this.bytesRead += done;
    return done;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export class MemorySource implements ByteSource {
  readonly name: string;
  readonly size: number;
  bytesRead = 0;

  constructor(private readonly bytes: Uint8Array, name = '<memory>') {
    this.name = name;
    this.size = bytes.byteLength;
  }

  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const out = alignedBytes(n);
    out.set(this.bytes.subarray(offset, offset + n));
    this.bytesRead += n;
    return out;
  }

  readInto(offset: number, into: Uint8Array): number {
    const n = Math.max(0, Math.min(into.length, this.size - offset));
    into.set(this.bytes.subarray(offset, offset + n));
    this.bytesRead += n;
    return n;
  }

  close(): void {}
}
