/**
 * Kenward–Roger's data-dependent ingredients with DENSE q×q matrices (the small-q path): by
 * Woodbury M = σ⁻²(W − WZKZᵀW) with K = Λ(ΛᵀAΛ + I)⁻¹Λᵀ, A = ZᵀWZ, and every product and trace
 * reduces to A, B = ZᵀWX and XᵀWX:
 *   Zᵀ M X = σ⁻² (B − A K B),   Zᵀ M Z = σ⁻² (A − A K A),
 *   Zᵀ M W⁻¹ M · = σ⁻² (I − A K) Zᵀ M ·,  tr((M W⁻¹)²) = σ⁻⁴ (n − 2 tr(KA) + tr(KAKA)),
 *   Xᵀ M W⁻¹ M X = σ⁻⁴ (XᵀWX − 2 BᵀKB + BᵀKAKB).
 * O(q²) memory and O(q³) time; the sparse path (./kenwardroger-sparse) has the same results
 * without any q×q array and is the one used above 100 random effects (faster from ~150).
 */
import { FitError } from '../errors';
import { choleskyLower } from '../math/cholesky';
import {
  crossQp,
  crossXWX,
  forEachZRow,
  pAndQ,
  type KrContext,
  type KrIngredients,
} from './kr-context';
import type { Matrix } from './linalg';

