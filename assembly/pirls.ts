// The PIRLS driver kernel (port of src/backend/js/pirls.ts; contract: PirlsKernels in
// src/backend/kernels.ts; fields in ./descriptor): linear predictor, μ and deviance, working
// weights and response, the penalised update through the blocked Cholesky, step halving and
// the convergence test, all over resident buffers. `pd` is the descriptor's BYTE address.

import {
  PIRLS_B,
  PIRLS_BETA,
  PIRLS_BETA_NEW,
  PIRLS_ETA,
  PIRLS_FAMILY,
  PIRLS_FIXED,
  PIRLS_LINK,
  PIRLS_MAX_ITER,
  PIRLS_MU,
  PIRLS_NO_CONVERGENCE,
  PIRLS_NOT_PD,
  PIRLS_OFFSET,
  PIRLS_OK,
  PIRLS_OUT_FACTORED,
  PIRLS_OUT_ITER,
  PIRLS_P,
  PIRLS_PRIOR_WT,
  PIRLS_Q,
  PIRLS_REAL_NB_THETA,
  PIRLS_REAL_PDEV,
  PIRLS_REAL_TOL,
  PIRLS_REAL_NOISE,
  PIRLS_REALS,
  PIRLS_STEP_FAILED,
  PIRLS_SYS_JOINT,
  PIRLS_SYS_U,
  PIRLS_U,
  PIRLS_U_NEW,
  PIRLS_Y,
  SYS_N,
  SYS_W,
  SYS_X,
  SYS_XSOL,
  SYS_Y,
} from './descriptor';
import { glmMuDevSum, glmWorkingWeightsResid } from './glm';
import { f64At, field, i32At, ld, st } from './mem';
import { fixedPredictor } from './predictor';
import {
  systemAddRandomEffects,
  systemCrossprod,
  systemFactor,
  systemLambdaU,
  systemSolve,
} from './system';

/** An optional f64 array (-1 = none) as a byte address (0 = none). */
function optionalF64(pd: usize, f: i32): usize {
  const off = field(pd, f);
  return off < 0 ? 0 : (<usize>off) << 3;
}

/** fixed := offset + X β. */
function setFixed(pd: usize, sdJ: usize, beta: usize): void {
  fixedPredictor(
    field(sdJ, SYS_N),
    field(pd, PIRLS_P),
    f64At(sdJ, SYS_X),
    beta,
    optionalF64(pd, PIRLS_OFFSET),
    f64At(pd, PIRLS_FIXED),
  );
}

/** η, μ at spherical effects u (fixed as set); returns Σ devResid + |u|². */
function penalisedDeviance(pd: usize, sdJ: usize, u: usize): f64 {
  const b = f64At(pd, PIRLS_B);
  systemLambdaU(sdJ, u, b);
  const n = field(sdJ, SYS_N);
  systemAddRandomEffects(sdJ, b, f64At(pd, PIRLS_FIXED), f64At(pd, PIRLS_ETA));
  const q = field(pd, PIRLS_Q);
  let uu = 0.0;
  for (let j = 0; j < q; j++) uu += ld(u, j) * ld(u, j);
  const reals = f64At(pd, PIRLS_REALS);
  return (
    glmMuDevSum(
      field(pd, PIRLS_FAMILY),
      field(pd, PIRLS_LINK),
      n,
      f64At(pd, PIRLS_Y),
      f64At(pd, PIRLS_ETA),
      f64At(pd, PIRLS_MU),
      f64At(pd, PIRLS_PRIOR_WT),
      ld(reals, PIRLS_REAL_NB_THETA),
    ) + uu
  );
}

/** b := (a + b) / 2 over len values (a step halving). */
function halve(a: usize, b: usize, len: i32): void {
  for (let j = 0; j < len; j++) st(b, j, (ld(a, j) + ld(b, j)) / 2.0);
}

/** Largest |b - a| relative to max(1, |b|). */
function maxStep(a: usize, b: usize, len: i32): f64 {
  let m = 0.0;
  for (let j = 0; j < len; j++) {
    m = Math.max(m, Math.abs(ld(b, j) - ld(a, j)) / Math.max(1.0, Math.abs(ld(b, j))));
  }
  return m;
}

