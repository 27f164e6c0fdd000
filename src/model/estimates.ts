/** What every mixed-model estimator returns, in lme4's units (read off the model at the optimum). */
import type { OptimizerSummary } from './optsummary';

export interface MixedEstimates {
  /** θ in lme4's order and units. */
  theta: number[];
  beta: Float64Array;
  /** Covariance of β (rows and columns in the frame's xNames order). */
  vcov: number[][];
  /** Residual standard deviation (lme4's σ; 1 for families without a scale). */
  sigma: number;
  logLik: number;
  /** b = Λu in layout order (lme4's units). */
  b: Float64Array;
  /** Conditional covariances of b per block and level, over σ² (see conditionalVarB). */
  condVarB: Float64Array[];
  singular: boolean;
  optimizer: OptimizerSummary;
  /** Convergence and other messages raised by the fit. */
  messages: string[];
  timings: { optimize: number; finish: number };
}
