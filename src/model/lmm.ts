/**
 * Linear mixed models by profiled deviance (lme4 / MixedModels.jl). The model object owns the
 * frame, the conditioned blocks and the resident system; the cross-products are formed once,
 * each objective evaluation is `objective(updateL(setTheta(sys, θ̃)))` and never touches the n
 * observations again. A new response (a refit) recomputes only the response's cross-products.
 */
import type { Backend } from '../backend/kernels';
import type { ModelFrame } from '../frame/types';
import { DataError, FitError } from '../errors';
import { minimize } from '../optim/minimize';
import {
  betaFromTilde,
  bFromTilde,
  conditionalVarB,
  leastSquares,
  remlCorrection,
  thetaFromTilde,
  tildeFromTheta,
  vcovFromTilde,
  type FixedConditioning,
  type RandomConditioning,
} from './conditioning';
import { conditionalVarU } from './condvar';
import { betterStart, momentStart } from './start';
import type { Control } from './control';
import { checkConvergence } from './convergence';
import type { MixedEstimates } from './estimates';
import { finiteDifferenceDerivatives } from './hessian';
import { EvaluationLog, type ProgressCallback } from './optsummary';
import { linearPredictor } from './predict';
import { checkResponseVaries, combineOffsets } from './response';
import { isSingular } from './singular';
import {
  conditionedSystem,
  lambdaU,
  logdetRe,
  logdetX,
  pwrss,
  setTheta,
  solveUBeta,
  updateCrossprod,
  updateL,
  updateResponseCrossprod,
  type MixedSystem,
} from './system';
import { fixedEffectsCovariance } from './vcov';

/** Per-row inputs beyond the formula (validated by the caller, one value per kept row). */
export interface LmmInputs {
  /** Prior weights, or null. */
  weights: Float64Array | null;
  /** Offset from the `offset` option, added to any formula `offset()` terms; or null. */
  offset: Float64Array | null;
}

export interface LmmSettings {
  /** REML (true, lme4's default) or maximum likelihood. */
  REML: boolean;
  control: Control;
  onProgress?: ProgressCallback;
}

/** What an LMM fit estimates, in lme4's units (read off the factor at the optimum). */
export interface LmmEstimates extends MixedEstimates {
  REML: boolean;
  /** The objective at the optimum: the REML criterion or the ML deviance. */
  fval: number;
  /** Linear predictor (= fitted values) on the kept rows. */
  fitted: Float64Array;
}

/** An LMM resident in a backend: the blocked system plus everything the objective needs. */
export class LmmModel {
  readonly kind = 'lmm';
  readonly n: number;
  readonly p: number;
  readonly sys: MixedSystem;
  readonly fixedCond: FixedConditioning;
  readonly randomCond: RandomConditioning;
  /** Prior weights per kept row, or null (unit weights). */
  readonly weights: Float64Array | null;
  /** Total offset per kept row (formula terms plus the option), or null. */
  readonly offset: Float64Array | null;
  /** Σ log wᵢ over the positive weights (0 without weights): their term of the log-likelihood. */
  readonly sumLogWeights: number;
  /**
   * Observations that carry information: those with a positive weight. Rows of weight 0 add
   * nothing to the cross-products and are left out of the likelihood (lme4 returns -Inf).
   */
  readonly nInformative: number;
  /** Messages about the model's inputs (e.g. rows with weight 0). */
  readonly messages: string[] = [];
  private currentY: Float64Array | null = null;
  /** Least-squares coefficients (in X̃'s units) removed from the current response. */
  private gamma: Float64Array;

