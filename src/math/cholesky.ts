/**
 * Small dense Cholesky factorizations on the host (p×p and v×v matrices: least squares on the
 * fixed effects, covariance factors, Hessian checks); the kernels factor the big system.
 * Column-major n×n arrays.
 */

/**
 * Lower L with L Lᵀ = A (lower triangle of A read). Positive definite: null at the first
 * pivot that is not positive. `semidefinite`: a pivot lost to cancellation (relative to its own
 * diagonal) makes that column of L zero, so a singular covariance gets a valid factor.
 */
export function choleskyLower(
  a: ArrayLike<number>,
  n: number,
  semidefinite = false,
): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j + j * n];
    for (let k = 0; k < j; k++) d -= l[j + k * n] ** 2;
    if (semidefinite) {
      if (!(d > 1e-14 * a[j + j * n])) continue;
    } else if (!(d > 0)) {
      return null;
    }
    const r = Math.sqrt(d);
    l[j + j * n] = r;
    for (let i = j + 1; i < n; i++) {
      let x = a[i + j * n];
      for (let k = 0; k < j; k++) x -= l[i + k * n] * l[j + k * n];
      l[i + j * n] = x / r;
    }
  }
  return l;
}

/** x := L⁻¹ x. */
export function solveLower(l: Float64Array, n: number, x: Float64Array | number[]): void {
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l[i + k * n] * x[k];
    x[i] = s / l[i + i * n];
  }
}

/** x := L⁻ᵀ x. */
export function solveLowerTrans(l: Float64Array, n: number, x: Float64Array | number[]): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l[k + i * n] * x[k];
    x[i] = s / l[i + i * n];
  }
}
