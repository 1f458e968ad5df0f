// "Did you mean ...?" hints for misspelled collection, dataset type and identifier names.

/** Edit distance counting insertions, deletions, substitutions and adjacent transpositions as 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** ` (did you mean 'x'?)` for names within a small edit distance, or ''. */
export function suggest(name: string, known: Iterable<string>): string {
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const close = [...known].map((k) => [k, editDistance(k.toLowerCase(), name.toLowerCase())] as const)
    .filter(([, d]) => d <= limit).sort((x, y) => x[1] - y[1]).slice(0, 3).map(([k]) => `'${k}'`);
  return close.length > 0 ? ` (did you mean ${close.join(' or ')}?)` : '';
}
