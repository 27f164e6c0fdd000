// Linear predictor base + Z b over the observations (port of src/backend/js/predictor.ts;
// contract: PredictorKernels in src/backend/kernels.ts). Byte pointers; never allocates.

import { ld, ldi } from './mem';

export function addRandomEffects(
  n: i32,
  v1: i32,
  refs1: usize,
  z1: usize,
  nTail: i32,
  tailRow: usize,
  tailV: usize,
  zTail: usize,
  sumVt: i32,
  b1: usize,
  bTail: usize,
  base: usize,
  out: usize,
): void {
  for (let i = 0; i < n; i++) {
    let s = ld(base, i);
    const bb = b1 + ((<usize>(ldi(refs1, i) * v1)) << 3);
    const zb = z1 + ((<usize>(i * v1)) << 3);
    for (let c = 0; c < v1; c++) s += ld(zb, c) * ld(bb, c);
    let zt = i * sumVt;
    for (let k = 0; k < nTail; k++) {
      const row = bTail + ((<usize>ldi(tailRow, i * nTail + k)) << 3);
      const v = ldi(tailV, k);
      for (let c = 0; c < v; c++) s += ld(zTail, zt++) * ld(row, c);
    }
    store<f64>(out + ((<usize>i) << 3), s);
  }
}

/** out[i] := base[i] + x[i, ·] β for row-major n×p x; base == 0 means no base. */
export function fixedPredictor(
  n: i32,
  p: i32,
  x: usize,
  beta: usize,
  base: usize,
  out: usize,
): void {
  for (let i = 0; i < n; i++) {
    let s = base == 0 ? 0.0 : ld(base, i);
    const xb = x + ((<usize>(i * p)) << 3);
    for (let j = 0; j < p; j++) s += ld(xb, j) * ld(beta, j);
    store<f64>(out + ((<usize>i) << 3), s);
  }
}
