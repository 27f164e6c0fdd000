/**
 * Fits with vector adaptive quadrature (θ and β jointly in stage 2, Hessian standard errors), on
 * both backends: the estimates converge as the number of nodes per dimension grows, the reported
 * log-likelihood is the exact marginal one (brute-force integration at the estimates), and what the product rule does not cover stays a clear error.
 */
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { ModelSpecError } from '../../src/errors';
import { backends } from '../helpers/fixtures';
import { small } from '../helpers/small';
import { bruteForceLogLik, simulate } from './agq-vector-brute';

const spec = {
  family: 'binomial' as const,
  groups: 30,
  perGroup: 10,
  beta: [-0.3, 0.5],
  lambda: [1.0, 0.3, 0, 0.6],
  v: 2,
  seed: 11,
};
const formula = 'y ~ x + (1 + x | g)';

for (const backend of backends) {
  describe(`glmer with nAGQ > 1 and (1 + x | g) (${backend})`, () => {
    const data = simulate(spec) as never;
    const fits = new Map(
      [5, 9, 15, 25].map((k) => [
        k,
        glmerSync(formula, data, { family: 'binomial', nAGQ: k, backend }),
      ]),
    );

    it('estimates converge as k grows (5, 9, 15, 25)', () => {
      /** Largest change of β (in SEs) and θ between two fits. */
      const change = (a: number, b: number) => {
        const fa = fits.get(a)!;
        const fb = fits.get(b)!;
        let d = 0;
        for (const name of Object.keys(fa.fixef)) {
          d = Math.max(d, Math.abs(fa.fixef[name] - fb.fixef[name]) / fb.se[name]);
        }
        fa.theta.forEach((t, i) => (d = Math.max(d, Math.abs(t - fb.theta[i]))));
        return d;
      };
      const steps = [change(5, 9), change(9, 15), change(15, 25)];
      expect(steps[1]).toBeLessThan(steps[0]);
      expect(steps[2]).toBeLessThan(steps[0]);
      expect(steps[2]).toBeLessThan(1e-4);
      const ll = [5, 9, 15, 25].map((k) => fits.get(k)!.logLik);
      expect(Math.abs(ll[3] - ll[2])).toBeLessThan(Math.abs(ll[1] - ll[0]));
      for (const f of fits.values()) {
        expect(f.nAGQ).toBeGreaterThan(1);
        expect(f.converged).toBe(true);
      }
    });

    it('the reported logLik is the exact marginal log-likelihood at the estimates (1e-6)', () => {
      const f = fits.get(25)!;
      const [t0, t1, t2] = f.theta;
      const beta = [f.fixef['(Intercept)'], f.fixef.x];
      const exact = bruteForceLogLik(data, 'binomial', 2, beta, [t0, t1, 0, t2], 0.1, 8);
      expect(Math.abs(f.logLik - exact)).toBeLessThan(1e-6);
    });

    it('quadrature raises the logLik above the Laplace fit here', () => {
      const lap = glmerSync(formula, data, { family: 'binomial', backend });
      expect(fits.get(25)!.logLik - lap.logLik).toBeGreaterThan(0.1);
    });
  });
}

describe('nAGQ > 1 outside the product rule is a clear error', () => {
  const d = small();
  d.z = d.x.map((x, i) => ((i * 5) % 7) / 7 + (x as number));
  d.w = d.x.map((_, i) => ((i * 3) % 5) / 5);
  it('more than 3 effects per level', () => {
    expect(() =>
      glmerSync('c ~ x + (1 + x + z + w | g)', d, { family: 'poisson', nAGQ: 3, backend: 'js' }),
    ).toThrow(ModelSpecError);
    expect(() =>
      glmerSync('c ~ x + (1 + x + z + w | g)', d, { family: 'poisson', nAGQ: 3, backend: 'js' }),
    ).toThrow(/nAGQ > 1 .* at most 3 effects per level \(got \(1 \+ x \+ z \+ w \| g\)\)/);
  });
  it('two grouping factors', () => {
    d.h = d.g.map((_, i) => `h${i % 3}`);
    expect(() =>
      glmerSync('c ~ x + (1 + x | g) + (1 | h)', d, { family: 'poisson', nAGQ: 3, backend: 'js' }),
    ).toThrow(/one grouping factor/);
  });
  it('a family with a dispersion', () => {
    expect(() =>
      glmerSync('pos ~ x + (1 + x | g)', d, {
        family: 'Gamma',
        link: 'log',
        nAGQ: 3,
        backend: 'js',
      }),
    ).toThrow(/without a dispersion parameter .* not Gamma/);
  });
});
