/** The plain result record (MerFitData) of a PQL fit: a GLMM's record without a likelihood. */
import type { Family } from '../model/family';
import type { GlmmResponse } from '../model/glmmdata';
import type { PqlEstimates, PqlSettings } from '../model/pql';
import type { PqlWorkingModel } from '../model/pqlworking';
import { backendName, coreFields, names, timings, type FitMeta } from './assemble';
import { ranefGroups } from './ranef';
import type { MerFitData } from './types';
import { varCorrRows } from './varcorr';

export function pqlFitData(
  m: PqlWorkingModel,
  fam: Family,
  resp: GlmmResponse,
  est: PqlEstimates,
  settings: PqlSettings,
  meta: FitMeta,
): MerFitData {
  const re = m.randomCond.re;
  const mu = Array.from(est.mu);
  const y = resp.y;
  const residuals = mu.map((mv, i) => y[i] - mv);
  const pearsonResiduals = mu.map(
    (mv, i) => ((y[i] - mv) * Math.sqrt(resp.priorWt[i])) / Math.sqrt(fam.variance(mv)),
  );
  const estimated = m.dispersion === 'estimated';
  const messages = [
    ...m.frame.messages,
    ...resp.warnings,
    ...(meta.messages ?? []),
    ...est.messages,
    'PQL maximises no likelihood: logLik, AIC, BIC and deviance are null, and likelihood-ratio tests and profile intervals do not apply',
  ];
  const core = coreFields(
    m,
    { ...est, logLik: 0 },
    m.p + re.nTheta + (estimated ? 1 : 0),
    messages,
  );
  return {
    ...core,
    // no likelihood: NaN in the record, null in the JSON form (MerFit.toJSON)
    logLik: NaN,
    AIC: NaN,
    BIC: NaN,
    deviance: NaN,
    family: fam.name,
    link: fam.link.name,
    REML: est.REML,
    nAGQ: null,
    REMLcrit: null,
    varCorr: varCorrRows(re, est.theta, est.sigma, estimated),
    ranef: ranefGroups(m.sys.lay, est.b, est.condVarB, est.sigma),
    fitted: mu,
    eta: Array.from(est.eta),
    residuals,
    pearsonResiduals,
    vcovMethod: m.p === 0 ? 'none' : 'RX',
    method: 'PQL',
    pql: {
      dispersion: m.dispersion,
      iterations: est.iterations,
      converged: est.pqlConverged,
      relativeChange: est.relativeChange,
      tolerance: settings.tolerance,
    },
    optimizer: est.optimizer,
    backend: backendName(m),
    timings: timings(meta, est.timings),
    ...names(meta),
  };
}
