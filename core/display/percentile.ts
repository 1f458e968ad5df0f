// Exact percentiles as numpy.percentile (default "linear" method) computes them, without sorting millions of
// pixels: one histogram pass finds the bin holding each wanted rank, a second pass gathers only those bins.

import { summarizeFinite, type FiniteSummary, type PixelSelection } from './selection.js';

const RANK_BINS = 65536;
const SORT_DIRECTLY_BELOW = 262_144;

/** The values of rank `ranks[k]` (0-based, ascending order) among the finite selected values. */
export function valuesAtRanks(sel: PixelSelection, ranks: readonly number[], summary: FiniteSummary = summarizeFinite(sel)): number[] {
  const { count, min, max } = summary;
  for (const r of ranks) if (!(r >= 0 && r < count && Number.isInteger(r))) throw new Error(`rank ${r} is outside 0…${count - 1}`);
  if (min === max) return ranks.map(() => min);
  if (count < SORT_DIRECTLY_BELOW) {
    const all = gather(sel, () => true, count);
    all.sort();
    return ranks.map((r) => all[r]);
  }
  const { data, runs } = sel;
  const scale = RANK_BINS / (max - min);
  const last = RANK_BINS - 1;
  const counts = new Uint32Array(RANK_BINS);
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r + 1];
    for (let i = runs[r]; i < end; i++) {
      const v = data[i];
      if (v - v !== 0) continue;
      const b = ((v - min) * scale) | 0;
      counts[b > last ? last : b]++;
    }
  }
  // For each rank: its bin and its rank inside that bin.
  const cumulativeBefore = new Float64Array(RANK_BINS);
  let acc = 0;
  for (let b = 0; b < RANK_BINS; b++) { cumulativeBefore[b] = acc; acc += counts[b]; }
  const binOfRank = ranks.map((r) => {
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cumulativeBefore[mid] <= r) lo = mid; else hi = mid - 1;
    }
    return lo;
  });
  // Second pass: copy out only the values of the wanted bins (slot[b] ≥ 0 marks one).
  const slot = new Int32Array(RANK_BINS).fill(-1);
  const bins: number[] = [];
  for (const b of binOfRank) if (slot[b] < 0) { slot[b] = bins.length; bins.push(b); }
  const stores = bins.map((b) => new Float64Array(counts[b]));
  const fill = new Int32Array(bins.length);
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r + 1];
    for (let i = runs[r]; i < end; i++) {
      const v = data[i];
      if (v - v !== 0) continue;
      let b = ((v - min) * scale) | 0;
      if (b > last) b = last;
      const k = slot[b];
      if (k < 0) continue;
      stores[k][fill[k]++] = v;
    }
  }
  for (const arr of stores) arr.sort();
  return ranks.map((r, k) => {
    const b = binOfRank[k];
    return stores[slot[b]][r - cumulativeBefore[b]];
  });
}

function gather(sel: PixelSelection, keep: (v: number) => boolean, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  let n = 0;
  const { data, runs } = sel;
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r + 1];
    for (let i = runs[r]; i < end; i++) {
      const v = data[i];
      if (v - v === 0 && keep(v)) out[n++] = v;
    }
  }
  return out.subarray(0, n);
}

/** numpy.percentile(values, qs) with the default linear interpolation, over the finite selected values. */
export function percentiles(sel: PixelSelection, qs: readonly number[], summary: FiniteSummary = summarizeFinite(sel)): number[] {
  if (summary.count === 0) throw new Error('percentile: the image has no finite pixel value');
  for (const q of qs) if (!(q >= 0 && q <= 100)) throw new Error(`percentile ${q} is outside 0…100`);
  const n = summary.count;
  const idx = qs.map((q) => (n - 1) * (q / 100));
  const ranks = new Set<number>();
  for (const v of idx) { ranks.add(Math.floor(v)); ranks.add(Math.min(n - 1, Math.floor(v) + 1)); }
  const rankList = [...ranks];
  const values = valuesAtRanks(sel, rankList, summary);
  const at = new Map(rankList.map((r, k) => [r, values[k]]));
  return idx.map((v) => {
    const prev = Math.floor(v);
    const a = at.get(prev) as number;
    const b = at.get(Math.min(n - 1, prev + 1)) as number;
    const t = v - prev;
    // numpy's _lerp: interpolate from the nearer end so that t = 1 gives b exactly.
    const diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  });
}

/** astropy PercentileInterval(p): keep the central p % of the pixels → (p_low, p_high) with p_low = (100 − p)/2. */
export function percentileInterval(sel: PixelSelection, percent: number, summary?: FiniteSummary): [number, number] {
  if (!(percent > 0 && percent <= 100)) throw new Error(`percentile interval ${percent} must be in (0, 100]`);
  const lower = (100 - percent) / 2;
  const [lo, hi] = percentiles(sel, [lower, 100 - lower], summary);
  return [lo, hi];
}
