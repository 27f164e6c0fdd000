/**
 * The ingredients of Satterthwaite's degrees of freedom for an LMM, as lmerTest computes them
 * (as_lmerModLT): over the variance parameters φ = (θ in lme4's units, σ),
 * - A = 2 H⁻¹, with H the Hessian of the deviance with σ explicit (−2 log-likelihood; the REML
 *   criterion for REML fits) at the estimates (pseudo-inverse over eigenvalues > 1e-8);
 * - J_k = ∂ Cov(β̂)/∂φ_k, the Jacobian of Cov(β̂)(φ) = σ² (R_Xᵀ R_X)⁻¹ evaluated at θ.
 * Both by central differences with Richardson extrapolation (as numDeriv's). Every evaluation
 * only sets θ and refactors the resident system (no pass over the observations); the system is
 * put back at the estimates afterwards. The result is cached per fit.
 */
import { FitError } from '../errors';
import { vcovFromTilde } from '../model/conditioning';
import type { LmmModel } from '../model/lmm';
import { logdetRe, logdetX, pwrss, setTheta, updateL } from '../model/system';
import { fixedEffectsCovariance } from '../model/vcov';
import { symmetricEigen } from '../math/eigen';
import { symmetricPinv, type Matrix } from './linalg';

export interface VarparDerivatives {
  /** φ = (θ..., σ) at the estimates. */
  varpar: number[];
  /** Cov(β̂) at the estimates (p × p). */
  vcov: Matrix;
  /** 2 H⁻¹: the asymptotic covariance of φ̂. */
  vcovVarpar: Matrix;
  /** ∂ Cov(β̂)/∂φ_k, one p × p matrix per φ_k. */
  jacobian: Matrix[];
  /** Eigenvalues of H (a negative or ~0 one: lmerTest's convergence warnings). */
  hessianEigenvalues: number[];
}

/** What the derivatives need from a fit. */
export interface LmmFitView {
  readonly model: LmmModel;
  readonly REML: boolean;
  readonly theta: number[];
  readonly sigma: number;
}

const cache = new WeakMap<object, VarparDerivatives>();

/** Relative step of the first level and number of Richardson levels (halving the step). */
const STEP = 1e-3;
const LEVELS = 4;

function stepFor(x: number): number {
  return Math.abs(x) > 1e-6 ? STEP * Math.abs(x) : 1e-4;
}

/** Richardson extrapolation of estimates D(h/2^k) with errors even in h. */
function richardson(estimate: (k: number) => number[]): number[] {
  let table = Array.from({ length: LEVELS }, (_, k) => estimate(k));
  for (let m = 1; m < LEVELS; m++) {
    const f = 4 ** m;
    table = table.slice(0, -1).map((a, k) => a.map((v, i) => (f * table[k + 1][i] - v) / (f - 1)));
  }
  return table[0];
}

export function varparDerivatives(key: object, fit: LmmFitView): VarparDerivatives {
  const hit = cache.get(key);
  if (hit) return hit;
  const m = fit.model;
  if (m.kind !== 'lmm')
    throw new FitError('Satterthwaite degrees of freedom need a linear mixed model');
  const { sys, p, REML } = { sys: m.sys, p: m.p, REML: fit.REML };
  const n = m.nInformative;
  const nt = fit.theta.length;
  const varpar = [...fit.theta, fit.sigma];
  const k = varpar.length;

  const setVarpar = (x: readonly number[]): void => {
    const status = updateL(setTheta(sys, m.tildeFromTheta(x.slice(0, nt))));
    if (status !== 0)
      throw new FitError('the mixed-model equations are not positive definite near the estimates');
  };
  const deviance = (x: readonly number[]): number => {
    setVarpar(x);
    const s2 = x[nt] * x[nt];
    let d = logdetRe(sys) + pwrss(sys) / s2 + n * Math.log(2 * Math.PI * s2);
    if (REML) d += logdetX(sys) - p * Math.log(2 * Math.PI * s2);
    return d;
  };
  const covBeta = (x: readonly number[]): number[] => {
    setVarpar(x);
    const v = vcovFromTilde(m.fixedCond, fixedEffectsCovariance(sys, x[nt]));
    return v.flat();
  };
  const h = varpar.map(stepFor);
  const at = (steps: [number, number][]): number[] => {
    const y = varpar.slice();
    for (const [i, s] of steps) y[i] += s;
    return y;
  };

  try {
    const f0 = deviance(varpar);
    // Hessian: every entry extrapolated over the same halving steps
    const H: Matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        const [v] = richardson((lev) => {
          const hi = h[i] / 2 ** lev;
          const hj = h[j] / 2 ** lev;
          if (i === j) {
            return [(deviance(at([[i, hi]])) - 2 * f0 + deviance(at([[i, -hi]]))) / (hi * hi)];
          }
          const pp = deviance(
            at([
              [i, hi],
              [j, hj],
            ]),
          );
          const pm = deviance(
            at([
              [i, hi],
              [j, -hj],
            ]),
          );
          const mp = deviance(
            at([
              [i, -hi],
              [j, hj],
            ]),
          );
          const mm = deviance(
            at([
              [i, -hi],
              [j, -hj],
            ]),
          );
          return [(pp - pm - mp + mm) / (4 * hi * hj)];
        });
        H[i][j] = v;
        H[j][i] = v;
      }
    }
    const jacobian: Matrix[] = [];
    for (let i = 0; i < k; i++) {
      const d = richardson((lev) => {
        const hi = h[i] / 2 ** lev;
        const plus = covBeta(at([[i, hi]]));
        const minus = covBeta(at([[i, -hi]]));
        return plus.map((v, e) => (v - minus[e]) / (2 * hi));
      });
      jacobian.push(Array.from({ length: p }, (_, r) => d.slice(r * p, (r + 1) * p)));
    }
    const vflat = covBeta(varpar);
    const vcov = Array.from({ length: p }, (_, r) => vflat.slice(r * p, (r + 1) * p));
    const hinv = symmetricPinv(H, 1e-8);
    const out: VarparDerivatives = {
      varpar,
      vcov,
      vcovVarpar: hinv.map((r) => r.map((v) => 2 * v)),
      jacobian,
      hessianEigenvalues: symmetricEigen(H).values,
    };
    cache.set(key, out);
    return out;
  } finally {
    // leave the system at the estimates
    updateL(setTheta(sys, m.tildeFromTheta(fit.theta)));
  }
}
