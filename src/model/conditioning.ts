/**
 * Conditioning of the model matrices before their cross-products are formed, so that fits are
 * invariant to shifting and rescaling the response and the covariates (lme4 works on the n rows
 * at every evaluation and does not need this; we form [Z X y]ᵀ[Z X y] once and read the
 * residual sum of squares off its Cholesky factor, where a badly scaled column would cost digits).
 *
 * - Fixed effects: X̃ = X C with the non-intercept columns centred (when X has an intercept) and
 *   scaled to unit spread, so β = C β̃ and Var(β) = C Var(β̃) Cᵀ. The REML criterion depends on
 *   the parameterisation of X through log det(XᵀV⁻¹X); it is reported for X as given (lme4).
 * - Random effects: Z = Z̃ G per block (columns scaled to unit spread, and centred where that
 *   keeps the model, see BlockConditioning); the optimizer works on θ̃, the relative covariance
 *   factor of b̃ = G b, with lme4's start (the identity) on that scale.
 * - Response (LMMs): the least-squares fit of y on X̃ is removed before the cross-products are
 *   formed (the profiled deviance is invariant to y → y − X̃γ; β̃ gets γ back).
 */
import { choleskyLower, solveLower, solveLowerTrans } from '../math/cholesky';
import { accurateMean } from '../math/mean';
import { fillT, type ReBlock, type ReStructure } from './reblocks';

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
    const m = intercept >= 0 ? accurateMean(col) : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (col[i] - m) ** 2;
    const s = Math.sqrt(ss / n);
    center[j] = m;
    scale[j] = Number.isFinite(s) && s > 0 ? s : 1;
  }
  return { p, intercept, center, scale };
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

/**
 * How one block's Z is conditioned: Z = Z̃ G, so b̃ = G b and Σ̃ = G Σ Gᵀ. G is diagonal (each
 * column divided by its root mean square) unless the block is one unstructured term with an
 * intercept column: then the other columns are also centred (G gets the means in the
 * intercept's row), which keeps the model (an unstructured Σ maps onto an unstructured Σ̃)
 * and makes it invariant to shifting a covariate of a random slope. For restricted structures
 * (`||`, amalgamated terms) centring would change the model, so only scaling is done.
 */
export interface BlockConditioning {
  /** True when G is diagonal: T̃ = G T element by element, and θ maps one to one. */
  diagonal: boolean;
  /** G and G⁻¹, v×v column-major. */
  g: Float64Array;
  gInv: Float64Array;
}

/** The random-effects structure on conditioned columns, and the map between θ and θ̃. */
export interface RandomConditioning {
  /** The same blocks with Z replaced by Z̃ = Z G⁻¹. */
  re: ReStructure;
  /** Per block (in `re.blocks` order). */
  blocks: BlockConditioning[];
}

function isIntercept(z: Float64Array, v: number, c: number): boolean {
  for (let i = c; i < z.length; i += v) if (z[i] !== 1) return false;
  return true;
}

function conditionBlock(b: ReBlock): { cond: BlockConditioning; z: Float64Array } {
  const { v, z } = b;
  const n = z.length / v;
  const unstructured = b.terms.length === 1 && b.slots.length === (v * (v + 1)) / 2;
  let k0 = -1;
  if (unstructured && v > 1) for (let c = 0; c < v && k0 < 0; c++) if (isIntercept(z, v, c)) k0 = c;
  const m = new Float64Array(v);
  if (k0 >= 0) {
    for (let c = 0; c < v; c++) {
      if (c === k0) continue;
      const col = Float64Array.from({ length: n }, (_, i) => z[i * v + c]);
      m[c] = accurateMean(col);
    }
  }
  const s = new Float64Array(v);
  for (let i = 0; i < n; i++) for (let c = 0; c < v; c++) s[c] += (z[i * v + c] - m[c]) ** 2;
  for (let c = 0; c < v; c++) {
    const r = Math.sqrt(s[c] / n);
    s[c] = Number.isFinite(r) && r > 0 ? r : 1;
  }
  // Z = Z̃ G with G[c, c] = s_c and G[k0, c] = m_c: z_c = s_c z̃_c + m_c z_k0.
  const g = new Float64Array(v * v);
  const gInv = new Float64Array(v * v);
  for (let c = 0; c < v; c++) {
    g[c + c * v] = s[c];
    gInv[c + c * v] = 1 / s[c];
    if (k0 >= 0 && c !== k0) {
      g[k0 + c * v] = m[c];
      gInv[k0 + c * v] = -m[c] / s[c];
    }
  }
  const zt = new Float64Array(z.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < v; c++)
      zt[i * v + c] = (z[i * v + c] - m[c] * (k0 >= 0 ? z[i * v + k0] : 0)) / s[c];
  }
  return { cond: { diagonal: k0 < 0, g, gInv }, z: zt };
}

export function conditionRandom(re: ReStructure): RandomConditioning {
  const conds: BlockConditioning[] = [];
  const blocks = re.blocks.map((b) => {
    const { cond, z } = conditionBlock(b);
    conds.push(cond);
    return { ...b, z };
  });
  return { re: { ...re, blocks }, blocks: conds };
}

/** out = A B for v×v column-major matrices. */
function mul(a: Float64Array, b: Float64Array, v: number): Float64Array {
  const out = new Float64Array(v * v);
  for (let i = 0; i < v; i++) {
    for (let j = 0; j < v; j++) {
      let x = 0;
      for (let k = 0; k < v; k++) x += a[i + k * v] * b[k + j * v];
      out[i + j * v] = x;
    }
  }
  return out;
}

