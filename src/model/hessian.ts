/**
 * Central finite-difference Hessian, as lme4's deriv12 (step 1e-4): diagonal from
 * (f(x+h) - 2 f(x) + f(x-h)) / h², off-diagonal from the four-point cross difference.
 */
export function finiteDifferenceHessian(
  f: (x: number[]) => number,
  x: readonly number[],
  h = 1e-4,
): number[][] {
  const n = x.length;
  const f0 = f([...x]);
  const at = (di: number, si: number, dj = -1, sj = 0): number => {
    const y = [...x];
    y[di] += si * h;
    if (dj >= 0) y[dj] += sj * h;
    return f(y);
  };
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    H[i][i] = (at(i, 1) - 2 * f0 + at(i, -1)) / (h * h);
    for (let j = 0; j < i; j++) {
      const v =
        (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
      H[i][j] = v;
      H[j][i] = v;
    }
  }
  return H;
}

/** Inverse of a small symmetric positive-definite matrix by Gauss–Jordan; null if singular. */
export function invertSymmetric(a: readonly number[][]): number[][] | null {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    if (!(Math.abs(m[piv][c]) > 1e-300)) return null;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const fct = m[r][c];
      if (fct !== 0) for (let j = 0; j < 2 * n; j++) m[r][j] -= fct * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}
