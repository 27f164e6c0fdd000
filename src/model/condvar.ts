/**
 * Conditional variances of the spherical random effects, Var(u | y) / σ² = diagonal blocks of
 * (L_θ L_θᵀ)⁻¹, read off the blocked factor without forming the inverse of the whole q×q system.
 *
 * With L_θ = [L11 0; L21 L22]: the tail blocks are those of L22⁻ᵀ L22⁻¹, and level l of block 1
 * gets L11_l⁻ᵀ (I + W_lᵀ W_l) L11_l⁻¹ with W_l = L22⁻¹ L21[:, l] (only its random-effect rows).
 */
import type { MixedSystem } from './system';

/** Per block (layout order), nl·v·v values: the v×v conditional covariance of u for each level. */
export function conditionalVarU(sys: MixedSystem): Float64Array[] {
  const { lay, off, backend } = sys;
  const { first, tailBlocks, tailStart, qt, t } = lay;
  const h = backend.heap;
  const linv = off.linv;
  let f = h.f64;
  f.fill(0, linv, linv + qt * qt);
  for (let j = 0; j < qt; j++) {
    f.copyWithin(linv + j * qt + j, off.l22 + j * t + j, off.l22 + j * t + qt);
  }
  backend.kernels.trtriLower(qt, linv, qt);
  f = h.f64;
  const Li = f.subarray(linv, linv + qt * qt);

  const tailVar = tailBlocks.map((b, k) => {
    const out = new Float64Array(b.nl * b.v * b.v);
    for (let m = 0; m < b.nl; m++) {
      const r0 = tailStart[k] + m * b.v;
      for (let a = 0; a < b.v; a++) {
        for (let c = 0; c <= a; c++) {
          let s = 0;
          for (let i = r0 + a; i < qt; i++) s += Li[i + (r0 + a) * qt] * Li[i + (r0 + c) * qt];
          out[m * b.v * b.v + a + c * b.v] = s;
          out[m * b.v * b.v + c + a * b.v] = s;
        }
      }
    }
    return out;
  });

  const v1 = first.v;
  const firstVar = new Float64Array(first.nl * v1 * v1);
  const ix = h.i32;
  const w = new Float64Array(qt * v1);
  const m = new Float64Array(v1 * v1);
  const l11inv = new Float64Array(v1 * v1);
  for (let l = 0; l < first.nl; l++) {
    const r0 = ix[off.rowPtr + l];
    const len = ix[off.rowPtr + l + 1] - r0;
    const vb = off.l21 + r0 * v1;
    w.fill(0);
    let minRow = qt;
    for (let j = 0; j < len; j++) {
      const r = ix[off.rowIdx + r0 + j];
      if (r >= qt) break;
      minRow = Math.min(minRow, r);
      for (let c = 0; c < v1; c++) {
        const x = f[vb + j + c * len];
        if (x === 0) continue;
        for (let i = r; i < qt; i++) w[i + c * qt] += Li[i + r * qt] * x;
      }
    }
    for (let a = 0; a < v1; a++) {
      for (let c = 0; c <= a; c++) {
        let s = a === c ? 1 : 0;
        for (let i = minRow; i < qt; i++) s += w[i + a * qt] * w[i + c * qt];
        m[a + c * v1] = s;
        m[c + a * v1] = s;
      }
    }
    invertSmallLower(f, off.l11 + l * v1 * v1, v1, l11inv);
    // Var = L⁻ᵀ M L⁻¹
    for (let a = 0; a < v1; a++) {
      for (let c = 0; c < v1; c++) {
        let s = 0;
        for (let i = a; i < v1; i++) {
          for (let j = c; j < v1; j++) s += l11inv[i + a * v1] * m[i + j * v1] * l11inv[j + c * v1];
        }
        firstVar[l * v1 * v1 + a + c * v1] = s;
      }
    }
  }
  return [firstVar, ...tailVar];
}

/** Inverse of the small v×v lower-triangular matrix at f[off..] into out (column-major). */
function invertSmallLower(f: Float64Array, off: number, v: number, out: Float64Array): void {
  out.fill(0);
  for (let j = 0; j < v; j++) {
    out[j + j * v] = 1 / f[off + j + j * v];
    for (let i = j + 1; i < v; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += f[off + i + k * v] * out[k + j * v];
      out[i + j * v] = -s / f[off + i + i * v];
    }
  }
}
