/**
 * PQL through the API: Stroup & Kachman's Table 4 seed check, MASS::glmmPQL's own stopping rule
 * on the clinics (and the 2-cycle its iteration ends in), inference on a PQL fit (z tests, Wald
 * chi-square anova, emmeans through the inverse link), and the errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { FitError, OptionError } from '../../src/errors';
import { anova } from '../../src/inference/lrt';
import { backends, loadCsv } from '../helpers/fixtures';
import { expectClose, pqlRefs } from './helpers';

const CLINICS = 'cbind(fav, n - fav) ~ trt + (1 | clinic) + (1 | clinic:trt)';
const clinics = loadCsv('clinics.csv');
const invlogit = (x: number) => 1 / (1 + Math.exp(-x));

for (const backend of backends) {
  describe(`PQL on the clinics (${backend})`, () => {
    const fit = glmerSync(CLINICS, clinics, {
      family: 'binomial',
      method: 'PQL',
      dispersion: 'fixed',
      backend,
    });

    it("reproduces Stroup & Kachman's Table 4 to the printed digits", () => {
      const emm = fit.emmeans('trt', { type: 'response' });
      expect(emm.rows.map((r) => r.estimate.toFixed(2))).toEqual(['0.40', '0.24']);
      const clinic = fit.varCorr.find((r) => r.group === 'clinic')!.variance;
      // exact REML gives 2.0103, nlme's sigma = 1 REML 1.9844; S&K print 1.99
      expect(Math.abs(clinic - 1.99)).toBeLessThan(0.025);
    });

    it('emmeans on the response scale is the inverse logit with delta-method SEs', () => {
      const emm = fit.emmeans('trt', { type: 'response' });
      const b = fit.fixefNames.map((n) => fit.fixef[n]);
      const v = fit.vcov;
      const etaDrug = b[0] + b[1];
      const seDrug = Math.sqrt(v[0][0] + 2 * v[0][1] + v[1][1]);
      const m = invlogit(etaDrug);
      expectClose(emm.rows[1].estimate, m, 1e-12, 0, 'drug mean');
      expectClose(emm.rows[1].se, m * (1 - m) * seDrug, 1e-10, 0, 'drug se');
    });

    it('has z tests and a Wald chi-square anova, and no likelihood', () => {
      const ct = fit.coefTable();
      expect(ct[1].df).toBe(Infinity);
      expectClose(ct[1].statistic, fit.fixef.trtdrug / fit.se.trtdrug, 1e-12, 0, 'z');
      const [row] = fit.anova();
      expect(row).toMatchObject({ term: 'trt', numDF: 1 });
      expectClose(
        (row as { chisq: number }).chisq,
        (fit.fixef.trtdrug / fit.se.trtdrug) ** 2,
        1e-10,
        0,
        'chisq',
      );
      expect(fit.method).toBe('PQL');
      const json = fit.toJSON();
      expect(json.logLik).toBeNull();
      expect(json.AIC).toBeNull();
      expect(json.method).toBe('PQL');
      expect(fit.summary()).toMatch(/penalized quasi-likelihood/);
      expect(fit.summary()).toMatch(/No likelihood/);
    });

    it('predicts on both scales from the final linear predictor', () => {
      const mu = fit.predict({ type: 'response' });
      mu.forEach((m, i) => expectClose(m, fit.fitted[i], 1e-12, 0, `mu ${i}`));
      const pop = fit.predict({ re: 'none' as const });
      expectClose(pop[0], fit.fixef['(Intercept)'], 1e-12, 0, 'population eta, control');
    });

    it('refuses likelihood-based tools', () => {
      expect(() => anova(fit, fit)).toThrow(FitError);
      expect(() => fit.confint({ method: 'profile' })).toThrow(/PQL/);
      expect(() => fit.simulate(2)).toThrow(/PQL/);
      expect(() => fit.refit(fit.fitted)).toThrow(FitError);
      expect(fit.confint({ method: 'Wald', parm: ['trtdrug'] })[0].lower).toBeLessThan(
        fit.fixef.trtdrug,
      );
    });

    it("matches nlme's PQL (ML, σ = 1) to 1e-4", () => {
      const ref = pqlRefs.clinics_logit_fixed_ml;
      const ml = glmerSync(CLINICS, clinics, {
        family: 'binomial',
        method: 'PQL',
        REML: false,
        backend,
      });
      for (const k of ['(Intercept)', 'trtdrug'])
        expectClose(ml.fixef[k], ref.fixef[k], 1e-4, 0, k);
    });

    it("with σ estimated and ML, follows MASS::glmmPQL's 10 iterations and reports the 2-cycle", () => {
      const ref = JSON.parse(
        readFileSync('/work/shared/reference/fits/clinics_pql.json', 'utf8'),
      ) as { fixef: Record<string, number>; se: Record<string, number> };
      const opts = {
        family: 'binomial',
        method: 'PQL',
        dispersion: 'estimated',
        REML: false,
        backend,
      } as const;
      const g = glmerSync(CLINICS, clinics, { ...opts, pqlTolerance: 1e-6, pqlMaxIter: 10 });
      for (const k of ['(Intercept)', 'trtdrug']) {
        expectClose(g.fixef[k], ref.fixef[k], 1e-3, 0, `fixef ${k}`);
        expectClose(g.se[k], ref.se[k], 1e-3, 0, `se ${k}`);
      }
      const long = glmerSync(CLINICS, clinics, opts);
      expect(long.pql?.converged).toBe(false);
      expect(long.converged).toBe(false);
      expect(long.messages.join('\n')).toMatch(/PQL did not converge/);
    });
  });
}

describe('PQL errors', () => {
  it('names the option', () => {
    expect(() => glmerSync(CLINICS, clinics, { family: 'binomial', dispersion: 'fixed' })).toThrow(
      OptionError,
    );
    expect(() =>
      glmerSync(CLINICS, clinics, { family: 'binomial', method: 'PQL', nAGQ: 5 }),
    ).toThrow(/nAGQ/);
    expect(() =>
      glmerSync(CLINICS, clinics, { family: 'binomial', method: 'pql' as 'PQL' }),
    ).toThrow(/method/);
  });

  it('a binomial mean outside [0, 1] with the identity link is an error naming the row', () => {
    const d = loadCsv('clinics.csv');
    expect(() =>
      glmerSync('cbind(fav, n - fav) ~ trt + (1 | clinic)', d, {
        family: 'binomial',
        link: 'identity',
        method: 'PQL',
        backend: 'js',
      }),
    ).toThrow(/row \d+ .*outside \[0, 1\]/);
  });

  it('the identity link needs method PQL', () => {
    expect(() => glmerSync(CLINICS, clinics, { family: 'binomial', link: 'identity' })).toThrow(
      OptionError,
    );
  });
});
