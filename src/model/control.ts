/**
 * The one record of fitting settings (MixedModels.jl's OptSummary settings, lme4's
 * lmerControl/glmerControl): optimizer tolerances and start, PIRLS tolerance and iteration cap,
 * the rule for the fixed-effects covariance, and the thresholds of the post-fit checks. Every
 * tolerance the model code uses comes from here; `fit.optimizer.control` reports the values used.
 */
import type { MinimizeMethod } from '../optim/minimize';

/**
 * How the covariance of the fixed effects of a GLMM is computed (LMMs always use R_X, as lme4).
 * lme4's `vcov.merMod` rule at every number of observations: the Hessian, and R_X with a warning
 * when the Hessian's covariance is not positive definite.
 */
export type VcovRule =
  /**
   * Default: the β block of 2 H⁻¹, H the finite-difference Hessian of the deviance over (θ, β)
   * (lme4's `use.hessian = TRUE`), at any n. Falls back to R_X, with lme4's warning in
   * `fit.messages`, when H cannot be inverted or that block is not positive definite. nAGQ = 0
   * has no Hessian over β (β is profiled by PIRLS): R_X, as lme4's.
   */
  | 'hessian'
  /** (R_Xᵀ R_X)⁻¹ σ² from the penalized least-squares factor at the mode, conditional on θ (lme4's `use.hessian = FALSE`). */
  | 'RX';

/** The values `control.vcov` accepts: the rules, and 'auto' (the former default), now the same as 'hessian'. */
export type VcovInput = VcovRule | 'auto';

/** `control.vcov` as given (validated) -> the rule used; 'auto' is an alias of 'hessian'. */
export function vcovRule(input: VcovInput): VcovRule {
  return input === 'auto' ? 'hessian' : input;
}

export interface OptimizerControl {
  /** 'bobyqa' (default; Nelder–Mead is the fallback when it fails) or 'nelder-mead'. */
  method: MinimizeMethod;
  /** Initial trust-region radius (BOBYQA rhobeg), in the optimizer's scaled coordinates. */
  rhobeg: number;
  /** Final trust-region radius for the LMM and the GLMM's joint (θ, β) stage. */
  rhoend: number;
  /** Final radius of the GLMM's first stage (θ, β inside PIRLS) when a second stage follows. */
  rhoendStage1: number;
  /** Final radius of the first stage when it is the whole fit (nAGQ = 0). */
  rhoendNAGQ0: number;
  /** Maximum number of objective evaluations per optimizer run. */
  maxEval: number;
  /**
   * Starting θ in lme4's order and units (default: lme4's, 1 on the diagonal of each relative
   * covariance factor, 0 below, on the model's unit-RMS random-effects columns).
   */
  start: number[] | null;
}

export interface PirlsControl {
  /** Convergence tolerance on the largest PIRLS step in u and β, relative to max(1, |value|). */
  tol: number;
  /** Iteration cap of one PIRLS run. */
  maxIter: number;
  /**
   * Rounding floor of the step: below it, a step no smaller than the previous one means
   * PIRLS has converged as far as the arithmetic allows (badly scaled working weights, e.g. a
   * Gaussian log link, can keep the step above `tol`).
   */
  noise: number;
}

export interface CheckControl {
  /** A θ element bounded below by 0 and below this is "on the boundary" (lme4's isSingular tol). */
  singularTol: number;
  /**
   * Above this many observations, skip the post-fit convergence checks (the gradient and Hessian
   * checks; the Hessian for `vcov: 'hessian'` is computed at any n).
   */
  nobsMax: number;
  /** Scaled-gradient tolerance of the convergence check (lme4's check.conv.grad, 0.002). */
  gradTol: number;
  /** Eigenvalue tolerance of the Hessian checks (lme4's check.conv.hess, 1e-6). */
  hessTol: number;
}

export interface Control {
  optimizer: OptimizerControl;
  pirls: PirlsControl;
  /** Rule for the fixed-effects covariance of GLMMs (LMMs always use R_X, as lme4). */
  vcov: VcovRule;
  /** Step of the finite-difference derivatives (lme4's deriv12 delta). */
  derivativeStep: number;
  checks: CheckControl;
}

/** A partial control record, as users pass it (`control: { pirls: { tol: 1e-10 } }`). */
export interface ControlInput {
  optimizer?: Partial<OptimizerControl>;
  pirls?: Partial<PirlsControl>;
  vcov?: VcovInput;
  derivativeStep?: number;
  checks?: Partial<CheckControl>;
}

export function defaultControl(): Control {
  return {
    optimizer: {
      method: 'bobyqa',
      rhobeg: 0.2,
      rhoend: 1e-5,
      rhoendStage1: 1e-3,
      rhoendNAGQ0: 2e-7,
      maxEval: 100000,
      start: null,
    },
    pirls: { tol: 1e-11, maxIter: 100, noise: 1e-7 },
    vcov: 'hessian',
    derivativeStep: 1e-4,
    checks: { singularTol: 1e-4, nobsMax: 1e4, gradTol: 2e-3, hessTol: 1e-6 },
  };
}

/** `base` with the fields given in `input` replaced (input already validated). */
export function mergeControl(base: Control, input: ControlInput | undefined): Control {
  if (input === undefined) return copyControl(base);
  return {
    optimizer: {
      ...base.optimizer,
      ...input.optimizer,
      start: input.optimizer?.start
        ? [...input.optimizer.start]
        : input.optimizer?.start === null
          ? null
          : base.optimizer.start && [...base.optimizer.start],
    },
    pirls: { ...base.pirls, ...input.pirls },
    vcov: input.vcov === undefined ? base.vcov : vcovRule(input.vcov),
    derivativeStep: input.derivativeStep ?? base.derivativeStep,
    checks: { ...base.checks, ...input.checks },
  };
}

export function copyControl(c: Control): Control {
  return {
    optimizer: { ...c.optimizer, start: c.optimizer.start && [...c.optimizer.start] },
    pirls: { ...c.pirls },
    vcov: c.vcov,
    derivativeStep: c.derivativeStep,
    checks: { ...c.checks },
  };
}