/** out = A Bᵀ for v×v column-major matrices. */
function mulTrans(a: Float64Array, b: Float64Array, v: number): Float64Array {
  const out = new Float64Array(v * v);
  for (let i = 0; i < v; i++) {
    for (let j = 0; j < v; j++) {
      let x = 0;
      for (let k = 0; k < v; k++) x += a[i + k * v] * b[j + k * v];
      out[i + j * v] = x;
    }
  }
  return out;
}

/** T' = chol(H T Tᵀ Hᵀ) for one block, through its θ slots (H = G or G⁻¹). */
function mapBlockTheta(
  b: ReBlock,
  h: Float64Array,
  diagonal: boolean,
  from: ArrayLike<number>,
  out: number[],
): void {
  const v = b.v;
  if (diagonal) {
    for (const s of b.slots) out[s.thetaIndex] = h[s.row + s.row * v] * from[s.thetaIndex];
    return;
  }
  const t = new Float64Array(v * v);
  fillT(b, from, t, 0);
  const ht = mul(h, t, v);
  const cov = mulTrans(ht, ht, v);
  const l = choleskyLower(cov, v, true) as Float64Array;
  for (const s of b.slots) out[s.thetaIndex] = l[s.row + s.col * v];
}

/** θ (lme4's units) from θ̃. */
export function thetaFromTilde(rc: RandomConditioning, tt: ArrayLike<number>): number[] {
  const out = Array.from(tt);
  rc.re.blocks.forEach((b, k) =>
    mapBlockTheta(b, rc.blocks[k].gInv, rc.blocks[k].diagonal, tt, out),
  );
  return out;
}

/** θ̃ from θ (lme4's units). */
export function tildeFromTheta(rc: RandomConditioning, theta: ArrayLike<number>): number[] {
  const out = Array.from(theta);
  rc.re.blocks.forEach((b, k) =>
    mapBlockTheta(b, rc.blocks[k].g, rc.blocks[k].diagonal, theta, out),
  );
  return out;
}

/** b = G⁻¹ b̃ level by level, for b̃ in layout order (`re.blocks` order). */
export function bFromTilde(rc: RandomConditioning, bt: Float64Array): Float64Array {
  const b = new Float64Array(bt.length);
  let off = 0;
  rc.re.blocks.forEach((blk, k) => {
    const { gInv } = rc.blocks[k];
    const v = blk.v;
    for (let m = 0; m < blk.nl; m++) {
      const base = off + m * v;
      for (let r = 0; r < v; r++) {
        let x = 0;
        for (let c = 0; c < v; c++) x += gInv[r + c * v] * bt[base + c];
        b[base + r] = x;
      }
    }
    off += blk.nl * v;
  });
  return b;
}

/**
 * Conditional covariance of b given y, divided by σ², per block and level (v×v column-major,
 * nl·v·v values per block): G⁻¹ T̃ Var(u | y) T̃ᵀ G⁻ᵀ, with Var(u | y) from conditionalVarU.
 */
export function conditionalVarB(
  rc: RandomConditioning,
  thetaTilde: ArrayLike<number>,
  varU: Float64Array[],
): Float64Array[] {
  return rc.re.blocks.map((blk, k) => {
    const v = blk.v;
    const t = new Float64Array(v * v);
    fillT(blk, thetaTilde, t, 0);
    const a = mul(rc.blocks[k].gInv, t, v); // G⁻¹ T̃
    const out = new Float64Array(blk.nl * v * v);
    for (let m = 0; m < blk.nl; m++) {
      const vu = varU[k].subarray(m * v * v, (m + 1) * v * v);
      out.set(mulTrans(mul(a, vu, v), a, v), m * v * v);
    }
    return out;
  });
}

/**
 * Least-squares fit of y on the row-major n×p X̃ (weights w, or unit weights), by the normal
 * equations of the well-conditioned X̃ with two passes of iterative refinement, so that the
 * residual y − X̃γ keeps its digits even when y has a large mean or trend. γ is 0 when p = 0 or
 * X̃ᵀWX̃ is not positive definite.
 */
export function leastSquares(
  xt: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  w: Float64Array | null,
): { gamma: Float64Array; residual: Float64Array } {
  const gamma = new Float64Array(p);
  const residual = Float64Array.from(y);
  if (p === 0) return { gamma, residual };
  const g = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    for (let a = 0; a < p; a++) {
      const xa = wi * xt[i * p + a];
      for (let c = 0; c <= a; c++) g[a + c * p] += xa * xt[i * p + c];
    }
  }
  const l = choleskyLower(g, p);
  if (l === null) return { gamma, residual };
  const rhs = new Float64Array(p);
  for (let pass = 0; pass < 3; pass++) {
    rhs.fill(0);
    for (let i = 0; i < n; i++) {
      const wr = (w ? w[i] : 1) * residual[i];
      for (let a = 0; a < p; a++) rhs[a] += xt[i * p + a] * wr;
    }
    solveLower(l, p, rhs);
    solveLowerTrans(l, p, rhs);
    for (let a = 0; a < p; a++) gamma[a] += rhs[a];
    for (let i = 0; i < n; i++) {
      let r = y[i];
      for (let a = 0; a < p; a++) r -= xt[i * p + a] * gamma[a];
      residual[i] = r;
    }
  }
  return { gamma, residual };
}
