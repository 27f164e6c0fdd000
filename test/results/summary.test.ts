import { describe, expect, it } from 'vitest';
import { MerFit } from '../../src/results/fit';
import {
  formatSummary,
  summaryAicTable,
  summaryCorrelation,
  summaryFixedEffects,
  summaryGroups,
  summaryHeader,
  summaryRandomEffects,
  summaryResiduals,
  summaryVcovNote,
  summaryWarnings,
  twoSidedNormalP,
} from '../../src/results/summary';
import { defaultControl } from '../../src/model/control';
import { referenceFit } from './fixture-fit';
import { REQUIRED_JSON_KEYS } from '../helpers/json-keys';

// Expected texts are lme4 1.1-31's print(summary(m)) for the reference fits, written out by hand
// from the numbers in test/fixtures/fits/*.json (R's default width 80, digits 4).

describe('LMM summary (sleepstudy, REML)', () => {
  const fit = referenceFit('sleepstudy_reml');
  // Five residuals whose quantiles are the five numbers lme4 prints for sleepstudy.
  const q = [-3.9536, -0.4634, 0.0231, 0.4634, 5.1793];
  const withResid = { ...fit, residuals: q.map((v) => v * fit.sigma) };

  it('prints the whole summary like lme4', () => {
    expect(formatSummary(withResid)).toBe(
      [
        "Linear mixed model fit by REML ['lmerMod']",
        'Formula: Reaction ~ Days + (Days | Subject)',
        '   Data: sleepstudy',
        '',
        'REML criterion at convergence: 1743.6',
        '',
        'Scaled residuals: ',
        '    Min      1Q  Median      3Q     Max ',
        '-3.9536 -0.4634  0.0231  0.4634  5.1793 ',
        '',
        'Random effects:',
        ' Groups   Name        Variance Std.Dev. Corr',
        ' Subject  (Intercept) 612.10   24.741       ',
        '          Days         35.07    5.922   0.07',
        ' Residual             654.94   25.592       ',
        'Number of obs: 180, groups:  Subject, 18',
        '',
        'Fixed effects:',
        '            Estimate Std. Error t value',
        '(Intercept)  251.405      6.825  36.838',
        'Days          10.467      1.546   6.771',
        '',
        'Correlation of Fixed Effects:',
        '     (Intr)',
        'Days -0.138',
        '',
      ].join('\n'),
    );
  });

  it('MerFit.summary() is the same text and can override the data name', () => {
    const m = new MerFit(withResid);
    expect(m.summary()).toBe(formatSummary(withResid));
    expect(m.summary({ dataName: 'sleep' })).toContain('   Data: sleep\n');
  });

  it('omits the Data line when the data name is unknown', () => {
    expect(summaryHeader({ ...fit, dataName: undefined })).toBe(
      "Linear mixed model fit by REML ['lmerMod']\nFormula: Reaction ~ Days + (Days | Subject)\n\n",
    );
  });
});

describe('LMM summary (sleepstudy, ML)', () => {
  const fit = referenceFit('sleepstudy_ml');
  it('header has the double space and the AIC table', () => {
    expect(summaryHeader(fit)).toBe(
      "Linear mixed model fit by maximum likelihood  ['lmerMod']\n" +
        'Formula: Reaction ~ Days + (Days | Subject)\n' +
        '   Data: sleepstudy\n\n',
    );
    expect(summaryAicTable(fit)).toBe(
      '     AIC      BIC   logLik deviance df.resid \n' +
        '  1763.9   1783.1   -876.0   1751.9      174 \n\n',
    );
  });
  it('random and fixed effects', () => {
    expect(summaryRandomEffects(fit)).toBe(
      [
        'Random effects:',
        ' Groups   Name        Variance Std.Dev. Corr',
        ' Subject  (Intercept) 565.48   23.780       ',
        '          Days         32.68    5.717   0.08',
        ' Residual             654.95   25.592       ',
        '',
      ].join('\n'),
    );
    expect(summaryFixedEffects(fit)).toBe(
      [
        '',
        'Fixed effects:',
        '            Estimate Std. Error t value',
        '(Intercept)  251.405      6.632  37.907',
        'Days          10.467      1.502   6.968',
        '',
      ].join('\n'),
    );
  });
});

