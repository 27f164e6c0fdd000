/**
 * Parametric simulation from a fitted mixed model, as lme4's simulate.merMod with
 * use.u = FALSE: new random effects b = σ Λ(θ) u with u ~ N(0, I), the linear predictor
 * η = offset + Xβ + Zb, and a response drawn from the family at μ = linkinv(η) with the fit's
 * prior weights (binomial: the weights are the trials, as lme4). Responses are on the scale that
 * `fit.refit(y)` takes (proportions for binomial). Reproducible for a seed.
 */
import { rejectPql } from '../model/pqlguard';
import { OptionError } from '../errors';
import { Rng } from '../math/random';
import type { GlmmModel } from '../model/glmm';
import type { LmmModel } from '../model/lmm';
import { buildReStructure, fillT } from '../model/reblocks';
import type { MerFit } from '../results/fit';

export interface SimulateOptions {
  /** Seed of the generator (a 32-bit integer); the same seed gives the same responses. */
  seed?: number;
}

/** `nsim` simulated responses (one array of `fit.nobs` values each). */
export function simulateResponses(
  fit: MerFit,
  nsim: number,
  options: SimulateOptions = {},
): Float64Array[] {
  rejectPql(fit, 'simulate (and the parametric bootstrap)');
  if (!Number.isInteger(nsim) || nsim < 1) {
    throw new OptionError(`must be a positive integer (got ${String(nsim)})`, 'nsim');
  }
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new OptionError(`must be an integer (got ${seed})`, 'seed');
  const model = fit.model;
  const rng = new Rng(seed);
  const draw = responseSampler(fit, model);
  const fixed = fixedPart(fit, model);
  const re = buildReStructure(model.frame.randomTerms, model.n);
  const n = model.n;
  const out: Float64Array[] = [];
  for (let s = 0; s < nsim; s++) {
    const eta = Float64Array.from(fixed);
    for (const blk of re.blocks) {
      const v = blk.v;
      const T = new Float64Array(v * v);
      fillT(blk, fit.theta, T, 0);
      const b = new Float64Array(blk.nl * v);
      const u = new Float64Array(v);
      for (let l = 0; l < blk.nl; l++) {
        for (let c = 0; c < v; c++) u[c] = rng.normal();
        for (let a = 0; a < v; a++) {
          let x = 0;
          for (let c = 0; c <= a; c++) x += T[a + c * v] * u[c];
          b[l * v + a] = draw.scaleB * x;
        }
      }
      for (let i = 0; i < n; i++) {
        const base = blk.refs[i] * v;
        for (let c = 0; c < v; c++) eta[i] += blk.z[i * v + c] * b[base + c];
      }
    }
    out.push(draw.sample(eta, rng));
  }
  return out;
}

/** offset + Xβ in the fit's units. */
function fixedPart(fit: MerFit, model: LmmModel | GlmmModel): Float64Array {
  const { X, n, xNames } = model.frame;
  const eta = new Float64Array(n);
  xNames.forEach((name, j) => {
    const bj = fit.fixef[name];
    for (let i = 0; i < n; i++) eta[i] += X[i + j * n] * bj;
  });
  const offset = model.kind === 'lmm' ? model.offset : model.resp.offset;
  if (offset) for (let i = 0; i < n; i++) eta[i] += offset[i];
  return eta;
}

interface Sampler {
  /** Λu is in units of σ for LMMs (b = σΛu) and of η for GLMMs (b = Λu). */
  scaleB: number;
  sample(eta: Float64Array, rng: Rng): Float64Array;
}

function responseSampler(fit: MerFit, model: LmmModel | GlmmModel): Sampler {
  const sigma = fit.sigma;
  if (model.kind === 'lmm') {
    const w = model.weights;
    return {
      scaleB: sigma,
      sample: (eta, rng) => eta.map((e, i) => e + (sigma / Math.sqrt(w ? w[i] : 1)) * rng.normal()),
    };
  }
  const fam = model.fam;
  const wt = model.resp.priorWt;
  const linkinv = (e: number) => fam.linkinv(e);
  switch (fam.kind) {
    case 'binomial':
      for (const t of wt) {
        if (!Number.isInteger(t)) {
          throw new OptionError(
            'binomial simulation needs whole-number prior weights (the trials), as lme4',
            'weights',
          );
        }
      }
      return {
        scaleB: 1,
        sample: (eta, rng) => eta.map((e, i) => rng.binomial(wt[i], linkinv(e)) / wt[i]),
      };
    case 'poisson':
      return { scaleB: 1, sample: (eta, rng) => eta.map((e) => rng.poisson(linkinv(e))) };
    case 'negative.binomial':
      return {
        scaleB: 1,
        sample: (eta, rng) => eta.map((e) => rng.negativeBinomial(linkinv(e), fam.theta)),
      };
    case 'Gamma': {
      // dispersion σ² (prior weights scale the shape, as R's Gamma()$simulate)
      const disp = sigma * sigma;
      return {
        scaleB: 1,
        sample: (eta, rng) =>
          eta.map((e, i) => {
            const shape = wt[i] / disp;
            return rng.gamma(shape) * (linkinv(e) / shape);
          }),
      };
    }
    case 'inverse.gaussian': {
      const disp = sigma * sigma;
      return {
        scaleB: 1,
        sample: (eta, rng) => eta.map((e, i) => rng.inverseGaussian(linkinv(e), wt[i] / disp)),
      };
    }
    default:
      return {
        scaleB: 1,
        sample: (eta, rng) =>
          eta.map((e, i) => linkinv(e) + (sigma / Math.sqrt(wt[i])) * rng.normal()),
      };
  }
}
