/**
 * Catalogue: refit() and update() misuse. Wrong lengths, non-finite or non-numeric values, a
 * constant response, calls after dispose(); a rejected refit leaves the fit usable.
 */
import { expect } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { DataError, FitError, OptionError } from '../../src/errors';
import type { MerFit } from '../../src/results/fit';
import { loadCsv } from '../helpers/fixtures';
import { catalogue, relDiff, type Backend, type Entry } from './catalogue';

const sleep = () => loadCsv('sleepstudy.csv') as Record<string, number[]>;
const cbpp = () => loadCsv('cbpp.csv') as Record<string, number[]>;

const lmmFit = (backend: Backend) =>
  lmerSync('Reaction ~ Days + (Days | Subject)', sleep(), { backend });
const glmmFit = (backend: Backend) =>
  glmerSync('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp(), {
    family: 'binomial',
    factors: ['period'],
    backend,
  });
const poissonFit = (backend: Backend) =>
  glmerSync('count ~ trt + (1 | block)', loadCsv('rcbd_counts.csv'), {
    family: 'poisson',
    backend,
  });

type Refit = (y: unknown) => MerFit;
type Update = (o: unknown) => MerFit;

const R = (make: (b: Backend) => MerFit, call: (refit: Refit) => unknown) => (backend: Backend) => {
  const fit = make(backend);
  return call(fit.refit.bind(fit) as Refit);
};
const U = (make: (b: Backend) => MerFit, options: unknown) => (backend: Backend) => {
  const fit = make(backend);
  return (fit.update.bind(fit) as Update)(options);
};

const reaction = () => sleep().Reaction;
const withValue = (i: number, v: unknown) => {
  const y: unknown[] = reaction();
  y[i] = v;
  return y;
};

function bad(input: string, run: Entry['run'], option: string, ...message: string[]): Entry {
  return { input, run, error: OptionError, names: { option }, message };
}

