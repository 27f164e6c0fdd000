/**
 * Gauss–Hermite quadrature rules for the standard normal density, as lme4's `GHrule(k)`:
 * nodes z and weights w with sum_i w_i f(z_i) ≈ ∫ f(z) φ(z) dz (exact for polynomials of
 * degree <= 2k - 1), so the weights sum to 1.
 *
 * Nodes come from the Golub–Welsch method (eigenvalues of the symmetric tridiagonal Jacobi
 * matrix of the probabilists' Hermite polynomials, by implicit QL) and are then polished by
 * Newton steps on the orthonormal polynomial. Weights come from the Christoffel formula
 * w_i = 1 / sum_j p_j(z_i)^2 with orthonormal p_j, which keeps full relative accuracy for the
 * tiny tail weights (down to ~1e-180 for k = 100), where the squared first eigenvector
 * components of Golub–Welsch would only be accurate to ~1e-16 absolute.
 */

import { OptionError } from '../errors';

/** A Gauss–Hermite rule for N(0, 1), nodes ascending. */
export interface GHRule {
  /** Number of nodes. */
  readonly k: number;
  /** Nodes, ascending and symmetric about 0. */
  readonly z: Float64Array;
  /** Weights for the standard normal density; they sum to 1. */
  readonly w: Float64Array;
  /** log of the weights (finite even where w would underflow). */
  readonly logw: Float64Array;
  /** log dnorm(z): lme4's `ldnorm` column. */
  readonly ldnorm: Float64Array;
  /**
   * log(w) - ldnorm - log(sqrt(2 pi)) = log(w) + z^2 / 2: the per-node log factor of the AGQ
   * sum (lme4 multiplies exp(-(devc - devc0)/2 - ldnorm) by w / sqrt(2 pi)).
   */
  readonly logFactor: Float64Array;
}

/** Largest number of nodes supported (as lme4). */
export const GH_MAX_NODES = 100;

const LN_SQRT_2PI = 0.918938533204672741780329736406;

/**
 * Eigenvalues of the symmetric tridiagonal matrix with diagonal d[0..n) and off-diagonal
 * e[0..n-1) (e[i] couples rows i and i+1), by the implicit QL method with Wilkinson shifts
 * (Numerical Recipes' tqli). Overwrites d with the eigenvalues (unsorted) and destroys e.
 * If `z0` is given (length n, initially the first row of the identity: [1, 0, ..., 0]) it is
 * overwritten with the first components of the normalised eigenvectors. Returns false if some
 * eigenvalue needed more than 60 iterations.
 */
export function tqli(n: number, d: Float64Array, e: Float64Array, z0?: Float64Array): boolean {
  // NR convention: e[i] couples i-1 and i for i >= 1; shift ours into that layout
  const ee = new Float64Array(n);
  for (let i = 1; i < n; i++) ee[i - 1] = e[i - 1];
  ee[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(ee[m]) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iter++ === 60) return false;
        let g = (d[l + 1] - d[l]) / (2 * ee[l]);
        let r = Math.hypot(g, 1);
        g = d[m] - d[l] + ee[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          let f = s * ee[i];
          const b = c * ee[i];
          r = Math.hypot(f, g);
          ee[i + 1] = r;
          if (r === 0) {
            d[i + 1] -= p;
            ee[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          if (z0 !== undefined) {
            f = z0[i + 1];
            z0[i + 1] = s * z0[i] + c * f;
            z0[i] = c * z0[i] - s * f;
          }
        }
        if (r === 0 && i >= l) continue;
        d[l] -= p;
        ee[l] = g;
        ee[m] = 0;
      }
    } while (m !== l);
  }
  return true;
}

/**
 * Evaluates the orthonormal probabilists' Hermite polynomials p_0..p_k at x: returns
 * [p_k(x), p_{k-1}(x), sum_{j<k} p_j(x)^2].
 */
function orthoHermite(k: number, x: number): [number, number, number] {
  let pPrev = 0;
  let p = 1; // p_0
  let sumSq = 0;
  for (let j = 0; j < k; j++) {
    sumSq += p * p;
    // x p_j = sqrt(j+1) p_{j+1} + sqrt(j) p_{j-1}
    const pNext = (x * p - Math.sqrt(j) * pPrev) / Math.sqrt(j + 1);
    pPrev = p;
    p = pNext;
  }
  return [p, pPrev, sumSq];
}

