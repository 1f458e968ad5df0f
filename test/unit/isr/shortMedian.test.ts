import { describe, expect, it } from 'vitest';
import { sortedMedian } from '../../../core/isr/overscan.js';
import { medianInPlace } from '../../../core/isr/stats.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('short-line median (per-row overscan)', () => {
  const rand = lcg(7);
  const cases: Array<[string, () => number]> = [
    ['positive integers with ties (counted)', () => 1000 + Math.floor(rand() * 12)],
    ['positive integers spanning more than 1024 (selected)', () => 1 + Math.floor(rand() * 5000)],
    ['non-integers (selected)', () => 1000 + rand() * 30],
    ['integers around zero (selected)', () => Math.floor(rand() * 20) - 10],
  ];
  it.each(cases)('equals medianInPlace bit for bit: %s', (_name, draw) => {
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + (trial % 64);
      const values = Float64Array.from({ length: n }, draw);
      const expected = medianInPlace(Float64Array.from(values));
      expect(Object.is(sortedMedian(Float64Array.from(values)), expected)).toBe(true);
      // Only the first n of a longer buffer count.
      const padded = new Float64Array(n + 5).fill(1e9);
      padded.set(values);
      expect(Object.is(sortedMedian(padded, n), expected)).toBe(true);
    }
  });
});
