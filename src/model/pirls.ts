/**
 * Penalised iteratively reweighted least squares, run by one backend kernel (`pirlsRun`, in
 * AssemblyScript for the wasm backend and TypeScript for the js one) over buffers resident in
 * the backend heap: linear predictor, μ and deviance, working weights and response, the
 * penalised update through the blocked Cholesky, step halving and the convergence test. This
 * module owns the buffers and the PIRLS descriptor (assembly/descriptor.ts) and turns the
 * kernel's status into errors.
 *
 * Two modes, as lme4: `joint` updates u and β together (nAGQ = 0 and the first stage of every
 * fit) in the system with the X columns; otherwise β is held fixed and only u moves
 * (Laplace and quadrature objectives), in the system without them.
 */
import * as D from '../../assembly/descriptor';
import { FitError } from '../errors';
import type { PirlsControl } from './control';
import { leastSquares } from './conditioning';
import type { Family } from './family';
import type { GlmmResponse } from './glmmdata';
import { updateCrossprod, updateL, type MixedSystem } from './system';

/** Heap offsets of the GLMM buffers (f64 unless noted). */
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
  /** b = Λu in layout order (q). */
  b: number;
  /** Per-group sums for adaptive quadrature (q: one per level of the single scalar term). */
  groupDev: number;
  /** Current and candidate u (q) and β (p) of the PIRLS kernel. */
  u: number;
  uNew: number;
  beta: number;
  betaNew: number;
  /** f64 record [nbTheta, tol, pdev]. */
  reals: number;
  /** i32 offset of the PIRLS descriptor. */
  desc: number;
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
  /** Current spherical random effects and fixed effects (copied to and from the heap). */
  u: Float64Array;
  beta: Float64Array;
  /** Convergence tolerance and iteration cap (the descriptor holds the cap). */
  control: PirlsControl;
}

/** Copies the response, weights and offset into the heap and writes the PIRLS descriptor. */
export function createPirlsState(
  sys: MixedSystem,
  sysU: MixedSystem,
  fam: Family,
  resp: GlmmResponse,
  control: PirlsControl,
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
    groupDev: h.allocF64(Math.max(1, q)),
    u: h.allocF64(Math.max(1, q)),
    uNew: h.allocF64(Math.max(1, q)),
    beta: h.allocF64(Math.max(1, p)),
    betaNew: h.allocF64(Math.max(1, p)),
    reals: h.allocF64(D.PIRLS_REAL_FIELDS),
    desc: h.allocI32(D.PIRLS_FIELDS),
  };
  const f = h.f64;
  f.set(resp.priorWt, off.priorWt);
  if (resp.offset) f.set(resp.offset, off.offset);
  const fields: [number, number][] = [
    [D.PIRLS_SYS_JOINT, sys.desc],
    [D.PIRLS_SYS_U, sysU.desc],
    [D.PIRLS_Y, off.y],
    [D.PIRLS_PRIOR_WT, off.priorWt],
    [D.PIRLS_OFFSET, off.offset],
    [D.PIRLS_FIXED, off.fixed],
    [D.PIRLS_ETA, off.eta],
    [D.PIRLS_MU, off.mu],
    [D.PIRLS_U, off.u],
    [D.PIRLS_U_NEW, off.uNew],
    [D.PIRLS_BETA, off.beta],
    [D.PIRLS_BETA_NEW, off.betaNew],
    [D.PIRLS_B, off.b],
    [D.PIRLS_Q, q],
    [D.PIRLS_P, p],
    [D.PIRLS_REALS, off.reals],
  ];
  const i32 = h.i32;
  for (const [field, value] of fields) i32[off.desc + field] = value;
  const st: PirlsState = {
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
    control,
  };
  setPirlsFamily(st, fam);
  setPirlsControl(st, control);
  setPirlsResponse(st, resp.y);
  return st;
}

/** Mutates the state: the family (and negative binomial θ) the kernel uses. */
export function setPirlsFamily(st: PirlsState, fam: Family): void {
  const h = st.sys.backend.heap;
  st.fam = fam;
  h.i32[st.off.desc + D.PIRLS_FAMILY] = fam.code;
  h.i32[st.off.desc + D.PIRLS_LINK] = fam.link.code;
  h.f64[st.off.reals + D.PIRLS_REAL_NB_THETA] = nbTheta(fam);
}

/** Mutates the state: tolerance and iteration cap. */
export function setPirlsControl(st: PirlsState, control: PirlsControl): void {
  st.control = control;
  st.sys.backend.heap.i32[st.off.desc + D.PIRLS_MAX_ITER] = control.maxIter;
}

