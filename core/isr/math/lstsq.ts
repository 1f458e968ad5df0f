// Linear least squares min ‖A c − b‖ by Householder QR in double (afw LeastSquares DIRECT_SVD and
// numpy lstsq give the same solution for full-rank problems).

/** `columns[k][i]` is A[i][k]; returns c. */
export function leastSquares(columns: readonly ArrayLike<number>[], b: ArrayLike<number>): Float64Array {
  const m = columns.length;
  const n = b.length;
  if (m === 0) return new Float64Array(0);
  if (n < m) throw new Error(`least squares: ${m} unknowns need at least ${m} equations, got ${n}`);
  const a = new Float64Array(n * m);
  for (let k = 0; k < m; k++) {
    if (columns[k].length !== n) throw new Error(`least squares: column ${k} has ${columns[k].length} rows, expected ${n}`);
    for (let i = 0; i < n; i++) a[k * n + i] = columns[k][i];
  }
  return householderSolve(a, n, m, Float64Array.from(b), 'least squares');
}

/**
 * Solves min ‖A c − b‖ for a column-major n × m matrix `a` (a[k·n + i] = A[i][k]) by Householder QR in
 * double. Both `a` and `b` are overwritten. `label` starts the error message.
 */
export function householderSolve(a: Float64Array, n: number, m: number, b: Float64Array, label: string): Float64Array {
  const rdiag = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm = Math.hypot(norm, a[k * n + i]);
    if (norm === 0) throw new Error(`${label}: design matrix is rank deficient (column ${k})`);
    if (a[k * n + k] < 0) norm = -norm;
    for (let i = k; i < n; i++) a[k * n + i] /= norm;
    a[k * n + k] += 1;
    for (let j = k + 1; j < m; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += a[k * n + i] * a[j * n + i];
      s = -s / a[k * n + k];
      for (let i = k; i < n; i++) a[j * n + i] += s * a[k * n + i];
    }
    let s = 0;
    for (let i = k; i < n; i++) s += a[k * n + i] * b[i];
    s = -s / a[k * n + k];
    for (let i = k; i < n; i++) b[i] += s * a[k * n + i];
    rdiag[k] = -norm;
  }
  const c = new Float64Array(m);
  for (let k = m - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < m; j++) s -= a[j * n + k] * c[j];
    c[k] = s / rdiag[k];
  }
  return c;
}
