/**
 * Penalised iteratively reweighted least squares over buffers resident in the backend heap.
 * Every pass over the n observations is a kernel (linear predictor, family/link update,
 * deviance, cross-products); TypeScript only sequences them and holds the q- and p-sized state.
 *
 * Two modes, as lme4: `joint` updates u and β together (nAGQ = 0 and the first stage of every
 * fit); otherwise β is held fixed and only u moves (Laplace and quadrature objectives).
 */
import type { Backend } from '../backend/kernels';
import { FitError } from '../errors';
import type { Family } from './family';
import type { GlmmResponse } from './glmmdata';
import { sphericalToBInto } from '../results/ranef';
import { solveUBeta, updateCrossprod, updateL, type MixedSystem } from './system';

/** Heap offsets of the per-observation GLMM buffers. */
export interface GlmmOffsets {
  y: number;
  priorWt: number;
  /** offset, or -1 when there is none. */
  offset: number;
  /** offset + Xβ. */
  fixed: number;
  eta: number;
  mu: number;
  /** Per-observation scratch (deviance residuals). */
  scratch: number;
  /** b = Λu in layout order (q), and β (p). */
  b: number;
  beta: number;
}

export interface PirlsState {
  /** The system with the fixed effects: u and β together (joint PIRLS, R_X). */
  sys: MixedSystem;
  /** The same random effects without X, sharing sys's observation arrays: u alone, β fixed. */
  sysU: MixedSystem;
  /** The system last factored by PIRLS (whose L goes with the current mode). */
  factored: MixedSystem;
  fam: Family;
  n: number;
  p: number;
  q: number;
  off: GlmmOffsets;
  /** Current spherical random effects and fixed effects. */
  u: Float64Array;
  beta: Float64Array;
  /** Convergence tolerance on the largest PIRLS step in u and β, relative to max(1, |value|). */
  tol: number;
}

/** Copies the response, weights and offset into the heap (once per fit). */
export function createPirlsState(
  sys: MixedSystem,
  sysU: MixedSystem,
  fam: Family,
  resp: GlmmResponse,
): PirlsState {
  const h = sys.backend.heap;
  const { n, p, q } = sys.lay;
  const off: GlmmOffsets = {
    y: h.allocF64(n),
    priorWt: h.allocF64(n),
    offset: resp.offset ? h.allocF64(n) : -1,
    fixed: h.allocF64(n),
    eta: h.allocF64(n),
    mu: h.allocF64(n),
    scratch: h.allocF64(n),
    b: h.allocF64(Math.max(1, q)),
    beta: h.allocF64(Math.max(1, p)),
  };
  const f = h.f64;
  f.set(resp.y, off.y);
  f.set(resp.priorWt, off.priorWt);
  if (resp.offset) f.set(resp.offset, off.offset);
  return {
    sys,
    sysU,
    factored: sys,
    fam,
    n,
    p,
    q,
    off,
    u: new Float64Array(q),
    beta: new Float64Array(p),
    tol: 1e-11,
  };
}

function kernels(st: PirlsState): Backend['kernels'] {
  return st.sys.backend.kernels;
}

/** R's family$initialize: mu from the data, eta = g(mu); u = 0. The start of the first PIRLS. */
export function initializeFromData(st: PirlsState): void {
  const f = st.sys.backend.heap.f64;
  const { off, fam, n } = st;
  for (let i = 0; i < n; i++) {
    const m = fam.mustart(f[off.y + i], f[off.priorWt + i]);
    f[off.mu + i] = m;
    f[off.eta + i] = fam.linkfun(m);
  }
  st.u.fill(0);
  st.beta.fill(0);
}

/** offset + Xβ into `fixed`. */
function setFixed(st: PirlsState, beta: Float64Array): void {
  const { sys, off, n, p } = st;
  sys.backend.heap.f64.set(beta, off.beta);
  kernels(st).fixedPredictor(n, p, sys.off.x, off.beta, off.offset, off.fixed);
}

