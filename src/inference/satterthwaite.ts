/**
 * Satterthwaite's denominator degrees of freedom for contrasts of β, as lmerTest's contest1D and
 * contestMD: for one contrast l, ν = 2 (lᵀ V l)² / (gᵀ A g) with g_k = lᵀ J_k l; for a matrix L,
 * the rows of Pᵀ L (P the eigenvectors of L V Lᵀ, q eigenvalues d_m > ε d_1) each get ν_m and
 * the F statistic's df comes from E = Σ ν_m / (ν_m − 2): 2E / (E − q) (2 if any ν_m ≤ 2).
 */
import { symmetricEigen } from '../math/eigen';
import { qform, type Matrix } from './linalg';
import type { VarparDerivatives } from './varpar';

export interface ContrastTest1D {
  estimate: number;
  se: number;
  df: number;
}

export interface ContrastTestMD {
  /** Number of numerator df (rank of L V Lᵀ). */
  numDF: number;
  denDF: number;
  F: number;
}

/** t-test ingredients for lᵀβ (lmerTest's contest1D). */
export function satterthwaite1D(
  l: readonly number[],
  beta: readonly number[],
  d: VarparDerivatives,
): ContrastTest1D {
  const variance = qform(l, d.vcov);
  const grad = d.jacobian.map((j) => qform(l, j));
  const denom = qform(grad, d.vcovVarpar);
  return {
    estimate: l.reduce((s, v, i) => s + v * beta[i], 0),
    se: Math.sqrt(variance),
    df: (2 * variance * variance) / denom,
  };
}

/** lmerTest's get_Fstat_ddf. */
export function fStatDdf(nu: number[], tol = 1e-8): number {
  if (nu.length === 1) return nu[0];
  if (nu.every((v, i) => i === 0 || Math.abs(v - nu[i - 1]) < tol)) {
    return nu.reduce((s, v) => s + v, 0) / nu.length;
  }
  if (nu.some((v) => v <= 2)) return 2;
  const e = nu.reduce((s, v) => s + v / (v - 2), 0);
  return (2 * e) / (e - nu.length);
}

/** Eigen-rotated contrast rows Pᵀ L of full rank and their variances (lmerTest's contestMD). */
export function rotatedContrasts(L: Matrix, vcov: Matrix): { rows: number[][]; values: number[] } {
  const vl = L.map((a) =>
    L.map((b) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) {
        if (a[i] === 0) continue;
        for (let j = 0; j < b.length; j++) s += a[i] * vcov[i][j] * b[j];
      }
      return s;
    }),
  );
  const { values, vectors } = symmetricEigen(vl);
  const tol = Math.max(Math.sqrt(2.220446049250313e-16) * values[0], 0);
  const rows: number[][] = [];
  const kept: number[] = [];
  values.forEach((d, m) => {
    if (!(d > tol)) return;
    kept.push(d);
    rows.push(L[0].map((_, c) => L.reduce((s, row, r) => s + vectors[r][m] * row[c], 0)));
  });
  return { rows, values: kept };
}

/** F test of L β = 0 with Satterthwaite's df (lmerTest's contestMD, rhs = 0). */
export function satterthwaiteMD(
  L: Matrix,
  beta: readonly number[],
  d: VarparDerivatives,
): ContrastTestMD {
  const { rows, values } = rotatedContrasts(L, d.vcov);
  const q = rows.length;
  if (q === 0) return { numDF: 0, denDF: NaN, F: NaN };
  if (q === 1) {
    const t = satterthwaite1D(rows[0], beta, d);
    return { numDF: 1, denDF: t.df, F: (t.estimate / t.se) ** 2 };
  }
  let F = 0;
  const nu = rows.map((r, m) => {
    const est = r.reduce((s, v, i) => s + v * beta[i], 0);
    F += (est * est) / values[m];
    const grad = d.jacobian.map((j) => qform(r, j));
    return (2 * values[m] * values[m]) / qform(grad, d.vcovVarpar);
  });
  return { numDF: q, denDF: fStatDdf(nu), F: F / q };
}
