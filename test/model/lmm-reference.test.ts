/** Every LMM reference fit (lme4 1.1-31) reproduced on both backends. */
import { describe, expect, it } from 'vitest';
import { lmerSync } from '../../src/api/lmer';
import { expectMatchesReference, lmmTolerances } from '../helpers/compare';
import { backends, loadCases, loadCsv, loadRef } from '../helpers/fixtures';

for (const backend of backends) {
  describe(`lmer vs lme4 (${backend})`, () => {
    for (const c of loadCases('lmm')) {
      it(c.fit, () => {
        const fit = lmerSync(c.formula, loadCsv(c.data), { ...c.options, backend });
        expectMatchesReference(fit, loadRef(c.fit), lmmTolerances);
      });
    }
  });
}

describe('optimizer record', () => {
  it('keeps every evaluation, ending at the optimum', () => {
    const fit = lmerSync('Reaction ~ Days + (Days | Subject)', loadCsv('sleepstudy.csv'));
    const { history, evaluations, fval } = fit.optimizer;
    expect(history.length).toBe(evaluations);
    // lme4's start (T̃ = I) on the conditioned columns of Z (Days centred and scaled)
    const startTilde = fit.model.tildeFromTheta(history[0].x);
    startTilde.forEach((v, i) => expect(v).toBeCloseTo([1, 0, 1][i], 12));
    expect(fit.optimizer.start).toEqual(history[0].x);
    expect(Math.min(...history.map((h) => h.f))).toBeCloseTo(fval, 8);
    expect(history.every((h) => h.x.length === 3 && Number.isFinite(h.f))).toBe(true);
  });
});
