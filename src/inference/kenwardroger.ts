/**
 * Kenward–Roger for LMMs, as pbkrtest (vcovAdj, Lb_ddf, .KR_adjust) and lmerTest's
 * `ddf = "Kenward-Roger"` use it.
 *
 * The variance parameters are the elements of each term's covariance matrix σ²ΛₜΛₜᵀ (lower
 * triangle) and σ², so V = Σᵢ γᵢ Gᵢ with Gᵢ = Z Eᵢ Zᵀ (Eᵢ = I_levels ⊗ (e_r e_cᵀ + e_c e_rᵀ), or
 * e_r e_rᵀ on the diagonal) and G_σ² = I. With M = V⁻¹ and Φ = (Xᵀ M X)⁻¹ = vcov(β̂):
 *   Pᵢ = −Xᵀ M Gᵢ M X,  Qᵢⱼ = Xᵀ M Gᵢ M Gⱼ M X,
 *   I_E[i,j] = tr(M Gᵢ M Gⱼ) − 2 tr(Φ Qᵢⱼ) + tr(Φ Pᵢ Φ Pⱼ),  W = 2 I_E⁻¹,
 *   Φ_A = Φ + 2 Φ (Σᵢⱼ Wᵢⱼ (Qᵢⱼ − Pᵢ Φ Pⱼ)) Φ,
 * and for a contrast matrix L (q rows of full rank) with Θ = Lᵀ (L Φ Lᵀ)⁻¹ L the A₁, A₂ sums,
 * ρ, the denominator df 4 + (q + 2)/(q ρ − 1) and the F scaling of pbkrtest's .KR_adjust.
 *
 * No n×n matrix is formed. The data-dependent ingredients (the traces tr(M Gᵢ M Gⱼ), Pᵢ, Qᵢⱼ)
 * come from ./kenwardroger-dense (Woodbury with dense q×q matrices, for small q) or
 * ./kenwardroger-sparse (the sparse Cholesky factor of ΛᵀZᵀWZΛ + I, column chunks of ZᵀMZ,
 * memory O(q · chunk)); both give the same numbers.
 *
 * pbkrtest refits ML fits by REML before computing anything (vcovAdj.lmerMod, KRmodcomp); this
 * module does the same (the estimates, vcov and tests then come from the REML refit). With prior
 * weights the σ² parameter's G is W⁻¹ (V = σ²(W⁻¹ + ZΛΛᵀZᵀ)); pbkrtest uses the identity there,
 * so for weighted fits our numbers are the correct ones and differ from pbkrtest's.
 */
import { FitError } from '../errors';
import { symmetricEigen } from '../math/eigen';
import type { MerFit } from '../results/fit';
import { krIngredientsDense } from './kenwardroger-dense';
import { krIngredientsSparse } from './kenwardroger-sparse';
import { krContext } from './kr-context';
import type { Matrix } from './linalg';

export interface KenwardRoger {
  names: string[];
  /** β̂ of the (REML) fit the adjustment is computed on. */
  beta: number[];
  /** Φ = vcov(β̂) of that fit. */
  vcov: Matrix;
  /** Φ_A: the adjusted covariance (pbkrtest::vcovAdj). */
  vcovAdj: Matrix;
  /** Pᵢ, one p×p matrix per variance parameter. */
  P: Matrix[];
  /** W = 2 I_E⁻¹ (pbkrtest's attribute "W"). */
  W: Matrix;
  /** Whether the computation is on a REML refit of an ML fit. */
  refittedREML: boolean;
}

const cache = new WeakMap<object, KenwardRoger>();

const zeros = (r: number, c: number): Matrix =>
  Array.from({ length: r }, () => new Array<number>(c).fill(0));

function symInverse(a: Matrix): Matrix {
  // pbkrtest: solve() when min |eigenvalue| > 1e-10, else MASS::ginv
  const { values, vectors } = symmetricEigen(a);
  const n = a.length;
  const condi = Math.min(...values.map(Math.abs));
  const maxAbs = Math.max(...values.map(Math.abs));
  const tol = condi > 1e-10 ? 0 : Math.sqrt(2.220446049250313e-16) * maxAbs;
  const out = zeros(n, n);
  for (let k = 0; k < n; k++) {
    if (condi > 1e-10 ? false : !(Math.abs(values[k]) > tol)) continue;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out[i][j] += (vectors[i][k] * vectors[j][k]) / values[k];
  }
  return out;
}

function mm(a: Matrix, b: Matrix): Matrix {
  const m = b[0]?.length ?? 0;
  return a.map((row) => {
    const out = new Array<number>(m).fill(0);
    row.forEach((v, k) => {
      if (v !== 0) for (let j = 0; j < m; j++) out[j] += v * b[k][j];
    });
    return out;
  });
}

const tr = (a: Matrix): number => a.reduce((s, r, i) => s + r[i], 0);
/** sum(a * t(b)) = tr(a b). */
const trProd = (a: Matrix, b: Matrix): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) s += a[i][j] * b[j][i];
  return s;
};

/** The adjusted covariance and the ingredients of the df (cached per fit). */
export function kenwardRoger(fit: MerFit, path: KrPath = 'auto'): KenwardRoger {
  const hit = path === 'auto' ? cache.get(fit) : undefined;
  if (hit) return hit;
  if (fit.model.kind !== 'lmm')
    throw new FitError("Kenward-Roger's method needs a linear mixed model");
  let out: KenwardRoger;
  if (!fit.REML) {
    // as pbkrtest's vcovAdj.lmerMod / KRmodcomp: refit by REML
    const reml = fit.update({ REML: true });
    try {
      out = { ...compute(reml, path), refittedREML: true };
    } finally {
      reml.dispose();
    }
  } else {
    out = compute(fit, path);
  }
  if (path === 'auto') cache.set(fit, out);
  return out;
}

