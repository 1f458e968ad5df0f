// Which pixels statistics look at: all of them, or only some rectangles (e.g. a raw's data sections, so that
// overscan and prescan do not drag the display limits). Stored as runs of consecutive indices so the hot loops
// in limits/histogram stay simple typed-array loops.

export type Pixels = Float32Array | Float64Array;

/** A 0-based, inclusive pixel rectangle in array coordinates (x = column, y = row). */
export interface PixelRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PixelSelection {
  readonly data: Pixels;
  /** Pairs [start, end) of flat indices, in increasing (row-major) order. */
  readonly runs: Int32Array;
}

export function selectAll(data: Pixels): PixelSelection {
  return { data, runs: Int32Array.of(0, data.length) };
}

/**
 * Selects the union of `rects` (clipped to the image), visited in row-major order like numpy's `data[mask]`.
 * Throws when no rectangle overlaps the image, naming the image size.
 */
export function selectRects(data: Pixels, width: number, height: number, rects: readonly PixelRect[]): PixelSelection {
  if (data.length !== width * height) throw new Error(`pixel array has ${data.length} values, expected ${width}×${height}`);
  const runs: number[] = [];
  for (let y = 0; y < height; y++) {
    const spans: Array<[number, number]> = [];
    for (const r of rects) {
      if (y < r.y0 || y > r.y1) continue;
      const a = Math.max(0, r.x0);
      const b = Math.min(width - 1, r.x1);
      if (a <= b) spans.push([a, b + 1]);
    }
    if (spans.length === 0) continue;
    spans.sort((p, q) => p[0] - q[0]);
    let [s, e] = spans[0];
    for (let k = 1; k < spans.length; k++) {
      if (spans[k][0] <= e) e = Math.max(e, spans[k][1]);
      else { runs.push(y * width + s, y * width + e); [s, e] = spans[k]; }
    }
    runs.push(y * width + s, y * width + e);
  }
  if (runs.length === 0) throw new Error(`none of the statistics regions overlaps the ${width}×${height} image`);
  return { data, runs: Int32Array.from(runs) };
}

export interface FiniteSummary {
  count: number;
  min: number;
  max: number;
}

/** Count, minimum and maximum of the finite selected values (min/max are NaN when count is 0). */
export function summarizeFinite(sel: PixelSelection): FiniteSummary {
  const { data, runs } = sel;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r + 1];
    for (let i = runs[r]; i < end; i++) {
      const v = data[i];
      // v - v is NaN for NaN and ±Infinity: one comparison rejects every non-finite value.
      if (v - v !== 0) continue;
      count++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return count === 0 ? { count, min: NaN, max: NaN } : { count, min, max };
}

/** Number of finite selected values (cheaper than summarizeFinite when min/max are not needed). */
export function countFinite(sel: PixelSelection): number {
  const { data, runs } = sel;
  let bad = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r + 1];
    for (let i = runs[r]; i < end; i++) {
      const v = data[i];
      if (v - v !== 0) bad++;
    }
  }
  return selectedCount(sel) - bad;
}

/** Number of selected pixels (finite or not). */
export function selectedCount(sel: PixelSelection): number {
  let n = 0;
  for (let r = 0; r < sel.runs.length; r += 2) n += sel.runs[r + 1] - sel.runs[r];
  return n;
}

/** Every `stride`-th finite selected value (the 0th, stride-th, …), at most `limit` of them, as float64. */
export function sampleFinite(sel: PixelSelection, count: number, stride: number, limit: number): Float64Array {
  const out = new Float64Array(Math.min(limit, Math.ceil(count / stride)));
  const { data, runs } = sel;
  if (count === selectedCount(sel)) {
    // Every selected value is finite: jump straight to the sampled positions instead of visiting all pixels.
    let r = 0;
    let before = 0; // selected pixels in the runs before run r
    for (let n = 0; n < out.length; n++) {
      const pos = n * stride;
      while (pos >= before + (runs[r + 1] - runs[r])) { before += runs[r + 1] - runs[r]; r += 2; }
      out[n] = data[runs[r] + (pos - before)];
    }
    return out;
  }
  let seen = 0;
  let next = 0; // the rank of the next finite value to keep
  let n = 0;
  for (let r = 0; r < runs.length && n < out.length; r += 2) {
    const end = runs[r + 1];
    for (let i = runs[r]; i < end; i++) {
      const v = data[i];
      if (v - v !== 0) continue;
      if (seen === next) {
        out[n++] = v;
        if (n === out.length) break;
        next += stride;
      }
      seen++;
    }
  }
  return out;
}
