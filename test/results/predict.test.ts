/**
 * predict(newdata) against lme4's predict.merMod (test/fixtures/predict, made by
 * make-predict.R): new covariate values, the training centre and scale of scale(), factor levels
 * matched by label, new grouping levels (an error unless allowNewLevels, then population level),
 * re: 'none' (re.form = NA), re: [grouping factors] (re.form = ~(1 | g1) on a model with two),
 * type link/response. Both backends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { DataError, OptionError } from '../../src/errors';
import type { MerFit } from '../../src/results/fit';
import type { PredictOptions } from '../../src/results/predict';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

interface PredictCase {
  name: string;
  formula: string;
  data_csv: string;
  newdata_csv: string;
  predictions: Record<string, number[]>;
  subsets?: Record<string, { newdata_csv: string }>;
  scale_center?: number;
  error_new_level_without_allow?: string;
}

const load = (name: string): PredictCase =>
  JSON.parse(readFileSync(join(fixturesDir, 'predict', `${name}.json`), 'utf8')) as PredictCase;
const csv = (file: string) => loadCsv(join('predict', 'data', file));

const cases: { name: string; glmm: boolean; tol: number }[] = [
  { name: 'sleepstudy_slope_reml', glmm: false, tol: 1e-5 },
  { name: 'scale_poly_interaction', glmm: false, tol: 1e-5 },
  // lme4's default glmer stops short of the optimum (logLik within 1e-5): predictions to 2e-3
  { name: 'cbpp_binomial', glmm: true, tol: 2e-3 },
  { name: 'cbpp_binomial_scale', glmm: true, tol: 2e-3 },
];

/** Our call for one of make-predict.R's labels (e.g. `response_re_form_NA`). */
function optionsFor(label: string): PredictOptions {
  return {
    type: label.startsWith('response_') ? 'response' : 'link',
    re: /re_form_(NA|0)/.test(label) ? 'none' : 'all',
    allowNewLevels: label.includes('allow_new_levels'),
  };
}

function fitCase(c: PredictCase, glmm: boolean, backend: 'wasm' | 'js'): MerFit {
  const data = csv(c.data_csv);
  return glmm
    ? glmerSync(c.formula, data, { family: 'binomial', factors: ['period'], backend })
    : lmerSync(c.formula, data, { backend });
}

