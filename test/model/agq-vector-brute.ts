/**
 * Test support for vector adaptive quadrature: simulated one-factor GLMM data and the exact
 * marginal log-likelihood by brute force — a fine fixed tensor trapezoid grid over each group's
 * spherical random effects u ~ N(0, I), b = Λu — in plain TypeScript, independent of the
 * library's quadrature, PIRLS and conditioning code. For smooth integrands that decay like a
 * Gaussian the trapezoid rule converges geometrically in 1/h², so a grid of spacing h ≪ the
 * conditional sd is exact to rounding.
 */
import { createBackend } from '../../src/backend/load';
import { buildModelFrame } from '../../src/frame/modelframe';
import { makeFamily } from '../../src/model/family';
import { GlmmModel } from '../../src/model/glmm';
import { initializeFromData } from '../../src/model/pirls';
import { betaTilde } from '../../src/inference/profile';

/** Deterministic uniforms in (0, 1) (LCG) and standard normals from them (Box–Muller). */
export function rng(seed: number): { unif: () => number; norm: () => number } {
  let s = seed >>> 0;
  const unif = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const norm = () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
  return { unif, norm };
}

export interface SimSpec {
  family: 'binomial' | 'poisson';
  groups: number;
  perGroup: number;
  /** Fixed effects: intercept, then one per covariate (x, then z). */
  beta: number[];
  /** Λ (v×v lower, column-major) of the random effects [intercept, x, (z)]. */
  lambda: number[];
  v: number;
  seed: number;
}

export interface SimData {
  g: string[];
  x: number[];
  z: number[];
  y: number[];
}

/** Random effects on (1, x, z)[0..v) per group; binomial 0/1 or Poisson counts. */
export function simulate(spec: SimSpec): SimData {
  const { unif, norm: rn } = rng(spec.seed);
  const { v, lambda, beta } = spec;
  const out: SimData = { g: [], x: [], z: [], y: [] };
  for (let j = 0; j < spec.groups; j++) {
    const u = Array.from({ length: v }, () => rn());
    const b = Array.from({ length: v }, (_, r) => {
      let s = 0;
      for (let c = 0; c <= r; c++) s += lambda[r + c * v] * u[c];
      return s;
    });
    for (let i = 0; i < spec.perGroup; i++) {
      const x = rn();
      const z = rn();
      const cov = [1, x, z];
      let eta = 0;
      beta.forEach((bk, k) => (eta += bk * cov[k]));
      for (let r = 0; r < v; r++) eta += b[r] * cov[r];
      const y =
        spec.family === 'binomial'
          ? unif() < 1 / (1 + Math.exp(-eta))
            ? 1
            : 0
          : poisson(Math.exp(eta), unif());
      out.g.push(`g${j}`);
      out.x.push(Math.round(x * 1000) / 1000);
      out.z.push(Math.round(z * 1000) / 1000);
      out.y.push(y);
    }
  }
  return out;
}

/** A Poisson draw by inversion of a uniform. */
function poisson(mean: number, u: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let c = p;
  while (u > c && k < 1000) {
    k++;
    p *= mean / k;
    c += p;
  }
  return k;
}

/** log y! by summation (integer y). */
function logFactorial(y: number): number {
  let s = 0;
  for (let j = 2; j <= y; j++) s += Math.log(j);
  return s;
}

/**
 * The marginal log-likelihood Σ_g log ∫ Π_i f(y_i | η_i(u)) φ_v(u) du with η = Xβ + Z_g Λu
 * (covariates 1, x, z), by the trapezoid rule on [-R, R]^v with spacing h, per group on the log
 * scale (log-sum-exp).
 */
export function bruteForceLogLik(
  d: SimData,
  family: 'binomial' | 'poisson',
  v: number,
  beta: number[],
  lambda: number[],
  h: number,
  R: number,
): number {
  const m = Math.round(R / h);
  const grid = Array.from({ length: 2 * m + 1 }, (_, i) => (i - m) * h);
  const nPts = grid.length ** v;
  const groups = new Map<string, number[]>();
  d.g.forEach((g, i) => {
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(i);
  });
  const logPrior = -0.5 * v * Math.log(2 * Math.PI) + v * Math.log(h);
  let total = 0;
  const u = new Float64Array(v);
  const b = new Float64Array(v);
  const vals = new Float64Array(nPts);
  for (const rows of groups.values()) {
    const fixed = rows.map((i) => beta[0] + (beta[1] ?? 0) * d.x[i] + (beta[2] ?? 0) * d.z[i]);
    const cx = rows.map((i) => d.x[i]);
    const cz = rows.map((i) => d.z[i]);
    const y = rows.map((i) => d.y[i]);
    const constant = family === 'poisson' ? y.reduce((s, yi) => s - logFactorial(yi), 0) : 0;
    let maxVal = -Infinity;
    for (let p = 0; p < nPts; p++) {
      let uu = 0;
      for (let r = 0, rest = p; r < v; r++, rest = Math.floor(rest / grid.length)) {
        u[r] = grid[rest % grid.length];
        uu += u[r] * u[r];
      }
      for (let r = 0; r < v; r++) {
        let s = 0;
        for (let c = 0; c <= r; c++) s += lambda[r + c * v] * u[c];
        b[r] = s;
      }
      let ll = -0.5 * uu;
      for (let k = 0; k < y.length; k++) {
        const eta = fixed[k] + b[0] + (v > 1 ? b[1] * cx[k] : 0) + (v > 2 ? b[2] * cz[k] : 0);
        if (family === 'binomial') {
          // log μ = -log(1 + e^-η), log(1 - μ) = -log(1 + e^η)
          ll -= y[k] === 1 ? Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
        } else {
          ll += y[k] * eta - Math.exp(eta);
        }
      }
      vals[p] = ll;
      if (ll > maxVal) maxVal = ll;
    }
    let s = 0;
    for (let p = 0; p < nPts; p++) s += Math.exp(vals[p] - maxVal);
    total += maxVal + Math.log(s) + logPrior + constant;
  }
  return total;
}

/** A GLMM model object on a given backend, PIRLS initialised from the data. */
export function modelOf(
  formula: string,
  d: SimData,
  family: 'binomial' | 'poisson',
  backend: 'wasm' | 'js',
): GlmmModel {
  const frame = buildModelFrame(formula, d as unknown as Record<string, (string | number)[]>);
  const m = new GlmmModel(frame, createBackend(backend), makeFamily(family), {
    weights: null,
    offset: null,
  });
  initializeFromData(m.st);
  return m;
}

/** The library's log-likelihood at (θ, β) in lme4's units with `nAGQ` nodes per dimension. */
export function libraryLogLik(m: GlmmModel, theta: number[], beta: number[], nAGQ: number): number {
  return -0.5 * m.devianceAtThetaBeta(m.tildeFromTheta(theta), betaTilde(m.fixedCond, beta), nAGQ);
}
