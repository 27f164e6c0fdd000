/**
 * simulate() and the parametric bootstrap: the generator's variates have their distributions'
 * moments; simulated responses are reproducible with a seed and have the model's moments; the
 * bootstrap gives the same replicates with 1 and 2 worker threads (on the built bundle, which is
 * what a worker loads) and percentile intervals of the right size; on both backends.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/random';
import { glmerSync, lmerSync } from '../../src/index';
import { loadCsv } from '../helpers/fixtures';

const BACKENDS = ['wasm', 'js'] as const;

function moments(x: ArrayLike<number>): { mean: number; variance: number } {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2;
  return { mean: m, variance: v / (x.length - 1) };
}

describe('Rng variates', () => {
  const N = 40000;
  const draw = (f: (r: Rng) => number) => {
    const r = new Rng(7);
    return Float64Array.from({ length: N }, () => f(r));
  };
  // mean and variance within 4 standard errors of their expectations
  const check = (x: Float64Array, mean: number, variance: number) => {
    const m = moments(x);
    expect(Math.abs(m.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / N));
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.05);
  };
  it('uniform, normal, gamma, Poisson, binomial, negative binomial, inverse Gaussian', () => {
    check(
      draw((r) => r.uniform()),
      0.5,
      1 / 12,
    );
    check(
      draw((r) => r.normal()),
      0,
      1,
    );
    check(
      draw((r) => r.gamma(0.6)),
      0.6,
      0.6,
    );
    check(
      draw((r) => r.gamma(7.5)),
      7.5,
      7.5,
    );
    check(
      draw((r) => r.poisson(3.2)),
      3.2,
      3.2,
    );
    check(
      draw((r) => r.poisson(85)),
      85,
      85,
    );
    check(
      draw((r) => r.binomial(12, 0.3)),
      3.6,
      12 * 0.3 * 0.7,
    );
    check(
      draw((r) => r.binomial(400, 0.02)),
      8,
      400 * 0.02 * 0.98,
    );
    check(
      draw((r) => r.negativeBinomial(4, 2)),
      4,
      4 + 16 / 2,
    );
    check(
      draw((r) => r.inverseGaussian(2, 5)),
      2,
      8 / 5,
    );
  });
  it('is reproducible for a seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 10 }, () => a.uniform());
    expect(Array.from({ length: 10 }, () => b.uniform())).toEqual(xa);
    expect(Array.from({ length: 10 }, () => c.uniform())).not.toEqual(xa);
  });
});

for (const backend of BACKENDS) {
  describe(`simulate (${backend})`, () => {
    const sleep = loadCsv('sleepstudy.csv');
    const fit = lmerSync('Reaction ~ Days + (Days | Subject)', sleep, { backend });
    it('is reproducible with a seed and changes with it', () => {
      const a = fit.simulate(3, { seed: 11 });
      expect(fit.simulate(3, { seed: 11 })).toEqual(a);
      expect(fit.simulate(3, { seed: 12 })[0]).not.toEqual(a[0]);
      expect(a.map((y) => y.length)).toEqual([fit.nobs, fit.nobs, fit.nobs]);
    });
    it('has the model mean and variance (LMM)', () => {
      const sims = fit.simulate(400, { seed: 3 });
      // per observation: the mean of the simulations is Xβ (within 4 SE), and the pooled
      // variance of y - Xβ is σ² + z Σ zᵀ averaged over the rows
      const n = fit.nobs;
      const days = (sleep as Record<string, number[]>).Days;
      const [s0, s1] = [fit.varCorr[0].sd, fit.varCorr[1].sd];
      const rho = fit.varCorr[2].corr!;
      let maxZ = 0;
      let pooled = 0;
      let expected = 0;
      for (let i = 0; i < n; i++) {
        const mu = fit.fixef['(Intercept)'] + fit.fixef.Days * days[i];
        const v = fit.sigma ** 2 + s0 ** 2 + 2 * rho * s0 * s1 * days[i] + (s1 * days[i]) ** 2;
        const m = moments(sims.map((y) => y[i]));
        maxZ = Math.max(maxZ, Math.abs(m.mean - mu) / Math.sqrt(v / sims.length));
        pooled += m.variance;
        expected += v;
      }
      expect(maxZ).toBeLessThan(4.5);
      expect(Math.abs(pooled / expected - 1)).toBeLessThan(0.05);
    });
    it('draws binomial proportions with the trials as weights (GLMM)', () => {
      const cbpp = loadCsv('cbpp.csv');
      const g = glmerSync('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, {
        family: 'binomial',
        factors: ['period', 'herd'],
        backend,
      });
      const size = (cbpp as Record<string, number[]>).size;
      const sims = g.simulate(200, { seed: 5 });
      for (const y of sims) {
        y.forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
          expect(Math.abs(v * size[i] - Math.round(v * size[i]))).toBeLessThan(1e-9);
        });
      }
      // the overall incidence of the simulations is close to the data's
      const total = (ys: ArrayLike<number>) => {
        let s = 0;
        for (let i = 0; i < ys.length; i++) s += ys[i] * size[i];
        return s;
      };
      const observed = (cbpp as Record<string, number[]>).incidence.reduce((a, b) => a + b, 0);
      const simulated = moments(sims.map(total));
      expect(Math.abs(simulated.mean - observed)).toBeLessThan(4 * Math.sqrt(simulated.variance));
    });
  });

  describe(`bootstrap (${backend})`, () => {
    const sleep = loadCsv('sleepstudy.csv');
    it('percentile intervals for lme4s parameters, of the size of the Wald intervals', async () => {
      const fit = lmerSync('Reaction ~ Days + (Days | Subject)', sleep, { backend, REML: false });
      const { bootstrapConfint } = await import('../../src/index');
      const ci = await bootstrapConfint(fit, { nsim: 120, seed: 2 });
      expect(ci.map((r) => r.parameter)).toEqual([
        '.sig01',
        '.sig02',
        '.sig03',
        '.sigma',
        '(Intercept)',
        'Days',
      ]);
      for (const name of ['(Intercept)', 'Days']) {
        const row = ci.find((r) => r.parameter === name)!;
        expect(row.lower).toBeLessThan(fit.fixef[name]);
        expect(row.upper).toBeGreaterThan(fit.fixef[name]);
        const wald = 2 * 1.96 * fit.se[name];
        expect((row.upper - row.lower) / wald).toBeGreaterThan(0.7);
        expect((row.upper - row.lower) / wald).toBeLessThan(1.3);
      }
      // .sig02 is the correlation (lme4's order: sd, cor, sd)
      const cor = ci.find((r) => r.parameter === '.sig02')!;
      expect(cor.lower).toBeGreaterThanOrEqual(-1);
      expect(cor.upper).toBeLessThanOrEqual(1);
      const sigma = ci.find((r) => r.parameter === '.sigma')!;
      expect(sigma.lower).toBeLessThan(fit.sigma);
      expect(sigma.upper).toBeGreaterThan(fit.sigma);
    });
    it('reports progress and keeps t0', async () => {
      const fit = lmerSync('Reaction ~ Days + (1 | Subject)', sleep, { backend });
      const seen: number[] = [];
      const b = await fit.bootstrap(5, (s) => [s.fixef.Days, s.sigma], {
        seed: 9,
        onProgress: (done) => seen.push(done),
      });
      expect(seen).toEqual([1, 2, 3, 4, 5]);
      expect(b.t0).toEqual([fit.fixef.Days, fit.sigma]);
      expect(b.t).toHaveLength(5);
      expect(b.failures).toEqual([]);
    });
  });
}

// A worker loads the built bundle (plain JavaScript), so this part runs on dist/.
const DIST = join(__dirname, '..', '..', 'dist', 'index.js');
describe.skipIf(!existsSync(DIST))('bootstrap in worker threads (dist bundle)', () => {
  it('gives the same replicates with 1 and 2 workers', async () => {
    const lib = await import(DIST);
    const sleep = loadCsv('sleepstudy.csv');
    for (const [formula, options] of [
      ['Reaction ~ Days + (Days | Subject)', {}],
      ['cbind(incidence, size - incidence) ~ period + (1 | herd)', { family: 'binomial' }],
    ] as const) {
      const data = formula.startsWith('cbind') ? loadCsv('cbpp.csv') : sleep;
      const fit = formula.startsWith('cbind')
        ? lib.glmerSync(formula, data, { ...options, factors: ['period', 'herd'] })
        : lib.lmerSync(formula, data, options);
      const one = await fit.bootstrap(6, undefined, { seed: 4, workers: 1 });
      const two = await fit.bootstrap(6, undefined, { seed: 4, workers: 2 });
      expect(two.t).toEqual(one.t);
      expect(two.t0).toEqual(one.t0);
    }
  }, 60_000);
  it('needs a fit made by lmer/glmer for workers', async () => {
    const lib = await import(DIST);
    const fit = lib.lmerSync('Reaction ~ Days + (1 | Subject)', loadCsv('sleepstudy.csv'));
    const refit = fit.refit(fit.simulate(1, { seed: 1 })[0]);
    await expect(refit.bootstrap(2, undefined, { workers: 2 })).rejects.toThrow(/lmer\/glmer/);
  });
});
