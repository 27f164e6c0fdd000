/**
 * Generalized linear mixed models, as lme4's glmer: a first stage with β inside PIRLS (nAGQ = 0,
 * only θ optimized), then — unless nAGQ = 0 — θ and β optimized jointly on the Laplace
 * approximation (nAGQ = 1) or adaptive Gauss–Hermite quadrature (nAGQ > 1: one scalar term as
 * lme4's, or up to 3 effects per level of one grouping factor by the product rule of ./agq-vector).
 *
 * The model object owns the frame, the conditioned blocks, the two resident systems (with and
 * without the X columns) and the PIRLS buffers; a refit writes a new response into them.
 *
 * Deviances here are -2 × the full log-likelihood, constants included, for every nAGQ; lme4's
 * nAGQ > 1 deviance drops the saturated log-likelihood and is reported plus it (see README).
 */
import type { Backend } from '../backend/kernels';
import type { ModelFrame } from '../frame/types';
import { FitError, ModelSpecError } from '../errors';
import { minimize } from '../optim/minimize';
import type { OptimResult } from '../optim/types';
import { choleskyLower } from '../math/cholesky';
import { agqDeviance } from './agq';
import { AGQ_MAX_EFFECTS, agqVectorDeviance } from './agq-vector';
import {
  betaFromTilde,
  bFromTilde,
  conditionalVarB,
  thetaFromTilde,
  tildeFromTheta,
  vcovFromTilde,
  type FixedConditioning,
  type RandomConditioning,
} from './conditioning';
import { conditionalVarU } from './condvar';
import { momentStart } from './start';
import { defaultControl, type Control } from './control';
import { checkConvergence } from './convergence';
import type { MixedEstimates } from './estimates';
import type { Family } from './family';
import { glmmResponse, type GlmmResponse } from './glmmdata';
import {
  curvatureScales,
  finiteDifferenceDerivatives,
  invertSymmetric,
  type Derivatives,
} from './hessian';
import { EvaluationLog, type ProgressCallback } from './optsummary';
import {
  createPirlsState,
  initializeFromData,
  workingResiduals,
  pirls,
  reweight,
  setPirlsControl,
  setPirlsFamily,
  setPirlsResponse,
  type PirlsState,
} from './pirls';
import { buildLayout } from './layout';
import { isSingular } from './singular';
import { allocateSystem, conditionedSystem, lambdaU, logdetRe, setTheta } from './system';
import { fixedEffectsCovariance } from './vcov';

/** Per-row inputs beyond the formula (one value per kept row), or null. */
export interface GlmmInputs {
  weights: Float64Array | null;
  /** Offset from the `offset` option (added to any formula `offset()` terms). */
  offset: Float64Array | null;
}

export interface GlmmSettings {
  /** 0: β in PIRLS; 1: Laplace; k > 1: adaptive Gauss–Hermite with k nodes. */
  nAGQ: number;
  control: Control;
  onProgress?: ProgressCallback;
  /**
   * Skip the derivatives at the optimum (convergence checks and the Hessian's vcov, which then
   * is R_X's): for the inner fits of a search that refits many times (negative binomial θ).
   */
  skipDerivatives?: boolean;
}

/** What a GLMM fit estimates, in lme4's units. */
export interface GlmmEstimates extends MixedEstimates {
  nAGQ: number;
  /** How `vcov` was computed. */
  vcovMethod: 'hessian' | 'RX' | 'none';
  /** -2 log-likelihood at the optimum (full, constants included). */
  deviance: number;
  mu: Float64Array;
  eta: Float64Array;
}

/** A GLMM resident in a backend, ready for the optimizers. */
export class GlmmModel {
  readonly kind = 'glmm';
  readonly n: number;
  readonly p: number;
  readonly fixedCond: FixedConditioning;
  readonly randomCond: RandomConditioning;
  readonly st: PirlsState;
  private response: GlmmResponse;
  /** Saturated log-likelihood Σ log f(y | μ = y) (0 for binomial 0/1 data). */
  private saturatedLL = 0;

