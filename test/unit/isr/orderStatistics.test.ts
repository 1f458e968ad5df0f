import { describe, expect, it } from 'vitest';
import { medianInPlace, orderStatistics, quantileInPlace, quartilesInPlace } from '../../../core/isr/stats.js';
import { rng } from './synthetic.js';

/** numpy's linear-interpolation quantile, from a full sort. */
function sortedQuantile(sorted: Float64Array, q: number): number {
  const idx = q * (sorted.length - 1);
  const i = Math.floor(idx);
  return i + 1 >= sorted.length || idx === i ? sorted[i] : (i + 1 - idx) * sorted[i] + (idx - i) * sorted[i + 1];
}

describe('order statistics of large arrays (value buckets, then selection within them)', () => {
  const r = rng(17);
  const cases: Array<[string, Float64Array]> = [
    // A sky with noise, a few saturated stars and negative outliers: most buckets empty.
    ['sky with stars', Float64Array.from({ length: 200_003 }, () => (r() < 0.001 ? 65000 + r() : r() < 0.001 ? -500 * r() : 1000 + 30 * (r() + r() + r() - 1.5)))],
    // Heavy ties: few distinct values.
    ['integer ties', Float64Array.from({ length: 131_072 }, () => Math.floor(5 * r()))],
    // Everything in one bucket but one huge outlier.
    ['one far outlier', Float64Array.from({ length: 70_000 }, (_, i) => (i === 123 ? 1e300 : 1 + 1e-9 * r()))],
  ];
  it.each(cases)('gives exactly the sorted values: %s', (_name, a) => {
    const before = a.slice();
    const sorted = a.slice().sort();
    const ranks = [0, 1, a.length >> 2, (a.length - 1) >> 1, a.length >> 1, a.length - 2, a.length - 1];
    expect(orderStatistics(a, ranks)).toEqual(ranks.map((k) => sorted[k]));
    expect(a).toEqual(before); // not reordered
    for (const q of [0.25, 0.5, 0.75, 0.1]) expect(quantileInPlace(a.slice(), q)).toBe(sortedQuantile(sorted, q));
    expect(medianInPlace(a.slice())).toBe(sortedQuantile(sorted, 0.5));
    expect(quartilesInPlace(a.slice())).toEqual({ q1: sortedQuantile(sorted, 0.25), median: sortedQuantile(sorted, 0.5), q3: sortedQuantile(sorted, 0.75) });
  });

  it('gives all equal values back, and declines non-finite ones', () => {
    expect(orderStatistics(new Float64Array(70_000).fill(3), [0, 69_999])).toEqual([3, 3]);
    const withNaN = new Float64Array(70_000).fill(1);
    withNaN[5] = Infinity;
    expect(orderStatistics(withNaN, [0])).toBeUndefined();
  });
});
