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
    // the first two evaluations are the candidate starts (src/model/start.ts): the moment start
    // on the conditioned columns of Z (Days centred and scaled), a diagonal T̃ within a factor
    // of 2 of the optimum's diagonal, and lme4's; the optimizer starts from the better one
    const startTilde = fit.model.tildeFromTheta(history[0].x);
    fit.model
      .tildeFromTheta(history[1].x)
      .forEach((v, i) => expect(v).toBeCloseTo([1, 0, 1][i], 12));
    const better = history[0].f <= history[1].f ? history[0] : history[1];
    expect(fit.optimizer.start).toEqual(better.x);
    const optTilde = fit.model.tildeFromTheta(fit.theta);
    expect(startTilde[1]).toBeCloseTo(0, 12);
    for (const i of [0, 2]) {
      expect(startTilde[i] / optTilde[i]).toBeGreaterThan(0.5);
      expect(startTilde[i] / optTilde[i]).toBeLessThan(2);
    }
    // lme4's start (T̃ = I) on request, to the same optimum
    const fromOne = lmerSync('Reaction ~ Days + (Days | Subject)', loadCsv('sleepstudy.csv'), {
      control: { optimizer: { start: fit.model.thetaFromTilde([1, 0, 1]) } },
    });
    expect(fromOne.model.tildeFromTheta(fromOne.optimizer.start)[0]).toBeCloseTo(1, 12);
    expect(fromOne.logLik).toBeCloseTo(fit.logLik, 6);
    expect(Math.min(...history.map((h) => h.f))).toBeCloseTo(fval, 8);
    expect(history.every((h) => h.x.length === 3 && Number.isFinite(h.f))).toBe(true);
  });
});