  constructor(
    readonly frame: ModelFrame,
    readonly backend: Backend,
    family: Family,
    readonly inputs: GlmmInputs,
  ) {
    const n = frame.n;
    const p = frame.xNames.length;
    this.n = n;
    this.p = p;
    this.response = glmmResponse(frame, family, inputs.weights, inputs.offset);
    const cs = conditionedSystem(frame, backend);
    this.fixedCond = cs.fixedCond;
    this.randomCond = cs.randomCond;
    const { sys } = cs;
    const re = this.randomCond.re;
    // β fixed (Laplace and quadrature objectives): the same random effects without X columns.
    const sysU = allocateSystem(
      backend,
      re,
      buildLayout(re.blocks, n, 0),
      new Float64Array(0),
      sys,
    );
    this.st = createPirlsState(sys, sysU, family, this.response, defaultControl().pirls);
    this.saturatedLL = saturated(this.response, family);
  }

  get fam(): Family {
    return this.st.fam;
  }

  get resp(): GlmmResponse {
    return this.response;
  }

  get saturated(): number {
    return this.saturatedLL;
  }

  /** Mutates the model: a new family of the same kind (e.g. another negative binomial θ). */
  setFamily(fam: Family): void {
    setPirlsFamily(this.st, fam);
    this.saturatedLL = saturated(this.response, fam);
  }

  /** Mutates the model: a new response on the same scale as the frame's (a refit). */
  setResponse(y: Float64Array): void {
    if (y === this.response.y) return;
    this.response = glmmResponse(this.frame, this.fam, this.inputs.weights, this.inputs.offset, y);
    setPirlsResponse(this.st, this.response.y);
    this.saturatedLL = saturated(this.response, this.fam);
  }

  setPirlsControl(control: Control['pirls']): void {
    setPirlsControl(this.st, control);
  }

  thetaFromTilde(tt: ArrayLike<number>): number[] {
    return thetaFromTilde(this.randomCond, tt);
  }

  tildeFromTheta(theta: ArrayLike<number>): number[] {
    return tildeFromTheta(this.randomCond, theta);
  }

  /** -2 log-likelihood of the Laplace approximation at the mode PIRLS just found. */
  laplaceDeviance(pdev: number): number {
    const { st, fam } = this;
    return (
      pdev +
      logdetRe(st.factored) +
      (fam.hasScale ? this.scaleFamilyAicExcess(pdev) : -2 * this.saturatedLL)
    );
  }

  /** For families with a dispersion: R's family aic minus the deviance (lme4's Laplace uses aic). */
  private scaleFamilyAicExcess(pdev: number): number {
    const { st, response: resp, fam } = this;
    const f = st.sys.backend.heap.f64;
    const mu = f.subarray(st.off.mu, st.off.mu + st.n); // a view of μ in the heap, no copy
    let uu = 0;
    for (const v of st.u) uu += v * v;
    const dev = pdev - uu;
    return fam.aic(resp.y, resp.binomialN, mu, resp.priorWt, dev) - dev;
  }

  /** The joint-stage objective at (θ̃, β̃): Laplace or AGQ deviance, β held fixed. */
  devianceAtThetaBeta(tt: readonly number[], bt: ArrayLike<number>, nAGQ: number): number {
    this.setThetaTilde(tt);
    this.st.beta = Float64Array.from(bt);
    const pdev = pirls(this.st, false);
    if (nAGQ > 1 && this.st.sys.lay.blocks[0].v > 1) {
      return agqVectorDeviance(this, nAGQ) - 2 * this.saturatedLL;
    }
    return nAGQ > 1 ? agqDeviance(this, nAGQ) - 2 * this.saturatedLL : this.laplaceDeviance(pdev);
  }

  /** The nAGQ = 0 objective at θ̃ (β inside PIRLS, warm start unless `fromData`). */
  stage1Deviance(tt: readonly number[], fromData = false): number {
    this.setThetaTilde(tt);
    return this.laplaceDeviance(pirls(this.st, true, fromData));
  }

  /** Sets θ̃ in both systems (with and without X). */
  setThetaTilde(tt: readonly number[]): void {
    setTheta(this.st.sys, tt);
    setTheta(this.st.sysU, tt);
  }

