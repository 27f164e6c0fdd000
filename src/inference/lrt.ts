/**
 * Likelihood-ratio tests between nested fits, as lme4's `anova(m0, m1, ...)` (anova.merMod):
 * LMMs fitted by REML are refitted by ML first, the models are ordered by their number of
 * parameters, and each is compared with the one before it: Chisq = 2 Δ logLik (never negative),
 * Df = Δ npar, Pr(>Chisq) from χ²(Df). When the larger model of a pair adds variance parameters
 * (θ names the smaller does not have), the boundary-corrected p-value is added (`pBoundary`):
 * the 50:50 mixture of χ²(Df − 1) and χ²(Df) (Self & Liang; Stram & Lee), i.e. of χ²(0) and
 * χ²(1) for one added variance.
 */
import { rejectPql } from '../model/pqlguard';
import { OptionError } from '../errors';
import type { MerFit } from '../results/fit';
import { pchisqMixtureUpper, pchisqUpper } from '../math/pvalues';

/** One model of the table (after the ML refit), in the table's order. */
export interface AnovaModel {
  formula: string;
  npar: number;
  AIC: number;
  BIC: number;
  logLik: number;
  deviance: number;
  /** The ML fit the row describes (the given fit, or its ML refit when it was fitted by REML). */
  fit: MerFit;
}

/** The test of one model against the one before it in the table. */
export interface AnovaTest {
  /** Indices into `models` of the smaller and the larger model. */
  from: number;
  to: number;
  chisq: number;
  df: number;
  /** Pr(>Chisq); NaN (R's NA) when df = 0. */
  p: number;
  /**
   * The boundary-corrected p-value (mixture of χ²(df − 1) and χ²(df)), present only when the
   * larger model adds variance parameters.
   */
  pBoundary?: number;
  /** The θ names the larger model adds (empty when it adds only fixed effects). */
  addedVarianceParameters: string[];
}

export interface AnovaResult {
  models: AnovaModel[];
  tests: AnovaTest[];
  /** True when some model was refitted by ML (lme4: "refitting model(s) with ML (instead of REML)"). */
  refitted: boolean;
  messages: string[];
  /** lme4's printed table. */
  toString(): string;
  /** The `glmm anova --json` object: models, and chisq, df, p (pBoundary) of the first test. */
  toJSON(): AnovaJson;
}

export interface AnovaJson {
  models: {
    formula: string;
    npar: number;
    AIC: number;
    BIC: number;
    logLik: number;
    deviance: number;
  }[];
  chisq: number;
  df: number;
  p: number | 'NaN';
  pBoundary?: number;
  /** Every consecutive comparison (more than two models). */
  tests?: { chisq: number; df: number; p: number | 'NaN'; pBoundary?: number }[];
}

/**
 * The observed response of a fit: fitted + residuals for LMMs; for GLMMs (whose residuals are
 * deviance residuals) the response its live model holds, or null when the fit was disposed.
 */
function observedResponse(fit: MerFit): ArrayLike<number> | null {
  if (fit.family === 'gaussian' && fit.link === 'identity') {
    return fit.fitted.map((f, i) => f + fit.residuals[i]);
  }
  try {
    const m = fit.model;
    return m.kind === 'glmm' ? m.resp.y : null;
  } catch {
    return null;
  }
}

/** Checks that the fits describe the same observations: nobs, response name and values. */
function checkSameData(fits: readonly MerFit[]): void {
  const first = fits[0];
  const y0 = observedResponse(first);
  fits.forEach((f, k) => {
    if (k === 0) return;
    if (f.nobs !== first.nobs) {
      throw new OptionError(
        `models were not all fitted to the same size of dataset: model 1 (${first.formula}) has ${first.nobs} observations, model ${k + 1} (${f.formula}) has ${f.nobs}`,
        'models',
      );
    }
    if (f.response !== first.response) {
      throw new OptionError(
        `models have different responses: '${first.response}' (model 1) and '${f.response}' (model ${k + 1}); all models must be fitted to the same response and data`,
        'models',
      );
    }
    const y = observedResponse(f);
    if (y === null || y0 === null) return;
    for (let i = 0; i < y.length; i++) {
      if (Math.abs(y[i] - y0[i]) > 1e-8 * Math.max(1, Math.abs(y0[i]))) {
        throw new OptionError(
          `models were not fitted to the same data: the response '${f.response}' differs at observation ${i + 1} (${y0[i]} in model 1, ${y[i]} in model ${k + 1})`,
          'models',
        );
      }
    }
    if (f.family !== first.family || f.link !== first.link) {
      throw new OptionError(
        `models have different families: ${first.family}(${first.link}) and ${f.family}(${f.link})`,
        'models',
      );
    }
  });
}

