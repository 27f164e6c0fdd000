/**
 * Catalogue: bad values. Infinities and NaN, negative or non-integer counts, proportions above
 * 1, constant responses and covariates, zero and negative weights.
 */
import { expect } from 'vitest';
import { DataError, ModelSpecError } from '../../src/errors';
import {
  catalogue,
  glmm,
  lmm,
  relDiff,
  rowsOf,
  small,
  smallSet,
  smallWith,
  type Backend,
} from './catalogue';

const F = 'y ~ x + (1 | g)';
const L =
  (data: unknown, options: unknown = {}, formula = F) =>
  (backend: Backend) =>
    lmm(formula, data, options, backend);
const G = (formula: string, data: unknown, options: unknown) => (backend: Backend) =>
  glmm(formula, data, options, backend);

const weightsWith = (f: (i: number) => number) => small().x.map((_, i) => f(i));
const cbindData = (k: number[], n: number[]) => smallWith({ k, n });
const poisson = { family: 'poisson' };
const binomial = { family: 'binomial' };

catalogue('values', [
  // non-finite values
  {
    input: 'Inf in a covariate',
    run: L(smallSet('x', 6, Infinity)),
    error: DataError,
    names: { column: 'x', row: 7 },
    message: ["non-finite value Inf in 'x' at row 7"],
  },
  {
    input: '-Inf in the response',
    run: L(smallSet('y', 6, -Infinity)),
    error: DataError,
    names: { column: 'y', row: 7 },
    message: ["non-finite value -Inf in 'y' at row 7"],
  },
  {
    input: '-Inf in a Poisson count',
    run: G('c ~ x + (1 | g)', smallSet('c', 3, -Infinity), poisson),
    error: DataError,
    names: { column: 'c', row: 4 },
    message: ["non-finite value -Inf in 'c' at row 4"],
  },
  {
    input: 'NaN in the response (valid: a missing value, the row is dropped)',
    run: L(smallSet('y', 10, NaN)),
    check: (fit, backend) => {
      expect(fit.nDropped).toBe(1);
      const rows = rowsOf(small()).filter((_, i) => i !== 10);
      expect(relDiff(fit.logLik, lmm(F, rows, {}, backend).logLik)).toBeLessThan(1e-12);
    },
  },
  {
    input: 'log(x) of x = 0',
    run: L(small(), {}, 'y ~ log(x) + (1 | g)'),
    error: DataError,
    names: { column: 'x', row: 1 },
    message: ["non-finite value -Inf in 'log(x)' (column 'x') at row 1"],
  },
  {
    input: 'sqrt(x) of a negative x (valid: NaN produced, the row dropped with a message)',
    run: L(smallSet('x', 3, -1), {}, 'y ~ sqrt(x) + (1 | g)'),
    check: (fit) => {
      expect(fit.nDropped).toBe(1);
      expect(fit.messages).toContain('NaNs produced in sqrt(x); those rows are treated as missing');
    },
  },
  // counts
  {
    input: 'a negative Poisson count',
    run: G('c ~ x + (1 | g)', smallSet('c', 7, -2), poisson),
    error: DataError,
    names: { column: 'c', row: 8 },
    message: ["response 'c', row 8: negative values not allowed for the 'Poisson' family"],
  },
  {
    input: 'a negative count for the negative binomial',
    run: G('c ~ x + (1 | g)', smallSet('c', 7, -2), { family: 'negbin' }),
    error: DataError,
    names: { column: 'c', row: 8 },
    message: ["response 'c', row 8: negative values not allowed"],
  },
  {
    input: 'non-integer Poisson counts (valid: a warning, logLik -Inf as lme4)',
    run: G('c ~ x + (1 | g)', smallWith({ c: small().c.map((v) => (v as number) + 0.5) }), poisson),
    check: (fit) => {
      expect(fit.messages).toContain("non-integer counts in 'c' (as lme4, the fit proceeds)");
      expect(fit.logLik).toBe(-Infinity);
    },
  },
  {
    input: 'a non-integer 0/1 binomial response (valid: lme4’s warning)',
    run: G('b ~ x + (1 | g)', smallSet('b', 3, 0.5), binomial),
    check: (fit) => expect(fit.messages).toContain('non-integer #successes in a binomial glm!'),
  },
  {
    input: 'a binomial proportion above 1',
    run: G('b ~ x + (1 | g)', smallSet('b', 3, 1.5), binomial),
    error: DataError,
    names: { column: 'b', row: 4 },
    message: ["response 'b', row 4: y values must be 0 <= y <= 1"],
  },
  {
    input: 'a proportion above 1 with trials as weights',
    run: G(
      'p ~ x + (1 | g)',
      smallWith({
        p: small().c.map((v, i) => (i === 3 ? 1.2 : (v as number) / 5)),
        n: small().c.map(() => 5),
      }),
      { ...binomial, weights: 'n' },
    ),
    error: DataError,
    names: { column: 'p', row: 4 },
    message: ['y values must be 0 <= y <= 1'],
  },
  {
    input: 'counts 0..4 as a binomial response without cbind()',
    run: G('c ~ x + (1 | g)', small(), binomial),
    error: DataError,
    names: { column: 'c' },
    message: ['y values must be 0 <= y <= 1'],
  },
  {
    input: 'cbind() with more successes than trials',
    run: G(
      'cbind(k, n - k) ~ x + (1 | g)',
      cbindData(
        small().c.map((_, i) => (i === 4 ? 6 : 2)),
        small().c.map(() => 5),
      ),
      binomial,
    ),
    error: DataError,
    names: { column: 'cbind(k, n - k)', row: 5 },
    message: ["negative count in response 'cbind(k, n - k)' at row 5 (n - k = -1)"],
  },
  {
    input: 'cbind() with negative successes',
    run: G(
      'cbind(k, n - k) ~ x + (1 | g)',
      cbindData(
        small().c.map((v, i) => (i === 2 ? -1 : (v as number))),
        small().c.map(() => 5),
      ),
      binomial,
    ),
    error: DataError,
    names: { column: 'cbind(k, n - k)', row: 3 },
    message: ['negative count', 'at row 3 (k = -1)'],
  },
  {
    input: 'cbind() with 0 trials in every row',
    run: G(
      'cbind(k, n - k) ~ x + (1 | g)',
      cbindData(
        small().c.map(() => 0),
        small().c.map(() => 0),
      ),
      binomial,
    ),
    error: DataError,
    names: { column: 'cbind(k, n - k)' },
    message: ["every row of the response 'cbind(k, n - k)' has 0 trials"],
  },
  {
    input: 'a zero Gamma response',
    run: G('pos ~ x + (1 | g)', smallSet('pos', 9, 0), { family: 'Gamma' }),
    error: DataError,
    names: { column: 'pos', row: 10 },
    message: ["response 'pos', row 10: non-positive values not allowed for the 'Gamma' family"],
  },
  {
    input: 'a negative inverse Gaussian response',
    run: G('pos ~ x + (1 | g)', smallSet('pos', 9, -1), { family: 'inverse.gaussian' }),
    error: DataError,
    names: { column: 'pos', row: 10 },
    message: ["response 'pos', row 10"],
  },
  // constant responses and covariates
  {
    input: 'a constant response for lmer',
    run: L(smallWith({ y: small().y.map(() => 3) })),
    error: DataError,
    names: { column: 'y' },
    message: ["the response 'y' is constant"],
  },
  {
    input: 'a constant Poisson response',
    run: G('c ~ x + (1 | g)', smallWith({ c: small().c.map(() => 3) }), poisson),
    error: DataError,
    names: { column: 'c' },
    message: ["the response 'c' is constant (every value is 3)"],
  },
  {
    input: 'an all-zero binomial response',
    run: G('b ~ x + (1 | g)', smallWith({ b: small().b.map(() => 0) }), binomial),
    error: DataError,
    names: { column: 'b' },
    message: ["the response 'b' is constant (every value is 0)"],
  },
  {
    input: 'a constant Gamma response',
    run: G('pos ~ x + (1 | g)', smallWith({ pos: small().pos.map(() => 2) }), { family: 'Gamma' }),
    error: DataError,
    names: { column: 'pos' },
    message: ["the response 'pos' is constant"],
  },
  {
    input: 'a constant negative binomial response',
    run: G('c ~ x + (1 | g)', smallWith({ c: small().c.map(() => 2) }), { family: 'negbin' }),
    error: DataError,
    names: { column: 'c' },
    message: ["the response 'c' is constant"],
  },
  {
    input: 'a response fitted exactly by the fixed effects',
    run: L(smallWith({ y: small().x.map((v) => 2 + 3 * (v as number)) })),
    error: DataError,
    names: { column: 'y' },
    message: ["the response 'y' is fitted exactly by the fixed effects"],
  },
  {
    input: 'a constant covariate in scale()',
    run: L(smallWith({ x: small().x.map(() => 2) }), {}, 'y ~ scale(x) + (1 | g)'),
    error: ModelSpecError,
    names: { term: 'scale(x)' },
    message: [
      'scale(x) divides by the standard deviation, which is 0: the argument is constant (2)',
    ],
  },
  {
    input: 'a constant covariate in scale() for glmer',
    run: G('c ~ scale(x) + (1 | g)', smallWith({ x: small().x.map(() => 2) }), poisson),
    error: ModelSpecError,
    names: { term: 'scale(x)' },
    message: ['scale(x)', 'the argument is constant'],
  },
  {
    input: 'a constant covariate (valid: an aliased column dropped, as lme4)',
    run: L(smallWith({ x: small().x.map(() => 2) })),
    check: (fit) => {
      expect(fit.fixefNames).toEqual(['(Intercept)']);
      expect(fit.messages).toContain(
        'fixed-effect model matrix is rank deficient so dropping 1 column / coefficient',
      );
    },
  },
  {
    input: 'as many fixed effects as observations',
    run: L(
      {
        y: [1, 2, 4, 3],
        x: [1, 2, 3, 5],
        z: [0, 1, 1, 0],
        w: [3, 1, 4, 1],
        g: ['a', 'a', 'b', 'b'],
      },
      {},
      'y ~ x + z + w + (1 | g)',
    ),
    error: DataError,
    names: { column: undefined },
    message: ['4 observations are too few for 4 fixed effects'],
  },
  {
    input: 'a response of magnitude 1e150 (valid: estimates scale with it)',
    run: L(smallWith({ y: small().y.map((v) => (v as number) * 1e150) }), { REML: false }),
    check: (fit, backend) => {
      const base = lmm(F, small(), { REML: false }, backend);
      expect(relDiff(fit.fixef.x / 1e150, base.fixef.x)).toBeLessThan(1e-8);
      // the ML log-likelihood shifts by -n log c
      expect(relDiff(fit.logLik + 24 * Math.log(1e150), base.logLik)).toBeLessThan(1e-8);
    },
  },
  // weights
  {
    input: 'all-zero weights for lmer',
    run: L(smallWith({ w: weightsWith(() => 0) }), { weights: 'w' }),
    error: DataError,
    names: { column: 'w' },
    message: ['all weights are 0: there is nothing to fit'],
  },
  {
    input: 'all-zero weights for glmer',
    run: G('c ~ x + (1 | g)', smallWith({ w: weightsWith(() => 0) }), { ...poisson, weights: 'w' }),
    error: DataError,
    names: { column: 'w' },
    message: ['all weights are 0'],
  },
  {
    input: 'some zero weights for lmer (valid: left out, with a message)',
    run: L(smallWith({ w: weightsWith((i) => (i % 5 === 0 ? 0 : 1)) }), { weights: 'w' }),
    check: (fit, backend) => {
      expect(fit.messages).toContain(
        '5 observations have weight 0 and carry no information: left out of the likelihood',
      );
      expect(fit.nobs).toBe(24);
      const rows = rowsOf(small()).filter((_, i) => i % 5 !== 0);
      expect(relDiff(fit.logLik, lmm(F, rows, {}, backend).logLik)).toBeLessThan(1e-8);
    },
  },
  {
    input: 'a negative weight in a weights column',
    run: L(smallWith({ w: weightsWith((i) => (i === 5 ? -1 : 1)) }), { weights: 'w' }),
    error: DataError,
    names: { column: 'w', row: 6 },
    message: ['weights must be finite and non-negative (row 6 has -1)'],
  },
  {
    input: 'a negative weight in a weights array (glmer)',
    run: G('c ~ x + (1 | g)', small(), {
      ...poisson,
      weights: weightsWith((i) => (i === 0 ? -0.5 : 1)),
    }),
    error: DataError,
    names: { column: 'weights', row: 1 },
    message: ['weights must be finite and non-negative (row 1 has -0.5)'],
  },
  {
    input: 'NaN in a weights array',
    run: L(small(), { weights: weightsWith((i) => (i === 5 ? NaN : 1)) }),
    error: DataError,
    names: { column: 'weights', row: 6 },
    message: ['row 6 has NaN'],
  },
  {
    input: 'Inf in a weights column',
    run: L(smallWith({ w: weightsWith((i) => (i === 5 ? Infinity : 1)) }), { weights: 'w' }),
    error: DataError,
    names: { column: 'w', row: 6 },
    message: ["non-finite value Inf in 'w' at row 6"],
  },
  {
    input: 'a string in a weights array',
    run: L(small(), { weights: small().x.map((v, i) => (i === 5 ? '2' : 1)) }),
    error: DataError,
    names: { column: 'weights', row: 6 },
    message: ['the weights option has a non-number at row 6'],
  },
  {
    input: 'a weights array of the wrong length',
    run: L(small(), { weights: [1, 2, 3] }),
    error: DataError,
    names: { column: 'weights' },
    message: ['the weights option has 3 values but the data have 24 rows'],
  },
  {
    input: 'an offset array with NaN',
    run: G('c ~ x + (1 | g)', small(), {
      ...poisson,
      offset: weightsWith((i) => (i === 2 ? NaN : 0)),
    }),
    error: DataError,
    names: { column: 'offset', row: 3 },
    message: ['offset must be finite (row 3 has NaN)'],
  },
]);
