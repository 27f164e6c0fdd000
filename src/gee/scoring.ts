/**
 * geepack's estimation (geese.fit → gee_est, gee_var) over a resident model: the start from R's
 * glm.fit, then Fisher scoring for β, the moment (one-Newton-step) updates of the scale φ and
 * the working correlation α, in geepack's order and with its stopping rule, and finally the
 * model-based and sandwich covariances at the estimates.
 */
import { FitError } from '../errors';
import { choleskyLower, solveLower, solveLowerTrans } from '../math/cholesky';
import type { Family } from '../model/family';
import type { GeeResident } from './resident';

/** Stopping rule and limits (geese.control's epsilon and maxit). */
export interface ScoringControl {
  epsilon: number;
  maxit: number;
}

export interface ScoringResult {
  beta: Float64Array;
  /** The correlation parameters (empty for independence). */
  alpha: Float64Array;
  /** The scale φ. */
  scale: number;
  /** Model-based covariance H⁻¹ (p×p column-major). */
  vcovNaive: Float64Array;
  /** Robust sandwich H⁻¹ (Σ U_i U_iᵀ) H⁻¹. */
  vcovRobust: Float64Array;
  iterations: number;
  converged: boolean;
  /** Iterations of the GLM start. */
  glmIterations: number;
  messages: string[];
}

/** Step halvings before a step that keeps μ invalid is given up. */
const MAX_HALVINGS = 60;
/** glm.control()'s epsilon and maxit. */
const GLM_EPSILON = 1e-8;
const GLM_MAXIT = 25;

/** x := H⁻¹ g via Cholesky; null when H is not positive definite. */
function solve(h: Float64Array, g: Float64Array, p: number): Float64Array | null {
  const l = choleskyLower(h, p);
  if (l === null) return null;
  const x = Float64Array.from(g);
  solveLower(l, p, x);
  solveLowerTrans(l, p, x);
  return x;
}

/** H⁻¹ (p×p column-major) via Cholesky; null when H is not positive definite. */
export function inverse(h: Float64Array, p: number): Float64Array | null {
  const l = choleskyLower(h, p);
  if (l === null) return null;
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const e = new Float64Array(p);
    e[j] = 1;
    solveLower(l, p, e);
    solveLowerTrans(l, p, e);
    out.set(e, j * p);
  }
  return out;
}

/** A·B·A for p×p column-major matrices. */
function sandwich(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const ab = new Float64Array(p * p);
  for (let j = 0; j < p; j++)
    for (let k = 0; k < p; k++) {
      const bkj = b[k + j * p];
      for (let i = 0; i < p; i++) ab[i + j * p] += a[i + k * p] * bkj;
    }
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++)
    for (let k = 0; k < p; k++) {
      const akj = a[k + j * p];
      for (let i = 0; i < p; i++) out[i + j * p] += ab[i + k * p] * akj;
    }
  // exactly symmetric (rounding leaves the two products a last bit apart)
  for (let j = 0; j < p; j++)
    for (let i = j + 1; i < p; i++) {
      const v = 0.5 * (out[i + j * p] + out[j + i * p]);
      out[i + j * p] = out[j + i * p] = v;
    }
  return out;
}

const maxAbs = (x: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
};

function singular(what: string): FitError {
  return new FitError(
    `${what} is not positive definite: the model matrix is rank deficient within the rows used, or the fit diverged`,
  );
}

/**
 * β + Δ, halving Δ until every μ is valid for the family (geepack's update_beta; glm.fit
 * halves likewise). Leaves the Pearson residuals of the returned β in the resident buffer.
 */
function stepWithValidMu(m: GeeResident, beta: Float64Array, delta: Float64Array) {
  const next = new Float64Array(beta.length);
  for (let halvings = 0; ; halvings++) {
    for (let j = 0; j < beta.length; j++) next[j] = beta[j] + delta[j];
    const sums = m.residuals(next);
    if (sums.bad === 0) return { beta: next, delta, sums };
    if (halvings === MAX_HALVINGS) {
      throw new FitError(
        `no step of the Fisher scoring keeps the fitted means valid for the family (${sums.bad} rows out of range)`,
      );
    }
    delta = delta.map((v) => v / 2);
  }
}

/**
 * R's glm.fit start (geeglm's `start <- glmFit$coef`): the first weighted least-squares step
 * from the family's mustart, then Fisher scoring (the same steps as glm.fit's IRLS) under
 * glm.fit's own stopping rule, |dev - dev_old| / (|dev| + 0.1) < 1e-8 within 25 iterations, so
 * that geepack's iterations start where it starts (for non-canonical links the iterates close
 * in only linearly, and the start shows in geepack's answer).
 */
