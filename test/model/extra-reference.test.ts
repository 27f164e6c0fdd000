/**
 * The extra lme4 reference fits (test/fixtures/extra, see its README) reproduced on both
 * backends; the case table is `extra` in test/fixtures/cases.json (shared with the benchmarks).
 * LMMs at the LMM tolerances; GLMMs from lme4's default glmer at logLik 1e-5 and SE 2% (lme4's
 * default stopping rules leave its finite-difference SEs ~1% noisy, see glmm-reference.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { expectMatchesReference, lmmTolerances, type Tolerances } from '../helpers/compare';
import { backends, loadCaseData, loadCases, loadRef } from '../helpers/fixtures';

const lme4Defaults: Tolerances = { logLik: 1e-5, fixefSe: 0.01, se: 0.02, sd: 0.01, condval: null };

for (const backend of backends) {
  describe(`extra lme4 references (${backend})`, () => {
    for (const c of loadCases('extra')) {
      it(c.fit, () => {
        const data = loadCaseData(c);
        const ref = loadRef(c.fit, c.refDir);
        if (c.kind === 'lmm') {
          const fit = lmerSync(c.formula, data, { ...c.options, backend });
          expectMatchesReference(fit, ref, lmmTolerances);
          if (typeof ref.rows_dropped === 'number') {
            expect(fit.nobs).toBe((ref.n_rows as number) - ref.rows_dropped);
          }
          return;
        }
        const fit = glmerSync(c.formula, data, { ...c.options, backend });
        if (String(ref.engine).startsWith('glmmTMB')) {
          // glmmTMB nbinom2: compared like rcbd_nbinom2 in glmm-reference.test.ts.
          expect(Math.abs(fit.logLik - ref.logLik) / Math.abs(ref.logLik)).toBeLessThan(1e-6);
          expect(fit.logLik).toBeGreaterThan(ref.logLik - 1e-6 * Math.abs(ref.logLik));
          expect(Math.abs(fit.nbTheta! / (ref.nb_theta as number) - 1)).toBeLessThan(1e-3);
          for (const [name, v] of Object.entries(ref.fixef)) {
            expect(Math.abs(fit.fixef[name] - v)).toBeLessThan(0.01 * ref.se[name]);
            expect(Math.abs(fit.se[name] / ref.se[name] - 1)).toBeLessThan(0.005);
          }
          expect(fit.df).toBe(ref.df);
          return;
        }
        const logLik = c.logLikAddsSaturated ? (ref.logLik_with_saturated as number) : ref.logLik;
        expectMatchesReference(fit, { ...ref, logLik, fitted_head: [] }, lme4Defaults);
        ref.fitted_head.forEach((f, i) =>
          expect(Math.abs(fit.fitted[i] - f), `fitted ${i}`).toBeLessThan(
            2e-3 * Math.max(1, Math.abs(f)),
          ),
        );
        expect(fit.nAGQ).toBe(ref.nAGQ);
        expect(fit.link).toBe(ref.link);
        if (typeof ref.nb_theta === 'number') {
          expect(Math.abs(fit.nbTheta! / ref.nb_theta - 1)).toBeLessThan(1e-3);
        } else {
          expect(fit.family).toBe(ref.family);
        }
      });
    }
  });
}
