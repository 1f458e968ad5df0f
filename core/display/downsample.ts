// Block-averaged overview of a big image (like DS9's "block"): every output pixel is the mean of the finite
// pixels in its factor×factor block (NaN when the block has none), so a 2112×4644 CCD fits a small panel
// without aliasing away faint structure.

export interface Downsampled {
  data: Float32Array;
  width: number;
  height: number;
  factor: number;
}

/** The smallest integer block factor that makes the image fit within maxWidth × maxHeight. */
export function overviewFactor(width: number, height: number, maxWidth: number, maxHeight: number): number {
  return Math.max(1, Math.ceil(width / maxWidth), Math.ceil(height / maxHeight));
}

export function blockAverage(data: ArrayLike<number>, width: number, height: number, factor: number): Downsampled {
  if (!(Number.isInteger(factor) && factor >= 1)) throw new Error(`block factor must be an integer ≥ 1, got ${factor}`);
  if (data.length !== width * height) throw new Error(`pixel array has ${data.length} values, expected ${width}×${height}`);
  const w = Math.ceil(width / factor);
  const h = Math.ceil(height / factor);
  const sums = new Float64Array(w * h);
  const counts = new Uint32Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / factor) * w;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      const v = data[base + x];
      if (v - v !== 0) continue;
      const o = row + Math.floor(x / factor);
      sums[o] += v;
      counts[o]++;
    }
  }
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = counts[i] > 0 ? sums[i] / counts[i] : NaN;
  return { data: out, width: w, height: h, factor };
}
