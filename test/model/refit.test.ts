/**
 * The live model behind a fit: refit(y) equals a fresh fit to the new response, update()
 * changes settings on the same data (and restores the fit's own response first), dispose()
 * releases the model. Both backends.
 */
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { FitError, OptionError } from '../../src/errors';
import type { MerFit } from '../../src/results/fit';
import { backends, loadCsv } from '../helpers/fixtures';

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

function expectSameFit(a: MerFit, b: MerFit, tol = 1e-7): void {
  expect(relDiff(a.logLik, b.logLik), 'logLik').toBeLessThan(tol);
  a.theta.forEach((t, i) => expect(Math.abs(t - b.theta[i]), `theta ${i}`).toBeLessThan(1e-4));
  for (const name of a.fixefNames) {
    expect(Math.abs(a.fixef[name] - b.fixef[name]), `fixef ${name}`).toBeLessThan(
      1e-4 * b.se[name],
    );
    expect(relDiff(a.se[name], b.se[name]), `se ${name}`).toBeLessThan(1e-4);
  }
}

/** A deterministic pseudo-random sequence in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

for (const backend of backends) {
  describe(`refit and update (${backend})`, () => {
    const sleep = loadCsv('sleepstudy.csv') as Record<string, number[]>;
    const formula = 'Reaction ~ Days + (Days | Subject)';

    it('LMM refit(y) equals a fresh fit of the new response', () => {
      const fit = lmerSync(formula, sleep, { backend });
      const u = uniform(7);
      const y2 = sleep.Reaction.map((r, i) => 0.5 * r + 3 * sleep.Days[i] + 40 * (u() - 0.5));
      const refit = fit.refit(y2);
      const fresh = lmerSync(formula, { ...sleep, Reaction: y2 }, { backend });
      expectSameFit(refit, fresh, 1e-10);
      expect(refit.fitted).toHaveLength(fit.nobs);
      // the original fit is untouched, and its model can be refitted to its own response again
      const again = fit.refit(sleep.Reaction);
      expectSameFit(again, fit, 1e-10);
    });

    it('update({REML: false}) after a refit fits the original response by ML', () => {
      const fit = lmerSync(formula, sleep, { backend });
      fit.refit(sleep.Reaction.map((r) => r * 2));
      const ml = fit.update({ REML: false });
      const fresh = lmerSync(formula, sleep, { backend, REML: false });
      expectSameFit(ml, fresh, 1e-10);
      expect(ml.REML).toBe(false);
    });

    it('update({start}) starts the optimizer there; update({control}) is reported', () => {
      const fit = lmerSync(formula, sleep, { backend });
      const started = fit.update({ start: fit.theta });
      expect(started.optimizer.history[0].x.map((v) => +v.toFixed(10))).toEqual(
        fit.theta.map((v) => +v.toFixed(10)),
      );
      expect(started.optimizer.evaluations).toBeLessThan(fit.optimizer.evaluations);
      // a given start is reported as given (optsum's "Initial parameter vector"), for both kinds
      expect(fit.update({ start: [0.5, 0, 0.5] }).optimizer.start).toEqual([0.5, 0, 0.5]);
      const cbpp = loadCsv('cbpp.csv');
      const g = glmerSync('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, {
        family: 'binomial',
        factors: ['period'],
        start: [0.3],
        backend,
      });
      expect(g.optimizer.start).toEqual([0.3]);
      const tight = fit.update({ control: { optimizer: { rhoend: 1e-8 } } });
      expect(tight.optimizer.control.optimizer.rhoend).toBe(1e-8);
      expect(tight.optsum()).toMatch(/^rhoend {2,}1e-8$/m);
      expect(tight.optsum()).toMatch(/^Function evaluations {2,}\d+$/m);
      expect(JSON.parse(JSON.stringify(tight)).optimizer.control.optimizer.rhoend).toBe(1e-8);
      expect(relDiff(tight.logLik, fit.logLik)).toBeLessThan(1e-8);
    });

    it('GLMM refit(y): binomial proportions with the same trials, and Poisson counts', () => {
      const cbpp = loadCsv('cbpp.csv') as Record<string, number[]>;
      const f = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';
      const opts = { family: 'binomial', factors: ['period', 'herd'], backend } as const;
      const fit = glmerSync(f, cbpp, opts);
      const inc2 = cbpp.incidence.map((k, i) => Math.min(cbpp.size[i], (k * 3 + i) % 7));
      const refit = fit.refit(inc2.map((k, i) => k / cbpp.size[i]));
      const fresh = glmerSync(f, { ...cbpp, incidence: inc2 }, opts);
      expectSameFit(refit, fresh, 1e-9);

      const rc = loadCsv('rcbd_counts.csv') as Record<string, number[]>;
      const pf = 'count ~ trt + (1 | block)';
      const pois = glmerSync(pf, rc, { family: 'poisson', factors: ['block'], backend });
      const c2 = rc.count.map((c, i) => c + (i % 3));
      expectSameFit(
        pois.refit(c2),
        glmerSync(pf, { ...rc, count: c2 }, { family: 'poisson', factors: ['block'], backend }),
        1e-9,
      );
    });

    it('GLMM update({nAGQ}) equals a fresh quadrature fit', () => {
      const cbpp = loadCsv('cbpp.csv');
      const f = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';
      const opts = { family: 'binomial', factors: ['period', 'herd'], backend } as const;
      const fit = glmerSync(f, cbpp, opts);
      expectSameFit(fit.update({ nAGQ: 9 }), glmerSync(f, cbpp, { ...opts, nAGQ: 9 }), 1e-9);
    });

    it('bad refit and update input is an OptionError naming the problem', () => {
      const fit = lmerSync(formula, sleep, { backend });
      expect(() => fit.refit([1, 2, 3])).toThrow(/has 3 values but the model has 180/);
      const withNaN = sleep.Reaction.slice();
      withNaN[4] = NaN;
      expect(() => fit.refit(withNaN)).toThrow(/value 5 is NaN/);
      expect(() => fit.refit(sleep.Reaction.map(() => 3))).toThrow(/constant/);
      expect(() => fit.update({ REMl: false } as never)).toThrow(OptionError);
      expect(() => fit.update({ REMl: false } as never)).toThrow(/did you mean 'REML'/);
      expect(() => fit.update({ nAGQ: 3 })).toThrow(/glmer fits/);
      expect(() => fit.update({ start: [1, 0] })).toThrow(/has 2 values but the model has 3/);
      expect(() => fit.update({ control: { pirls: { tol: -1 } } })).toThrow(/control.pirls.tol/);
    });

    it('dispose() releases the model: results stay, refits throw FitError', () => {
      const fit = lmerSync(formula, sleep, { backend });
      fit.dispose();
      expect(fit.logLik).toBeLessThan(0);
      expect(fit.predict().length).toBe(180);
      expect(() => fit.refit(sleep.Reaction)).toThrow(FitError);
    });

    it('refits reuse the scratch space: the kernel heap does not grow', () => {
      const fit = lmerSync(formula, sleep, { backend });
      const heap = fit.model.backend.heap;
      const u = uniform(3);
      fit.refit(sleep.Reaction.map((r) => r + 10 * u()));
      const used = heap.used;
      for (let k = 0; k < 50; k++) fit.refit(sleep.Reaction.map((r) => r + 10 * u()));
      expect(heap.used).toBe(used);
    });
  });
}