  /** Builds the blocked system and copies the design into the backend heap (once). */
  constructor(
    readonly frame: ModelFrame,
    readonly backend: Backend,
    readonly inputs: LmmInputs,
  ) {
    const n = frame.n;
    const p = frame.xNames.length;
    this.n = n;
    this.p = p;
    ({
      fixedCond: this.fixedCond,
      randomCond: this.randomCond,
      sys: this.sys,
    } = conditionedSystem(frame, backend));
    this.weights = inputs.weights;
    this.offset = combineOffsets(frame.offset, inputs.offset, n);
    let slw = 0;
    let zero = 0;
    if (this.weights) for (const w of this.weights) w > 0 ? (slw += Math.log(w)) : zero++;
    this.sumLogWeights = slw;
    this.nInformative = n - zero;
    if (zero > 0) {
      this.messages.push(
        `${zero} observation${zero === 1 ? ' has' : 's have'} weight 0 and carr${zero === 1 ? 'ies' : 'y'} no information: left out of the likelihood`,
      );
    }
    if (this.nInformative <= p) {
      throw new DataError(
        `only ${this.nInformative} observations have a positive weight, not more than the ${p} fixed effects`,
        'weights',
      );
    }
    if (this.weights) backend.heap.f64.set(this.weights, this.sys.off.w);
    this.gamma = new Float64Array(p);
    this.setResponse(frame.response.y);
  }

  /** The response the system currently holds (before the offset is removed). */
  get y(): Float64Array {
    return this.currentY as Float64Array;
  }

  /**
   * Mutates the system for a new response on the same design: removes the offset and the
   * least-squares fit on X̃, then recomputes only the response's cross-products.
   */
  setResponse(y: Float64Array): void {
    if (y === this.currentY) return;
    const { n, p, sys } = this;
    const name = this.frame.response.name;
    checkResponseVaries(y, this.weights, name);
    const adj = new Float64Array(n);
    for (let i = 0; i < n; i++) adj[i] = y[i] - (this.offset ? this.offset[i] : 0);
    const h = this.backend.heap;
    const xt = h.f64.subarray(sys.off.xRows, sys.off.xRows + n * p);
    const { gamma, residual } = leastSquares(xt, n, p, adj, this.weights);
    h.f64.set(residual, sys.off.y);
    let maxAdj = 0;
    let maxRes = 0;
    for (let i = 0; i < n; i++) {
      maxAdj = Math.max(maxAdj, Math.abs(adj[i]));
      maxRes = Math.max(maxRes, Math.abs(residual[i]));
    }
    if (maxRes <= 1e-12 * maxAdj) {
      throw new DataError(
        `the response '${name}' is fitted exactly by the fixed effects (all residuals are 0)`,
        name,
      );
    }
    const first = this.currentY === null;
    this.gamma = gamma;
    this.currentY = y;
    if (first) updateCrossprod(sys, this.weights !== null);
    else updateResponseCrossprod(sys, this.weights !== null);
  }

  /** The profiled deviance (ML) or REML criterion for the factor currently in L, for X as given. */
  objective(REML: boolean): number {
    const { sys, p } = this;
    const n = this.nInformative;
    const dof = REML ? n - p : n;
    let d =
      logdetRe(sys) - this.sumLogWeights + dof * (1 + Math.log((2 * Math.PI * pwrss(sys)) / dof));
    if (REML) d += logdetX(sys) + remlCorrection(this.fixedCond);
    return d;
  }

  /** Objective at θ̃; Infinity where the system is not positive definite. Mutates the system. */
  devianceAt(thetaTilde: readonly number[], REML: boolean): number {
    const status = updateL(setTheta(this.sys, thetaTilde));
    if (status !== 0) return Infinity;
    const d = this.objective(REML);
    return Number.isFinite(d) ? d : Infinity;
  }

  /** θ in lme4's units from the optimizer's θ̃, and back. */
  thetaFromTilde(tt: ArrayLike<number>): number[] {
    return thetaFromTilde(this.randomCond, tt);
  }

  tildeFromTheta(theta: ArrayLike<number>): number[] {
    return tildeFromTheta(this.randomCond, theta);
  }

