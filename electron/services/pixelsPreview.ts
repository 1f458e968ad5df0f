// The first frame of an uncompressed 8/16-bit integer raw without decoding the whole HDU: the subsampled preview and
// the zscale limits read straight from the stored big-endian bytes. Integer pixels without BLANK are all
// finite, so astropy's zscale sample (every stride-th value of the selection) sits at known positions; with
// BSCALE = 1 the physical value is stored + BZERO exactly, as the full decode gives it. Anything else (floats,
// BLANK, scaled or compressed data) returns null and goes through the full decode.
import type { FitsFile, HduInfo } from '../../core/fits/fits-file.js';
import { scalingOf } from '../../core/fits/pixels.js';
import { zscaleOfSortedSamples } from '../../core/display/zscale.js';
import type { PixelRect } from '../../core/display/selection.js';

export interface DirectPreview {
  data: Float32Array;
  width: number;
  height: number;
  zscale: [number, number];
}

function reader(view: DataView, bitpix: number): ((i: number) => number) | null {
  switch (bitpix) {
    case 8: return (i) => view.getUint8(i);
    case 16: return (i) => view.getInt16(i * 2);
    default: return null;
  }
}

/** Preview (every `sample`-th pixel) and zscale over `regions` (null: whole image), or null when not applicable. */
export function directPreview(file: FitsFile, h: HduInfo, sample: number, regions: PixelRect[] | null): DirectPreview | null {
  if (h.kind !== 'image' || h.truncated || h.axes.length < 2) return null;
  const scaling = scalingOf(h.header, h.bitpix);
  // 8- and 16-bit integers (plus an integer BZERO) are exact in float32, so these values equal the decoded ones.
  if (scaling.blank !== undefined || scaling.bscale !== 1 || !Number.isInteger(scaling.bzero) || Math.abs(scaling.bzero) > 2 ** 23) return null;
  const bytes = file.readData(h);
  const read = reader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), h.bitpix);
  if (!read) return null;
  const [width, height] = h.axes;
  const bzero = scaling.bzero;

  const pw = Math.ceil(width / sample);
  const ph = Math.ceil(height / sample);
  const data = new Float32Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    const row = y * sample * width;
    for (let x = 0; x < pw; x++) data[y * pw + x] = read(row + x * sample) + bzero;
  }

  // The selection as row runs, in row-major order (as numpy's data[mask] flattens).
  const runs: number[] = [];
  const rects = regions ?? [{ x0: 0, y0: 0, x1: width - 1, y1: height - 1 }];
  for (let y = 0; y < height; y++) {
    const spans = rects.filter((r) => y >= r.y0 && y <= r.y1).map((r) => [Math.max(0, r.x0), Math.min(width - 1, r.x1) + 1] as [number, number]).filter(([a, b]) => a < b);
    spans.sort((p, q) => p[0] - q[0]);
    let cur: [number, number] | null = null;
    for (const s of spans) {
      if (cur && s[0] <= cur[1]) cur[1] = Math.max(cur[1], s[1]);
      else { if (cur) runs.push(y * width + cur[0], y * width + cur[1]); cur = [s[0], s[1]]; }
    }
    if (cur) runs.push(y * width + cur[0], y * width + cur[1]);
  }
  let count = 0;
  for (let r = 0; r < runs.length; r += 2) count += runs[r + 1] - runs[r];
  if (count === 0) return null;
  const nSamples = 1000;
  const stride = Math.trunc(Math.max(1.0, count / nSamples));
  const samples = new Float64Array(Math.min(nSamples, Math.ceil(count / stride)));
  let r = 0;
  let before = 0;
  for (let n = 0; n < samples.length; n++) {
    const pos = n * stride;
    while (pos >= before + (runs[r + 1] - runs[r])) { before += runs[r + 1] - runs[r]; r += 2; }
    samples[n] = read(runs[r] + (pos - before)) + bzero;
  }
  samples.sort();
  // The full decode gives float32 pixels: the median of an even sample is averaged in float32, as numpy does.
  return { data, width: pw, height: ph, zscale: zscaleOfSortedSamples(samples, {}, true) };
}
