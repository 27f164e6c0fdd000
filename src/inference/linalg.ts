/** Small dense linear algebra for the tests of src/inference (matrices of size p or #θ + 1). */

import { symmetricEigen } from '../math/eigen';

export type Matrix = number[][];

export function matMul(a: Matrix, b: Matrix): Matrix {
  const m = b[0]?.length ?? 0;
  return a.map((row) =>
    Array.from({ length: m }, (_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)),
  );
}

export function transpose(a: Matrix): Matrix {
  if (a.length === 0) return [];
  return a[0].map((_, j) => a.map((row) => row[j]));
}

/** xᵀ A x. */
export function qform(x: readonly number[], a: Matrix): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) continue;
    let r = 0;
    for (let j = 0; j < x.length; j++) r += a[i][j] * x[j];
    s += x[i] * r;
  }
  return s;
}

/** Pseudo-inverse of a symmetric matrix over its eigenvalues above `tol` (lmerTest's h⁻¹). */
export function symmetricPinv(a: Matrix, tol: number): Matrix {
  const { values, vectors } = symmetricEigen(a);
  const n = a.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0;
      values.forEach((d, k) => {
        if (d > tol) s += (vectors[i][k] * vectors[j][k]) / d;
      });
      return s;
    }),
  );
}

/**
 * Residuals of the least-squares fit of each column of `y` on the columns of `x` (both r × ·,
 * as R's resid(lm.fit(x, y)), pivoting out dependent columns of x): y minus its projection on
 * the column space of x, by modified Gram–Schmidt.
 */
export function residualize(x: Matrix, y: Matrix): Matrix {
  const r = x.length;
  const basis: number[][] = [];
  const nx = x[0]?.length ?? 0;
  for (let j = 0; j < nx; j++) {
    const col = x.map((row) => row[j]);
    const norm0 = Math.hypot(...col);
    for (const b of basis) {
      const d = b.reduce((s, v, i) => s + v * col[i], 0);
      for (let i = 0; i < r; i++) col[i] -= d * b[i];
    }
    const norm = Math.hypot(...col);
    if (norm > 1e-7 * Math.max(norm0, 1e-300)) basis.push(col.map((v) => v / norm));
  }
  const ny = y[0]?.length ?? 0;
  const out = y.map((row) => row.slice());
  for (let j = 0; j < ny; j++) {
    for (const b of basis) {
      let d = 0;
      for (let i = 0; i < r; i++) d += b[i] * out[i][j];
      for (let i = 0; i < r; i++) out[i][j] -= d * b[i];
    }
  }
  return out;
}

/** Solves the symmetric positive-definite system A X = B by Cholesky; null if not PD. */
export function solveSpd(a: Matrix, b: Matrix): Matrix | null {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] ** 2;
    if (!(d > 0)) return null;
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  const m = b[0]?.length ?? 0;
  const x = b.map((row) => row.slice());
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = x[i][c];
      for (let k = 0; k < i; k++) s -= l[i][k] * x[k][c];
      x[i][c] = s / l[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i][c];
      for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k][c];
      x[i][c] = s / l[i][i];
    }
  }
  return x;
}

/** R's zapsmall(x, digits = 7) over a whole matrix. */
export function zapsmall(a: Matrix, digits = 7): Matrix {
  let mx = 0;
  for (const row of a) for (const v of row) mx = Math.max(mx, Math.abs(v));
  if (!(mx > 0)) return a.map((r) => r.slice());
  const d = Math.max(0, digits - Math.ceil(Math.log10(mx)));
  const f = 10 ** d;
  return a.map((row) => row.map((v) => Math.round(v * f) / f));
}