/** Which computation of the ingredients: dense q×q (small q) or sparse (any q). */
export type KrPath = 'auto' | 'dense' | 'sparse';

/** Up to this many random effects the dense q×q path is used (measured faster below ~100-150). */
export const KR_DENSE_MAX_Q = 100;

function compute(fit: MerFit, path: KrPath): KenwardRoger {
  const ctx = krContext(fit);
  const useDense = path === 'dense' || (path === 'auto' && ctx.q <= KR_DENSE_MAX_Q);
  const { Kt, P, Q } = useDense ? krIngredientsDense(ctx) : krIngredientsSparse(ctx);
  const { names, beta, Phi, p } = ctx;
  const ng = P.length;
  // the expected information and W
  const PhiP = P.map((Pi) => mm(Phi, Pi));
  const IE = zeros(ng, ng);
  for (let i = 0; i < ng; i++)
    for (let j = i; j < ng; j++) {
      IE[i][j] = IE[j][i] = Kt[i][j] - 2 * trProd(Phi, Q[i][j]) + trProd(PhiP[i], PhiP[j]);
    }
  const W = symInverse(IE).map((r) => r.map((v) => 2 * v));

  // Φ_A = Φ + 2 Φ U Φ with U = Σᵢⱼ Wᵢⱼ (Qᵢⱼ − Pᵢ Φ Pⱼ)
  const UU = zeros(p, p);
  for (let i = 0; i < ng; i++)
    for (let j = 0; j < ng; j++) {
      const ppp = mm(P[i], PhiP[j]);
      for (let k = 0; k < p; k++)
        for (let l = 0; l < p; l++) UU[k][l] += W[i][j] * (Q[i][j][k][l] - ppp[k][l]);
    }
  const G = mm(mm(Phi, UU), Phi);
  const vcovAdj = Phi.map((r, k) => r.map((v, l) => v + (G[k][l] + G[l][k])));
  return { names, beta, vcov: Phi, vcovAdj, P, W, refittedREML: false };
}

export interface KrTest {
  /** Number of numerator df (rows of L, full rank). */
  numDF: number;
  denDF: number;
  /** F.scaling of pbkrtest's .KR_adjust (1 for one row up to rounding). */
  Fscaling: number;
  /** Unscaled Wald F with Φ_A: (Lβ)ᵀ (L Φ_A Lᵀ)⁻¹ (Lβ) / q. */
  FU: number;
}

function solveSym(a: Matrix, b: Matrix): Matrix {
  return mm(symInverse(a), b);
}

/**
 * pbkrtest's .KR_adjust / Lb_ddf for a contrast matrix L of full row rank (the caller reduces
 * a rank-deficient L to a basis of its row space first; the df and F only depend on it).
 */
export function krTest(L: Matrix, kr: KenwardRoger, unadjusted: Matrix = kr.vcov): KrTest {
  // unadjusted: the covariance in Θ and the uᵢ (pbkrtest's Lb_ddf(L, V0, Vadj); emmeans passes
  // the fit's own vcov, which for an ML fit is not that of the REML refit)
  const q = L.length;
  const Phi = unadjusted;
  const LPhi = mm(L, Phi);
  const LPL = mm(
    LPhi,
    L[0].map((_, c) => L.map((r) => r[c])),
  );
  // Θ Φ = Lᵀ (L Φ Lᵀ)⁻¹ L Φ
  const Lt = L[0].map((_, c) => L.map((r) => r[c]));
  const ThetaPhi = mm(Lt, solveSym(LPL, LPhi));
  const ng = kr.P.length;
  const us = kr.P.map((Pi) => mm(mm(ThetaPhi, Pi), Phi));
  let A1 = 0;
  let A2 = 0;
  for (let i = 0; i < ng; i++)
    for (let j = i; j < ng; j++) {
      const e = i === j ? 1 : 2;
      A1 += e * kr.W[i][j] * tr(us[i]) * tr(us[j]);
      A2 += e * kr.W[i][j] * trProd(us[i], us[j]);
    }
  const B = (A1 + 6 * A2) / (2 * q);
  const g = ((q + 1) * A1 - (q + 4) * A2) / ((q + 2) * A2);
  const den = 3 * q + 2 * (1 - g);
  const c1 = g / den;
  const c2 = (q - g) / den;
  const c3 = (q + 2 - g) / den;
  let V0 = 1 + c1 * B;
  const V1 = 1 - c2 * B;
  const V2 = 1 - c3 * B;
  if (Math.abs(V0) < 1e-10) V0 = 0;
  const x = 1 - A2 / q;
  const ratio = Math.abs(x) < 1e-14 && Math.abs(V1) < 1e-14 ? 1 : x / V1;
  const rho = (ratio * ratio * V0) / (q * V2);
  const df2 = 4 + (q + 2) / (q * rho - 1);
  const Fscaling = Math.abs(df2 - 2) < 1e-2 ? 1 : (df2 * (1 - A2 / q)) / (df2 - 2);
  const Lb = L.map((r) => r.reduce((s, v, i) => s + v * kr.beta[i], 0));
  const LPaL = mm(mm(L, kr.vcovAdj), Lt);
  const sol = solveSym(
    LPaL,
    Lb.map((v) => [v]),
  );
  const wald = Lb.reduce((s, v, i) => s + v * sol[i][0], 0);
  return { numDF: q, denDF: df2, Fscaling, FU: wald / q };
}