export function pirlsRun(pd: usize, joint: i32, fromData: i32): i32 {
  const sdJ = i32At(pd, PIRLS_SYS_JOINT);
  const sd = joint != 0 ? sdJ : i32At(pd, PIRLS_SYS_U);
  const n = field(sdJ, SYS_N);
  const q = field(pd, PIRLS_Q);
  const p = field(pd, PIRLS_P);
  const family = field(pd, PIRLS_FAMILY);
  const link = field(pd, PIRLS_LINK);
  const reals = f64At(pd, PIRLS_REALS);
  const nbTheta = ld(reals, PIRLS_REAL_NB_THETA);
  const tol = ld(reals, PIRLS_REAL_TOL);
  const noise = ld(reals, PIRLS_REAL_NOISE);
  const u = f64At(pd, PIRLS_U);
  const uNew = f64At(pd, PIRLS_U_NEW);
  const beta = f64At(pd, PIRLS_BETA);
  const betaNew = f64At(pd, PIRLS_BETA_NEW);
  const x = f64At(sd, SYS_XSOL); // u (q), then β (p)
  const fixedForZ = joint != 0 ? optionalF64(pd, PIRLS_OFFSET) : f64At(pd, PIRLS_FIXED);

  let pdevOld = Infinity;
  if (fromData == 0) {
    setFixed(pd, sdJ, beta);
    pdevOld = penalisedDeviance(pd, sdJ, u);
  }
  let converged = false;
  let prevStep: f64 = Infinity;
  let iterations = 0;
  const maxIter = field(pd, PIRLS_MAX_ITER);
  while (iterations < maxIter && !converged) {
    iterations++;
    glmWorkingWeightsResid(
      family,
      link,
      n,
      f64At(pd, PIRLS_Y),
      f64At(pd, PIRLS_ETA),
      fixedForZ,
      f64At(pd, PIRLS_MU),
      f64At(pd, PIRLS_PRIOR_WT),
      f64At(sd, SYS_W),
      f64At(sd, SYS_Y),
      nbTheta,
    );
    systemCrossprod(sd, 1);
    store<i32>(pd + ((<usize>PIRLS_OUT_FACTORED) << 2), joint);
    if (systemFactor(sd) != 0) return PIRLS_NOT_PD;
    systemSolve(sd, joint != 0 ? 0 : 1);
    memory.copy(uNew, x, (<usize>q) << 3);
    if (joint != 0) {
      memory.copy(betaNew, x + ((<usize>q) << 3), (<usize>p) << 3);
      setFixed(pd, sdJ, betaNew);
    }
    let pdev = penalisedDeviance(pd, sdJ, uNew);
    // Step halving while the penalised deviance goes up; rises at its rounding level are not
    // rises (near the mode pdev is flat and halving a good Newton step would stop short).
    const slack = 1e-11 * Math.abs(pdevOld);
    for (let h = 0; h < 10 && !(pdev <= pdevOld + slack); h++) {
      halve(u, uNew, q);
      if (joint != 0) {
        halve(beta, betaNew, p);
        setFixed(pd, sdJ, betaNew);
      }
      pdev = penalisedDeviance(pd, sdJ, uNew);
    }
    if (!(pdev <= pdevOld + slack)) return PIRLS_STEP_FAILED;
    // pdev is stationary at the mode; log|L| is not: converge on the step in (u, β).
    // A step below `noise` that is no smaller than the last one is rounding noise: converged.
    const step = maxStep(u, uNew, q) + (joint != 0 ? maxStep(beta, betaNew, p) : 0.0);
    converged = step <= tol || (step <= noise && step >= prevStep);
    prevStep = step;
    memory.copy(u, uNew, (<usize>q) << 3);
    if (joint != 0) memory.copy(beta, betaNew, (<usize>p) << 3);
    pdevOld = pdev;
  }
  st(reals, PIRLS_REAL_PDEV, pdevOld);
  store<i32>(pd + ((<usize>PIRLS_OUT_ITER) << 2), iterations);
  return converged ? PIRLS_OK : PIRLS_NO_CONVERGENCE;
}
