/**
 * The summary layout against lme4 1.1-31 itself: fixtures/lme4-summaries.json holds, per model,
 * the numbers lme4 printed and the text of `print(summary(m))` (written by lme4-summaries.R).
 * Feeding lme4's own numbers to formatSummary must reproduce lme4's text byte for byte.
 */
import { defaultControl } from '../../src/model/control';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSummary, summaryHeader } from '../../src/results/summary';
import type { MerFitData, VarCorrRow } from '../../src/results/types';

interface Lme4Summary {
  formula: string;
  family: string;
  link: string;
  REML: boolean;
  nAGQ: number | null;
  dataName: string;
  nobs: number;
  ngrps: Record<string, number>;
  fixef: Record<string, number>;
  se: Record<string, number>;
  vcov: number[][];
  sigma: number;
  logLik: number;
  df: number;
  AIC: number;
  BIC: number;
  deviance: number;
  df_resid: number;
  varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  singular: boolean;
  optimizer: string;
  scaled_residuals: number[];
  summary: string;
}

const path = fileURLToPath(new URL('./fixtures/lme4-summaries.json', import.meta.url));
const all = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Lme4Summary>;

/** A MerFitData carrying exactly the numbers lme4 printed. */
function fromLme4(r: Lme4Summary): MerFitData {
  const varCorr: VarCorrRow[] = r.varcorr.map((v) => ({
    group: v.grp,
    term: v.var1,
    term2: v.var2,
    variance: v.vcov,
    sd: v.var2 === null ? v.sdcor : v.vcov,
    corr: v.var2 === null ? null : v.sdcor,
  }));
  const glmm = r.nAGQ !== null;
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
    fixefNames: Object.keys(r.fixef),
    theta: [],
    thetaNames: [],
    sigma: r.sigma,
    logLik: r.logLik,
    df: r.df,
    AIC: r.AIC,
    BIC: r.BIC,
    deviance: r.deviance,
    REMLcrit: null,
    dfResid: r.df_resid,
    varCorr,
    ranef: [],
    fitted: [],
    // lme4 prints quantiles of the scaled Pearson residuals; ours divides by sigma itself
    residuals: glmm ? [] : r.scaled_residuals.map((e) => e * r.sigma),
    ...(glmm ? { pearsonResiduals: r.scaled_residuals.map((e) => e * r.sigma) } : {}),
    singular: r.singular,
    optimizer: {
      method: r.optimizer,
      evaluations: 100,
      converged: true,
      messages: [],
      start: [],
      lower: [],
      history: [],
      control: defaultControl(),
      fval: r.deviance,
    },
    // lme4's vcov: the Hessian for nAGQ > 0, R_X for LMMs and nAGQ = 0
    vcovMethod: r.nAGQ !== null && r.nAGQ > 0 ? 'hessian' : 'RX',
    backend: 'wasm',
    timings: { frame: 1, setup: 1, optimize: 1, finish: 1, total: 4 },
    messages: [],
    response: r.formula.split('~')[0].trim(),
    dataName: r.dataName,
  };
}

/** Our one line beyond lme4's text: where a GLMM's standard errors come from. */
const HESSIAN_NOTE = "Standard errors from the finite-difference Hessian (vcov: 'hessian')\n";

describe('summary text equals lme4 print(summary(m)) given lme4 numbers', () => {
  for (const [name, r] of Object.entries(all)) {
    it(name, () => {
      // capture.output() drops the final newline
      const lme4 = r.summary + '\n';
      const fit = fromLme4(r);
      expect(formatSummary(fit, { vcovNote: false })).toBe(lme4);
      if (r.nAGQ === null) {
        expect(formatSummary(fit)).toBe(lme4); // LMMs: no note
      } else {
        // the note follows the coefficient table (and its legend), before the correlations
        const cor = lme4.indexOf('\nCorrelation of Fixed Effects:');
        const cut = cor >= 0 ? cor : lme4.search(/\n(optimizer \(|$)/) + 1;
        expect(formatSummary(fit)).toBe(lme4.slice(0, cut) + HESSIAN_NOTE + lme4.slice(cut));
      }
    });
  }
});

describe('GLMM header lines', () => {
  it('AGQ method title', () => {
    expect(summaryHeader(fromLme4(all.cbpp_agq25)).split('\n').slice(0, 2)).toEqual([
      'Generalized linear mixed model fit by maximum likelihood (Adaptive',
      '  Gauss-Hermite Quadrature, nAGQ = 25) [glmerMod]',
    ]);
  });
  it('negative binomial family line as glmer.nb', () => {
    expect(summaryHeader(fromLme4(all.rcbd_negbin))).toContain(
      ' Family: Negative Binomial(0.7177)  ( log )\n',
    );
  });
  it('probit link', () => {
    expect(summaryHeader(fromLme4(all.clinics_probit))).toContain(
      ' Family: binomial  ( probit )\n',
    );
  });
  it('Poisson residual quantiles keep five decimals as R 4.2 zapsmall does', () => {
    expect(formatSummary(fromLme4(all.rcbd_poisson))).toContain(
      '     Min       1Q   Median       3Q      Max \n' +
        '-1.12735 -0.24674  0.01155  0.11516  0.23133 \n',
    );
  });
});
