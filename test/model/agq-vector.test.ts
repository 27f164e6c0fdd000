/**
 * Adaptive Gauss–Hermite quadrature for vector random effects on one grouping factor
 * (src/model/agq-vector.ts), on both backends: at fixed parameters the log-likelihood agrees
 * with brute-force integration (a fine trapezoid grid per group, test/model/agq-vector-brute.ts)
 * and k = 1 is the Laplace approximation.
 */
import { describe, expect, it } from 'vitest';
import { agqVectorDeviance } from '../../src/model/agq-vector';
import { betaTilde } from '../../src/inference/profile';
import { backends } from '../helpers/fixtures';
import {
  bruteForceLogLik,
  libraryLogLik,
  modelOf,
  simulate,
  type SimSpec,
} from './agq-vector-brute';

interface Case {
  name: string;
  formula: string;
  spec: SimSpec;
  /** θ in lme4's units at which the likelihood is compared. */
  theta: number[];
  /** Λ of the same θ for the brute force (v×v lower, column-major). */
  lambda: number[];
  /** Brute-force grid: spacing and half-width. */
  h: number;
  R: number;
  /** Nodes per dimension checked against the brute force at 1e-6. */
  ks: number[];
}

const slopeLambda = [1.0, 0.3, 0, 0.6];
const diagLambda = [0.5, 0, 0, 0.3];
const lambda3 = [0.9, 0.2, -0.1, 0, 0.5, 0.1, 0, 0, 0.4];
const cases: Case[] = [
  {
    name: 'logistic, (1 + x | g)',
    formula: 'y ~ x + (1 + x | g)',
    spec: {
      family: 'binomial',
      groups: 30,
      perGroup: 10,
      beta: [-0.3, 0.5],
      lambda: slopeLambda,
      v: 2,
      seed: 11,
    },
    theta: [1.0, 0.3, 0.6],
    lambda: slopeLambda,
    h: 0.1,
    R: 8,
    ks: [15, 25],
  },
  {
    name: 'Poisson, (1 + x | g)',
    formula: 'y ~ x + (1 + x | g)',
    spec: {
      family: 'poisson',
      groups: 25,
      perGroup: 8,
      beta: [0.8, 0.3],
      lambda: [0.5, -0.1, 0, 0.3],
      v: 2,
      seed: 5,
    },
    theta: [0.5, -0.1, 0.3],
    lambda: [0.5, -0.1, 0, 0.3],
    h: 0.05,
    R: 8,
    ks: [15, 25],
  },
  {
    name: 'Poisson, (1 | g) + (0 + x | g) amalgamated to one block',
    formula: 'y ~ x + (1 | g) + (0 + x | g)',
    spec: {
      family: 'poisson',
      groups: 20,
      perGroup: 6,
      beta: [0.5, -0.4],
      lambda: diagLambda,
      v: 2,
      seed: 23,
    },
    theta: [0.5, 0.3],
    lambda: diagLambda,
    h: 0.05,
    R: 8,
    ks: [15],
  },
  {
    name: 'logistic, (1 + x + z | g): v = 3',
    formula: 'y ~ x + z + (1 + x + z | g)',
    spec: {
      family: 'binomial',
      groups: 10,
      perGroup: 8,
      beta: [0.2, 0.6, -0.3],
      lambda: lambda3,
      v: 3,
      seed: 3,
    },
    theta: [0.9, 0.2, -0.1, 0.5, 0.1, 0.4],
    lambda: lambda3,
    h: 0.2,
    R: 7,
    ks: [15],
  },
];

/** Brute force once per case (it is the slow part), shared by both backends. */
const bruteCache = new Map<string, number>();
function brute(c: Case): number {
  let v = bruteCache.get(c.name);
  if (v === undefined) {
    const d = simulate(c.spec);
    v = bruteForceLogLik(d, c.spec.family, c.spec.v, c.spec.beta, c.lambda, c.h, c.R);
    bruteCache.set(c.name, v);
  }
  return v;
}

for (const backend of backends) {
  describe(`vector AGQ vs brute-force integration (${backend})`, () => {
    for (const c of cases) {
      it(`${c.name}: k = ${c.ks.join(', ')} within 1e-6; errors shrink from k = 5 on`, () => {
        const d = simulate(c.spec);
        const m = modelOf(c.formula, d, c.spec.family, backend);
        expect(m.st.sys.lay.blocks).toHaveLength(1);
        expect(m.st.sys.lay.blocks[0].v).toBe(c.spec.v);
        const exact = brute(c);
        for (const k of c.ks) {
          const ll = libraryLogLik(m, c.theta, c.spec.beta, k);
          expect(Math.abs(ll - exact)).toBeLessThan(1e-6);
        }
        // errors shrink with k (k = 3 can be worse than Laplace; from k = 5 on they fall fast)
        const err = [1, 5, 9, 15].map((k) =>
          Math.abs(libraryLogLik(m, c.theta, c.spec.beta, k) - exact),
        );
        expect(err[0]).toBeGreaterThan(1e-4);
        expect(err[1]).toBeLessThan(err[0]);
        expect(err[2]).toBeLessThan(err[1]);
        expect(err[3]).toBeLessThan(err[2]);
      });

      it(`${c.name}: k = 1 is the Laplace approximation (1e-10)`, () => {
        const d = simulate(c.spec);
        const m = modelOf(c.formula, d, c.spec.family, backend);
        for (const scale of [1, 0.5, 2]) {
          const theta = c.theta.map((t) => t * scale);
          const laplace =
            -0.5 *
            m.devianceAtThetaBeta(m.tildeFromTheta(theta), betaTilde(m.fixedCond, c.spec.beta), 1);
          // at the mode PIRLS just found
          const agq1 = -0.5 * (agqVectorDeviance(m, 1) - 2 * m.saturated);
          expect(Math.abs(agq1 - laplace)).toBeLessThan(1e-10);
        }
      });
    }
  });
}
