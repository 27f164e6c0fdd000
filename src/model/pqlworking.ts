/**
 * The working linear mixed model of PQL: z = Xβ + Zb + e with Var(e) = σ² diag(1/w), where the
 * working response z and the working weights w change at every PQL iteration while X, Z and the
 * blocked layout stay. The weights live in one array that this model owns and overwrites in
 * place, so the resident system, conditioning and scratch are built once per fit; each iteration
 * recomputes the cross-products [Z X z]ᵀ W [Z X z] in one pass over the rows (never a dense Z).
 *
 * With the dispersion fixed (σ = 1, the Breslow–Clayton / Stroup–Kachman estimator, nlme's
 * lmeControl(sigma = 1)) σ is not profiled out: for the ML criterion
 *   -2ℓ(θ) = log|L_θ|² − Σ log wᵢ + n log 2π + r²(θ)
 * with r² the penalised weighted residual sum of squares minimised over (β, u); REML adds
 * log|R_X|² and uses n − p in place of n. With the dispersion estimated (MASS::glmmPQL) the
 * criterion is lme4's profiled one, with the current weights' Σ log wᵢ.
 */
import type { Backend } from '../backend/kernels';
import type { ModelFrame } from '../frame/types';
import { remlCorrection } from './conditioning';
import { LmmModel, type LmmEstimates } from './lmm';
import { logdetRe, logdetX, pwrss, updateCrossprod } from './system';

export type PqlDispersion = 'fixed' | 'estimated';

export class PqlWorkingModel extends LmmModel {
  /** The working weights (the array the LMM reads; overwritten by `setWorking`). */
  private readonly workingWeights: Float64Array;
  /** Σ log wᵢ over the positive current working weights. */
  private logWeightSum = 0;

  constructor(
    frame: ModelFrame,
    backend: Backend,
    offset: Float64Array | null,
    readonly dispersion: PqlDispersion,
    weights: Float64Array,
  ) {
    // the LMM keeps a reference to `weights`: overwriting it in place re-weights the model
    super(frame, backend, { weights, offset });
    this.workingWeights = weights;
  }

  /**
   * Mutates the system for a new working response `z` (on the scale of η, offset included) and
   * working weights `w`: copies the weights in, removes the offset and the least-squares fit,
   * and recomputes every cross-product (the weights changed, so X'WX and Z'WZ did too).
   */
  setWorking(z: Float64Array, w: Float64Array): void {
    this.workingWeights.set(w);
    let s = 0;
    for (const v of w) if (v > 0) s += Math.log(v);
    this.logWeightSum = s;
    this.backend.heap.f64.set(w, this.sys.off.w);
    // a fresh array: setResponse skips a response it already holds
    this.setResponse(z.slice());
    updateCrossprod(this.sys, true);
  }

  override objective(REML: boolean): number {
    if (this.dispersion === 'estimated')
      return super.objective(REML) + this.sumLogWeights - this.logWeightSum;
    const { sys, p } = this;
    const dof = REML ? this.nInformative - p : this.nInformative;
    let d = logdetRe(sys) - this.logWeightSum + dof * Math.log(2 * Math.PI) + pwrss(sys);
    if (REML) d += logdetX(sys) + remlCorrection(this.fixedCond);
    return d;
  }

  /** The LMM's estimates; with the dispersion fixed, σ = 1 and the covariance scaled to it. */
  override estimatesAt(
    thetaTilde: readonly number[],
    REML: boolean,
  ): Omit<LmmEstimates, 'optimizer' | 'messages' | 'timings' | 'singular'> {
    const est = super.estimatesAt(thetaTilde, REML);
    if (this.dispersion === 'estimated') return est;
    const s2 = est.sigma * est.sigma;
    return { ...est, sigma: 1, vcov: est.vcov.map((row) => row.map((v) => v / s2)) };
  }
}
