/**
 * The plain-data content of a fitted mixed model. `LmmFit` (src/results/fit.ts) wraps it with
 * `summary()` and `toJSON()`. Greek in docs, ASCII in names: θ = theta, β = fixef, σ = sigma.
 */

/** One row of VarCorr, as lme4's `as.data.frame(VarCorr(m))`. */
export interface VarCorrRow {
  /** Grouping factor (`Subject`), or `Residual`. */
  group: string;
  /** Term (model-matrix column) name, e.g. `(Intercept)`; null for the residual row. */
  term: string | null;
  /** Second term for a correlation row; null otherwise. */
  term2: string | null;
  /** Variance, or covariance for a correlation row. */
  variance: number;
  /** Standard deviation, or the correlation for a correlation row. */
  sd: number;
  /** Correlation for a correlation row; null otherwise. */
  corr: number | null;
}

/** Conditional modes of one grouping factor: one entry per level. */
export interface RanefGroup {
  group: string;
  /** Term names (columns), e.g. ['(Intercept)', 'Days']. */
  terms: string[];
  /** Level labels. */
  levels: string[];
  /** condval[term][level]: conditional mode (BLUP). */
  condval: number[][];
  /** condsd[term][level]: conditional standard deviation. */
  condsd: number[][];
}

export type { EvaluationRecord, OptimizerSummary } from '../model/optsummary';
import type { OptimizerSummary } from '../model/optsummary';

/** Wall-clock milliseconds spent in each stage of a fit. */
export interface Timings {
  frame: number;
  setup: number;
  optimize: number;
  finish: number;
  total: number;
}

export interface MerFitData {
  formula: string;
  family: string;
  link: string;
  /** REML (true) or ML (false). Always false for GLMMs. */
  REML: boolean;
  /** Number of adaptive Gauss–Hermite points (GLMM only); null for LMMs. */
  nAGQ: number | null;
  nobs: number;
  /** Rows dropped for missing values. */
  nDropped: number;
  /** Number of levels per grouping factor, in lme4's term order. */
  ngrps: Record<string, number>;
  fixef: Record<string, number>;
  se: Record<string, number>;
  /** Covariance matrix of the fixed effects (rows/cols in fixef order). */
  vcov: number[][];
  /** Fixed-effect names in order. */
  fixefNames: string[];
  /** Relative covariance factor parameters, in lme4's order. */
  theta: number[];
  /** lme4's names for theta, e.g. `Subject.Days.(Intercept)`. */
  thetaNames: string[];
  /** Residual standard deviation (1 for binomial/Poisson). */
  sigma: number;
  /** Log-likelihood; NaN for PQL fits (no likelihood; the JSON form writes null). */
  logLik: number;
  /** Number of parameters in the likelihood (logLik df). */
  df: number;
  AIC: number;
  BIC: number;
  /** -2 logLik (lme4's `deviance` for LMMs fitted by ML; for REML fits lme4 reports -2 logLik too). */
  deviance: number;
  /** REML criterion at the optimum (REML fits), else null. */
  REMLcrit: number | null;
  dfResid: number;
  varCorr: VarCorrRow[];
  ranef: RanefGroup[];
  fitted: number[];
  residuals: number[];
  singular: boolean;
  optimizer: OptimizerSummary;
  backend: string;
  timings: Timings;
  /** Messages for the user (dropped columns, boundary fit, ...). */
  messages: string[];
  /** Response name (for the summary header). */
  response: string;
  /**
   * Name of the data set shown on the summary's `Data:` line (lme4 deparses the `data` argument);
   * the CLI passes the file basename or the example name. Omitted: no `Data:` line.
   */
  dataName?: string;
  /** Name of the prior-weights column, for the summary's `Weights:` line (GLMM). */
  weightsName?: string;
  /** Name of the offset column, for the summary's `Offset:` line. */
  offsetName?: string;
  /**
   * Pearson residuals (y - mu) * sqrt(w) / sqrt(V(mu)), not divided by sigma. The summary prints
   * quantiles of these divided by sigma (lme4's `residuals(m, "pearson", scaled = TRUE)`).
   * When absent: LMMs use `residuals / sigma`; GLMMs omit the "Scaled residuals" section.
   */
  pearsonResiduals?: number[];
  /** Linear predictor on the training rows (GLMMs; for LMMs it equals `fitted`). */
  eta?: number[];
  /** Negative binomial θ, when the family is negative binomial. */
  nbTheta?: number;
  /** How `vcov` was computed: the Hessian of the deviance over (θ, β), R_X, or none (p = 0). */
  vcovMethod: 'hessian' | 'RX' | 'none';
  /** 'PQL' for penalized quasi-likelihood fits (glmer with method 'PQL'); absent otherwise. */
  method?: 'PQL';
  /** PQL fits: the dispersion rule and the iteration record. */
  pql?: PqlInfo;
}

/** How a PQL fit ended (src/model/pql.ts). */
export interface PqlInfo {
  /** 'fixed': σ = 1 (Breslow–Clayton, Stroup–Kachman); 'estimated': σ free (MASS::glmmPQL). */
  dispersion: 'fixed' | 'estimated';
  /** Working LMM fits done. */
  iterations: number;
  /** Whether Σ(η − η_old)² / Ση² fell below `tolerance`. */
  converged: boolean;
  /** Σ(η − η_old)² / Ση² of the last iteration. */
  relativeChange: number;
  tolerance: number;
}
