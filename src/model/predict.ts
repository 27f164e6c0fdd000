/** Linear predictors on the model's rows: offset + X β (+ Σ_k Z_k b_k). */
import type { BlockLayout } from './layout';

/** X is column-major n×p; b is in layout order for the blocks of `lay` (their Z columns). */
export function linearPredictor(
  X: Float64Array,
  n: number,
  beta: ArrayLike<number>,
  offset: Float64Array | null,
  lay: BlockLayout,
  b: Float64Array,
): Float64Array {
  const eta = fixedPredictor(X, n, beta, offset);
  let off = 0;
  for (const blk of lay.blocks) {
    const v = blk.v;
    for (let i = 0; i < n; i++) {
      const base = off + blk.refs[i] * v;
      let s = 0;
      for (let c = 0; c < v; c++) s += blk.z[i * v + c] * b[base + c];
      eta[i] += s;
    }
    off += blk.nl * v;
  }
  return eta;
}

/** offset + X β for a column-major n×p X. */
export function fixedPredictor(
  X: Float64Array,
  n: number,
  beta: ArrayLike<number>,
  offset: Float64Array | null,
): Float64Array {
  const eta = new Float64Array(n);
  for (let j = 0; j < beta.length; j++) {
    const bj = beta[j];
    for (let i = 0; i < n; i++) eta[i] += X[i + j * n] * bj;
  }
  if (offset) for (let i = 0; i < n; i++) eta[i] += offset[i];
  return eta;
}