function computeRule(k: number): GHRule {
  const d = new Float64Array(k);
  const e = new Float64Array(Math.max(k - 1, 0));
  for (let i = 0; i < k - 1; i++) e[i] = Math.sqrt(i + 1);
  if (!tqli(k, d, e)) throw new Error(`Gauss-Hermite rule with ${k} nodes: QL did not converge`);
  const z = Float64Array.from(d).sort();
  // Newton polish of each node on p_k (p_k' = sqrt(k) p_{k-1}), then Christoffel weights
  const logw = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let x = z[i];
    for (let it = 0; it < 3; it++) {
      const [pk, pk1] = orthoHermite(k, x);
      const dx = pk / (Math.sqrt(k) * pk1);
      if (!Number.isFinite(dx)) break;
      x -= dx;
      if (Math.abs(dx) <= 1e-17 * Math.max(1, Math.abs(x))) break;
    }
    z[i] = x;
  }
  // exact symmetry and an exact 0 for odd k
  for (let i = 0; i < k >> 1; i++) {
    const a = 0.5 * (z[k - 1 - i] - z[i]);
    z[i] = -a;
    z[k - 1 - i] = a;
  }
  if (k % 2 === 1) z[k >> 1] = 0;
  for (let i = 0; i < k; i++) logw[i] = -Math.log(orthoHermite(k, z[i])[2]);
  const w = logw.map(Math.exp);
  // renormalise the rounding error of the sum away (the exact weights sum to 1)
  let s = 0;
  for (let i = 0; i < k; i++) s += w[i];
  const ls = Math.log(s);
  for (let i = 0; i < k; i++) {
    w[i] /= s;
    logw[i] -= ls;
  }
  const ldnorm = z.map((x) => -LN_SQRT_2PI - 0.5 * x * x);
  const logFactor = z.map((x, i) => logw[i] + 0.5 * x * x);
  return { k, z, w, logw, ldnorm, logFactor };
}

const CACHE = new Map<number, GHRule>();

/**
 * The k-node Gauss–Hermite rule for the standard normal (lme4's `GHrule(k)`), 1 <= k <= 100.
 * Rules are cached; the arrays are shared, so callers must not modify them.
 */
export function ghRule(k: number): GHRule {
  if (!Number.isInteger(k) || k < 1 || k > GH_MAX_NODES) {
    throw new OptionError(
      `the number of quadrature nodes must be an integer from 1 to ${GH_MAX_NODES} (got ${k})`,
      'nAGQ',
    );
  }
  let rule = CACHE.get(k);
  if (rule === undefined) {
    rule = computeRule(k);
    CACHE.set(k, rule);
  }
  return rule;
}

// ---------------------------------------------------------------------------------------------
// Adaptive Gauss–Hermite sums (lme4's glmerAGQ), per grouping level of a scalar random effect.
// For node k the caller sets u = u~ + z_k sd (sd = conditional standard deviation), recomputes
// mu and the deviance residuals, and forms per level g: devc[g] = sum of the deviance residuals
// of the level's observations + u_g^2. With devc0 the same at z = 0, the AGQ deviance is
// sum(devc0) + logdet(L)^2 - 2 sum_g log(sum_k w_k exp(-(devc_k[g] - devc0[g]) / 2 + z_k^2 / 2))
// (at z_k = 0 the term is exactly w_k; lme4 skips recomputing that node). The per-level sums
// devc are the `groupSums` kernel (src/backend/js/ghq.ts, assembly/ghq.ts).

/**
 * One quadrature node k: mult[g] += exp(logFactor - (devc[g] - devc0[g]) / 2) for g < nGroups,
 * with logFactor = rule.logFactor[k] = log(w_k) + z_k^2 / 2. Working on the log scale keeps the
 * far nodes of large rules (w ~ 1e-180) from underflowing before exp(z^2/2) compensates.
 */
export function agqAccumulate(
  nGroups: number,
  devc: Float64Array,
  devc0: Float64Array,
  logFactor: number,
  mult: Float64Array,
): void {
  for (let g = 0; g < nGroups; g++) mult[g] += Math.exp(logFactor - 0.5 * (devc[g] - devc0[g]));
}

/** -2 sum_g log(mult[g]): the quadrature correction added to sum(devc0) + logdet(L)^2. */
export function agqPenalty(nGroups: number, mult: Float64Array): number {
  let s = 0;
  for (let g = 0; g < nGroups; g++) s += Math.log(mult[g]);
  return -2 * s;
}
