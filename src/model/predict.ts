/** Linear predictor on the training rows: offset + X β + Σ_k Z_k b_k (one pass over the rows). */
import type { ModelFrame } from '../frame/types';
import type { BlockLayout } from './layout';

export function linearPredictor(
  frame: ModelFrame,
  lay: BlockLayout,
  beta: ArrayLike<number>,
  b: Float64Array,
): Float64Array {
  const { n, X, offset } = frame;
  const p = beta.length;
  const eta = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const bj = beta[j];
    for (let i = 0; i < n; i++) eta[i] += X[i + j * n] * bj;
  }
  if (offset) for (let i = 0; i < n; i++) eta[i] += offset[i];
  let off = 0;
  for (const blk of [lay.first, ...lay.tailBlocks]) {
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
