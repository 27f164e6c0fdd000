/** Covariance of the fixed effects: scale² · (R_X R_Xᵀ)⁻¹ from the fixed-effects block of L. */
import type { MixedSystem } from './system';

export function fixedEffectsCovariance(sys: MixedSystem, scale: number): number[][] {
  const { lay, off, backend } = sys;
  const { p, qt, t } = lay;
  if (p === 0) return [];
  const rx = off.rx;
  let f = backend.heap.f64;
  f.fill(0, rx, rx + p * p);
  for (let j = 0; j < p; j++) {
    const src = off.l22 + (qt + j) * t + qt;
    f.copyWithin(rx + j * p + j, src + j, src + p);
  }
  backend.kernels.trtriLower(p, rx, p);
  f = backend.heap.f64;
  const out: number[][] = [];
  for (let i = 0; i < p; i++) {
    out.push(new Array<number>(p));
    for (let j = 0; j < p; j++) {
      // (R⁻ᵀ R⁻¹)[i, j] = Σ_k R⁻¹[k, i] R⁻¹[k, j], k ≥ max(i, j)
      let s = 0;
      for (let k = Math.max(i, j); k < p; k++) s += f[rx + k + i * p] * f[rx + k + j * p];
      out[i][j] = scale * scale * s;
    }
  }
  return out;
}