for (const backend of backends) {
  describe(`predict(newdata) vs lme4 (${backend})`, () => {
    for (const { name, glmm, tol } of cases) {
      it(name, () => {
        const c = load(name);
        const fit = fitCase(c, glmm, backend);
        for (const [label, expected] of Object.entries(c.predictions)) {
          const file = c.subsets?.[label]?.newdata_csv ?? c.newdata_csv;
          const got = fit.predict(csv(file), optionsFor(label));
          expect(got.length, label).toBe(expected.length);
          got.forEach((g, i) =>
            expect(Math.abs(g - expected[i]), `${label}[${i}]`).toBeLessThan(
              tol * Math.max(1, Math.abs(expected[i])),
            ),
          );
        }
        if (c.error_new_level_without_allow) {
          expect(() => fit.predict(csv(c.newdata_csv))).toThrow(DataError);
          expect(() => fit.predict(csv(c.newdata_csv))).toThrow(c.error_new_level_without_allow);
        }
      });
    }

    it('predict({ newdata }) is predict(newdata); no newdata gives the fitted rows', () => {
      const c = load('sleepstudy_slope_reml');
      const fit = fitCase(c, false, backend);
      const nd = csv(c.newdata_csv);
      expect(fit.predict({ newdata: nd, allowNewLevels: true })).toEqual(
        fit.predict(nd, { allowNewLevels: true }),
      );
      expect(fit.predict()).toEqual(fit.fitted);
      const population = fit.predict({ re: 'none' });
      expect(population[0]).toBeCloseTo(fit.fixef['(Intercept)'], 8);
    });

    it('GLMM predict() on the training rows: link by default (as lme4), response on request', () => {
      const c = load('cbpp_binomial');
      const fit = fitCase(c, true, backend);
      expect(fit.predict()).toEqual(fit.eta);
      expect(fit.predict({ type: 'response' })).toEqual(fit.fitted);
    });

    it('an unseen level of a fixed-effect factor names the column, row and training levels', () => {
      const c = load('scale_poly_interaction');
      const fit = fitCase(c, false, backend);
      const bad = csv('scale_poly_newdata_badlevel.csv');
      expect(() => fit.predict(bad, { re: 'none' })).toThrow(DataError);
      expect(() => fit.predict(bad, { re: 'none' })).toThrow(/'d' of column 'f' \(row 2\)/);
    });

    it('bad arguments: a bare string, unknown keys, missing values in newdata', () => {
      const c = load('sleepstudy_slope_reml');
      const fit = fitCase(c, false, backend);
      expect(() => fit.predict('link' as never)).toThrow(OptionError);
      expect(() => fit.predict({ tpye: 'link' } as never)).toThrow(/did you mean 'type'/);
      expect(() => fit.predict({ type: 'resp' } as never)).toThrow(/did you mean 'response'/);
      expect(() => fit.predict({ Days: [1], type: 'link' } as never)).toThrow(OptionError);
      expect(fit.predict({ Days: [1], Subject: ['308'] })).toHaveLength(1);
      expect(() => fit.predict({ Days: [1, NaN], Subject: ['308', '308'] }, {})).toThrow(
        /newdata row 2: 'Days' is missing/,
      );
      expect(() => fit.predict({ Subject: ['308'] }, {})).toThrow(/unknown column 'Days'/);
    });

    it("re: ['plate'] / ['sample'], a subset of the random terms, as lme4's re.form = ~(1 | g)", () => {
      const c = load('penicillin_re_subset') as PredictCase & {
        error_new_plate_re_form_plate: string;
      };
      const fit = lmerSync(c.formula, csv(c.data_csv), { backend });
      const optionsOf = (label: string): PredictOptions => ({
        re: label.includes('re_form_plate')
          ? ['plate']
          : label.includes('re_form_sample')
            ? ['sample']
            : 'all',
        allowNewLevels: label.includes('allow_new_levels'),
      });
      let worst = 0;
      for (const [label, expected] of Object.entries(c.predictions)) {
        const got = label.startsWith('train_')
          ? fit.predict(optionsOf(label))
          : fit.predict(csv(c.subsets?.[label]?.newdata_csv ?? c.newdata_csv), optionsOf(label));
        expect(got.length, label).toBe(expected.length);
        got.forEach((g, i) => {
          const d = Math.abs(g - expected[i]) / Math.max(1, Math.abs(expected[i]));
          worst = Math.max(worst, d);
          expect(d, `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThan(1e-5);
        });
      }
      console.log(
        `predict re: [group] ${backend}: worst relative difference from lme4 ${worst.toExponential(2)}`,
      );
      // a new plate is an error only when plate's effects are asked for (as lme4)
      const nd = csv(c.newdata_csv);
      expect(() => fit.predict(nd, { re: ['plate'] })).toThrow(DataError);
      expect(() => fit.predict(nd, { re: ['plate'] })).toThrow(c.error_new_plate_re_form_plate);
      // both factors = 'all'; none = 'none'
      const known = csv('penicillin_newdata_known.csv');
      expect(fit.predict(known, { re: ['sample', 'plate'] })).toEqual(fit.predict(known));
      expect(fit.predict(known, { re: [] })).toEqual(fit.predict(known, { re: 'none' }));
      expect(fit.predict({ re: ['plate'], se: true }).se).toHaveLength(144);
      // unknown names: an OptionError naming them
      expect(() => fit.predict(known, { re: ['plates', 'batch'] })).toThrow(OptionError);
      expect(() => fit.predict(known, { re: ['plates', 'batch'] })).toThrow(
        /names no grouping factor of the model: 'plates', 'batch' \(they are: 'plate', 'sample'\)/,
      );
      expect(() => fit.predict(known, { re: [3] as never })).toThrow(OptionError);
    });
  });
}
