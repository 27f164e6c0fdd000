/**
 * Conditioning of the model matrices before their cross-products are formed, so that fits are
 * invariant to shifting and rescaling the response and the covariates (lme4 works on the n rows
 * at every evaluation and does not need this; we form [Z X y]ᵀ[Z X y] once and read the
 * residual sum of squares off its Cholesky factor, where a badly scaled column would cost digits).
 *
 * - Fixed effects: X̃ = X C with the non-intercept columns centred (when X has an intercept) and
 *   scaled to unit spread, so β = C β̃ and Var(β) = C Var(β̃) Cᵀ. The REML criterion depends on
 *   the parameterisation of X through log det(XᵀV⁻¹X); it is reported for X as given (lme4).
 * - Random effects: each column of a block's Z is divided by its root mean square s (no
 *   centring: that would change the model for restricted covariance structures such as `||`).
 *   Then b̃ = S b and the relative covariance factor T̃ = S T keeps its pattern; the optimizer
 *   works on θ̃ = the elements of T̃, with lme4's start (the identity) on that scale.
 * - Response (LMMs): the least-squares fit of y on X̃ is removed before the cross-products are
 *   formed (the profiled deviance is invariant to y → y − X̃γ; β̃ gets γ back).
 */
import type { ReBlock, ReStructure } from './reblocks';

/** β = C β̃ with C = [intercept row: 1, −m_j/s_j; diagonal 1/s_j]. */
export interface FixedConditioning {
  p: number;
  /** Column of X that is the intercept (all ones), or -1. */
  intercept: number;
  /** Per column: the centre subtracted (0 for the intercept and when there is none). */
  center: Float64Array;
  /** Per column: the divisor (1 for the intercept). */
  scale: Float64Array;
}

/** Centres and scales of the columns of the column-major n×p matrix X. */
export function conditionFixed(X: Float64Array, n: number, p: number): FixedConditioning {
  let intercept = -1;
  for (let j = 0; j < p && intercept < 0; j++) {
    let ones = true;
    for (let i = 0; i < n && ones; i++) ones = X[i + j * n] === 1;
    if (ones) intercept = j;
  }
  const center = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    if (j === intercept) continue;
    const col = X.subarray(j * n, (j + 1) * n);
    const m = intercept >= 0 ? mean(col) : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (col[i] - m) ** 2;
    const s = Math.sqrt(ss / n);
    center[j] = m;
    scale[j] = Number.isFinite(s) && s > 0 ? s : 1;
  }
  return { p, intercept, center, scale };
}

/** Mean with one correction pass (exact for columns such as x + 1e9). */
function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  let m = s / x.length;
  let r = 0;
  for (const v of x) r += v - m;
  m += r / x.length;
  return m;
}

/** X̃ = X C as a ROW-major n×p matrix (the layout the kernels read). */
export function conditionedXRowMajor(
  cond: FixedConditioning,
  X: Float64Array,
  n: number,
): Float64Array {
  const { p, center, scale } = cond;
  const out = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const m = center[j];
    const s = scale[j];
    for (let i = 0; i < n; i++) out[i * p + j] = (X[i + j * n] - m) / s;
  }
  return out;
}

/** β = C β̃. */
export function betaFromTilde(cond: FixedConditioning, bt: ArrayLike<number>): Float64Array {
  const { p, intercept, center, scale } = cond;
  const beta = new Float64Array(p);
  for (let j = 0; j < p; j++) beta[j] = bt[j] / scale[j];
  if (intercept >= 0) {
    for (let j = 0; j < p; j++) if (j !== intercept) beta[intercept] -= center[j] * beta[j];
  }
  return beta;
}

/** β̃ = C⁻¹ β. */
export function tildeFromBeta(cond: FixedConditioning, beta: ArrayLike<number>): Float64Array {
  const { p, intercept, center, scale } = cond;
  const bt = new Float64Array(p);
  for (let j = 0; j < p; j++) bt[j] = beta[j] * scale[j];
  if (intercept >= 0) {
    for (let j = 0; j < p; j++) if (j !== intercept) bt[intercept] += center[j] * beta[j];
  }
  return bt;
}

/** Var(β) = C Var(β̃) Cᵀ. */
export function vcovFromTilde(cond: FixedConditioning, vt: number[][]): number[][] {
  const { p } = cond;
  if (vt.length === 0) return [];
  // C as columns: column k of C is betaFromTilde(e_k).
  const cols = Array.from({ length: p }, (_, k) => {
    const e = new Float64Array(p);
    e[k] = 1;
    return betaFromTilde(cond, e);
  });
  const cv = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => {
      let s = 0;
      for (let k = 0; k < p; k++) s += cols[k][i] * vt[k][j];
      return s;
    }),
  );
  return Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => {
      let s = 0;
      for (let k = 0; k < p; k++) s += cv[i][k] * cols[k][j];
      return s;
    }),
  );
}

/** 2 Σ log s_j: REML criterion for X = REML criterion for X̃ + this. */
export function remlCorrection(cond: FixedConditioning): number {
  let s = 0;
  for (const v of cond.scale) s += Math.log(v);
  return 2 * s;
}