  /** lme4's σ for a GLMM: sqrt((Pearson χ² + |u|²) / n) for families with a scale, else 1. */
  dispersion(): number {
    if (!this.fam.hasScale) return 1;
    const { st, response: resp, fam } = this;
    const f = st.sys.backend.heap.f64;
    let s = 0;
    for (let i = 0; i < st.n; i++) {
      const mu = f[st.off.mu + i];
      s += (resp.priorWt[i] * (resp.y[i] - mu) ** 2) / fam.variance(mu);
    }
    for (const v of st.u) s += v * v;
    return Math.sqrt(s / st.n);
  }
}

function saturated(resp: GlmmResponse, fam: Family): number {
  let s = 0;
  for (let i = 0; i < resp.y.length; i++)
    s += fam.logDensity(resp.y[i], resp.y[i], resp.priorWt[i], 1);
  return s;
}

/** Runs f, turning a PIRLS failure into +Infinity so the optimizer backs off. */
function guarded(f: () => number, onFail: () => void): number {
  try {
    const d = f();
    return Number.isFinite(d) ? d : Infinity;
  } catch (e) {
    if (!(e instanceof FitError)) throw e;
    onFail();
    return Infinity;
  }
}

/**
 * nAGQ > 1 integrates the random effects of one grouping factor: one scalar term (as lme4) or,
 * by the product rule of ./agq-vector, up to AGQ_MAX_EFFECTS effects per level.
 */
function checkQuadrature(m: GlmmModel, nAGQ: number): void {
  const blocks = m.randomCond.re.blocks;
  if (nAGQ > 1 && !(blocks.length === 1 && blocks[0].v === 1)) {
    const terms = m.frame.randomTerms.map((t) => t.source).join(' + ');
    if (blocks.length !== 1 || blocks[0].v > AGQ_MAX_EFFECTS) {
      throw new ModelSpecError(
        `nAGQ > 1 is only available for random effects from one grouping factor with at most ${AGQ_MAX_EFFECTS} effects per level (got ${terms})`,
      );
    }
    if (m.fam.hasScale) {
      throw new ModelSpecError(
        `nAGQ > 1 with vector random effects (${terms}) is only available for families without a dispersion parameter (binomial, poisson, negative binomial), not ${m.fam.name}`,
      );
    }
  }
}

