// The fixed part of the linear predictor (GlmKernels' fixedPredictor in src/backend/kernels.ts;
// the random part is systemAddRandomEffects). Byte pointers; never allocates.

import { ld } from './mem';

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
