// Generates the WebAssembly text of `medians32`, spliced into fusedFinal.wat by assemble-wasm.mjs:
// the two middle order statistics (ranks 15 and 16) of 32 values per row, for four rows at once
// (one row per SIMD lane), by Batcher's odd-even merge sorting network pruned to those two outputs.
// Values must be positive and finite (callers check): their bit patterns then order as signed
// integers, so each comparator is one i32x4.min_s and one i32x4.max_s.

/** Batcher's odd-even merge sort comparators for indices lo..hi (inclusive). */
function* sortRange(lo, hi) {
  if (hi - lo < 1) return;
  const mid = lo + Math.floor((hi - lo) / 2);
  yield* sortRange(lo, mid);
  yield* sortRange(mid + 1, hi);
  yield* merge(lo, hi, 1);
}
function* merge(lo, hi, r) {
  const step = r * 2;
  if (step < hi - lo) {
    yield* merge(lo, hi, step);
    yield* merge(lo + r, hi, step);
    for (let i = lo + r; i < hi - r; i += step) yield [i, i + r];
  } else yield [lo, lo + r];
}

const N = 32;
const OUT = [15, 16];

/** The comparators that can still move a value into an output position, in order. */
export function medianComparators() {
  const all = [...sortRange(0, N - 1)];
  const need = new Set(OUT);
  const kept = [];
  for (let c = all.length - 1; c >= 0; c--) {
    const [i, j] = all[c];
    if (need.has(i) || need.has(j)) {
      kept.push(all[c]);
      need.add(i);
      need.add(j);
    }
  }
  return kept.reverse();
}

/** medians32(src, stride, rows, lo, hi): rows % 4 == 0; row y's 32 values at src + y·stride; ranks 15/16 → lo[y], hi[y] (float32). */
export function medians32Wat() {
  const L = [];
  const locals = Array.from({ length: N }, (_, i) => `(local $v${i} v128)`).join(' ');
  L.push('  (func (export "medians32") (param $src i32) (param $stride i32) (param $rows i32) (param $lo i32) (param $hi i32)');
  L.push(`    (local $y i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $t v128) ${locals}`);
  L.push('    (block $done');
  L.push('      (loop $next');
  L.push('        (br_if $done (i32.ge_u (local.get $y) (local.get $rows)))');
  L.push('        (local.set $r0 (i32.add (local.get $src) (i32.mul (local.get $y) (local.get $stride))))');
  L.push('        (local.set $r1 (i32.add (local.get $r0) (local.get $stride)))');
  L.push('        (local.set $r2 (i32.add (local.get $r1) (local.get $stride)))');
  L.push('        (local.set $r3 (i32.add (local.get $r2) (local.get $stride)))');
  for (let c = 0; c < N; c++) {
    // Column c of the four rows into one vector: lane l holds row y + l.
    L.push(`        (local.set $v${c} (v128.load32_zero offset=${4 * c} (local.get $r0)))`);
    for (let l = 1; l < 4; l++) L.push(`        (local.set $v${c} (v128.load32_lane offset=${4 * c} ${l} (local.get $r${l}) (local.get $v${c})))`);
  }
  for (const [i, j] of medianComparators()) {
    L.push(`        (local.set $t (local.get $v${i}))`);
    L.push(`        (local.set $v${i} (i32x4.min_s (local.get $t) (local.get $v${j})))`);
    L.push(`        (local.set $v${j} (i32x4.max_s (local.get $t) (local.get $v${j})))`);
  }
  L.push(`        (v128.store (i32.add (local.get $lo) (i32.shl (local.get $y) (i32.const 2))) (local.get $v${OUT[0]}))`);
  L.push(`        (v128.store (i32.add (local.get $hi) (i32.shl (local.get $y) (i32.const 2))) (local.get $v${OUT[1]}))`);
  L.push('        (local.set $y (i32.add (local.get $y) (i32.const 4)))');
  L.push('        (br $next)))');
  L.push('  )');
  return L.join('\n');
}