/** Root mean square of each column of a block's Z (1 where it is 0). */
function columnScales(b: ReBlock): Float64Array {
  const { v, z } = b;
  const n = z.length / v;
  const s = new Float64Array(v);
  for (let i = 0; i < n; i++) for (let c = 0; c < v; c++) s[c] += z[i * v + c] ** 2;
  for (let c = 0; c < v; c++) {
    const r = Math.sqrt(s[c] / n);
    s[c] = Number.isFinite(r) && r > 0 ? r : 1;
  }
  return s;
}

/** The random-effects structure on unit-RMS columns, and θ's divisor per element. */
export interface RandomConditioning {
  /** The same blocks with Z divided column-wise by `blockScales`. */
  re: ReStructure;
  /** Per block (in `re.blocks` order): the v column scales s. */
  blockScales: Float64Array[];
  /** θ = θ̃ / thetaScale (element-wise, lme4's θ order). */
  thetaScale: Float64Array;
}

export function conditionRandom(re: ReStructure): RandomConditioning {
  const thetaScale = new Float64Array(re.nTheta).fill(1);
  const blockScales: Float64Array[] = [];
  const blocks = re.blocks.map((b) => {
    const s = columnScales(b);
    blockScales.push(s);
    for (const slot of b.slots) thetaScale[slot.thetaIndex] = s[slot.row];
    const z = new Float64Array(b.z.length);
    for (let i = 0; i < z.length; i++) z[i] = b.z[i] / s[i % b.v];
    return { ...b, z };
  });
  return { re: { ...re, blocks }, blockScales, thetaScale };
}

/** θ (lme4's units) from θ̃. */
export function thetaFromTilde(rc: RandomConditioning, tt: ArrayLike<number>): number[] {
  return Array.from(tt, (v, k) => v / rc.thetaScale[k]);
}

/** θ̃ from θ (lme4's units). */
export function tildeFromTheta(rc: RandomConditioning, theta: ArrayLike<number>): number[] {
  return Array.from(theta, (v, k) => v * rc.thetaScale[k]);
}

/** b = S⁻¹ b̃ for b̃ in layout order (blocks as in `lay`, i.e. `re.blocks` order). */
export function bFromTilde(rc: RandomConditioning, bt: Float64Array): Float64Array {
  const b = new Float64Array(bt.length);
  let off = 0;
  rc.re.blocks.forEach((blk, k) => {
    const s = rc.blockScales[k];
    for (let m = 0; m < blk.nl; m++) {
      for (let c = 0; c < blk.v; c++) b[off + m * blk.v + c] = bt[off + m * blk.v + c] / s[c];
    }
    off += blk.nl * blk.v;
  });
  return b;
}

/**
 * Least-squares coefficients γ of y on the row-major n×p X̃ (weights w, or unit weights), by
 * the normal equations of the well-conditioned X̃ with two passes of iterative refinement, so
 * that y − X̃γ keeps its digits even when y has a large mean or trend. Returns γ (zeros when
 * p = 0 or X̃ᵀWX̃ is not positive definite).
 */
export function leastSquares(
  xt: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  w: Float64Array | null,
): Float64Array {
  const gamma = new Float64Array(p);
  if (p === 0) return gamma;
  const g = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    for (let a = 0; a < p; a++) {
      const xa = wi * xt[i * p + a];
      for (let c = 0; c <= a; c++) g[a + c * p] += xa * xt[i * p + c];
    }
  }
  if (!choleskyInPlace(g, p)) return gamma;
  const r = new Float64Array(n);
  const rhs = new Float64Array(p);
  for (let pass = 0; pass < 3; pass++) {
    for (let i = 0; i < n; i++) {
      let s = y[i];
      for (let a = 0; a < p; a++) s -= xt[i * p + a] * gamma[a];
      r[i] = s;
    }
    rhs.fill(0);
    for (let i = 0; i < n; i++) {
      const wr = (w ? w[i] : 1) * r[i];
      for (let a = 0; a < p; a++) rhs[a] += xt[i * p + a] * wr;
    }
    choleskySolve(g, p, rhs);
    for (let a = 0; a < p; a++) gamma[a] += rhs[a];
  }
  return gamma;
}

/** Lower Cholesky of the p×p column-major matrix (lower triangle); false if not PD. */
function choleskyInPlace(a: Float64Array, p: number): boolean {
  for (let j = 0; j < p; j++) {
    let d = a[j + j * p];
    for (let k = 0; k < j; k++) d -= a[j + k * p] ** 2;
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    a[j + j * p] = d;
    for (let i = j + 1; i < p; i++) {
      let s = a[i + j * p];
      for (let k = 0; k < j; k++) s -= a[i + k * p] * a[j + k * p];
      a[i + j * p] = s / d;
    }
  }
  return true;
}

/** x := (L Lᵀ)⁻¹ x for the factor from choleskyInPlace. */
function choleskySolve(l: Float64Array, p: number, x: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l[i + k * p] * x[k];
    x[i] = s / l[i + i * p];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < p; k++) s -= l[k + i * p] * x[k];
    x[i] = s / l[i + i * p];
  }
}