catalogue('refit and update misuse', [
  bad(
    'refit with the wrong length',
    R(lmmFit, (r) => r([1, 2, 3])),
    'y',
    'has 3 values but the model has 180 observations',
  ),
  bad(
    'refit with NaN',
    R(lmmFit, (r) => r(withValue(4, NaN))),
    'y',
    'value 5 is NaN; every value must be finite',
  ),
  bad(
    'refit with Infinity',
    R(lmmFit, (r) => r(withValue(4, Infinity))),
    'y',
    'value 5 is Infinity',
  ),
  bad(
    'refit with null inside',
    R(lmmFit, (r) => r(withValue(0, null))),
    'y',
    'value 1 is null',
  ),
  bad(
    'refit with a string',
    R(lmmFit, (r) => r('abc')),
    'y',
    'must be an array with one number per observation',
  ),
  bad(
    'refit with null',
    R(lmmFit, (r) => r(null)),
    'y',
    'must be an array with one number per observation',
  ),
  {
    // the message should not present the string "249.56" as if it were a number
    input: 'refit with numbers written as text',
    run: R(lmmFit, (r) => r(reaction().map(String))),
    error: OptionError,
    names: { option: 'y' },
    message: [/value 1 is (the string|a string|text|not a number)/],
  },
  {
    input: 'refit with a constant response',
    run: R(lmmFit, (r) => r(reaction().map(() => 3))),
    error: DataError,
    names: { column: 'Reaction' },
    message: ["the response 'Reaction' is constant"],
  },
  {
    input: 'refit with a response fitted exactly by the fixed effects',
    run: R(lmmFit, (r) => r(sleep().Days.map((d) => 3 + 2 * d))),
    error: DataError,
    names: { column: 'Reaction' },
    message: ['is fitted exactly by the fixed effects'],
  },
  {
    input: 'GLMM refit with counts instead of proportions',
    run: R(glmmFit, (r) => r(cbpp().incidence)),
    error: DataError,
    names: { column: 'cbind(incidence, size - incidence)', row: 1 },
    message: ['row 1: y values must be 0 <= y <= 1'],
  },
  {
    input: 'GLMM refit with a negative proportion',
    run: R(glmmFit, (r) =>
      r(cbpp().incidence.map((k, i) => (i === 2 ? -0.1 : k / cbpp().size[i]))),
    ),
    error: DataError,
    names: { row: 3 },
    message: ['row 3: y values must be 0 <= y <= 1'],
  },
  {
    input: 'GLMM refit with an all-zero response',
    run: R(glmmFit, (r) => r(cbpp().incidence.map(() => 0))),
    error: DataError,
    names: { column: 'cbind(incidence, size - incidence)' },
    message: ['is constant (every value is 0)'],
  },
  {
    input: 'Poisson refit with a negative count',
    run: R(poissonFit, (r) =>
      r(
        (loadCsv('rcbd_counts.csv') as Record<string, number[]>).count.map((c, i) =>
          i === 1 ? -1 : c,
        ),
      ),
    ),
    error: DataError,
    names: { column: 'count', row: 2 },
    message: ["response 'count', row 2: negative values not allowed"],
  },
  {
    input: 'refit after dispose()',
    run: (backend) => {
      const fit = lmmFit(backend);
      fit.dispose();
      return fit.refit(reaction());
    },
    error: FitError,
    names: {},
    message: ['this fit was disposed'],
  },
  {
    input: 'update after dispose()',
    run: (backend) => {
      const fit = lmmFit(backend);
      fit.dispose();
      return fit.update({ REML: false });
    },
    error: FitError,
    names: {},
    message: ['this fit was disposed'],
  },
  {
    input: 'a typed-array response (valid: the same fit as an array)',
    run: (backend) => lmmFit(backend).refit(Float64Array.from(reaction(), (v) => v * 1.5)),
    check: (fit, backend) =>
      expect(
        relDiff(fit.logLik, lmmFit(backend).refit(reaction().map((v) => v * 1.5)).logLik),
      ).toBe(0),
  },
  {
    input: 'a good refit after rejected ones (valid: the model is left intact)',
    run: (backend) => {
      const fit = lmmFit(backend);
      for (const y of [reaction().map(() => 3), withValue(2, NaN), [1, 2]]) {
        expect(() => fit.refit(y as number[])).toThrow();
      }
      return fit.refit(reaction());
    },
    check: (fit, backend) =>
      expect(relDiff(fit.logLik, lmmFit(backend).logLik)).toBeLessThan(1e-10),
  },
  bad('update with REMl', U(lmmFit, { REMl: false }), 'REMl', "did you mean 'REML'?"),
  bad(
    'update nAGQ on an LMM',
    U(lmmFit, { nAGQ: 3 }),
    'nAGQ',
    'applies to generalized linear mixed models (glmer fits) only',
  ),
  bad(
    'update REML on a GLMM',
    U(glmmFit, { REML: true }),
    'REML',
    'applies to linear mixed models (lmer fits) only',
  ),
  bad('update nAGQ 101', U(glmmFit, { nAGQ: 101 }), 'nAGQ', 'got 101'),
  bad('update with REML as a string', U(lmmFit, { REML: 'no' }), 'REML', 'must be true or false'),
  bad(
    'update with a start of the wrong length',
    U(lmmFit, { start: [1, 0] }),
    'start',
    'has 2 values but the model has 3',
  ),
  bad(
    'update with a start below its bound',
    U(lmmFit, { start: [1, 0, -1] }),
    'start',
    "θ 'Subject.Days' = -1 is below its lower bound 0",
  ),
  bad(
    'update with a start that is not an array',
    U(lmmFit, { start: 1 }),
    'start',
    'must be an array of θ values (lme4 order) or null',
  ),
  bad(
    'update with a bad control value',
    U(lmmFit, { control: { pirls: { tol: -1 } } }),
    'control.pirls.tol',
    'must be a number > 0',
  ),
  bad('update = null', U(lmmFit, null), 'update', 'must be an object, got null'),
]);
