// The FITS tile-compression random sequence (FITS 4.0 §10.2.2, cfitsio fits_init_randoms):
// 10,000 single-precision values from the Park–Miller generator, used to dither quantised floats.
export const N_RANDOM = 10000;

let table: Float32Array | undefined;

export function randomSequence(): Float32Array {
  if (table) return table;
  const a = 16807;
  const m = 2147483647;
  let seed = 1;
  table = new Float32Array(N_RANDOM);
  for (let i = 0; i < N_RANDOM; i++) {
    const temp = a * seed;
    seed = temp - m * Math.trunc(temp / m);
    table[i] = seed / m;
  }
  return table;
}

/** Where the dither sequence starts for a tile (1-based tile row number, ZDITHER0 seed). */
export function ditherStart(tileRow: number, seed: number): { iseed: number; nextrand: number } {
  const r = randomSequence();
  const iseed = (tileRow - 1 + seed - 1) % N_RANDOM;
  return { iseed, nextrand: Math.trunc(r[iseed] * 500) };
}
