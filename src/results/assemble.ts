/** The result fields every mixed model reports the same way, LMM or GLMM. */
import type { ModelFrame } from '../frame/types';
import type { ReStructure } from '../model/reblocks';
import { isSingular } from '../model/singular';
import type { MerFitData } from './types';

export interface CoreEstimates {
  frame: ModelFrame;
  re: ReStructure;
  theta: number[];
  beta: ArrayLike<number>;
  vcov: number[][];
  sigma: number;
  logLik: number;
  /** Number of parameters of the likelihood. */
  df: number;
  /** Messages collected so far (the boundary-fit message is added here). */
  messages: string[];
}

export type CoreFields = Pick<
  MerFitData,
  | 'formula'
  | 'nobs'
  | 'nDropped'
  | 'ngrps'
  | 'fixef'
  | 'se'
  | 'vcov'
  | 'fixefNames'
  | 'theta'
  | 'thetaNames'
  | 'sigma'
  | 'logLik'
  | 'df'
  | 'AIC'
  | 'BIC'
  | 'deviance'
  | 'dfResid'
  | 'singular'
  | 'messages'
  | 'response'
>;

/** Names, information criteria (as lme4's AIC/BIC with `df` parameters) and the boundary check. */
export function coreFields(e: CoreEstimates): CoreFields {
  const { frame, re, theta, vcov, logLik, df } = e;
  const n = frame.n;
  const fixef: Record<string, number> = {};
  const se: Record<string, number> = {};
  frame.xNames.forEach((name, j) => {
    fixef[name] = e.beta[j];
    se[name] = Math.sqrt(vcov[j][j]);
  });
  const ngrps: Record<string, number> = {};
  for (const blk of re.blocks) ngrps[blk.group] = blk.nl;
  const singular = isSingular(re.lower, theta);
  const messages = [...e.messages];
  if (singular) messages.push("boundary (singular) fit: see help('isSingular')");
  return {
    formula: frame.formula,
    nobs: n,
    nDropped: frame.nDropped,
    ngrps,
    fixef,
    se,
    vcov,
    fixefNames: [...frame.xNames],
    theta: [...theta],
    thetaNames: [...re.thetaNames],
    sigma: e.sigma,
    logLik,
    df,
    AIC: -2 * logLik + 2 * df,
    BIC: -2 * logLik + df * Math.log(n),
    deviance: -2 * logLik,
    dfResid: n - df,
    singular,
    messages,
    response: frame.response.name,
  };
}