/** Fits the model (both stages), checks the optimum, and reads the estimates off it. */
export function fitGlmm(m: GlmmModel, settings: GlmmSettings): GlmmEstimates {
  const { nAGQ, control } = settings;
  checkQuadrature(m, nAGQ);
  m.setPirlsControl(control.pirls);
  const t0 = performance.now();
  const { st } = m;
  const re = m.randomCond.re;
  const nTheta = re.nTheta;
  const log = new EvaluationLog(settings.onProgress);
  const optimizerOptions = (lower: number[], rhoend: number) => ({
    method: control.optimizer.method,
    lower,
    upper: lower.map(() => Infinity),
    rhobeg: control.optimizer.rhobeg,
    rhoend,
    maxEval: control.optimizer.maxEval,
  });
  // Stage 1: β inside PIRLS, θ optimized (lme4's nAGQ = 0 fit, the start of every fit),
  // from the better of lme4's start and the moment start of the GLM's working residuals
  // (src/model/start.ts) unless a start is given.
  initializeFromData(st);
  const working = control.optimizer.start ? null : workingResiduals(st);
  const given = control.optimizer.start ? m.tildeFromTheta(control.optimizer.start) : re.start;
  let fresh = true;
  const stage1 = (tt: readonly number[]): number => {
    const d = guarded(
      () => {
        const dev = m.stage1Deviance(tt, fresh);
        fresh = false;
        return dev;
      },
      () => {
        initializeFromData(st);
        fresh = true;
      },
    );
    log.record(m.thetaFromTilde(tt), d);
    return d;
  };
  // The very first PIRLS must succeed from the data: a failure there is the user's problem.
  const givenDeviance = m.stage1Deviance(given, true);
  log.record(m.thetaFromTilde(given), givenDeviance);
  fresh = false;
  let start = given;
  if (working) {
    const moments = momentStart(re, working.residual, working.weights);
    if (stage1(moments) < givenDeviance) start = moments;
  }
  // When stage 2 follows, stage 1 only provides its starting point and need not be precise.
  const rhoend1 = nAGQ === 0 ? control.optimizer.rhoendNAGQ0 : control.optimizer.rhoendStage1;
  const opt1 = minimize(stage1, start, optimizerOptions(re.lower, rhoend1));
  let thetaT = opt1.x;
  stage1(thetaT);
  let betaT = Float64Array.from(st.beta);
  let opt: OptimResult = opt1;

  if (nAGQ > 0) {
    // Stage 2: θ and β jointly, each measured in units of its approximate standard error (β
    // from stage 1's R_X, θ from the curvature of the stage-1 objective), so that the optimizer
    // sees a well-conditioned problem.
    const vc = fixedEffectsCovariance(st.sys, m.dispersion());
    const betaScale = betaT.map((_, j) => {
      const s = Math.sqrt(vc[j][j]);
      return Number.isFinite(s) && s > 0 ? s : 1;
    });
    const thetaScale = curvatureScales(stage1, thetaT, opt1.fval);
    stage1(thetaT);
    const beta0 = Float64Array.from(st.beta);
    const theta0 = [...thetaT];
    const toTheta = (par: readonly number[]) => theta0.map((t, i) => t + thetaScale[i] * par[i]);
    const toBeta = (par: readonly number[]) =>
      beta0.map((b, j) => b + betaScale[j] * par[nTheta + j]);
    const stage2 = (par: readonly number[]): number => {
      const th = toTheta(par);
      const b = toBeta(par);
      const d = guarded(
        () => m.devianceAtThetaBeta(th, b, nAGQ),
        () => st.u.fill(0),
      );
      log.record([...m.thetaFromTilde(th), ...betaFromTilde(m.fixedCond, b)], d);
      return d;
    };
    const lower = [
      ...re.lower.map((l, i) => (l - theta0[i]) / thetaScale[i]),
      ...betaT.map(() => -Infinity),
    ];
    const start2 = [...thetaT.map(() => 0), ...betaT.map(() => 0)];
    opt = minimize(stage2, start2, optimizerOptions(lower, control.optimizer.rhoend));
    thetaT = toTheta(opt.x);
    betaT = toBeta(opt.x);
  }
  const t1 = performance.now();
  const finish = finishGlmm(m, nAGQ, control, thetaT, betaT, settings.skipDerivatives ?? false);
  const messages = [...finish.messages];
  let converged = opt.converged && opt1.converged && finish.converged;
  if (!opt1.converged) messages.unshift(`stage 1 optimizer did not converge: ${opt1.message}`);
  if (opt !== opt1 && !opt.converged) {
    messages.unshift(`stage 2 optimizer did not converge: ${opt.message}`);
  }
  const t2 = performance.now();
  return {
    ...finish.estimates,
    singular: isSingular(re.lower, thetaT, control.checks.singularTol),
    messages,
    optimizer: {
      method: opt.method,
      evaluations: log.evaluations,
      converged,
      messages: [
        `stage 1 (θ; β in PIRLS): ${opt1.evaluations} evaluations, ${opt1.message}`,
        ...(opt === opt1 ? [] : [`stage 2 (θ, β): ${opt.evaluations} evaluations, ${opt.message}`]),
      ],
      start:
        start === given && control.optimizer.start
          ? [...control.optimizer.start]
          : m.thetaFromTilde(start),
      lower: [...re.lower],
      fval: finish.estimates.deviance,
      history: log.history,
      control,
    },
    timings: { optimize: t1 - t0, finish: t2 - t1 },
  };
}

/** lme4's warning (vcov.merMod) when the Hessian's covariance cannot be used, on one line. */
export const HESSIAN_FALLBACK_MESSAGE =
  'variance-covariance matrix computed from finite-difference Hessian is not positive definite or contains NA values: falling back to var-cov estimated from RX';

/**
 * The β block of H⁻¹ + H⁻ᵀ for H over (θ, β) (β last), as lme4's vcov.merMod; null, as lme4's
 * fallback, when H is singular or the block is not positive definite (or not finite).
 */
