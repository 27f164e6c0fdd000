/**
 * Catalogue: numerically hard designs. Boundary (singular) fits, degenerate grouping factors,
 * perfect separation, zero or collinear random-effects columns, extreme scales, optimizer and
 * PIRLS limits. Each gives a named error or finite estimates with the message lme4 would give;
 * never NaN estimates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FitError, ModelSpecError } from '../../src/errors';
import type { MerFit } from '../../src/results/fit';
import { fixturesDir, loadCsv } from '../helpers/fixtures';
import { catalogue, glmm, lmm } from './catalogue';

/** 40 rows, 8 groups, a covariate in [0, 1) and a response with no between-group variance. */
function design() {
  const n = 40;
  const g = Array.from({ length: n }, (_, i) => `g${i % 8}`);
  const x = Array.from({ length: n }, (_, i) => ((i * 37) % 17) / 17);
  const y = x.map((v, i) => 1 + 2 * v + ((i * 29) % 13) / 13);
  return { g, x, y };
}

const sleep = () => loadCsv('sleepstudy.csv');
const binomial = { family: 'binomial' };

/** The fit reports a problem: not converged, singular, or a message. */
function flagged(fit: MerFit): void {
  expect(
    !fit.converged || fit.singular || fit.messages.length > 0,
    `no sign of trouble: ${JSON.stringify(fit.messages)}`,
  ).toBe(true);
}

const separated = () => {
  const d = design();
  return { ...d, b: d.x.map((v) => (v > 0.5 ? 1 : 0)) };
};

/** lme4's fit of the Gaussian log-link GLMM (test/fixtures/weights/fits/edge_cases.json). */
function lme4GaussianLog(): { logLik: number } {
  const cases = JSON.parse(
    readFileSync(join(fixturesDir, 'weights', 'fits', 'edge_cases.json'), 'utf8'),
  ) as { case: string; result: { logLik: number } }[];
  return (cases.find((c) => c.case === 'glmer_gaussian_log_link') as { result: { logLik: number } })
    .result;
}

