// SHA-1 over short messages, in JavaScript: for UUID5 dataset IDs it is several times faster
// than node:crypto's createHash, whose per-call setup dominates for ~100-byte inputs.

const W = new Int32Array(80);

/** SHA-1 digest of bytes[0..length) into out[0..20). */
export function sha1Into(bytes: Uint8Array, length: number, out: Uint8Array): void {
  const paddedLength = (((length + 8) >> 6) + 1) << 6;
  const buf = paddedLength <= SCRATCH.length ? SCRATCH : new Uint8Array(paddedLength);
  buf.set(bytes.subarray(0, length));
  buf.fill(0, length, paddedLength);
  buf[length] = 0x80;
  const bitLength = length * 8;
  buf[paddedLength - 4] = (bitLength >>> 24) & 0xff;
  buf[paddedLength - 3] = (bitLength >>> 16) & 0xff;
  buf[paddedLength - 2] = (bitLength >>> 8) & 0xff;
  buf[paddedLength - 1] = bitLength & 0xff;
  buf[paddedLength - 5] = Math.floor(bitLength / 2 ** 32) & 0xff;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < paddedLength; off += 64) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      W[i] = (buf[j] << 24) | (buf[j + 1] << 16) | (buf[j + 2] << 8) | buf[j + 3];
    }
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3] ^ W[i - 8] ^ W[i - 14] ^ W[i - 16];
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + W[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  const hs = [h0, h1, h2, h3, h4];
  for (let i = 0; i < 5; i++) {
    out[i * 4] = (hs[i] >>> 24) & 0xff;
    out[i * 4 + 1] = (hs[i] >>> 16) & 0xff;
    out[i * 4 + 2] = (hs[i] >>> 8) & 0xff;
    out[i * 4 + 3] = hs[i] & 0xff;
  }
}

const SCRATCH = new Uint8Array(1024);
