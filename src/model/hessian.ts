/**
 * Finite-difference Hessian with lme4's deriv12 step (1e-4): the diagonal from central second
 * differences, the off-diagonal from f(x ± hᵢ ± hⱼ) along the two diagonals, which reuses the
 * axis points: 1 + 2n + n(n-1) evaluations instead of 1 + 2n + 2n(n-1). The gradient comes
 * from the same axis points.
 */
export interface Derivatives {
  /** Central-difference gradient. */
  gradient: number[];
  hessian: number[][];
}

export function finiteDifferenceDerivatives(
  f: (x: number[]) => number,
  x: readonly number[],
  h: number,
): Derivatives {
  const n = x.length;
  const f0 = f([...x]);
  const at = (steps: [number, number][]): number => {
    const y = [...x];
    for (const [i, s] of steps) y[i] += s * h;
    return f(y);
  };
  const plus = x.map((_, i) => at([[i, 1]]));
  const minus = x.map((_, i) => at([[i, -1]]));
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    H[i][i] = (plus[i] - 2 * f0 + minus[i]) / (h * h);
    for (let j = 0; j < i; j++) {
      const pp = at([
        [i, 1],
        [j, 1],
      ]);
      const mm = at([
        [i, -1],
        [j, -1],
      ]);
      const v = (pp - plus[i] - plus[j] + 2 * f0 - minus[i] - minus[j] + mm) / (2 * h * h);
      H[i][j] = v;
      H[j][i] = v;
    }
  }
  return { gradient: x.map((_, i) => (plus[i] - minus[i]) / (2 * h)), hessian: H };
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

/**
 * Per-coordinate scales sᵢ ≈ standard errors from the curvature of a deviance f at x (where
 * f(x) = f0): sᵢ = sqrt(2 / ∂²f/∂xᵢ²) by central differences with step hᵢ = h·max(1, |xᵢ|).
 * Coordinates with a non-positive or non-finite curvature get scale 1. Used to precondition
 * an optimizer so that every coordinate has curvature ≈ 2.
 */
export function curvatureScales(
  f: (x: number[]) => number,
  x: readonly number[],
  f0: number,
  h = 1e-3,
): number[] {
  return x.map((xi, i) => {
    const hi = h * Math.max(1, Math.abs(xi));
    const y = [...x];
    y[i] = xi + hi;
    const fp = f(y);
    y[i] = xi - hi;
    const fm = f(y);
    const d2 = (fp - 2 * f0 + fm) / (hi * hi);
    const s = Math.sqrt(2 / d2);
    return Number.isFinite(s) && s > 0 ? s : 1;
  });
}