/** Likelihood-ratio tests between nested fits, as lme4's anova(m0, m1, ...). */
export function anova(...fits: MerFit[]): AnovaResult {
  for (const f of fits) rejectPql(f, 'likelihood-ratio tests (anova of several models)');
  if (fits.length === 1 && Array.isArray(fits[0])) fits = fits[0] as unknown as MerFit[];
  if (fits.length < 2) {
    throw new OptionError('anova needs at least two fitted models to compare', 'models');
  }
  for (const [k, f] of fits.entries()) {
    if (f === null || typeof f !== 'object' || typeof (f as MerFit).update !== 'function') {
      throw new OptionError(`argument ${k + 1} is not a fitted model (lmer or glmer)`, 'models');
    }
  }
  checkSameData(fits);
  const messages: string[] = [];
  const refitted = fits.some((f) => f.REML);
  if (refitted) messages.push('refitting model(s) with ML (instead of REML)');
  const ml = fits.map((f) => (f.REML ? f.update({ REML: false }) : f));
  const order = ml.map((_, i) => i).sort((a, b) => ml[a].df - ml[b].df || a - b);
  const models: AnovaModel[] = order.map((i) => {
    const f = ml[i];
    return {
      formula: fits[i].formula,
      npar: f.df,
      AIC: f.AIC,
      BIC: f.BIC,
      logLik: f.logLik,
      deviance: -2 * f.logLik,
      fit: f,
    };
  });
  const tests: AnovaTest[] = [];
  for (let k = 1; k < models.length; k++) {
    const small = models[k - 1];
    const large = models[k];
    const chisq = 2 * Math.max(0, large.logLik - small.logLik);
    const df = large.npar - small.npar;
    const p = df === 0 ? NaN : pchisqUpper(chisq, df);
    const have = new Set(small.fit.thetaNames);
    const added = large.fit.thetaNames.filter((n) => !have.has(n));
    const t: AnovaTest = { from: k - 1, to: k, chisq, df, p, addedVarianceParameters: added };
    if (added.length > 0 && df > 0) t.pBoundary = pchisqMixtureUpper(chisq, df);
    tests.push(t);
  }
  const result: AnovaResult = {
    models,
    tests,
    refitted,
    messages,
    toString: () => formatAnova(models, tests),
    toJSON: () => anovaJson(models, tests),
  };
  return result;
}

const jsonP = (p: number): number | 'NaN' => (Number.isNaN(p) ? 'NaN' : p);

function anovaJson(models: readonly AnovaModel[], tests: readonly AnovaTest[]): AnovaJson {
  const testJson = (t: AnovaTest) => ({
    chisq: t.chisq,
    df: t.df,
    p: jsonP(t.p),
    ...(t.pBoundary !== undefined ? { pBoundary: t.pBoundary } : {}),
  });
  return {
    models: models.map(({ formula, npar, AIC, BIC, logLik, deviance }) => ({
      formula,
      npar,
      AIC,
      BIC,
      logLik,
      deviance,
    })),
    ...testJson(tests[0]),
    ...(tests.length > 1 ? { tests: tests.map(testJson) } : {}),
  };
}

/** R's signif() then shortest printing, roughly as print.anova's format(). */
function fmt(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '' : String(x);
  return String(Number(x.toPrecision(digits)));
}

function fmtP(p: number): string {
  if (Number.isNaN(p)) return '';
  if (p < 2.2e-16) return '< 2.2e-16';
  return p < 1e-4 ? p.toExponential(3) : String(Number(p.toPrecision(4)));
}

function stars(p: number): string {
  if (Number.isNaN(p)) return '';
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : p < 0.1 ? '.' : ' ';
}

function formatAnova(models: readonly AnovaModel[], tests: readonly AnovaTest[]): string {
  const names = models.map((_, i) => `m${i}`);
  const header = ['', 'npar', 'AIC', 'BIC', 'logLik', 'deviance', 'Chisq', 'Df', 'Pr(>Chisq)'];
  const anyBoundary = tests.some((t) => t.pBoundary !== undefined);
  if (anyBoundary) header.push('Pr(>Chisq) boundary');
  const rows = models.map((m, i) => {
    const t = i > 0 ? tests[i - 1] : undefined;
    const r = [
      names[i],
      String(m.npar),
      fmt(m.AIC, 5),
      fmt(m.BIC, 5),
      fmt(m.logLik, 5),
      fmt(m.deviance, 5),
      t ? fmt(t.chisq, 5) : '',
      t ? String(t.df) : '',
      t ? `${fmtP(t.p)} ${stars(t.p)}` : '',
    ];
    if (anyBoundary)
      r.push(t?.pBoundary !== undefined ? `${fmtP(t.pBoundary)} ${stars(t.pBoundary)}` : '');
    return r;
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]): string =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join(' ')
      .trimEnd() + '\n';
  let out = 'Models:\n';
  models.forEach((m, i) => (out += `${names[i]}: ${m.formula}\n`));
  out += line(header) + rows.map(line).join('');
  out += "---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n";
  if (anyBoundary) {
    out +=
      'Pr(>Chisq) boundary: 50:50 mixture of chi-square(Df - 1) and chi-square(Df) (variance parameters tested on the boundary)\n';
  }
  return out;
}
