/**
 * Catalogue: predict() misuse. A bare string, unknown keys, new grouping levels without
 * allowNewLevels, unseen factor levels, missing or non-finite newdata values.
 */
import { expect } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { DataError, OptionError, UnknownColumnError } from '../../src/errors';
import type { DataInput } from '../../src/frame/types';
import type { MerFit } from '../../src/results/fit';
import { loadCsv } from '../helpers/fixtures';
import { catalogue, type Backend, type Entry } from './catalogue';

type Predict = (newdata?: unknown, options?: unknown) => number[];

/** One sleepstudy fit per backend (with a factor f), shared by the entries. */
const fits = new Map<string, MerFit>();
function sleepFit(backend: Backend, kind: 'lmm' | 'factor' | 'glmm' = 'lmm'): MerFit {
  const key = `${kind} ${backend}`;
  let fit = fits.get(key);
  if (fit === undefined) {
    if (kind === 'glmm') {
      fit = glmerSync(
        'cbind(incidence, size - incidence) ~ period + (1 | herd)',
        loadCsv('cbpp.csv'),
        {
          family: 'binomial',
          factors: ['period'],
          backend,
        },
      );
    } else {
      const s = loadCsv('sleepstudy.csv') as Record<string, number[]>;
      const data = { ...s, f: s.Days.map((d) => ['a', 'b', 'c'][d % 3]) } as DataInput;
      const f =
        kind === 'factor'
          ? 'Reaction ~ Days + f + (1 | Subject)'
          : 'Reaction ~ Days + (Days | Subject)';
      fit = lmerSync(f, data, { backend });
    }
    fits.set(key, fit);
  }
  return fit;
}

const P =
  (call: (predict: Predict) => unknown, kind: 'lmm' | 'factor' | 'glmm' = 'lmm') =>
  (backend: Backend) => {
    const fit = sleepFit(backend, kind);
    return call(fit.predict.bind(fit) as Predict);
  };

const one = { Days: [1], Subject: ['308'] };
const newSubject = { Days: [1], Subject: ['999'] };

function bad(input: string, run: Entry['run'], option: string, ...message: string[]): Entry {
  return { input, run, error: OptionError, names: { option }, message };
}