  /** Reads every estimate off the factor at θ̃ (which must be the last θ̃ evaluated). */
  estimatesAt(
    thetaTilde: readonly number[],
    REML: boolean,
  ): Omit<LmmEstimates, 'optimizer' | 'messages' | 'timings' | 'singular'> {
    const fval = this.devianceAt(thetaTilde, REML);
    if (!Number.isFinite(fval)) {
      throw new FitError('the mixed-model equations are not positive definite at the optimum');
    }
    const { sys, n, p, frame } = this;
    const sigma = Math.sqrt(pwrss(sys) / (REML ? this.nInformative - p : this.nInformative));
    const { u, beta: betaResid } = solveUBeta(sys);
    const betaTilde = betaResid.map((v, j) => v + this.gamma[j]);
    const beta = betaFromTilde(this.fixedCond, betaTilde);
    const vcov = vcovFromTilde(this.fixedCond, fixedEffectsCovariance(sys, sigma));
    const bTilde = lambdaU(sys, u);
    const fitted = linearPredictor(frame.X, n, beta, this.offset, sys.lay, bTilde);
    return {
      REML,
      theta: this.thetaFromTilde(thetaTilde),
      beta,
      vcov,
      sigma,
      fval,
      logLik: -fval / 2,
      b: bFromTilde(this.randomCond, bTilde),
      condVarB: conditionalVarB(this.randomCond, thetaTilde, conditionalVarU(sys)),
      fitted,
    };
  }
}

/** Fits the model: optimizes θ̃, checks the optimum, then reads every result off the factor. */
export function fitLmm(m: LmmModel, settings: LmmSettings): LmmEstimates {
  const { control, REML } = settings;
  const t0 = performance.now();
  const re = m.randomCond.re;
  const log = new EvaluationLog(settings.onProgress);
  const objective = (tt: readonly number[]): number => {
    const d = m.devianceAt(tt, REML);
    log.record(m.thetaFromTilde(tt), d);
    return d;
  };
  const residual = m.backend.heap.f64.subarray(m.sys.off.y, m.sys.off.y + m.n);
  const start = control.optimizer.start
    ? m.tildeFromTheta(control.optimizer.start)
    : betterStart([momentStart(re, residual, m.weights), re.start], objective);
  const startEvaluations = log.history.length;
  const opt = minimize(objective, start, {
    method: control.optimizer.method,
    lower: re.lower,
    upper: re.lower.map(() => Infinity),
    rhobeg: control.optimizer.rhobeg,
    rhoend: control.optimizer.rhoend,
    maxEval: control.optimizer.maxEval,
  });
  const t1 = performance.now();
  const tt = opt.x;
  const singular = isSingular(re.lower, tt, control.checks.singularTol);
  const messages: string[] = [];
  let converged = opt.converged;
  if (!opt.converged) messages.push(`optimizer (${opt.method}) did not converge: ${opt.message}`);
  if (m.n <= control.checks.nobsMax) {
    const interior = tt.map((v, i) => !(re.lower[i] === 0 && v < control.checks.singularTol));
    const d = finiteDifferenceDerivatives((x) => m.devianceAt(x, REML), tt, control.derivativeStep);
    const check = checkConvergence(d, interior, control.checks);
    converged &&= check.converged;
    messages.push(...check.messages);
  }
  const est = m.estimatesAt(tt, REML);
  const t2 = performance.now();
  return {
    ...est,
    singular,
    messages,
    optimizer: {
      method: opt.method,
      evaluations: opt.evaluations + startEvaluations,
      converged,
      messages: [opt.message],
      // a given start as given (the round trip through the conditioning adds rounding)
      start: control.optimizer.start ? [...control.optimizer.start] : m.thetaFromTilde(start),
      lower: [...re.lower],
      fval: est.fval,
      history: log.history,
      control,
    },
    timings: { optimize: t1 - t0, finish: t2 - t1 },
  };
}
