/**
 * The start of PQL, as MASS::glmmPQL's: the linear predictor of the GLM without random effects,
 * by iteratively reweighted least squares on the model's resident conditioned X (no new copy).
 * Starting where glmmPQL starts keeps the first working LMMs where R's are (a worse start can
 * send an identity-link mean outside its range before the iteration settles).
 */
import { leastSquares } from './conditioning';
import { devResidSum, initializeMuEta, workingWeightsResid, type Family } from './family';
import type { GlmmResponse } from './glmmdata';
import type { LmmModel } from './lmm';

/** η (offset included) and μ of the GLM fit; from R's initialisation of μ, at most 25 steps. */
export function glmStart(
  model: LmmModel,
  fam: Family,
  resp: GlmmResponse,
): { eta: Float64Array; mu: Float64Array } {
  const { n, p } = model;
  const { y, priorWt, offset } = resp;
  const mu = new Float64Array(n);
  const eta = new Float64Array(n);
  initializeMuEta(fam, n, y, priorWt, mu, eta);
  const xt = model.backend.heap.f64.slice(model.sys.off.xRows, model.sys.off.xRows + n * p);
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  let dev = devResidSum(fam, n, y, mu, priorWt);
  for (let it = 0; it < 25; it++) {
    workingWeightsResid(fam, n, y, eta, offset, mu, priorWt, w, z);
    const { residual } = leastSquares(xt, n, p, z, w);
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = z[i] - residual[i] + (offset ? offset[i] : 0);
    const nextMu = Float64Array.from(next, (e) => fam.linkinv(e));
    // stop rather than step outside the family's range (glm would halve the step)
    if (
      !nextMu.every(
        (m) =>
          Number.isFinite(m) && fam.validMu(m) && (fam.kind !== 'binomial' || (m >= 0 && m <= 1)),
      )
    )
      break;
    const devNew = devResidSum(fam, n, y, nextMu, priorWt);
    eta.set(next);
    mu.set(nextMu);
    // glm.control's rule: |Δdev| / (|dev| + 0.1) < 1e-8
    const done = Math.abs(devNew - dev) / (Math.abs(devNew) + 0.1) < 1e-8;
    dev = devNew;
    if (done) break;
  }
  return { eta, mu };
}
