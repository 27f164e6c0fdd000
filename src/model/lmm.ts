/**
 * Linear mixed models by profiled deviance (lme4 / MixedModels.jl). The cross-products are formed
 * once; each objective evaluation is `objective(updateL(setTheta(sys, θ)))` and never touches the
 * n observations again.
 */
import type { Backend } from '../backend/kernels';
import type { ModelFrame } from '../frame/types';
import { FitError } from '../errors';
import { minimize } from '../optim/minimize';
import { EvaluationLog, type ProgressCallback } from './optsummary';
import { conditionalVarU } from './condvar';
import { buildLayout } from './layout';
import { buildReStructure } from './reblocks';
import {
  allocateSystem,
  logdetRe,
  logdetX,
  pwrss,
  updateCrossprod,
  setTheta,
  lambdaU,
  solveUBeta,
  updateL,
  type MixedSystem,
} from './system';
import { ranefGroups } from '../results/ranef';
import type { MerFitData } from '../results/types';
import { varCorrRows } from '../results/varcorr';
import { fixedEffectsCovariance } from './vcov';
import { linearPredictor } from './predict';
import { coreFields } from '../results/assemble';

export interface LmmSettings {
  /** REML (true, lme4's default) or maximum likelihood. */
  REML: boolean;
  /** Called after each objective evaluation. */
  onProgress?: ProgressCallback;
}

/** An LMM ready for the optimizer: the resident system plus what the objective needs. */
export interface LmmModel {
  sys: MixedSystem;
  n: number;
  p: number;
  REML: boolean;
}

/** Builds the blocked system and copies the cross-products into the backend heap (once). */
export function buildLmm(frame: ModelFrame, backend: Backend, REML: boolean): LmmModel {
  const n = frame.n;
  const p = frame.xNames.length;
  const re = buildReStructure(frame.randomTerms, n);
  const lay = buildLayout(re.blocks, n, p);
  const sys = allocateSystem(backend, re, lay, rowMajor(frame.X, n, p));
  const f = backend.heap.f64;
  const y = frame.response.y;
  for (let i = 0; i < n; i++) f[sys.off.y + i] = y[i] - (frame.offset ? frame.offset[i] : 0);
  updateCrossprod(sys, false);
  return { sys, n, p, REML };
}

/** Row-major copy of a column-major n×p matrix. */
export function rowMajor(x: Float64Array, n: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) out[i * p + j] = x[i + j * n];
  return out;
}

/** The profiled deviance (ML) or REML criterion for the factor currently in L. */
export function objective(m: LmmModel): number {
  const { sys, n, p, REML } = m;
  const dof = REML ? n - p : n;
  let d = logdetRe(sys) + dof * (1 + Math.log((2 * Math.PI * pwrss(sys)) / dof));
  if (REML) d += logdetX(sys);
  return d;
}

/** Objective at θ; Infinity where the system is not positive definite. Mutates the system. */
export function devianceAt(m: LmmModel, theta: readonly number[]): number {
  const status = updateL(setTheta(m.sys, theta));
  if (status !== 0) return Infinity;
  const d = objective(m);
  return Number.isFinite(d) ? d : Infinity;
}

/** Fits the model: optimizes θ, then reads every result off the final factor. */
export function fitLmm(frame: ModelFrame, backend: Backend, settings: LmmSettings): MerFitData {
  const t0 = performance.now();
  const m = buildLmm(frame, backend, settings.REML);
  const t1 = performance.now();
  const { re } = m.sys;
  const log = new EvaluationLog(settings.onProgress);
  const opt = minimize(
    (theta) => {
      const d = devianceAt(m, theta);
      log.record(theta, d);
      return d;
    },
    re.start,
    { lower: re.lower, upper: re.lower.map(() => Infinity), rhobeg: 0.2, rhoend: 1e-5 },
  );
  const t2 = performance.now();
  const theta = opt.x;
  const fval = devianceAt(m, theta);
  if (!Number.isFinite(fval)) {
    throw new FitError('the mixed-model equations are not positive definite at the optimum');
  }
  const result = lmmResults(m, frame, theta, fval);
  const t3 = performance.now();
  return {
    ...result,
    optimizer: {
      method: opt.method,
      evaluations: opt.evaluations,
      converged: opt.converged,
      messages: [opt.message],
      start: [...re.start],
      lower: [...re.lower],
      fval,
      history: log.history,
    },
    backend: `${backend.name}${backend.variant === 'js' ? '' : `-${backend.variant}`}`,
    timings: { frame: 0, setup: t1 - t0, optimize: t2 - t1, finish: t3 - t2, total: t3 - t0 },
  };
}

/** Everything lme4 reports, from the factor at the optimum. */
function lmmResults(
  m: LmmModel,
  frame: ModelFrame,
  theta: number[],
  fval: number,
): Omit<MerFitData, 'optimizer' | 'backend' | 'timings'> {
  const { sys, n, p, REML } = m;
  const { re, lay } = sys;
  const sigma = Math.sqrt(pwrss(sys) / (REML ? n - p : n));
  const { u, beta } = solveUBeta(sys);
  const vcov = fixedEffectsCovariance(sys, sigma);
  const b = lambdaU(sys, u);
  const ranef = ranefGroups(lay, theta, b, conditionalVarU(sys), sigma);
  const fitted = linearPredictor(frame, lay, beta, b);
  const y = frame.response.y;
  const residuals = fitted.map((f, i) => y[i] - f);
  const df = p + re.nTheta + 1;
  return {
    ...coreFields({
      frame,
      re,
      theta,
      beta,
      vcov,
      sigma,
      logLik: -fval / 2,
      df,
      messages: frame.messages,
    }),
    family: 'gaussian',
    link: 'identity',
    REML,
    nAGQ: null,
    REMLcrit: REML ? fval : null,
    varCorr: varCorrRows(re, theta, sigma, true),
    ranef,
    fitted: Array.from(fitted),
    residuals: Array.from(residuals),
  };
}
