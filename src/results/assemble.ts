/**
 * The plain result record (MerFitData) of a fit, assembled from the live model and what its
 * estimator returned: names, information criteria, variance components, conditional modes,
 * residuals and the messages for the user.
 */
import type { GlmmEstimates, GlmmModel } from '../model/glmm';
import type { LmmEstimates, LmmModel } from '../model/lmm';
import { ranefGroups } from './ranef';
import type { MerFitData, Timings } from './types';
import { varCorrRows } from './varcorr';

/** What the caller adds: names for the summary and the time spent before the model existed. */
export interface FitMeta {
  dataName?: string;
  weightsName?: string;
  offsetName?: string;
  /** Milliseconds spent building the frame and the model (stage "frame" and "setup"). */
  frameMs: number;
  setupMs: number;
  /** Extra messages (e.g. about options). */
  messages?: string[];
}

export type Model = LmmModel | GlmmModel;

interface Core {
  theta: number[];
  beta: ArrayLike<number>;
  vcov: number[][];
  sigma: number;
  logLik: number;
  singular: boolean;
}

/** Fields every mixed model reports the same way, with `df` parameters in the likelihood. */
export function coreFields(m: Model, e: Core, df: number, messages: string[]) {
  const { frame } = m;
  const re = m.randomCond.re;
  const n = frame.n;
  const fixef: Record<string, number> = {};
  const se: Record<string, number> = {};
  frame.xNames.forEach((name, j) => {
    fixef[name] = e.beta[j];
    se[name] = Math.sqrt(e.vcov[j][j]);
  });
  const ngrps: Record<string, number> = {};
  for (const blk of re.blocks) ngrps[blk.group] = blk.nl;
  const all = [...messages];
  if (e.singular) all.push("boundary (singular) fit: see help('isSingular')");
  return {
    formula: frame.formula,
    nobs: n,
    nDropped: frame.nDropped,
    ngrps,
    fixef,
    se,
    vcov: e.vcov,
    fixefNames: [...frame.xNames],
    theta: [...e.theta],
    thetaNames: [...re.thetaNames],
    sigma: e.sigma,
    logLik: e.logLik,
    df,
    AIC: -2 * e.logLik + 2 * df,
    BIC: -2 * e.logLik + df * Math.log(n),
    deviance: -2 * e.logLik,
    dfResid: n - df,
    singular: e.singular,
    messages: all,
    response: frame.response.name,
  };
}

export function timings(meta: FitMeta, t: { optimize: number; finish: number }): Timings {
  return {
    frame: meta.frameMs,
    setup: meta.setupMs,
    optimize: t.optimize,
    finish: t.finish,
    total: meta.frameMs + meta.setupMs + t.optimize + t.finish,
  };
}

export function backendName(m: Model): string {
  const b = m.backend;
  return `${b.name}${b.variant === 'js' ? '' : `-${b.variant}`}`;
}

export function names(meta: FitMeta) {
  return {
    ...(meta.dataName !== undefined ? { dataName: meta.dataName } : {}),
    ...(meta.weightsName !== undefined ? { weightsName: meta.weightsName } : {}),
    ...(meta.offsetName !== undefined ? { offsetName: meta.offsetName } : {}),
  };
}

export function lmmFitData(m: LmmModel, est: LmmEstimates, meta: FitMeta): MerFitData {
  const re = m.randomCond.re;
  const y = m.y;
  const fitted = est.fitted;
  const residuals = Array.from(fitted, (f, i) => y[i] - f);
  const w = m.weights;
  const messages = [...m.frame.messages, ...m.messages, ...(meta.messages ?? []), ...est.messages];
  return {
    ...coreFields(m, est, m.p + re.nTheta + 1, messages),
    family: 'gaussian',
    link: 'identity',
    REML: est.REML,
    nAGQ: null,
    REMLcrit: est.REML ? est.fval : null,
    varCorr: varCorrRows(re, est.theta, est.sigma, true),
    ranef: ranefGroups(m.sys.lay, est.b, est.condVarB, est.sigma),
    fitted: Array.from(fitted),
    residuals,
    pearsonResiduals: w ? residuals.map((r, i) => Math.sqrt(w[i]) * r) : residuals.slice(),
    vcovMethod: 'RX',
    optimizer: est.optimizer,
    backend: backendName(m),
    timings: timings(meta, est.timings),
    ...names(meta),
  };
}

export function glmmFitData(
  m: GlmmModel,
  est: GlmmEstimates & { nbTheta?: number },
  meta: FitMeta,
): MerFitData {
  const re = m.randomCond.re;
  const { fam, resp } = m;
  const mu = Array.from(est.mu);
  const residuals = mu.map((mv, i) => {
    const d = fam.devResid(resp.y[i], mv, resp.priorWt[i]);
    return Math.sign(resp.y[i] - mv) * Math.sqrt(Math.max(0, d));
  });
  const pearsonResiduals = mu.map(
    (mv, i) => ((resp.y[i] - mv) * Math.sqrt(resp.priorWt[i])) / Math.sqrt(fam.variance(mv)),
  );
  const nb = est.nbTheta !== undefined;
  const df = m.p + re.nTheta + (fam.hasScale ? 1 : 0) + (nb ? 1 : 0);
  const messages = [
    ...m.frame.messages,
    ...resp.warnings,
    ...(meta.messages ?? []),
    ...est.messages,
  ];
  return {
    ...coreFields(m, est, df, messages),
    family: fam.name,
    link: fam.link.name,
    REML: false,
    nAGQ: est.nAGQ,
    REMLcrit: null,
    varCorr: varCorrRows(re, est.theta, est.sigma, fam.hasScale),
    ranef: ranefGroups(m.st.sys.lay, est.b, est.condVarB, est.sigma),
    fitted: mu,
    eta: Array.from(est.eta),
    residuals,
    pearsonResiduals,
    vcovMethod: est.vcovMethod,
    ...(nb ? { nbTheta: est.nbTheta } : {}),
    optimizer: est.optimizer,
    backend: backendName(m),
    timings: timings(meta, est.timings),
    ...names(meta),
  };
}
