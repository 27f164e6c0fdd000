/**
 * lmer with prior weights and offsets, and glmer's gaussian shortcut to lmer, against lme4
 * (test/fixtures/weights, made by make-weights.R; case table `weights` in cases.json), on both
 * backends: estimates at the LMM tolerances, residuals, Pearson residuals (√w (y − fitted)) and
 * lme4's summary text.
 */
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { expectMatchesReference, lmmTolerances } from '../helpers/compare';
import { backends, loadCaseData, loadCases, loadCsv, loadRef } from '../helpers/fixtures';

const weightsData = () => loadCsv('weights/data/sleepstudy_weights.csv');

for (const backend of backends) {
  describe(`weights and offsets vs lme4 (${backend})`, () => {
    for (const c of loadCases('weights')) {
      it(c.fit, () => {
        const ref = loadRef(c.fit, c.refDir);
        const data = loadCaseData(c);
        const fit =
          c.kind === 'lmm'
            ? lmerSync(c.formula, data, { ...c.options, backend })
            : glmerSync(c.formula, data, { ...c.options, backend });
        expectMatchesReference(fit, ref, lmmTolerances);
        expect(fit.REML).toBe(ref.REML);
        // residuals carry the fitted values' tolerance (1e-4 of their size, as fitted_head)
        const tolAt = (i: number) => 1e-4 * Math.max(1, Math.abs(fit.fitted[i]));
        (ref.residuals_head as number[]).forEach((r, i) =>
          expect(Math.abs(fit.residuals[i] - r), `residual ${i}`).toBeLessThan(tolAt(i)),
        );
        (ref.pearson_head as number[]).forEach((r, i) =>
          expect(Math.abs(fit.pearsonResiduals![i] - r), `pearson ${i}`).toBeLessThan(2 * tolAt(i)),
        );
        if (c.kind === 'glmm') {
          expect(fit.messages).toContain(
            'calling glmer() with family=gaussian (identity link) as a shortcut to lmer() is deprecated; please call lmer() directly',
          );
        }
      });
    }

    it('summary of a weighted fit has lme4s layout (Weights: line, Pearson residuals)', () => {
      const ref = loadRef('lmm_weights_reml', 'weights/fits');
      const fit = lmerSync('Reaction ~ Days + (Days | Subject)', weightsData(), {
        weights: 'w',
        backend,
        dataName: 'ssw',
      });
      // Same text up to the last printed digit (our optimum is 6e-9 higher in logLik, and the
      // flat direction moves a variance in its 5th digit).
      const masked = (s: string) => s.replace(/-?\d+\.\d+/g, '#');
      expect(masked(fit.summary())).toBe(masked(`${String(ref.summary_text)}\n`));
      expect(fit.summary()).toContain('Weights: w\n');
    });

    it('weights given as an array equal weights given by column', () => {
      const data = weightsData() as Record<string, number[]>;
      const byName = lmerSync('Reaction ~ Days + (Days | Subject)', data, {
        weights: 'w',
        backend,
      });
      const byArray = lmerSync('Reaction ~ Days + (Days | Subject)', data, {
        weights: data.w.slice(),
        backend,
      });
      expect(byArray.logLik).toBeCloseTo(byName.logLik, 10);
      expect(byArray.theta).toEqual(byName.theta);
    });

    it('constant weights 2 give the unweighted logLik (lme4: +½ Σ log w)', () => {
      const data = weightsData() as Record<string, number[]>;
      const plain = lmerSync('Reaction ~ Days + (Days | Subject)', data, { backend });
      const two = lmerSync('Reaction ~ Days + (Days | Subject)', data, {
        weights: data.w.map(() => 2),
        backend,
      });
      expect(Math.abs(two.logLik - plain.logLik)).toBeLessThan(1e-7);
      expect(two.sigma / plain.sigma).toBeCloseTo(Math.SQRT2, 6);
    });

    it('rows with weight 0 carry no information (lme4 returns -Inf): same fit as dropping them', () => {
      const dropped = loadRef('lmm_weights_zero_dropped_reml', 'weights/fits');
      const zero = loadRef('lmm_weights_zero_reml', 'weights/fits');
      expect(zero.logLik).toBe('-Inf');
      const fit = lmerSync('Reaction ~ Days + (Days | Subject)', weightsData(), {
        weights: 'w0',
        backend,
      });
      expectMatchesReference(
        fit,
        { ...dropped, nobs: zero.nobs, df_resid: zero.df_resid, fitted_head: [] },
        lmmTolerances,
      );
      expect(fit.messages.some((m) => m.includes('weight 0'))).toBe(true);
    });
  });
}
