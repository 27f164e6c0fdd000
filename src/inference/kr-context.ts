/**
 * What both Kenward–Roger paths (dense q×q and sparse) start from: the fit's β̂, Φ = vcov(β̂),
 * σ², X, the prior weights, the random-effects layout (blocks by grouping factor, level-major,
 * in the model's order) and the variance parameters' index sets Eᵢ (pbkrtest's G list).
 *
 * With prior weights W, V = σ²(W⁻¹ + ZΛΛᵀZᵀ): the σ² parameter's G is W⁻¹ (pbkrtest uses the
 * identity whatever the weights, i.e. the variance of an unweighted model). Every formula of the
 * unweighted case then holds with A = ZᵀWZ, B = ZᵀWX, XᵀWX and n the number of rows of positive
 * weight, because W⁻¹M = σ⁻²(I − ZKZᵀW) plays the part of σ⁻²(I − ZKZᵀ).
 */
import { FitError } from '../errors';
import type { LmmModel } from '../model/lmm';
import { buildReStructure, fillT, type ReStructure } from '../model/reblocks';
import type { MerFit } from '../results/fit';
import type { Matrix } from './linalg';

/** One variance parameter's E (q×q, symmetric 0/1 pattern) as the pairs (a[e], b[e]). */
export interface KrIndexSet {
  a: Int32Array;
  b: Int32Array;
}

export interface KrContext {
  fit: MerFit;
  model: LmmModel;
  names: string[];
  beta: number[];
  Phi: Matrix;
  /** Rows of the model frame, and those of positive weight (the trace of G_σ² M G_σ² M's n). */
  n: number;
  nInformative: number;
  p: number;
  q: number;
  s2: number;
  /** Column-major n×p. */
  X: Float64Array;
  /** Prior weights or null. */
  w: Float64Array | null;
  re: ReStructure;
  /** First random effect of each block. */
  offs: number[];
  /** Per block: the v×v lower-triangular T (column-major); Λ repeats it per level. */
  Ts: Float64Array[];
  /** The random-effects variance parameters (the σ² parameter comes after them). */
  Es: KrIndexSet[];
}

export function krContext(fit: MerFit): KrContext {
  const model = fit.model as LmmModel;
  const frame = model.frame;
  const n = frame.n;
  const names = fit.fixefNames.slice();
  const p = names.length;
  if (p !== frame.xNames.length || names.some((nm, j) => nm !== frame.xNames[j]))
    throw new FitError('the fit and its model frame disagree on the fixed effects');
  const re = buildReStructure(frame.randomTerms, n);
  const offs: number[] = [];
  let q = 0;
  for (const b of re.blocks) {
    offs.push(q);
    q += b.nl * b.v;
  }
  const Ts = re.blocks.map((b) => {
    const t = new Float64Array(b.v * b.v);
    fillT(b, fit.theta, t, 0);
    return t;
  });
  // the variance parameters: entries of Eᵢ per term element (lower triangle), as pbkrtest
  const Es: KrIndexSet[] = [];
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
  return {
    fit,
    model,
    names,
    beta: names.map((nm) => fit.fixef[nm]),
    Phi: fit.vcov.map((r) => r.slice()),
    n,
    nInformative: model.nInformative,
    p,
    q,
    s2: fit.sigma * fit.sigma,
    X: frame.X,
    w: model.weights,
    re,
    offs,
    Ts,
    Es,
  };
}

/**
 * Visits the non-zero entries of each observation's row of Z (global column, value), with the
 * observation's weight: the one pass over the data that builds ZᵀWZ, ZᵀWX and XᵀWX.
 */
export function forEachZRow(
  ctx: KrContext,
  visit: (i: number, idx: number[], val: number[], wi: number) => void,
): void {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < ctx.n; i++) {
    const wi = ctx.w ? ctx.w[i] : 1;
    idx.length = 0;
    val.length = 0;
    ctx.re.blocks.forEach((b, bi) => {
      const base = ctx.offs[bi] + b.refs[i] * b.v;
      for (let c = 0; c < b.v; c++) {
        const z = b.z[i * b.v + c];
        if (z !== 0) {
          idx.push(base + c);
          val.push(z);
        }
      }
    });
    visit(i, idx, val, wi);
  }
}

