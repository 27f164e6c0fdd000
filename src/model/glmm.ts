/**
 * Generalized linear mixed models, as lme4's glmer: a first stage with β inside PIRLS (nAGQ = 0,
 * only θ optimized), then — unless nAGQ = 0 — θ and β optimized jointly on the Laplace
 * approximation (nAGQ = 1) or adaptive Gauss–Hermite quadrature (nAGQ > 1, one scalar term).
 *
 * Deviances here are -2 × the full log-likelihood, constants included, for every nAGQ; lme4's
 * nAGQ > 1 deviance drops the saturated log-likelihood and is reported plus it (see README).
 */
import type { Backend } from '../backend/kernels';
import type { ModelFrame } from '../frame/types';
import { FitError, ModelSpecError } from '../errors';
import { minimize } from '../optim/minimize';
import { EvaluationLog, type ProgressCallback } from './optsummary';
import type { OptimResult } from '../optim/types';
import { ranefGroups } from '../results/ranef';
import type { MerFitData } from '../results/types';
import { varCorrRows } from '../results/varcorr';
import { agqDeviance } from './agq';
import { conditionalVarU } from './condvar';
import type { Family } from './family';
import { glmmResponse, type GlmmResponse } from './glmmdata';
import { curvatureScales, finiteDifferenceHessian, invertSymmetric } from './hessian';
import { buildLayout } from './layout';
import { rowMajor } from './lmm';
import {
  createPirlsState,
  initializeFromData,
  nbTheta,
  pirls,
  reweight,
  type PirlsState,
} from './pirls';
import { buildReStructure, type ReStructure } from './reblocks';
import { coreFields } from '../results/assemble';
import { allocateSystem, lambdaU, logdetRe, setTheta } from './system';
import { fixedEffectsCovariance } from './vcov';

/** lme4's check.conv.nobsmax: above it, no finite-difference Hessian (vcov from R_X instead). */
const HESSIAN_NOBS_MAX = 1e4;

export interface GlmmSettings {
  family: Family;
  /** 0: β in PIRLS; 1: Laplace; k > 1: adaptive Gauss–Hermite with k nodes. */
  nAGQ: number;
  /** Prior weights per kept row, or null. */
  weights: Float64Array | null;
  /** Offset per kept row (added to any formula offset), or null. */
  offset: Float64Array | null;
  onProgress?: ProgressCallback;
}

/** A GLMM ready for the optimizers. */
export interface GlmmModel {
  frame: ModelFrame;
  re: ReStructure;
  st: PirlsState;
  resp: GlmmResponse;
  fam: Family;
  nAGQ: number;
  /** Saturated log-likelihood Σ log f(y | μ = y) (0 for binomial 0/1 data). */
  saturated: number;
}

export function buildGlmm(frame: ModelFrame, backend: Backend, settings: GlmmSettings): GlmmModel {
  const fam = settings.family;
  const resp = glmmResponse(frame, fam, settings.weights, settings.offset);
  const n = frame.n;
  const p = frame.xNames.length;
  const re = buildReStructure(frame.randomTerms, n);
  if (settings.nAGQ > 1 && !(re.blocks.length === 1 && re.blocks[0].v === 1)) {
    throw new ModelSpecError(
      `nAGQ > 1 is only available for models with a single, scalar random-effects term (got ${frame.randomTerms.map((t) => t.source).join(' + ')})`,
    );
  }
  const lay = buildLayout(re.blocks, n, p);
  const sys = allocateSystem(backend, re, lay, rowMajor(frame.X, n, p));
  // β fixed (Laplace and quadrature objectives): the same random effects without X columns.
  const sysU = allocateSystem(backend, re, buildLayout(re.blocks, n, 0), new Float64Array(0), sys);
  const st = createPirlsState(sys, sysU, fam, resp);
  let saturated = 0;
  for (let i = 0; i < n; i++) saturated += fam.logDensity(resp.y[i], resp.y[i], resp.priorWt[i], 1);
  return { frame, re, st, resp, fam, nAGQ: settings.nAGQ, saturated };
}

/** -2 log-likelihood of the Laplace approximation at the mode PIRLS just found. */
export function laplaceDeviance(m: GlmmModel, pdev: number): number {
  const { st, fam } = m;
  return (
    pdev + logdetRe(st.factored) + (fam.hasScale ? scaleFamilyAicExcess(m, pdev) : -2 * m.saturated)
  );
}

/** For families with a dispersion: R's family aic minus the deviance (lme4's Laplace uses aic). */
function scaleFamilyAicExcess(m: GlmmModel, pdev: number): number {
  const { st, resp, fam } = m;
  const f = st.sys.backend.heap.f64;
  const mu = f.subarray(st.off.mu, st.off.mu + st.n); // a view of μ in the heap, no copy
  let uu = 0;
  for (const v of st.u) uu += v * v;
  const dev = pdev - uu;
  return fam.aic(resp.y, resp.binomialN, mu, resp.priorWt, dev) - dev;
}