/** Mutates the state: the response (on the family's scale) in the heap. */
export function setPirlsResponse(st: PirlsState, y: Float64Array): void {
  st.sys.backend.heap.f64.set(y, st.off.y);
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

/**
 * The working response and weights of one IRLS step from the current η and μ (the GLM without
 * random effects, at the family's initial μ after initializeFromData), with the working
 * response less its weighted least-squares fit on X: what momentStart needs for a GLMM.
 */
export function workingResiduals(st: PirlsState): {
  residual: Float64Array;
  weights: Float64Array;
} {
  const { off, n, p, fam } = st;
  const sys = st.sys;
  const k = sys.backend.kernels;
  k.glmWorkingWeightsResid(
    fam.code,
    fam.link.code,
    n,
    off.y,
    off.eta,
    off.offset,
    off.mu,
    off.priorWt,
    sys.off.w,
    sys.off.y,
    nbTheta(fam),
  );
  const f = sys.backend.heap.f64;
  const weights = f.slice(sys.off.w, sys.off.w + n);
  const z = f.slice(sys.off.y, sys.off.y + n);
  const xRows = f.subarray(sys.off.xRows, sys.off.xRows + n * p);
  return { residual: leastSquares(xRows, n, p, z, weights).residual, weights };
}

export function nbTheta(fam: Family): number {
  return Number.isNaN(fam.theta) ? 0 : fam.theta;
}

/**
 * Working weights and response at the current η into the (shared) w and y; recomputes the
 * cross-products and refactors L of the joint system (for R_X at the current mode) or of the
 * u-only one.
 */
export function reweight(st: PirlsState, joint: boolean): void {
  const { off, n, fam } = st;
  const sys = joint ? st.sys : st.sysU;
  sys.backend.kernels.glmWorkingWeightsResid(
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
  if (updateL(sys) !== 0) throw notPositiveDefinite();
}

/** |η| beyond which a binomial mean is 0 or 1 to about 1e-13 (logit) or closer (probit, cloglog). */
const SEPARATED_ETA = 30;

/**
 * What to try after PIRLS failed. A binomial linear predictor that ran off to ±30 at the last
 * iterate means fitted probabilities of 0 or 1: the usual cause is (quasi-)complete separation,
 * where no finite estimate exists, and rescaling would not help.
 */
function divergenceAdvice(st: PirlsState): string {
  const generic = 'try nAGQ: 0 or rescaling the predictors';
  if (st.fam.kind !== 'binomial') return generic;
  const f = st.sys.backend.heap.f64;
  let worst = 0;
  let row = -1;
  for (let i = 0; i < st.n; i++) {
    const a = Math.abs(f[st.off.eta + i]);
    if (a > worst) [worst, row] = [a, i];
  }
  if (!(worst > SEPARATED_ETA)) return generic;
  return (
    `the linear predictor reached ${f[st.off.eta + row].toPrecision(3)} at model row ${row + 1} ` +
    '(a fitted probability of 0 or 1): the fixed effects probably separate the response ' +
    '(complete or quasi-complete separation), so some estimate is infinite; ' +
    'check the predictors that split the 0s from the 1s, or combine their levels'
  );
}

function notPositiveDefinite(): FitError {
  return new FitError(
    'PIRLS: the penalised weighted system is not positive definite; try nAGQ: 0 or rescaling the predictors',
  );
}

/**
 * Runs PIRLS to convergence at the θ set in both systems. With `fromData`, starts from the
 * family's initial μ (no valid u, β yet); otherwise from the state's current u and β. Leaves
 * L factored at the (converged) weights and η, μ at the mode; returns the penalised deviance.
 */
export function pirls(st: PirlsState, joint: boolean, fromData = false): number {
  const { off, sys } = st;
  const h = sys.backend.heap;
  h.f64.set(st.u, off.u);
  h.f64.set(st.beta, off.beta);
  h.f64[off.reals + D.PIRLS_REAL_TOL] = st.control.tol;
  h.f64[off.reals + D.PIRLS_REAL_NOISE] = st.control.noise;
  const status = sys.backend.kernels.pirlsRun(off.desc, joint ? 1 : 0, fromData ? 1 : 0);
  const f = h.f64;
  st.factored = h.i32[off.desc + D.PIRLS_OUT_FACTORED] === 1 ? st.sys : st.sysU;
  switch (status) {
    case D.PIRLS_OK:
      break;
    case D.PIRLS_NOT_PD:
      throw notPositiveDefinite();
    case D.PIRLS_STEP_FAILED:
      throw new FitError(
        `PIRLS step failed to reduce the penalised deviance; ${divergenceAdvice(st)}`,
      );
    default:
      throw new FitError(
        `PIRLS did not converge in ${st.control.maxIter} iterations; ${divergenceAdvice(st)}`,
      );
  }
  st.u = Float64Array.from(f.subarray(off.u, off.u + st.q));
  st.beta = Float64Array.from(f.subarray(off.beta, off.beta + st.p));
  return f[off.reals + D.PIRLS_REAL_PDEV];
}