/** aᵀ b (p×p) for two row-major q×p matrices. */
export function crossQp(a: Float64Array, b: Float64Array, q: number, p: number): Matrix {
  const o: Matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let r = 0; r < q; r++)
    for (let k = 0; k < p; k++) {
      const x = a[r * p + k];
      if (x !== 0) for (let l = 0; l < p; l++) o[k][l] += x * b[r * p + l];
    }
  return o;
}

/** XᵀWX (p×p). */
export function crossXWX(ctx: KrContext): Matrix {
  const { n, p, X, w } = ctx;
  const out: Matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    for (let k = 0; k < p; k++) {
      const xk = X[i + k * n] * wi;
      if (xk !== 0) for (let l = 0; l < p; l++) out[k][l] += xk * X[i + l * n];
    }
  }
  return out;
}

/**
 * The ingredients of pbkrtest's vcovAdj_internal that depend on the data (q-sized work):
 * Kt[i][j] = tr(M Gᵢ M Gⱼ), Pᵢ = −Xᵀ M Gᵢ M X and Qᵢⱼ = Xᵀ M Gᵢ M Gⱼ M X.
 */
export interface KrIngredients {
  Kt: Matrix;
  P: Matrix[];
  Q: Matrix[][];
}

/**
 * Pᵢ and Qᵢⱼ from the q×p products (all in units of σ²-free "0" quantities, row-major q×p):
 * Y0 = σ² Zᵀ M X, SF0ᵢ = σ² (Zᵀ M Z) Fᵢ with Fᵢ = Eᵢ Zᵀ M X, U0 = σ⁴ Zᵀ M W⁻¹ M X,
 * R0 = σ⁴ Xᵀ M W⁻¹ M X and YKY = Y0ᵀ K Y0. Shared by both paths so that they differ only in
 * how those products are formed.
 */
export function pAndQ(
  ctx: KrContext,
  Y0: Float64Array,
  U0: Float64Array,
  R0: Matrix,
  YKY: Matrix,
  applyS0: (F: Float64Array) => Float64Array,
): { P: Matrix[]; Q: Matrix[][] } {
  const { p, q, s2, Es } = ctx;
  const nre = Es.length;
  const ng = nre + 1;
  const zeros = (): Matrix => Array.from({ length: p }, () => new Array<number>(p).fill(0));
  // Fᵢ = Eᵢ Y (Y = Y0/σ²) as dense q×p
  const F = Es.map(({ a, b }) => {
    const o = new Float64Array(q * p);
    for (let e = 0; e < a.length; e++)
      for (let k = 0; k < p; k++) o[a[e] * p + k] += Y0[b[e] * p + k] / s2;
    return o;
  });
  const cross = (a: Float64Array, b: Float64Array, scale: number): Matrix => {
    const o = zeros();
    for (let r = 0; r < q; r++)
      for (let k = 0; k < p; k++) {
        const x = a[r * p + k];
        if (x !== 0) for (let l = 0; l < p; l++) o[k][l] += x * b[r * p + l] * scale;
      }
    return o;
  };
  const P: Matrix[] = F.map((Fi) => cross(Fi, Y0, -1 / s2));
  P.push(R0.map((r) => r.map((v) => -v / (s2 * s2))));
  const SF = F.map((Fi) => applyS0(Fi)); // σ² S Fᵢ
  const t = (m: Matrix): Matrix => m[0].map((_, c) => m.map((r) => r[c]));
  const Q: Matrix[][] = Array.from({ length: ng }, () => new Array<Matrix>(ng));
  for (let i = 0; i < nre; i++) {
    for (let j = i; j < nre; j++) {
      Q[i][j] = cross(F[i], SF[j], 1 / s2);
      Q[j][i] = t(Q[i][j]);
    }
    Q[i][nre] = cross(F[i], U0, 1 / (s2 * s2));
    Q[nre][i] = t(Q[i][nre]);
  }
  Q[nre][nre] = R0.map((r, k) => r.map((v, l) => (v - YKY[k][l]) / (s2 * s2 * s2)));
  return { P, Q };
}
