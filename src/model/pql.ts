/**
 * Penalized quasi-likelihood (Breslow & Clayton 1993; the generalized mixed model equations of
 * Stroup & Kachman 1994; MASS::glmmPQL). From η, each iteration forms the linearised working
 * response z = η + (y − μ) dη/dμ and the working weights w = wᵖʳⁱᵒʳ (dμ/dη)² / V(μ), fits the
 * working LMM z = Xβ + Zb + e, Var(e) = σ² W⁻¹ (REML or ML for θ; σ free or fixed at 1), and
 * takes its linear predictor as the new η, until η stops changing: Σ(η − η_old)² < tol · Ση²
 * (glmmPQL's rule, with a tighter default tolerance). The start is the GLM fit, as glmmPQL's.
 */
import { FitError } from '../errors';
import type { Control } from './control';
import type { Family } from './family';
import { workingWeightsResid } from './family';
import type { GlmmResponse } from './glmmdata';
import { fitLmm, type LmmEstimates } from './lmm';
import type { ProgressCallback } from './optsummary';
import type { PqlWorkingModel } from './pqlworking';
import { glmStart } from './pqlstart';

export interface PqlSettings {
  /** REML (default) or ML for the variance components of each working LMM. */
  REML: boolean;
  control: Control;
  /** Convergence tolerance on Σ(η − η_old)² / Ση². */
  tolerance: number;
  /** Most PQL iterations (working LMM fits). */
  maxIterations: number;
  onProgress?: ProgressCallback;
}

/** What a PQL fit estimates: the final working LMM's estimates plus the iteration record. */
export interface PqlEstimates extends LmmEstimates {
  /** Linear predictor (offset included) and mean at the end. */
  eta: Float64Array;
  mu: Float64Array;
  /** Working LMM fits done, and whether η converged within `maxIterations`. */
  iterations: number;
  pqlConverged: boolean;
  /** Σ(η − η_old)² / Ση² of the last iteration. */
  relativeChange: number;
  /** Total θ evaluations over all working fits. */
  evaluations: number;
}

/** Checks the means are inside the family's range (e.g. [0, 1] for a binomial identity link). */
function checkMeans(
  fam: Family,
  mu: Float64Array,
  rowIndex: Int32Array | number[],
  iteration: number,
): void {
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i];
    if (!Number.isFinite(m) || !fam.validMu(m) || (fam.kind === 'binomial' && (m < 0 || m > 1))) {
      const range = fam.kind === 'binomial' ? '[0, 1]' : `the ${fam.name} family's range`;
      throw new FitError(
        `PQL iteration ${iteration}: the fitted mean of row ${rowIndex[i] + 1} is ${m}, outside ${range} for the ${fam.link.name} link; use another link`,
      );
    }
  }
}

/** Iterates the working LMM to a fixed point of η. Mutates the model. */
export function fitPql(
  model: PqlWorkingModel,
  fam: Family,
  resp: GlmmResponse,
  settings: PqlSettings,
): PqlEstimates {
  const n = model.n;
  const { y, priorWt, offset } = resp;
  const t0 = performance.now();
  const start0 = glmStart(model, fam, resp);
  const mu = start0.mu;
  let eta = start0.eta;
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  let start = settings.control.optimizer.start;
  let est: LmmEstimates | null = null;
  let iterations = 0;
  let relativeChange = Infinity;
  let evaluations = 0;
  const rows = model.frame.rowIndex;
  while (iterations < settings.maxIterations) {
    iterations++;
    checkMeans(fam, mu, rows, iterations);
    workingWeightsResid(fam, n, y, eta, offset, mu, priorWt, w, z);
    if (offset) for (let i = 0; i < n; i++) z[i] += offset[i];
    model.setWorking(z, w);
    // each working fit starts from the last θ: near the fixed point it is a few evaluations
    const control = { ...settings.control, optimizer: { ...settings.control.optimizer, start } };
    est = fitLmm(model, { REML: settings.REML, control, onProgress: settings.onProgress });
    evaluations += est.optimizer.evaluations;
    start = est.theta;
    const etaNew = est.fitted;
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      num += (etaNew[i] - eta[i]) ** 2;
      den += etaNew[i] ** 2;
    }
    relativeChange = den > 0 ? num / den : num;
    eta = Float64Array.from(etaNew);
    for (let i = 0; i < n; i++) mu[i] = fam.linkinv(eta[i]);
    if (relativeChange < settings.tolerance) break;
  }
  checkMeans(fam, mu, rows, iterations);
  const final = est as LmmEstimates;
  const pqlConverged = relativeChange < settings.tolerance;
  const messages = [...final.messages];
  if (!pqlConverged) {
    messages.push(
      `PQL did not converge: after ${iterations} iterations the linear predictor still changes (Σ(Δη)²/Ση² = ${relativeChange.toExponential(2)} > ${settings.tolerance}); the estimates are those of the last iteration`,
    );
  }
  const t1 = performance.now();
  return {
    ...final,
    messages,
    eta,
    mu,
    iterations,
    pqlConverged,
    relativeChange,
    evaluations,
    optimizer: {
      ...final.optimizer,
      method: `PQL (${final.optimizer.method})`,
      evaluations,
      converged: final.optimizer.converged && pqlConverged,
      messages: [
        ...final.optimizer.messages,
        `PQL: ${iterations} iterations, Σ(Δη)²/Ση² = ${relativeChange.toExponential(2)}`,
      ],
      control: settings.control,
    },
    timings: { optimize: t1 - t0, finish: 0 },
  };
}
