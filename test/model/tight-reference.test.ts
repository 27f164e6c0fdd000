/**
 * Every GLMM reference (test/fixtures/fits and test/fixtures/extra/fits) refitted by lme4 with
 * tight tolerances (test/fixtures/tight/make-tight.R: bobyqa, tolPwrss 1e-12, rhoend 1e-9), so
 * that the comparison can be strict: logLik within 1e-6 relative (and never worse by more),
 * fixef within 1% of SE, SE within 0.5%, sds within 1%, conditional modes within 1e-3.
 * For nAGQ > 1 lme4's logLik leaves out the saturated log-likelihood: `logLik_full` adds it.
 * The Laplace binomial/Poisson references also carry glmmTMB's logLik and SEs (`tmb`). They are
 * compared only for canonical links: with a non-canonical link (probit, cloglog) lme4's Laplace
 * approximation (like ours) uses the Fisher-scoring (expected) weights in log det(L), while
 * glmmTMB's uses the exact Hessian, so the two objectives differ (clinics_probit: glmmTMB
 * -37.1843 vs lme4 -37.2542; glmm_cloglog: -346.5576 vs -346.7572).
 */
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { expectMatchesReference, lmmTolerances } from '../helpers/compare';
import { backends, loadCaseData, loadCases, loadRef, type Case } from '../helpers/fixtures';

interface TmbCheck {
  logLik: number;
  fixef: Record<string, number>;
  se: Record<string, number>;
}

/** The GLMM cases that have a tight reference (glmmTMB-only references have none). */
const cases: Case[] = [
  ...loadCases('glmm').filter((c) => c.fit !== 'rcbd_nbinom2'),
  ...loadCases('extra').filter((c) => c.kind === 'glmm' && c.fit !== 'glmm_nb_rcbd_tmb'),
];

for (const backend of backends) {
  describe(`glmer vs tight lme4 (${backend})`, () => {
    for (const c of cases) {
      it(c.fit, () => {
        const fit = glmerSync(c.formula, loadCaseData(c), { ...c.options, backend });
        const ref = loadRef(c.fit, 'tight');
        const logLik = typeof ref.logLik_full === 'number' ? ref.logLik_full : ref.logLik;
        expectMatchesReference(fit, { ...ref, logLik }, lmmTolerances);
        expect(fit.nAGQ).toBe(ref.nAGQ);
        expect(fit.link).toBe(ref.link);
        if (typeof ref.nb_theta === 'number') {
          expect(Math.abs(fit.nbTheta! / ref.nb_theta - 1), 'nb theta').toBeLessThan(1e-3);
        }
        const tmb = ref.tmb as TmbCheck | undefined;
        if (tmb && (ref.link === 'logit' || ref.link === 'log')) {
          expect(
            Math.abs(fit.logLik - tmb.logLik) / Math.abs(tmb.logLik),
            'glmmTMB logLik',
          ).toBeLessThan(1e-6);
          for (const [name, se] of Object.entries(tmb.se)) {
            expect(
              Math.abs(fit.fixef[name] - tmb.fixef[name]),
              `glmmTMB fixef ${name}`,
            ).toBeLessThan(0.01 * se);
            expect(Math.abs(fit.se[name] / se - 1), `glmmTMB se ${name}`).toBeLessThan(0.005);
          }
        }
      });
    }
  });
}
