/**
 * Catalogue: family and response mismatches. Factor responses where counts are needed, cbind()
 * outside the binomial family, unknown families and links.
 */
import { expect } from 'vitest';
import { DataError, ModelSpecError, OptionError } from '../../src/errors';
import { catalogue, glmm, lmm, small, smallWith, type Backend } from './catalogue';

const G = (formula: string, data: unknown, options: unknown) => (backend: Backend) =>
  glmm(formula, data, options, backend);

const yesNo = () => smallWith({ f: small().b.map((v) => (v ? 'yes' : 'no')) });
const threeLevels = () =>
  smallWith({ f: small().c.map((v) => ['a', 'b', 'c'][(v as number) % 3]) });
const CB = 'cbind(c, 5 - c) ~ x + (1 | g)';

catalogue('family and response', [
  {
    input: 'a 6-level factor response with poisson',
    run: G('g ~ x + (1 | g)', small(), { family: 'poisson' }),
    error: DataError,
    names: { column: 'g' },
    message: ["response 'g' is categorical with 6 levels (g0, g1, g2, g3, g4, ...)"],
  },
  {
    input: 'a two-level factor response with poisson',
    run: G('f ~ x + (1 | g)', yesNo(), { family: 'poisson' }),
    error: DataError,
    names: { column: 'f' },
    message: ["the response 'f' is a factor; only the binomial family accepts a factor response"],
  },
  {
    input: 'a two-level factor response with Gamma',
    run: G('f ~ x + (1 | g)', yesNo(), { family: 'Gamma' }),
    error: DataError,
    names: { column: 'f' },
    message: ['only the binomial family accepts a factor response'],
  },
  {
    input: 'a 3-level factor response with binomial',
    run: G('f ~ x + (1 | g)', threeLevels(), { family: 'binomial' }),
    error: DataError,
    names: { column: 'f' },
    message: [
      "response 'f' is categorical with 3 levels (a, b, c); it must be numeric or have two levels",
    ],
  },
  {
    input: 'a two-level factor response for lmer',
    run: (backend) => lmm('f ~ x + (1 | g)', yesNo(), {}, backend),
    error: DataError,
    names: { column: 'f' },
    message: ["the response 'f' must be numeric for a linear mixed model (use glmer"],
  },
  {
    input: 'a numeric response with one stray string, for lmer',
    run: (backend) =>
      lmm(
        'y ~ x + (1 | g)',
        smallWith({ y: small().y.map((v, i) => (i === 5 ? 'oops' : v)) }),
        {},
        backend,
      ),
    error: DataError,
    names: { column: 'y' },
    message: [
      "response 'y' is categorical with 24 levels",
      'it must be numeric or have two levels',
    ],
  },
  {
    input: 'a cbind() response for lmer',
    run: (backend) => lmm(CB, small(), {}, backend),
    error: DataError,
    names: { column: 'cbind(c, 5 - c)' },
    message: ["the response 'cbind(c, 5 - c)' must be numeric for a linear mixed model"],
  },
  {
    input: 'a cbind() response with family gaussian',
    run: G(CB, small(), { family: 'gaussian' }),
    error: DataError,
    names: { column: 'cbind(c, 5 - c)' },
    message: ['must be numeric for a linear mixed model'],
  },
  {
    input: 'a cbind() response with poisson',
    run: G(CB, small(), { family: 'poisson' }),
    error: DataError,
    names: { column: 'cbind(c, 5 - c)' },
    message: ['a cbind() response needs the binomial family'],
  },
  {
    input: 'cbind() with three columns',
    run: G('cbind(c, 5 - c, c) ~ x + (1 | g)', small(), { family: 'binomial' }),
    error: ModelSpecError,
    names: { term: 'cbind(c, 5 - c, c)' },
    message: ['a cbind() response needs exactly two columns (successes, failures); got 3'],
  },
  {
    input: 'cbind() with one column',
    run: G('cbind(c) ~ x + (1 | g)', small(), { family: 'binomial' }),
    error: ModelSpecError,
    names: { term: 'cbind(c)' },
    message: ['cbind() needs at least two columns'],
  },
  {
    input: 'a negative Gamma response',
    run: G('y ~ x + (1 | g)', smallWith({ y: small().pos.map((v, i) => (i === 4 ? -2 : v)) }), {
      family: 'Gamma',
    }),
    error: DataError,
    names: { column: 'y', row: 5 },
    message: ["response 'y', row 5: non-positive values not allowed for the 'Gamma' family"],
  },
  {
    input: 'an unknown family',
    run: G('c ~ x + (1 | g)', small(), { family: 'zebra' }),
    error: OptionError,
    names: { option: 'family' },
    message: ["unknown family 'zebra'"],
  },
  {
    input: "a family spelt with a capital ('Poisson')",
    run: G('c ~ x + (1 | g)', small(), { family: 'Poisson' }),
    error: OptionError,
    names: { option: 'family' },
    message: ["unknown family 'Poisson'", "'poisson'"],
  },
  {
    input: 'a family given as a number',
    run: G('c ~ x + (1 | g)', small(), { family: 1 }),
    error: OptionError,
    names: { option: 'family' },
    message: ['must be a family name such as "binomial"'],
  },
  {
    input: 'an unknown link',
    run: G('c ~ x + (1 | g)', small(), { family: 'poisson', link: 'wibble' }),
    error: OptionError,
    names: { option: 'link' },
    message: ['wibble'],
  },
  {
    input: 'a link the family does not allow (binomial, inverse)',
    run: G('b ~ x + (1 | g)', small(), { family: 'binomial', link: 'inverse' }),
    error: OptionError,
    names: { option: 'link' },
    message: ['inverse'],
  },
  {
    input: 'a link given as a number',
    run: G('c ~ x + (1 | g)', small(), { family: 'poisson', link: 2 }),
    error: OptionError,
    names: { option: 'link' },
    message: ['must be a link name such as "logit"'],
  },
  {
    input: 'a two-level factor response with binomial (valid: first level = failure)',
    run: G('f ~ x + (1 | g)', yesNo(), { family: 'binomial' }),
    check: (fit, backend) => {
      const numeric = glmm('b ~ x + (1 | g)', small(), { family: 'binomial' }, backend);
      // 'no' < 'yes': the same 0/1 coding as b
      expect(fit.logLik).toBeCloseTo(numeric.logLik, 9);
    },
  },
  {
    input: 'a logical response with binomial (valid: FALSE = failure)',
    run: G('f ~ x + (1 | g)', smallWith({ f: small().b.map((v) => v === 1) }), {
      family: 'binomial',
    }),
    check: (fit, backend) => {
      const numeric = glmm('b ~ x + (1 | g)', small(), { family: 'binomial' }, backend);
      expect(fit.logLik).toBeCloseTo(numeric.logLik, 9);
    },
  },
  {
    input: 'family gaussian with the identity link (valid: fitted as lmer, with lme4’s message)',
    run: G('y ~ x + (1 | g)', small(), { family: 'gaussian' }),
    check: (fit, backend) => {
      expect(fit.messages.join('\n')).toContain('as a shortcut to lmer() is deprecated');
      expect(fit.logLik).toBeCloseTo(lmm('y ~ x + (1 | g)', small(), {}, backend).logLik, 9);
    },
  },
]);
