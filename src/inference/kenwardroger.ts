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
 * No n×n matrix is formed: V = σ²(I + Z ΛΛᵀ Zᵀ), so by Woodbury M = σ⁻²(I − Z K Zᵀ) with
 * K = Λ (Λᵀ ZᵀZ Λ + I)⁻¹ Λᵀ, and every product and trace above reduces to ZᵀZ, ZᵀX, XᵀX:
 *   Zᵀ M X = σ⁻² (ZᵀX − A K ZᵀX),   Zᵀ M Z = σ⁻² (A − A K A),   (A = ZᵀZ)
 *   Zᵀ M² · = σ⁻² (I − A K) Zᵀ M ·,  tr(M²) = σ⁻⁴ (n − 2 tr(KA) + tr(KAKA)),
 *   Xᵀ M² X = σ⁻⁴ (XᵀX − 2 BᵀKB + BᵀKAKB),  Xᵀ M³ X = σ⁻² (Xᵀ M² X − (ZᵀMX)ᵀ K (ZᵀMX)).
 * These q×q matrices are DENSE here: O(q²) memory (a few q×q Float64Arrays) and O(q³) time,
 * which is fine for the reference models (q up to a few hundred); above MAX_Q random effects a
 * Kenward–Roger request is a clear error rather than an out-of-memory crash. (A sparse version
 * would go through the model's sparse Cholesky factor; not done yet.)
 *
 * pbkrtest refits ML fits by REML before computing anything (vcovAdj.lmerMod, KRmodcomp); this
 * module does the same (the estimates, vcov and tests then come from the REML refit). Prior
 * weights are not supported (pbkrtest's G for σ² is the identity whatever the weights).
 */
import { FitError, OptionError } from '../errors';
import type { LmmModel } from '../model/lmm';
import { buildReStructure, fillT } from '../model/reblocks';
import { choleskyLower } from '../math/cholesky';
import { symmetricEigen } from '../math/eigen';
import type { MerFit } from '../results/fit';
import type { Matrix } from './linalg';

/** Largest number of random effects for the dense q×q computation (O(q²) memory, O(q³) time). */
export const KR_MAX_Q = 5000;

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
export function kenwardRoger(fit: MerFit): KenwardRoger {
  const hit = cache.get(fit);
  if (hit) return hit;
  if (fit.model.kind !== 'lmm')
    throw new FitError("Kenward-Roger's method needs a linear mixed model");
  let out: KenwardRoger;
  if (!fit.REML) {
    // as pbkrtest's vcovAdj.lmerMod / KRmodcomp: refit by REML
    const reml = fit.update({ REML: true });
    try {
      out = { ...compute(reml), refittedREML: true };
    } finally {
      reml.dispose();
    }
  } else {
    out = compute(fit);
  }
  cache.set(fit, out);
  return out;
}

function compute(fit: MerFit): KenwardRoger {
  const model = fit.model as LmmModel;
  if (model.weights) {
    throw new OptionError(
      "'Kenward-Roger' is not implemented for fits with prior weights; use 'Satterthwaite'",
      'ddf',
    );
  }
  const frame = model.frame;
  const n = frame.n;
  const names = fit.fixefNames.slice();
  const p = names.length;
  if (p !== frame.xNames.length || names.some((nm, j) => nm !== frame.xNames[j]))
    throw new FitError('the fit and its model frame disagree on the fixed effects');
  const X = frame.X; // column-major n×p
  const s2 = fit.sigma * fit.sigma;
  const Phi = fit.vcov.map((r) => r.slice());
  const beta = names.map((nm) => fit.fixef[nm]);

  // random-effects layout: blocks (terms amalgamated by grouping factor), level-major
  const re = buildReStructure(frame.randomTerms, n);
  const offs: number[] = [];
  let q = 0;
  for (const b of re.blocks) {
    offs.push(q);
    q += b.nl * b.v;
  }
  if (q > KR_MAX_Q) {
    throw new OptionError(
      `'Kenward-Roger' is computed with dense ${q}×${q} matrices here (O(q²) memory); at most ${KR_MAX_Q} random effects are supported, use 'Satterthwaite'`,
      'ddf',
    );
  }
  const at = (i: number, j: number): number => i * q + j;

  // A = ZᵀZ, B = ZᵀX (q×p row-major), XᵀX
  const A = new Float64Array(q * q);
  const B = new Float64Array(q * p);
  const XtX = zeros(p, p);
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    idx.length = 0;
    val.length = 0;
    re.blocks.forEach((b, bi) => {
      const base = offs[bi] + b.refs[i] * b.v;
      for (let c = 0; c < b.v; c++) {
        const z = b.z[i * b.v + c];
        if (z !== 0) {
          idx.push(base + c);
          val.push(z);
        }
      }
    });
    for (let a = 0; a < idx.length; a++) {
      const ra = idx[a] * q;
      for (let c = 0; c < idx.length; c++) A[ra + idx[c]] += val[a] * val[c];
      for (let k = 0; k < p; k++) B[idx[a] * p + k] += val[a] * X[i + k * n];
    }
    for (let k = 0; k < p; k++) {
      const xk = X[i + k * n];
      if (xk !== 0) for (let l = 0; l < p; l++) XtX[k][l] += xk * X[i + l * n];
    }
  }

  // Λ: per block and level the v×v lower-triangular T (lme4's θ)
  const Ts = re.blocks.map((b) => {
    const t = new Float64Array(b.v * b.v);
    fillT(b, fit.theta, t, 0);
    return t; // column-major
  });
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
  if (!chol) throw new FitError('Λᵀ ZᵀZ Λ + I is not positive definite');
  // Wm = chol⁻¹ Λᵀ (q×q); K = Wmᵀ Wm
  const Wm = new Float64Array(q * q); // row-major: Wm[i][j]
  // fill Λᵀ into Wm: Λᵀ[m][k] = Λ[k][m] for k in lamCols[m]
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
  const crossQp = (a: Float64Array, b: Float64Array): Matrix => {
    // aᵀ b for two q×p row-major
    const o = zeros(p, p);
    for (let r = 0; r < q; r++)
      for (let k = 0; k < p; k++) {
        const x = a[r * p + k];
        if (x !== 0) for (let l = 0; l < p; l++) o[k][l] += x * b[r * p + l];
      }
    return o;
  };
  const BKB = crossQp(B, KB);
  const KBAKB = crossQp(KB, AKB);
  const R0 = XtX.map((r, k) => r.map((v, l) => v - 2 * BKB[k][l] + KBAKB[k][l]));
  const KY = matmulQ(K, Y0, p);
  const YKY = crossQp(Y0, KY);
  let trKA = 0;
  let trKAKA = 0;
  for (let i = 0; i < q; i++) {
    trKA += AK[at(i, i)];
    for (let j = 0; j < q; j++) trKAKA += AK[at(i, j)] * AK[at(j, i)];
  }

  // absolute units
  const Y = Y0.map((v) => v / s2);
  const S = S0.map((v) => v / s2);
  const U = U0.map((v) => v / (s2 * s2));
  /** (Zᵀ M² Z)[b, a] = σ⁻⁴ (S0 − AK S0)[b, a]. */
  const S2at = (b: number, a: number): number => {
    let s = S0[at(b, a)];
    const rb = b * q;
    for (let k = 0; k < q; k++) s -= AK[rb + k] * S0[at(k, a)];
    return s / (s2 * s2);
  };

  // the variance parameters: entries of Eᵢ per term element, then σ²
  const Es: { a: Int32Array; b: Int32Array }[] = [];
  re.blocks.forEach((blk, bi) => {
    for (const term of blk.terms) {
      for (let c = term.start; c < term.end; c++) {
        for (let r = c; r < term.end; r++) {
          const as: number[] = [];
          const bs: number[] = [];
          for (let l = 0; l < blk.nl; l++) {
            const base = offs[bi] + l * blk.v;
            as.push(base + r);
            bs.push(base + c);
            if (r !== c) {
              as.push(base + c);
              bs.push(base + r);
            }
          }
          Es.push({ a: Int32Array.from(as), b: Int32Array.from(bs) });
        }
      }
    }
  });
  const nre = Es.length;
  const ng = nre + 1;

  // Fᵢ = Eᵢ Y (rows listed), Pᵢ = −Fᵢᵀ Y, SFᵢ = S Fᵢ
  const F = Es.map(({ a, b }) => {
    const rows = new Map<number, Float64Array>();
    for (let e = 0; e < a.length; e++) {
      let r = rows.get(a[e]);
      if (!r) rows.set(a[e], (r = new Float64Array(p)));
      for (let k = 0; k < p; k++) r[k] += Y[b[e] * p + k];
    }
    return rows;
  });
  const fCross = (rows: Map<number, Float64Array>, m: Float64Array): Matrix => {
    const o = zeros(p, p);
    for (const [a, f] of rows)
      for (let k = 0; k < p; k++) {
        if (f[k] === 0) continue;
        for (let l = 0; l < p; l++) o[k][l] += f[k] * m[a * p + l];
      }
    return o;
  };
  const P: Matrix[] = F.map((rows) => fCross(rows, Y).map((r) => r.map((v) => -v)));
  P.push(R0.map((r) => r.map((v) => -v / (s2 * s2))));
  const SF = F.map((rows) => {
    const o = new Float64Array(q * p);
    for (const [a, f] of rows)
      for (let i = 0; i < q; i++) {
        const s = S[at(i, a)];
        if (s === 0) continue;
        for (let k = 0; k < p; k++) o[i * p + k] += s * f[k];
      }
    return o;
  });
  // Q[i][j] for all i, j (Q[j][i] = Q[i][j]ᵀ)
  const Q: Matrix[][] = Array.from({ length: ng }, () => new Array<Matrix>(ng));
  for (let i = 0; i < nre; i++) {
    for (let j = i; j < nre; j++) {
      Q[i][j] = fCross(F[i], SF[j]);
      Q[j][i] = Q[i][j][0].map((_, c) => Q[i][j].map((r) => r[c]));
    }
    Q[i][nre] = fCross(F[i], U);
    Q[nre][i] = Q[i][nre][0].map((_, c) => Q[i][nre].map((r) => r[c]));
  }
  Q[nre][nre] = R0.map((r, k) => r.map((v, l) => (v - YKY[k][l]) / (s2 * s2 * s2)));

  // tr(M Gᵢ M Gⱼ)
  const Kt = zeros(ng, ng);
  for (let i = 0; i < nre; i++) {
    const Ei = Es[i];
    for (let j = i; j < nre; j++) {
      const Ej = Es[j];
      let s = 0;
      for (let e = 0; e < Ei.a.length; e++) {
        const ra = Ei.a[e];
        const rb = Ei.b[e] * q;
        for (let f = 0; f < Ej.a.length; f++) s += S[rb + Ej.a[f]] * S[Ej.b[f] * q + ra];
      }
      Kt[i][j] = Kt[j][i] = s;
    }
    let s = 0;
    for (let e = 0; e < Ei.a.length; e++) s += S2at(Ei.b[e], Ei.a[e]);
    Kt[i][nre] = Kt[nre][i] = s;
  }
  Kt[nre][nre] = (n - 2 * trKA + trKAKA) / (s2 * s2);

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
export function krTest(L: Matrix, kr: KenwardRoger): KrTest {
  const q = L.length;
  const Phi = kr.vcov;
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
