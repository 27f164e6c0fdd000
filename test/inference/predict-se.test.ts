/**
 * Standard errors of the fixed-effect part of predictions, sqrt(diag(X vcov Xᵀ)), vs the same
 * computed in R from lme4's vcov(m) and model matrix (test/fixtures/inference/emmeans_make.R;
 * lme4 1.1-31 has no se.fit), on both backends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { fixedPartSe } from '../../src/inference/predictse';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

interface SeCase {
  name: string;
  formula: string;
  data_csv: string;
  newdata_csv: string;
  fit: number[];
  se: number[];
  response_fit: number[];
  response_se: number[];
}
const cases = JSON.parse(
  readFileSync(join(fixturesDir, 'inference', 'predict_se.json'), 'utf8'),
) as SeCase[];
const vcovOf = (name: string): number[][] =>
  (
    JSON.parse(readFileSync(join(fixturesDir, 'inference', `emmeans_${name}.json`), 'utf8')) as {
      vcov: number[][];
    }
  ).vcov;
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

function fitCase(c: SeCase, backend: 'wasm' | 'js') {
  const data = loadCsv(c.data_csv);
  return c.name === 'cbpp'
    ? glmerSync(c.formula, data, { family: 'binomial', factors: ['period'], backend })
    : lmerSync(c.formula, data, { backend });
}
/** End-to-end: cbpp's Hessian vcov differs from lme4's by up to 0.5% (see emmeans.test.ts). */
const endToEnd: Record<string, number> = { cbpp: 1e-2 };

for (const backend of backends) {
  describe(`predict(newdata, { se: true }) (${backend})`, () => {
    for (const c of cases) {
      it(`${c.name}: ${c.formula}`, () => {
        const fit = fitCase(c, backend);
        const nd = loadCsv(c.newdata_csv);
        const tol = endToEnd[c.name] ?? 1e-4;
        const r = fit.predict(nd, { re: 'none', se: true });
        expect(r.fit).toHaveLength(c.se.length);
        r.fit.forEach((x, i) => expect(rel(x, c.fit[i])).toBeLessThan(tol));
        r.se.forEach((x, i) => expect(rel(x, c.se[i]), `${c.name} row ${i + 1}`).toBeLessThan(tol));
        const resp = fit.predict(nd, { re: 'none', type: 'response', se: true });
        resp.se.forEach((x, i) => expect(rel(x, c.response_se[i])).toBeLessThan(tol));
        // the fit part equals predict() without se
        expect(r.fit).toEqual(fit.predict(nd, { re: 'none' }));
        // with lme4's vcov the formula alone: to rounding
        const exact = fixedPartSe(vcovOf(c.name), fit.model, nd);
        exact.forEach((x, i) => expect(rel(x, c.se[i])).toBeLessThan(1e-10));
      });
    }
    it('training rows and the options form', () => {
      const c = cases[1];
      const fit = fitCase(c, backend);
      const r = fit.predict({ se: true });
      expect(r.se).toHaveLength(fit.nobs);
      expect(r.fit).toEqual(fit.predict());
      expect(() => fit.predict({ se: 'yes' as unknown as boolean })).toThrow(/se/);
    });
  });
}