describe('LMM summary (Penicillin, crossed)', () => {
  const fit = referenceFit('penicillin_crossed', { dataName: 'Penicillin' });
  it('sections', () => {
    expect(summaryAicTable(fit)).toBe('REML criterion at convergence: 330.9\n\n');
    expect(summaryRandomEffects(fit)).toBe(
      [
        'Random effects:',
        ' Groups   Name        Variance Std.Dev.',
        ' plate    (Intercept) 0.7169   0.8467  ',
        ' sample   (Intercept) 3.7311   1.9316  ',
        ' Residual             0.3024   0.5499  ',
        '',
      ].join('\n'),
    );
    expect(summaryGroups(fit)).toBe('Number of obs: 144, groups:  plate, 24; sample, 6\n');
    expect(summaryFixedEffects(fit)).toBe(
      '\nFixed effects:\n            Estimate Std. Error t value\n(Intercept)  22.9722     0.8086   28.41\n',
    );
    // a single fixed effect has no correlation block
    expect(summaryCorrelation(fit)).toBe('');
  });
});

describe('GLMM summary (cbpp, binomial)', () => {
  const fit = referenceFit('cbpp_laplace', {
    pearsonResiduals: [-2.3816, -0.7889, -0.2026, 0.5142, 2.8791],
  });
  it('prints the whole summary like lme4', () => {
    expect(formatSummary(fit)).toBe(
      [
        'Generalized linear mixed model fit by maximum likelihood (Laplace',
        '  Approximation) [glmerMod]',
        ' Family: binomial  ( logit )',
        'Formula: cbind(incidence, size - incidence) ~ period + (1 | herd)',
        '   Data: cbpp',
        '',
        '     AIC      BIC   logLik deviance df.resid ',
        '   194.1    204.2    -92.0    184.1       51 ',
        '',
        'Scaled residuals: ',
        '    Min      1Q  Median      3Q     Max ',
        '-2.3816 -0.7889 -0.2026  0.5142  2.8791 ',
        '',
        'Random effects:',
        ' Groups Name        Variance Std.Dev.',
        ' herd   (Intercept) 0.4123   0.6421  ',
        'Number of obs: 56, groups:  herd, 15',
        '',
        'Fixed effects:',
        '            Estimate Std. Error z value Pr(>|z|)    ',
        '(Intercept)  -1.3983     0.2312  -6.048 1.47e-09 ***',
        'period2      -0.9919     0.3032  -3.272 0.001068 ** ',
        'period3      -1.1282     0.3228  -3.495 0.000474 ***',
        'period4      -1.5797     0.4220  -3.743 0.000182 ***',
        '---',
        'Signif. codes:  0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 0.05 \u2018.\u2019 0.1 \u2018 \u2019 1',
        "Standard errors from the finite-difference Hessian (vcov: 'hessian')",
        '',
        'Correlation of Fixed Effects:',
        '        (Intr) perid2 perid3',
        'period2 -0.363              ',
        'period3 -0.340  0.280       ',
        'period4 -0.260  0.213  0.198',
        '',
      ].join('\n'),
    );
  });

  it('omits the residual section for a GLMM without Pearson residuals', () => {
    expect(formatSummary({ ...fit, pearsonResiduals: undefined })).not.toContain(
      'Scaled residuals',
    );
  });

  it('AGQ title wraps like lme4', () => {
    const agq = referenceFit('cbpp_agq25');
    expect(summaryHeader(agq).split('\n').slice(0, 3)).toEqual([
      'Generalized linear mixed model fit by maximum likelihood (Adaptive',
      '  Gauss-Hermite Quadrature, nAGQ = 25) [glmerMod]',
      ' Family: binomial  ( logit )',
    ]);
  });

  it('p-values are two-sided normal', () => {
    expect(twoSidedNormalP(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(twoSidedNormalP(-6.048) / 1.4665e-9).toBeCloseTo(1, 3);
    expect(twoSidedNormalP(0)).toBe(1);
  });
});

describe('other families and layouts', () => {
  it('Gamma GLMM has a Residual row, t values and p values', () => {
    const fit = referenceFit('gamma_log');
    expect(summaryRandomEffects(fit)).toContain(' Residual             0.3531   0.5942  \n');
    expect(summaryFixedEffects(fit)).toBe(
      [
        '',
        'Fixed effects:',
        '            Estimate Std. Error t value Pr(>|z|)    ',
        '(Intercept)  0.98771    0.08010   12.33   <2e-16 ***',
        'x            0.79737    0.07946   10.04   <2e-16 ***',
        '---',
        'Signif. codes:  0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 0.05 \u2018.\u2019 0.1 \u2018 \u2019 1',
        '',
      ].join('\n'),
    );
  });

  it('uncorrelated terms on one factor print as separate groups', () => {
    expect(summaryRandomEffects(referenceFit('sleepstudy_zerocorr'))).toBe(
      [
        'Random effects:',
        ' Groups    Name        Variance Std.Dev.',
        ' Subject   (Intercept) 627.57   25.051  ',
        ' Subject.1 Days         35.86    5.988  ',
        ' Residual              653.58   25.565  ',
        '',
      ].join('\n'),
    );
  });

  it('singular fit prints the convergence line and the boundary message', () => {
    const fit = referenceFit('dyestuff2_singular');
    expect(summaryRandomEffects(fit)).toBe(
      [
        'Random effects:',
        ' Groups   Name        Variance Std.Dev.',
        ' Batch    (Intercept)  0.00    0.000   ',
        ' Residual             13.81    3.716   ',
        '',
      ].join('\n'),
    );
    expect(summaryWarnings(fit)).toBe(
      "optimizer (bobyqa) convergence code: 0 (OK)\nboundary (singular) fit: see help('isSingular')\n\n",
    );
    expect(
      formatSummary(fit).endsWith(
        '(Intercept)   5.6656     0.6784   8.352\n' +
          "optimizer (bobyqa) convergence code: 0 (OK)\nboundary (singular) fit: see help('isSingular')\n\n",
      ),
    ).toBe(true);
  });

  it('prints messages and a failed convergence', () => {
    const fit = referenceFit('sleepstudy_reml', {
      messages: ['fixed-effect model matrix is rank deficient so dropping 1 column / coefficient'],
    });
    fit.optimizer = {
      ...fit.optimizer,
      converged: false,
      messages: ['maximum evaluations reached'],
    };
    expect(summaryWarnings(fit)).toBe(
      'optimizer (bobyqa) convergence code: 1 (maximum evaluations reached)\n' +
        'fixed-effect model matrix is rank deficient so dropping 1 column / coefficient\n\n',
    );
    expect(summaryWarnings(referenceFit('sleepstudy_reml'))).toBe('');
  });

  it('3x3 random-effect correlation uses two Corr columns', () => {
    const fit = referenceFit('sleepstudy_reml', {
      varCorr: [
        { group: 'g', term: '(Intercept)', term2: null, variance: 4, sd: 2, corr: null },
        { group: 'g', term: 'x', term2: null, variance: 1, sd: 1, corr: null },
        { group: 'g', term: 'z', term2: null, variance: 0.25, sd: 0.5, corr: null },
        { group: 'g', term: '(Intercept)', term2: 'x', variance: 0.5, sd: 0.25, corr: 0.25 },
        { group: 'g', term: '(Intercept)', term2: 'z', variance: -0.5, sd: -0.5, corr: -0.5 },
        { group: 'g', term: 'x', term2: 'z', variance: 0.05, sd: 0.1, corr: 0.1 },
        { group: 'h', term: '(Intercept)', term2: null, variance: 9, sd: 3, corr: null },
        { group: 'Residual', term: null, term2: null, variance: 1, sd: 1, corr: null },
      ],
    });
    expect(summaryRandomEffects(fit)).toBe(
      [
        'Random effects:',
        ' Groups   Name        Variance Std.Dev. Corr       ',
        ' g        (Intercept) 4.00     2.0                 ',
        '          x           1.00     1.0       0.25      ',
        '          z           0.25     0.5      -0.50  0.10',
        ' h        (Intercept) 9.00     3.0                 ',
        ' Residual             1.00     1.0                 ',
        '',
      ].join('\n'),
    );
  });
});

describe('residual section', () => {
  it('uses type-7 quantiles and zapsmall like .prt.resids', () => {
    const r = Array.from({ length: 11 }, (_, i) => i / 10 - 0.5); // -0.5 .. 0.5
    expect(summaryResiduals(r)).toBe(
      'Scaled residuals: \n   Min     1Q Median     3Q    Max \n -0.50  -0.25   0.00   0.25   0.50 \n\n',
    );
    expect(summaryResiduals([])).toBe('');
  });
});

describe('MerFit', () => {
  it('copies the record and serialises to the CLI JSON schema', () => {
    const data = referenceFit('sleepstudy_reml');
    const m = new MerFit(data);
    expect(m.converged).toBe(true);
    expect(m.fixef).toEqual(data.fixef);
    expect(m.fixef).not.toBe(data.fixef);
    const j = JSON.parse(JSON.stringify(m));
    expect(Object.keys(j)).toEqual(expect.arrayContaining([...REQUIRED_JSON_KEYS]));
    expect(j.varCorr[2]).toEqual({
      group: 'Subject',
      term: '(Intercept)',
      term2: 'Days',
      variance: 9.60440895115776,
      sd: 9.60440895115776,
      corr: 0.0655512382381282,
    });
    expect(j.ranef).toBeUndefined();
    expect(j.dataName).toBe('sleepstudy');
  });
  it('JSON writes non-finite numbers as the strings "NaN", "Inf", "-Inf" (never null)', () => {
    const nan = new MerFit(referenceFit('sleepstudy_reml', { logLik: NaN }));
    expect(JSON.parse(JSON.stringify(nan)).logLik).toBe('NaN');
    const inf = new MerFit(referenceFit('sleepstudy_reml', { logLik: -Infinity, AIC: Infinity }));
    const json = JSON.parse(JSON.stringify(inf));
    expect(json.logLik).toBe('-Inf');
    expect(json.AIC).toBe('Inf');
    expect(json.sigma).toBeTypeOf('number');
  });
});

describe('where the standard errors come from (vcovMethod)', () => {
  const glmm = referenceFit('cbpp_laplace');
  const withRule = (vcov: 'hessian' | 'RX') => ({
    ...glmm.optimizer,
    control: { ...defaultControl(), vcov },
  });
  it('one line per rule after the coefficient table of a GLMM', () => {
    expect(summaryVcovNote(glmm)).toBe(
      "Standard errors from the finite-difference Hessian (vcov: 'hessian')\n",
    );
    expect(summaryVcovNote({ ...glmm, vcovMethod: 'RX', optimizer: withRule('RX') })).toBe(
      "Standard errors from R_X, conditional on theta (vcov: 'RX')\n",
    );
    // the Hessian was asked for but its covariance was not positive definite (lme4's fallback)
    expect(summaryVcovNote({ ...glmm, vcovMethod: 'RX', optimizer: withRule('hessian') })).toBe(
      "Standard errors from R_X: the Hessian's covariance is not positive definite (vcov: 'hessian')\n",
    );
    expect(summaryVcovNote({ ...glmm, nAGQ: 0, vcovMethod: 'RX' })).toBe(
      'Standard errors from R_X (nAGQ = 0 has no Hessian over beta)\n',
    );
    const text = formatSummary(glmm);
    expect(text.indexOf("(vcov: 'hessian')")).toBeGreaterThan(text.indexOf('Signif. codes'));
    expect(text.indexOf("(vcov: 'hessian')")).toBeLessThan(text.indexOf('Correlation of Fixed'));
  });
  it('none for LMMs (always R_X, as lme4), without fixed effects, or with vcovNote: false', () => {
    const lmm = referenceFit('sleepstudy_reml');
    expect(lmm.vcovMethod).toBe('RX');
    expect(summaryVcovNote(lmm)).toBe('');
    expect(formatSummary(lmm)).not.toContain('Standard errors from');
    expect(summaryVcovNote({ ...glmm, fixefNames: [], vcovMethod: 'none' })).toBe('');
    expect(formatSummary(glmm, { vcovNote: false })).not.toContain('Standard errors from');
  });
  it('MerFit carries vcovMethod into toJSON()', () => {
    const m = new MerFit({ ...glmm, vcovMethod: 'RX', optimizer: withRule('RX') });
    expect(m.vcovMethod).toBe('RX');
    const j = JSON.parse(JSON.stringify(m));
    expect(j.vcovMethod).toBe('RX');
    expect(j.optimizer.control.vcov).toBe('RX');
    expect(m.summary()).toContain("(vcov: 'RX')");
  });
});