/** The objective of the second stage at (θ, β): Laplace or AGQ deviance, β held fixed. */
function devianceAtThetaBeta(m: GlmmModel, theta: readonly number[], beta: Float64Array): number {
  setThetaBoth(m.st, theta);
  m.st.beta = Float64Array.from(beta);
  const pdev = pirls(m.st, false);
  return m.nAGQ > 1 ? agqDeviance(m) - 2 * m.saturated : laplaceDeviance(m, pdev);
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

export function fitGlmm(frame: ModelFrame, backend: Backend, settings: GlmmSettings): MerFitData {
  const t0 = performance.now();
  const m = buildGlmm(frame, backend, settings);
  const t1 = performance.now();
  const { re, st } = m;
  const nTheta = re.nTheta;
  const log = new EvaluationLog(settings.onProgress);

  // Stage 1: β inside PIRLS, θ optimized (lme4's nAGQ = 0 fit, the start of every fit).
  initializeFromData(st);
  let fresh = true;
  const stage1 = (theta: readonly number[]): number => {
    const d = guarded(
      () => {
        setThetaBoth(st, theta);
        const pdev = pirls(st, true, fresh);
        fresh = false;
        return laplaceDeviance(m, pdev);
      },
      () => {
        initializeFromData(st);
        fresh = true;
      },
    );
    log.record(theta, d);
    return d;
  };
  // The very first PIRLS must succeed from the data: a failure there is the user's problem.
  setThetaBoth(st, re.start);
  pirls(st, true, true);
  fresh = false;
  // When stage 2 follows, stage 1 only provides its starting point and need not be precise.
  const rhoend1 = m.nAGQ === 0 ? 2e-7 : 1e-3;
  const opt1 = minimize(stage1, re.start, {
    lower: re.lower,
    upper: re.lower.map(() => Infinity),
    rhobeg: 0.2,
    rhoend: rhoend1,
  });
  let theta = opt1.x;
  stage1(theta);
  let beta = Float64Array.from(st.beta);
  let opt: OptimResult = opt1;
  const messages: string[] = [...frame.messages, ...m.resp.warnings];

  if (m.nAGQ > 0) {
    // Stage 2: θ and β jointly, each measured in units of its approximate standard error (β
    // from stage 1's R_X, θ from the curvature of the stage-1 objective), so that the optimizer
    // sees a well-conditioned problem.
    const sigma1 = dispersion(m);
    const vc = fixedEffectsCovariance(st.sys, sigma1);
    const betaScale = beta.map((_, j) => {
      const s = Math.sqrt(vc[j][j]);
      return Number.isFinite(s) && s > 0 ? s : 1;
    });
    const thetaScale = curvatureScales(stage1, theta, opt1.fval);
    stage1(theta);
    const beta0 = Float64Array.from(st.beta);
    const theta0 = [...theta];
    const toTheta = (par: readonly number[]) => theta0.map((t, i) => t + thetaScale[i] * par[i]);
    const toBeta = (par: readonly number[]) =>
      beta0.map((b, j) => b + betaScale[j] * par[nTheta + j]);
    const stage2 = (par: readonly number[]): number => {
      const th = toTheta(par);
      const b = toBeta(par);
      const d = guarded(
        () => devianceAtThetaBeta(m, th, b),
        () => {
          st.u.fill(0);
        },
      );
      log.record([...th, ...b], d);
      return d;
    };
    const start = [...theta.map(() => 0), ...beta.map(() => 0)];
    const lower = [
      ...re.lower.map((l, i) => (l - theta0[i]) / thetaScale[i]),
      ...beta.map(() => -Infinity),
    ];
    opt = minimize(stage2, start, {
      lower,
      upper: lower.map(() => Infinity),
      rhobeg: 0.2,
      rhoend: 1e-5,
    });
    theta = toTheta(opt.x);
    beta = toBeta(opt.x);
  }
  const t2 = performance.now();
  const result = glmmResults(m, theta, beta, messages);
  const t3 = performance.now();
  return {
    ...result,
    optimizer: {
      method: opt.method,
      evaluations: log.evaluations,
      converged: opt.converged && opt1.converged,
      messages: [
        `stage 1 (θ; β in PIRLS): ${opt1.evaluations} evaluations, ${opt1.message}`,
        ...(opt === opt1 ? [] : [`stage 2 (θ, β): ${opt.evaluations} evaluations, ${opt.message}`]),
      ],
      start: [...re.start],
      lower: [...re.lower],
      fval: result.deviance,
      history: log.history,
    },
    backend: `${backend.name}${backend.variant === 'js' ? '' : `-${backend.variant}`}`,
    timings: { frame: 0, setup: t1 - t0, optimize: t2 - t1, finish: t3 - t2, total: t3 - t0 },
  };
}

/** lme4's σ for a GLMM: sqrt((Pearson χ² + |u|²) / n) for families with a scale, else 1. */
export function dispersion(m: GlmmModel): number {
  if (!m.fam.hasScale) return 1;
  const { st, resp, fam } = m;
  const f = st.sys.backend.heap.f64;
  let s = 0;
  for (let i = 0; i < st.n; i++) {
    const mu = f[st.off.mu + i];
    s += (resp.priorWt[i] * (resp.y[i] - mu) ** 2) / fam.variance(mu);
  }
  for (const v of st.u) s += v * v;
  return Math.sqrt(s / st.n);
}

function glmmResults(
  m: GlmmModel,
  theta: number[],
  beta: Float64Array,
  messages: string[],
): Omit<MerFitData, 'optimizer' | 'backend' | 'timings'> {
  const { st, re, frame, fam, resp } = m;
  const nTheta = re.nTheta;
  const n = st.n;
  const p = st.p;
  const objectiveAt = (th: readonly number[], b: Float64Array): number =>
    m.nAGQ === 0 ? stage1Objective(m, th) : devianceAtThetaBeta(m, th, b);

  let vcov: number[][];
  if (m.nAGQ > 0 && p > 0 && n < HESSIAN_NOBS_MAX) {
    // lme4: vcov from the finite-difference Hessian of the deviance over (θ, β).
    const x0 = [...theta, ...beta];
    const H = finiteDifferenceHessian(
      (x) => objectiveAt(x.slice(0, nTheta), Float64Array.from(x.slice(nTheta))),
      x0,
    );
    const Hinv = invertSymmetric(H);
    vcov = Hinv
      ? Array.from({ length: p }, (_, i) =>
          Array.from(
            { length: p },
            (_, j) => Hinv[nTheta + i][nTheta + j] + Hinv[nTheta + j][nTheta + i],
          ),
        )
      : [];
    if (!Hinv || vcov.some((row, i) => !(row[i] > 0))) vcov = [];
  } else {
    vcov = [];
  }
  // Back to the optimum (the Hessian moved the state).
  const dev = objectiveAt(theta, beta);
  const sigma = dispersion(m);
  if (vcov.length === 0 && p > 0) {
    reweight(st, true); // the joint system's R_X at the weights of the final mode
    if (m.nAGQ > 0 && n < HESSIAN_NOBS_MAX) {
      messages.push(
        'Hessian of the deviance is not positive definite: standard errors from the Laplace information instead',
      );
    }
    vcov = fixedEffectsCovariance(st.sys, sigma);
  }
  const f = st.sys.backend.heap.f64;
  const mu = Array.from(f.subarray(st.off.mu, st.off.mu + n));
  const eta = Array.from(f.subarray(st.off.eta, st.off.eta + n));
  const b = lambdaU(st.sys, st.u);
  const ranef = ranefGroups(st.sys.lay, theta, b, conditionalVarU(st.factored), sigma);
  const residuals = mu.map((mv, i) => {
    const d = fam.devResid(resp.y[i], mv, resp.priorWt[i]);
    return Math.sign(resp.y[i] - mv) * Math.sqrt(Math.max(0, d));
  });
  const pearsonResiduals = mu.map(
    (mv, i) => ((resp.y[i] - mv) * Math.sqrt(resp.priorWt[i])) / Math.sqrt(fam.variance(mv)),
  );
  const df = p + nTheta + (fam.hasScale ? 1 : 0);
  return {
    ...coreFields({ frame, re, theta, beta, vcov, sigma, logLik: -dev / 2, df, messages }),
    family: fam.name,
    link: fam.link.name,
    REML: false,
    nAGQ: m.nAGQ,
    REMLcrit: null,
    varCorr: varCorrRows(re, theta, sigma, fam.hasScale),
    ranef,
    fitted: mu,
    eta,
    residuals,
    pearsonResiduals,
    nbTheta: fam.kind === 'negative.binomial' ? nbTheta(fam) : undefined,
  };
}

/** Sets θ in both systems (with and without X). */
function setThetaBoth(st: PirlsState, theta: readonly number[]): void {
  setTheta(st.sys, theta);
  setTheta(st.sysU, theta);
}

/** The nAGQ = 0 objective at θ (β inside PIRLS, warm start). */
function stage1Objective(m: GlmmModel, theta: readonly number[]): number {
  setThetaBoth(m.st, theta);
  return laplaceDeviance(m, pirls(m.st, true));
}