export function hessianCovariance(
  hessian: readonly number[][],
  nTheta: number,
  p: number,
): number[][] | null {
  const Hinv = invertSymmetric(hessian);
  if (!Hinv) return null;
  const v = Array.from({ length: p }, (_, i) =>
    Array.from(
      { length: p },
      (_, j) => Hinv[nTheta + i][nTheta + j] + Hinv[nTheta + j][nTheta + i],
    ),
  );
  const colMajor = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) colMajor[i + j * p] = v[i][j];
  if (!colMajor.every(Number.isFinite) || !choleskyLower(colMajor, p)) return null;
  return v;
}

/** Derivatives at the optimum, vcov, checks, and every estimate in lme4's units. */
function finishGlmm(
  m: GlmmModel,
  nAGQ: number,
  control: Control,
  thetaT: number[],
  betaT: Float64Array,
  skipDerivatives: boolean,
): {
  estimates: Omit<GlmmEstimates, 'singular' | 'messages' | 'optimizer' | 'timings'>;
  messages: string[];
  converged: boolean;
} {
  const { st, n, p } = m;
  const re = m.randomCond.re;
  const nTheta = re.nTheta;
  const objectiveAt = (th: readonly number[], b: ArrayLike<number>): number =>
    nAGQ === 0 ? m.stage1Deviance(th) : m.devianceAtThetaBeta(th, b, nAGQ);
  // lme4 (glmer calc.derivs = TRUE, vcov.merMod use.hessian = TRUE) computes the Hessian over
  // (θ, β) at any n; the convergence checks are skipped above checks.nobsMax.
  const small = n < control.checks.nobsMax && !skipDerivatives;
  const hessianVcov = nAGQ > 0 && p > 0 && control.vcov === 'hessian' && !skipDerivatives;
  const messages: string[] = [];
  let converged = true;

  // Derivatives over (θ̃, β̃) (over θ̃ alone for nAGQ = 0, where β is profiled by PIRLS).
  let derivs: Derivatives | null = null;
  const x0 = nAGQ === 0 ? [...thetaT] : [...thetaT, ...betaT];
  if (hessianVcov || small) {
    derivs = finiteDifferenceDerivatives(
      (x) => objectiveAt(x.slice(0, nTheta), x.slice(nTheta)),
      x0,
      control.derivativeStep,
    );
    if (small) {
      const interior = x0.map(
        (v, i) => i >= nTheta || !(re.lower[i] === 0 && v < control.checks.singularTol),
      );
      const check = checkConvergence(derivs, interior, control.checks);
      converged = check.converged;
      messages.push(...check.messages);
    }
  }
  let vcovT: number[][] = [];
  let vcovMethod: GlmmEstimates['vcovMethod'] = p === 0 ? 'none' : 'RX';
  if (hessianVcov && derivs) {
    // lme4's vcov.merMod: the β block of H⁻¹ + H⁻ᵀ (H of the deviance, -2 log L), used when
    // it is positive definite; otherwise R_X with lme4's warning.
    vcovT = hessianCovariance(derivs.hessian, nTheta, p) ?? [];
    if (vcovT.length === 0) messages.push(HESSIAN_FALLBACK_MESSAGE);
    else vcovMethod = 'hessian';
  }
  // Back to the optimum (the derivatives moved the state).
  const deviance = objectiveAt(thetaT, betaT);
  const sigma = m.dispersion();
  if (vcovT.length === 0 && p > 0) {
    reweight(st, true); // the joint system's R_X at the weights of the final mode
    vcovT = fixedEffectsCovariance(st.sys, sigma);
  }
  const f = st.sys.backend.heap.f64;
  const bTilde = lambdaU(st.sys, st.u);
  return {
    estimates: {
      nAGQ,
      theta: m.thetaFromTilde(thetaT),
      beta: betaFromTilde(m.fixedCond, betaT),
      vcov: vcovFromTilde(m.fixedCond, vcovT),
      vcovMethod,
      sigma,
      deviance,
      logLik: -deviance / 2,
      b: bFromTilde(m.randomCond, bTilde),
      condVarB: conditionalVarB(m.randomCond, thetaT, conditionalVarU(st.factored)),
      mu: Float64Array.from(f.subarray(st.off.mu, st.off.mu + n)),
      eta: Float64Array.from(f.subarray(st.off.eta, st.off.eta + n)),
    },
    messages,
    converged,
  };
}