catalogue('numerically hard designs', [
  {
    input: 'no between-group variance (valid: a boundary fit, flagged)',
    run: (backend) => lmm('y ~ x + (1 | g)', design(), {}, backend),
    check: (fit) => {
      expect(fit.singular).toBe(true);
      expect(fit.theta).toEqual([0]);
      expect(fit.messages).toContain("boundary (singular) fit: see help('isSingular')");
    },
  },
  {
    input: 'nearly collinear covariates, x2 = x + 1e-10 noise (valid: one dropped)',
    run: (backend) => {
      const d = design();
      return lmm(
        'y ~ x + x2 + (1 | g)',
        { ...d, x2: d.x.map((v, i) => v + 1e-10 * (i % 3)) },
        {},
        backend,
      );
    },
    check: (fit) => {
      expect(fit.fixefNames).toEqual(['(Intercept)', 'x']);
      expect(fit.messages.join('\n')).toContain('rank deficient so dropping 1 column');
    },
  },
  {
    input: 'a grouping factor with one level (lmer)',
    run: (backend) =>
      lmm('y ~ x + (1 | h)', { ...design(), h: design().g.map(() => 'a') }, {}, backend),
    error: ModelSpecError,
    names: { term: 'h' },
    message: ['grouping factors must have > 1 sampled level (problems: h)'],
  },
  {
    input: 'a grouping factor with one level (glmer)',
    run: (backend) =>
      glmm('b ~ x + (1 | h)', { ...separated(), h: design().g.map(() => 'a') }, binomial, backend),
    error: ModelSpecError,
    names: { term: 'h' },
    message: ['grouping factors must have > 1 sampled level'],
  },
  {
    input: 'a grouping factor with one level left after dropping missing rows',
    run: (backend) => {
      const d = design();
      return lmm(
        'y ~ x + (1 | g)',
        { ...d, y: d.y.map((v, i) => (d.g[i] === 'g0' ? v : null)) },
        {},
        backend,
      );
    },
    error: ModelSpecError,
    names: { term: 'g' },
    message: ['grouping factors must have > 1 sampled level (problems: g)'],
  },
  {
    input: 'as many levels as observations (lmer)',
    run: (backend) =>
      lmm('y ~ x + (1 | o)', { ...design(), o: design().g.map((_, i) => `o${i}`) }, {}, backend),
    error: ModelSpecError,
    names: { term: 'o' },
    message: [
      'number of levels of each grouping factor must be < number of observations (problems: o)',
    ],
  },
  {
    input: 'as many random effects as observations in a slope term (lmer)',
    run: (backend) =>
      lmm(
        'y ~ x + (x | p)',
        { ...design(), p: design().g.map((_, i) => `p${Math.floor(i / 2)}`) },
        {},
        backend,
      ),
    error: ModelSpecError,
    names: { term: '(x | p)' },
    message: ['number of observations (=40) <= number of random effects (=40) for term (x | p)'],
  },
  {
    input: 'as many levels as observations (glmer: allowed, as lme4)',
    run: (backend) => {
      const d = design();
      const c = d.x.map((v, i) => (i * 3) % 5);
      return glmm(
        'c ~ x + (1 | g) + (1 | o)',
        { ...d, c, o: d.g.map((_, i) => `o${i}`) },
        { family: 'poisson' },
        backend,
      );
    },
    check: (fit) => expect(fit.ngrps.o).toBe(40),
  },
  {
    input: 'binomial data perfectly separated by a covariate',
    run: (backend) => glmm('b ~ x + (1 | g)', separated(), binomial, backend),
    fitCheck: flagged,
  },
  {
    input: 'quasi-complete separation: one period of cbpp with no cases (lme4: -24, SE 341)',
    run: (backend) => {
      const cbpp = loadCsv('cbpp.csv') as Record<string, number[]>;
      const incidence = cbpp.incidence.map((k, i) => (cbpp.period[i] === 4 ? 0 : k));
      return glmm(
        'cbind(incidence, size - incidence) ~ period + (1 | herd)',
        { ...cbpp, incidence },
        { ...binomial, factors: ['period'] },
        backend,
      );
    },
    error: FitError,
    names: {},
    message: [/fitted probability of 0 or 1/, /separate the response/],
  },
  {
    input: 'perfect separation with nAGQ = 0',
    run: (backend) => glmm('b ~ x + (1 | g)', separated(), { ...binomial, nAGQ: 0 }, backend),
    fitCheck: flagged,
  },
  {
    input: 'binomial data perfectly separated by a factor',
    run: (backend) => {
      const d = design();
      const f = d.g.map((_, i) => (i % 2 ? 'B' : 'A'));
      return glmm(
        'b ~ f + (1 | g)',
        { ...d, f, b: f.map((v) => (v === 'B' ? 1 : 0)) },
        binomial,
        backend,
      );
    },
    fitCheck: flagged,
  },
  {
    input: 'one group all successes, the others all failures',
    run: (backend) => {
      const d = design();
      return glmm(
        'b ~ x + (1 | g)',
        { ...d, b: d.g.map((v) => (v === 'g0' ? 1 : 0)) },
        binomial,
        backend,
      );
    },
    fitCheck: () => {},
  },
  {
    input: 'a Poisson group of zeros (valid)',
    run: (backend) => {
      const d = design();
      const c = d.g.map((v, i) => (v === 'g0' ? 0 : i % 5));
      return glmm('c ~ x + (1 | g)', { ...d, c }, { family: 'poisson' }, backend);
    },
    check: (fit) => expect(fit.converged).toBe(true),
  },
  {
    input: 'a Poisson response that is 0 but for one count',
    run: (backend) => {
      const d = design();
      return glmm(
        'c ~ x + (1 | g)',
        { ...d, c: d.x.map((_, i) => (i === 3 ? 1 : 0)) },
        { family: 'poisson' },
        backend,
      );
    },
    fitCheck: () => {},
  },
  {
    input: 'a random-effects column that is 0 in every row, (0 + z | g)',
    run: (backend) =>
      lmm('y ~ x + (0 + z | g)', { ...design(), z: design().x.map(() => 0) }, {}, backend),
    fitCheck: flagged,
  },
  {
    input: 'a random slope on a constant, (z | g) with z = 2',
    run: (backend) =>
      lmm('y ~ x + (z | g)', { ...design(), z: design().x.map(() => 2) }, {}, backend),
    fitCheck: flagged,
  },
  {
    input: 'weights from 1e-12 to 1e12 (valid)',
    run: (backend) =>
      lmm(
        'y ~ x + (1 | g)',
        design(),
        { weights: design().x.map((_, i) => (i % 2 ? 1e-12 : 1e12)) },
        backend,
      ),
    check: () => {},
  },
  {
    input: 'a covariate of magnitude 1e-200',
    run: (backend) =>
      lmm('y ~ x + (1 | g)', { ...design(), x: design().x.map((v) => v * 1e-200) }, {}, backend),
    fitCheck: () => {},
  },
  {
    input: 'a Gamma response of magnitude 1e-200',
    run: (backend) =>
      glmm(
        'y ~ x + (1 | g)',
        { ...design(), y: design().y.map((v) => v * 1e-200) },
        { family: 'Gamma', link: 'log' },
        backend,
      ),
    fitCheck: () => {},
  },
  {
    input: 'four binomial observations in two groups (valid)',
    run: (backend) =>
      glmm('b ~ 1 + (1 | g)', { b: [0, 1, 1, 0], g: ['a', 'a', 'b', 'b'] }, binomial, backend),
    check: (fit) => expect(fit.fixef['(Intercept)']).toBeCloseTo(0, 8),
  },
  {
    input: 'three observations in two groups (valid)',
    run: (backend) => lmm('y ~ 1 + (1 | g)', { y: [1, 2, 4], g: ['a', 'a', 'b'] }, {}, backend),
    check: (fit) => expect(fit.nobs).toBe(3),
  },
  {
    input: 'maxEval = 1 (valid: not converged, with the optimizer’s message)',
    run: (backend) =>
      lmm(
        'Reaction ~ Days + (Days | Subject)',
        sleep(),
        { control: { optimizer: { maxEval: 1 } } },
        backend,
      ),
    check: (fit) => {
      expect(fit.converged).toBe(false);
      expect(fit.messages.join('\n')).toContain('maximum number of function evaluations reached');
    },
  },
  {
    input: 'maxEval = 1 for a GLMM (valid: not converged, with a message)',
    run: (backend) =>
      glmm(
        'b ~ x + (1 | g)',
        separated(),
        { ...binomial, nAGQ: 0, control: { optimizer: { maxEval: 1 } } },
        backend,
      ),
    fitCheck: (fit) => expect(fit.converged).toBe(false),
  },
  {
    input: 'a start θ of 1e5 (valid: the optimum, or not converged with a message)',
    run: (backend) =>
      lmm('Reaction ~ Days + (Days | Subject)', sleep(), { start: [1e5, 0, 1e5] }, backend),
    check: (fit, backend) => {
      const best = lmm('Reaction ~ Days + (Days | Subject)', sleep(), {}, backend);
      if (fit.converged) expect(fit.logLik).toBeCloseTo(best.logLik, 6);
      else expect(fit.messages.length).toBeGreaterThan(0);
    },
  },
  {
    input: 'a Gaussian GLMM with a log link on sleepstudy (lme4 fits it: logLik -950.956)',
    run: (backend) =>
      glmm(
        'Reaction ~ Days + (1 | Subject)',
        sleep(),
        { family: 'gaussian', link: 'log' },
        backend,
      ),
    check: (fit) => {
      const ref = lme4GaussianLog().logLik;
      // never worse than lme4's optimum
      expect(fit.logLik).toBeGreaterThanOrEqual(ref - 1e-6 * Math.abs(ref));
    },
  },
]);