catalogue('predict misuse', [
  bad(
    "a bare string (predict('response'))",
    P((p) => p('response')),
    'predict',
    'predict takes new data and/or an options object, not a string: use predict({ type: "response" })',
  ),
  bad(
    'an unknown key',
    P((p) => p({ typ: 'response' })),
    'typ',
    "unknown option of predict (did you mean 'type'?)",
  ),
  bad(
    'an unknown key beside newdata',
    P((p) => p(one, { allowNewLevel: true })),
    'allowNewLevel',
    "did you mean 'allowNewLevels'?",
  ),
  bad(
    "type 'resp'",
    P((p) => p({ type: 'resp' })),
    'type',
    "did you mean 'response'?",
  ),
  bad(
    "re 'NA' (lme4's re.form = NA is re: 'none')",
    P((p) => p({ re: 'NA' })),
    're',
    "must be one of 'all', 'none'",
  ),
  bad(
    'allowNewLevels as a string',
    P((p) => p(one, { allowNewLevels: 'yes' })),
    'allowNewLevels',
    'must be true or false',
  ),
  bad(
    'newdata given twice',
    P((p) => p(one, { newdata: one })),
    'newdata',
    'give the new data once',
  ),
  bad(
    'newdata as a number',
    P((p) => p(5)),
    'predict options',
    'must be an object, got 5',
  ),
  bad(
    'newdata = null',
    P((p) => p(null)),
    'predict options',
    'must be an object, got null',
  ),
  bad(
    'an offset without newdata',
    P((p) => p({ offset: [1] })),
    'offset',
    'applies to new data only',
  ),
  bad(
    'an offset of the wrong length',
    P((p) => p(one, { offset: [1, 2] })),
    'offset',
    'has 2 values but newdata has 1 rows',
  ),
  {
    input: 'a new grouping level without allowNewLevels',
    run: P((p) => p(newSubject)),
    error: DataError,
    names: { column: 'Subject' },
    message: [
      "new levels detected in newdata: 999 (grouping factor 'Subject'); pass allowNewLevels: true",
    ],
  },
  {
    input: 'a new grouping level with allowNewLevels (valid: the population level)',
    run: (backend) => sleepFit(backend),
    check: (fit) => {
      const allowed = fit.predict(newSubject, { allowNewLevels: true });
      const population = fit.predict(newSubject, { re: 'none' });
      expect(allowed).toEqual(population);
      expect(allowed[0]).toBeCloseTo(fit.fixef['(Intercept)'] + fit.fixef.Days, 10);
    },
  },
  {
    input: 'a new herd in a GLMM',
    run: P((p) => p({ period: [1], herd: [99] }), 'glmm'),
    error: DataError,
    names: { column: 'herd' },
    message: ['new levels detected in newdata: 99'],
  },
  {
    input: 'an unseen level of a fixed-effect factor',
    run: P((p) => p({ Days: [1, 2], f: ['a', 'z'], Subject: ['308', '308'] }), 'factor'),
    error: DataError,
    names: { column: 'f', row: 2 },
    message: ["value 'z' of column 'f' (row 2) is not among the levels given for it: a, b, c"],
  },
  {
    input: 'an unseen period in a GLMM',
    run: P((p) => p({ period: [5], herd: [1] }), 'glmm'),
    error: DataError,
    names: { column: 'period', row: 1 },
    message: ["value '5' of column 'period' (row 1)"],
  },
  {
    input: 'a missing newdata column',
    run: P((p) => p({ Subject: ['308'] })),
    error: UnknownColumnError,
    names: { column: 'Days' },
    message: ["unknown column 'Days' (the data have: Subject)"],
  },
  {
    input: 'a missing key in newdata rows',
    run: P((p) => p([{ Subject: '308' }])),
    error: UnknownColumnError,
    names: { column: 'Days' },
    message: ["unknown column 'Days'"],
  },
  {
    input: 'a missing value in newdata',
    run: P((p) => p({ Days: [1, null], Subject: ['308', '308'] })),
    error: DataError,
    names: { column: 'Days', row: 2 },
    message: ["newdata row 2: 'Days' is missing or not finite"],
  },
  {
    input: 'a missing grouping value in newdata',
    run: P((p) => p({ Days: [1, 2], Subject: ['308', null] })),
    error: DataError,
    names: { column: 'Subject', row: 2 },
    message: ["newdata row 2: 'Subject' is missing"],
  },
  {
    input: 'Inf in newdata',
    run: P((p) => p({ Days: [Infinity], Subject: ['308'] })),
    error: DataError,
    names: { column: 'Days', row: 1 },
    message: ["newdata row 1: 'Days' is missing or not finite"],
  },
  {
    input: 'a string column where the model has numbers',
    run: P((p) => p({ Days: ['a'], Subject: ['308'] })),
    error: DataError,
    names: { column: 'Days' },
    message: ["column 'Days' must be numeric, as in the data the model was fitted to"],
  },
  {
    input: 'empty newdata',
    run: P((p) => p({ Days: [], Subject: [] })),
    error: DataError,
    names: { column: undefined },
    message: ['newdata has no rows'],
  },
  {
    input: 'ragged newdata',
    run: P((p) => p({ Days: [1, 2], Subject: ['308'] })),
    error: DataError,
    names: { column: 'Subject' },
    message: ["column 'Subject' has 1 values but column 'Days' has 2"],
  },
  {
    input: 'newdata rows that are arrays',
    run: P((p) => p([[1, '308']])),
    error: DataError,
    names: { row: 1 },
    message: ['row 1 of the data is an array, not an object'],
  },
  bad(
    'newdata predictions from a disposed fit',
    (backend) => {
      const s = loadCsv('sleepstudy.csv');
      const fit = lmerSync('Reaction ~ Days + (1 | Subject)', s, { backend });
      fit.dispose();
      return fit.predict(one);
    },
    'predict',
    'need the live model, which this fit no longer holds (disposed)',
  ),
  {
    input: 'the training data as newdata, in shuffled row order (valid: the same predictions)',
    run: (backend) => sleepFit(backend),
    check: (fit) => {
      const s = loadCsv('sleepstudy.csv') as Record<string, unknown[]>;
      const order = s.Days.map((_, i) => (i * 7) % s.Days.length);
      const shuffled = Object.fromEntries(
        Object.entries(s).map(([k, v]) => [k, order.map((i) => v[i])]),
      ) as DataInput;
      const p = fit.predict(shuffled);
      const fitted = fit.predict();
      order.forEach((i, k) => expect(p[k]).toBeCloseTo(fitted[i], 8));
    },
  },
]);
