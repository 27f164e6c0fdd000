/** Builds a MerFitData from an lme4 reference JSON in test/fixtures/fits (residuals made up). */
import { defaultControl } from '../../src/model/control';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MerFitData, VarCorrRow } from '../../src/results/types';

interface RefVarCorr {
  grp: string;
  var1: string | null;
  var2: string | null;
  vcov: number;
  sdcor: number;
}

const asArray = (v: number | number[] | string | string[]): (number | string)[] =>
  Array.isArray(v) ? v : [v];

/** Reads `test/fixtures/fits/<name>.json` into the MerFitData contract. */
export function referenceFit(name: string, extra: Partial<MerFitData> = {}): MerFitData {
  const path = fileURLToPath(new URL(`../fixtures/fits/${name}.json`, import.meta.url));
  const r = JSON.parse(readFileSync(path, 'utf8'));
  const varCorr: VarCorrRow[] = (r.varcorr as RefVarCorr[]).map((v) => ({
    group: v.grp,
    term: v.var1,
    term2: v.var2,
    variance: v.vcov,
    sd: v.var2 === null ? v.sdcor : v.vcov,
    corr: v.var2 === null ? null : v.sdcor,
  }));
  const fixefNames = Object.keys(r.fixef);
  return {
    formula: r.formula,
    family: r.family,
    link: r.link,
    REML: r.REML,
    nAGQ: r.nAGQ,
    nobs: r.nobs,
    nDropped: 0,
    ngrps: r.ngrps,
    fixef: r.fixef,
    se: r.se,
    vcov: r.vcov,
    fixefNames,
    theta: asArray(r.theta) as number[],
    thetaNames: asArray(r.theta_names) as string[],
    sigma: r.sigma,
    logLik: r.logLik,
    df: r.df,
    AIC: r.AIC,
    BIC: r.BIC,
    deviance: r.deviance,
    REMLcrit: r.REMLcrit,
    dfResid: r.df_resid,
    varCorr,
    ranef: [],
    fitted: [],
    residuals: [],
    singular: r.singular,
    optimizer: {
      method: 'bobyqa',
      evaluations: 30,
      converged: true,
      messages: [],
      start: [],
      lower: [],
      history: [],
      control: defaultControl(),
      fval: r.REMLcrit ?? r.deviance,
    },
    // lme4's vcov: the Hessian for GLMMs with nAGQ > 0, R_X for LMMs and nAGQ = 0
    vcovMethod: r.nAGQ > 0 ? 'hessian' : 'RX',
    backend: 'wasm',
    timings: { frame: 1, setup: 1, optimize: 1, finish: 1, total: 4 },
    messages: [],
    response: String(r.formula).split('~')[0].trim(),
    dataName: r.data,
    ...extra,
  };
}