function glmStart(m: GeeResident, family: Family): { beta: Float64Array; iterations: number } {
  const { y, w, offset } = m.d;
  const n = m.n;
  const z = new Float64Array(n);
  const w0 = new Float64Array(n);
  let devOld = 0;
  for (let i = 0; i < n; i++) {
    const mu = family.mustart(y[i], w[i]);
    const eta = family.linkfun(mu);
    const me = family.muEta(eta);
    z[i] = eta - (offset ? offset[i] : 0) + (y[i] - mu) / me;
    w0[i] = (w[i] * me * me) / family.variance(mu);
    devOld += family.devResid(y[i], mu, w[i]);
  }
  const first = m.wlsCrossprod(z, w0);
  let beta = solve(first.h, first.g, m.p);
  if (beta === null) throw singular("the GLM start's cross-product matrix X'WX");
  let sums = m.residuals(beta);
  if (sums.bad > 0) {
    throw new FitError(
      'the GLM start gives fitted means outside the range of the family; try another link',
    );
  }
  for (let it = 1; it <= GLM_MAXIT; it++) {
    if (Math.abs(sums.dev - devOld) / (Math.abs(sums.dev) + 0.1) < GLM_EPSILON) {
      return { beta, iterations: it };
    }
    devOld = sums.dev;
    const cp = m.glmCrossprod(beta);
    const delta = solve(cp.h, cp.g, m.p);
    if (delta === null) throw singular("the GLM start's information matrix");
    const step = stepWithValidMu(m, beta, delta);
    beta = step.beta;
    sums = step.sums;
  }
  return { beta, iterations: GLM_MAXIT };
}

/**
 * The fit. `alphaCheck` turns a correlation equation without information (h = 0 for a
 * parameter) into the caller's error before the first solve.
 */
export function scoreGee(
  m: GeeResident,
  family: Family,
  control: ScoringControl,
  alphaCheck: (h: Float64Array) => void,
): ScoringResult {
  const p = m.p;
  const messages: string[] = [];
  const hasAlpha = m.d.corstrCode !== 0;
  const start = glmStart(m, family);
  let beta = start.beta;
  const alpha = new Float64Array(hasAlpha ? m.q : 0);
  // geese.fit's start of the scale: mean squared Pearson residual at x %*% b, without offset
  let scale = m.residuals(beta, false).sr / m.n;
  let iterations = 0;
  let converged = false;
  const checkPd = (failed: number) => {
    if (failed >= 0) {
      throw new FitError(
        `the working correlation (alpha = ${Array.from(alpha, (a) => a.toPrecision(6)).join(', ')}) is not positive definite for cluster '${m.d.layout.labels[failed]}'`,
      );
    }
  };
  while (iterations < control.maxit) {
    iterations++;
    const cp = m.crossprod(beta, scale, alpha, false);
    checkPd(cp.failed);
    const delta = solve(cp.h, cp.g, p);
    if (delta === null) throw singular('the information matrix of the mean parameters');
    const step = stepWithValidMu(m, beta, delta);
    beta = step.beta;
    const dBeta = maxAbs(step.delta);
    // the scale by moments: Σ w pr² / Σ w (geepack's one Newton step of its linear equation)
    const newScale = step.sums.swr / step.sums.sw;
    const dScale = Math.abs(newScale - scale);
    scale = newScale;
    let dAlpha = 0;
    if (hasAlpha) {
      const am = m.alphaMoments(scale, alpha);
      alphaCheck(am.h);
      for (let k = 0; k < alpha.length; k++) {
        const d = am.g[k] / am.h[k];
        alpha[k] += d;
        dAlpha = Math.max(dAlpha, Math.abs(d));
      }
    }
    if (Math.max(dBeta, dScale, dAlpha) <= control.epsilon) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    messages.push(
      `the estimating equations did not converge in ${control.maxit} iterations (epsilon ${control.epsilon})`,
    );
  }
  const fin = m.crossprod(beta, scale, alpha, true);
  checkPd(fin.failed);
  const hinv = inverse(fin.h, p);
  if (hinv === null) throw singular('the information matrix of the mean parameters');
  return {
    beta,
    alpha,
    scale,
    vcovNaive: hinv,
    vcovRobust: sandwich(hinv, fin.meat as Float64Array, p),
    iterations,
    converged,
    glmIterations: start.iterations,
    messages,
  };
}