/** η, μ and the penalised deviance for (u, β): Σ devResid + |u|². Uses `fixed` as set. */
function penalisedDeviance(st: PirlsState, theta: ArrayLike<number>, u: Float64Array): number {
  const { sys, off, n, fam } = st;
  const k = kernels(st);
  const lay = sys.lay;
  sphericalToBInto(lay, theta, u, sys.backend.heap.f64, off.b);
  const q1 = lay.first.nl * lay.first.v;
  const sumVt = lay.tailBlocks.reduce((s, b) => s + b.v, 0);
  k.addRandomEffects(
    n,
    lay.first.v,
    sys.off.refs1,
    sys.off.z1,
    lay.tailBlocks.length,
    sys.off.tailRow,
    sys.off.tailV,
    sys.off.zTail,
    sumVt,
    off.b,
    off.b + q1,
    off.fixed,
    off.eta,
  );
  let uu = 0;
  for (let j = 0; j < u.length; j++) uu += u[j] * u[j];
  return (
    k.glmMuDevSum(fam.code, fam.link.code, n, off.y, off.eta, off.mu, off.priorWt, nbTheta(fam)) +
    uu
  );
}

export function nbTheta(fam: Family): number {
  return Number.isNaN(fam.theta) ? 0 : fam.theta;
}

/**
 * Working weights and response at the current η into the (shared) w and y; recomputes the
 * cross-products and refactors L of the joint system or of the u-only one.
 */
export function reweight(st: PirlsState, joint: boolean): void {
  const { off, n, fam } = st;
  const sys = joint ? st.sys : st.sysU;
  kernels(st).glmWorkingWeightsResid(
    fam.code,
    fam.link.code,
    n,
    off.y,
    off.eta,
    joint ? off.offset : off.fixed,
    off.mu,
    off.priorWt,
    sys.off.w,
    sys.off.y,
    nbTheta(fam),
  );
  updateCrossprod(sys, true);
  st.factored = sys;
  const status = updateL(sys);
  if (status !== 0) {
    throw new FitError(
      'PIRLS: the penalised weighted system is not positive definite; try nAGQ: 0 or rescaling the predictors',
    );
  }
}

/**
 * Runs PIRLS to convergence at θ (T must already be set). With `fromData`, starts from the
 * family's initial μ (no valid u, β yet); otherwise from the state's current u and β.
 * Leaves L factored at the converged weights and returns the penalised deviance.
 */
export function pirls(
  st: PirlsState,
  theta: ArrayLike<number>,
  joint: boolean,
  fromData = false,
): number {
  let u = st.u;
  let beta = st.beta;
  let pdevOld = Infinity;
  if (!fromData) {
    setFixed(st, beta);
    pdevOld = penalisedDeviance(st, theta, u);
  }
  let converged = false;
  for (let iter = 0; iter < 100 && !converged; iter++) {
    reweight(st, joint);
    const sol = solveUBeta(st.factored, !joint);
    let uNew = sol.u;
    let betaNew = joint ? sol.beta : beta;
    if (joint) setFixed(st, betaNew);
    let pdev = penalisedDeviance(st, theta, uNew);
    // Step halving while the penalised deviance goes up (lme4: at most 10 halvings). Increases
    // at the rounding level of pdev are not increases: near the mode pdev is flat, and halving
    // a good Newton step there would leave u short of the mode.
    const slack = 1e-11 * Math.abs(pdevOld);
    for (let k = 0; k < 10 && !(pdev <= pdevOld + slack); k++) {
      uNew = mid(u, uNew);
      if (joint) {
        betaNew = mid(beta, betaNew);
        setFixed(st, betaNew);
      }
      pdev = penalisedDeviance(st, theta, uNew);
    }
    if (!(pdev <= pdevOld + slack)) {
      throw new FitError(
        'PIRLS step failed to reduce the penalised deviance; try nAGQ: 0 or rescaling the predictors',
      );
    }
    converged ||= maxStep(u, uNew) + maxStep(beta, betaNew) <= st.tol;
    u = uNew;
    beta = betaNew;
    pdevOld = pdev;
  }
  if (!converged) {
    throw new FitError(
      'PIRLS did not converge in 100 iterations; try nAGQ: 0 or rescaling the predictors',
    );
  }
  st.u = u;
  st.beta = Float64Array.from(beta);
  // η and μ are those of the accepted iterate. L was factored at the weights of the iterate
  // before it, which differs by less than the convergence tolerance — close enough for the
  // Laplace log-determinant (and smooth enough for finite-difference Hessians), so no
  // refactorization here.
  return pdevOld;
}

/** Largest |b - a| relative to max(1, |b|). */
function maxStep(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++)
    m = Math.max(m, Math.abs(b[i] - a[i]) / Math.max(1, Math.abs(b[i])));
  return m;
}

function mid(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] + b[i]) / 2;
  return out;
}