export function krIngredientsDense(ctx: KrContext): KrIngredients {
  const { p, q, s2, Es, re, offs, Ts } = ctx;
  const at = (i: number, j: number): number => i * q + j;
  const zeros = (r: number, c: number): Matrix =>
    Array.from({ length: r }, () => new Array<number>(c).fill(0));

  // A = ZᵀWZ, B = ZᵀWX (q×p row-major), XᵀWX
  const A = new Float64Array(q * q);
  const B = new Float64Array(q * p);
  const { n, X } = ctx;
  forEachZRow(ctx, (i, idx, val, wi) => {
    for (let a = 0; a < idx.length; a++) {
      const ra = idx[a] * q;
      const wa = val[a] * wi;
      for (let c = 0; c < idx.length; c++) A[ra + idx[c]] += wa * val[c];
      for (let k = 0; k < p; k++) B[idx[a] * p + k] += wa * X[i + k * n];
    }
  });
  const XtX = crossXWX(ctx);

  // Λᵀ as sparse rows: for column j of Λ (= row j of Λᵀ) the entries (k, Λ[k,j])
  const lamCols: { k: number[]; v: number[] }[] = new Array(q);
  re.blocks.forEach((b, bi) => {
    const t = Ts[bi];
    for (let l = 0; l < b.nl; l++) {
      const base = offs[bi] + l * b.v;
      for (let c = 0; c < b.v; c++) {
        const ks: number[] = [];
        const vs: number[] = [];
        for (let r = c; r < b.v; r++) {
          const x = t[r + c * b.v];
          if (x !== 0) {
            ks.push(base + r);
            vs.push(x);
          }
        }
        lamCols[base + c] = { k: ks, v: vs };
      }
    }
  });
  // C = A Λ, then Lm = Λᵀ C + I (both q×q; Lm column-major = row-major since symmetric)
  const C = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    const { k: ks, v: vs } = lamCols[j];
    for (let e = 0; e < ks.length; e++) {
      const kk = ks[e];
      const x = vs[e];
      for (let i = 0; i < q; i++) C[at(i, j)] += A[at(i, kk)] * x;
    }
  }
  const Lm = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    const { k: ks, v: vs } = lamCols[i];
    for (let e = 0; e < ks.length; e++) {
      const rk = ks[e] * q;
      const x = vs[e];
      for (let j = 0; j < q; j++) Lm[at(i, j)] += x * C[rk + j];
    }
    Lm[at(i, i)] += 1;
  }
  const chol = choleskyLower(Lm, q); // column-major lower factor
  if (!chol) throw new FitError('Λᵀ ZᵀWZ Λ + I is not positive definite');
  // Wm = chol⁻¹ Λᵀ (q×q); K = Wmᵀ Wm
  const Wm = new Float64Array(q * q); // row-major: Wm[i][j]
  for (let m = 0; m < q; m++) {
    const { k: ks, v: vs } = lamCols[m];
    for (let e = 0; e < ks.length; e++) Wm[at(m, ks[e])] = vs[e];
  }
  // forward substitution on every column at once: row i of Wm := (row i − Σ_{k<i} L[i,k] row k)/L[i,i]
  for (let i = 0; i < q; i++) {
    const ri = i * q;
    for (let k = 0; k < i; k++) {
      const lik = chol[i + k * q];
      if (lik === 0) continue;
      const rk = k * q;
      for (let j = 0; j < q; j++) Wm[ri + j] -= lik * Wm[rk + j];
    }
    const d = chol[i + i * q];
    for (let j = 0; j < q; j++) Wm[ri + j] /= d;
  }
  const K = new Float64Array(q * q);
  for (let k = 0; k < q; k++) {
    const rk = k * q;
    for (let i = 0; i < q; i++) {
      const w = Wm[rk + i];
      if (w === 0) continue;
      const ri = i * q;
      for (let j = 0; j < q; j++) K[ri + j] += w * Wm[rk + j];
    }
  }
  const matmulQ = (a: Float64Array, b: Float64Array, cols: number): Float64Array => {
    // (q×q) · (q×cols), row-major
    const o = new Float64Array(q * cols);
    for (let i = 0; i < q; i++) {
      const ri = i * q;
      const oi = i * cols;
      for (let k = 0; k < q; k++) {
        const x = a[ri + k];
        if (x === 0) continue;
        const bk = k * cols;
        for (let j = 0; j < cols; j++) o[oi + j] += x * b[bk + j];
      }
    }
    return o;
  };
  const AK = matmulQ(A, K, q);
  const KB = matmulQ(K, B, p);
  // Y0 = B − A K B;  S0 = A − AK A;  U0 = Y0 − AK Y0
  const AKB = matmulQ(A, KB, p);
  const Y0 = B.map((v, e) => v - AKB[e]);
  const AKA = matmulQ(AK, A, q);
  const S0 = A.map((v, e) => v - AKA[e]);
  const AKY = matmulQ(AK, Y0, p);
  const U0 = Y0.map((v, e) => v - AKY[e]);
  const cross = (a: Float64Array, b: Float64Array): Matrix => crossQp(a, b, q, p);
  const BKB = cross(B, KB);
  const KBAKB = cross(KB, AKB);
  const R0 = XtX.map((r, k) => r.map((v, l) => v - 2 * BKB[k][l] + KBAKB[k][l]));
  const YKY = cross(Y0, matmulQ(K, Y0, p));
  let trKA = 0;
  let trKAKA = 0;
  for (let i = 0; i < q; i++) {
    trKA += AK[at(i, i)];
    for (let j = 0; j < q; j++) trKAKA += AK[at(i, j)] * AK[at(j, i)];
  }
  const { P, Q } = pAndQ(ctx, Y0, U0, R0, YKY, (F) => matmulQ(S0, F, p));

  // tr(M Gᵢ M Gⱼ) with S = S0/σ²; (Zᵀ M W⁻¹ M Z)[b, a] = σ⁻⁴ (S0 − AK S0)[b, a]
  const S2at = (b: number, a: number): number => {
    let s = S0[at(b, a)];
    const rb = b * q;
    for (let k = 0; k < q; k++) s -= AK[rb + k] * S0[at(k, a)];
    return s;
  };
  const nre = Es.length;
  const Kt = zeros(nre + 1, nre + 1);
  const s4 = s2 * s2;
  for (let i = 0; i < nre; i++) {
    const Ei = Es[i];
    for (let j = i; j < nre; j++) {
      const Ej = Es[j];
      let s = 0;
      for (let e = 0; e < Ei.a.length; e++) {
        const ra = Ei.a[e];
        const rb = Ei.b[e] * q;
        for (let f = 0; f < Ej.a.length; f++) s += S0[rb + Ej.a[f]] * S0[Ej.b[f] * q + ra];
      }
      Kt[i][j] = Kt[j][i] = s / s4;
    }
    let s = 0;
    for (let e = 0; e < Ei.a.length; e++) s += S2at(Ei.b[e], Ei.a[e]);
    Kt[i][nre] = Kt[nre][i] = s / s4;
  }
  Kt[nre][nre] = (ctx.nInformative - 2 * trKA + trKAKA) / s4;
  return { Kt, P, Q };
}
