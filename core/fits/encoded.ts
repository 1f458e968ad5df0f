// An HDU ready to write: its final header and its data, produced in chunks so large images can be
// written through one small reused buffer.
import type { Header } from './header.js';

/** One HDU ready to write: its final header and its unpadded data, produced in chunks. */
export interface EncodedHdu {
  header: Header;
  /** Data size in bytes (without padding). */
  size: number;
  /** The data bytes in order; each chunk is valid only until the next one is requested. */
  chunks(): Iterable<Uint8Array>;
}

export function bytesHdu(header: Header, data: Uint8Array): EncodedHdu {
  return { header, size: data.length, chunks: () => [data] };
}

/** The whole (unpadded) data of an encoded HDU in one buffer. */
export function dataOf(hdu: EncodedHdu): Uint8Array {
  const out = new Uint8Array(hdu.size);
  let at = 0;
  for (const chunk of hdu.chunks()) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
