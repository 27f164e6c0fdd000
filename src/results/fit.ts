/**
 * The fitted-model object returned by `lmer` and `glmer`: an immutable copy of the plain result
 * record (MerFitData) with lme4-style printing and a stable JSON form.
 */
import { OptionError } from '../errors';
import { formatSummary, type SummaryOptions } from './summary';
import type { MerFitData, OptimizerSummary, RanefGroup, Timings, VarCorrRow } from './types';

/** One row of `varCorr` in the JSON output (same fields as VarCorrRow). */
export type VarCorrJson = VarCorrRow;

/** The JSON form of a fit, as printed by `glmm fit --json`. Non-finite numbers become null. */
export interface MerFitJson {
  formula: string;
  family: string;
  link: string;
  REML: boolean;
  nAGQ: number | null;
  dataName: string | null;
  nobs: number;
  nDropped: number;
  ngrps: Record<string, number>;
  fixef: Record<string, number>;
  se: Record<string, number>;
  theta: number[];
  thetaNames: string[];
  sigma: number;
  logLik: number;
  df: number;
  AIC: number;
  BIC: number;
  deviance: number;
  REMLcrit: number | null;
  dfResid: number;
  /** Negative binomial θ (negative binomial fits only). */
  nbTheta?: number;
  varCorr: VarCorrJson[];
  converged: boolean;
  singular: boolean;
  optimizer: { method: string; evaluations: number; fval: number; messages: string[] };
  messages: string[];
  backend: string;
  timings: Timings;
}

/** A fitted linear or generalized linear mixed model. */
export class MerFit implements MerFitData {
  /** The model formula as given, e.g. `Reaction ~ Days + (Days | Subject)`. */
  readonly formula: string;
  /** Response family: `gaussian` for LMMs, else `binomial`, `poisson`, `Gamma`, ... */
  readonly family: string;
  /** Link function name: `identity`, `logit`, `log`, ... */
  readonly link: string;
  /** REML (true) or maximum likelihood (false); always false for GLMMs. */
  readonly REML: boolean;
  /** Adaptive Gauss–Hermite points (1 = Laplace) for GLMMs; null for LMMs. */
  readonly nAGQ: number | null;
  /** Number of observations used (after dropping rows with missing values). */
  readonly nobs: number;
  /** Number of rows dropped because a variable of the model was missing. */
  readonly nDropped: number;
  /** Number of levels of each grouping factor, in lme4's order. */
  readonly ngrps: Record<string, number>;
  /** Fixed-effect estimates β by coefficient name. */
  readonly fixef: Record<string, number>;
  /** Standard errors of the fixed effects by coefficient name. */
  readonly se: Record<string, number>;
  /** Covariance matrix of the fixed-effect estimates (rows/columns in `fixefNames` order). */
  readonly vcov: number[][];
  /** Fixed-effect names in model-matrix order. */
  readonly fixefNames: string[];
  /** Relative covariance factor parameters θ in lme4's order. */
  readonly theta: number[];
  /** lme4's names for θ, e.g. `Subject.Days.(Intercept)`. */
  readonly thetaNames: string[];
  /** Residual standard deviation σ (1 for binomial and Poisson). */
  readonly sigma: number;
  /** Log-likelihood at the estimates (for REML fits: at the REML estimates, as lme4). */
  readonly logLik: number;
  /** Number of parameters counted by the log-likelihood (its `df`). */
  readonly df: number;
  /** Akaike information criterion, -2 logLik + 2 df. */
  readonly AIC: number;
  /** Bayesian information criterion, -2 logLik + log(nobs) df. */
  readonly BIC: number;
  /** -2 logLik. */
  readonly deviance: number;
  /** REML criterion at the optimum for REML fits, else null. */
  readonly REMLcrit: number | null;
  /** Residual degrees of freedom, nobs - df. */
  readonly dfResid: number;
  /** Variance components as lme4's `as.data.frame(VarCorr(m))`. */
  readonly varCorr: VarCorrRow[];
  /** Conditional modes (BLUPs) and their conditional standard deviations per grouping factor. */
  readonly ranef: RanefGroup[];
  /** Fitted values on the response scale, one per observation used. */
  readonly fitted: number[];
  /** Response residuals y - fitted, one per observation used. */
  readonly residuals: number[];
  /** Pearson residuals (not divided by σ), when the fitting code provides them. */
  readonly pearsonResiduals?: number[];
  /** True when the estimate lies on the boundary (a variance 0 or a correlation ±1). */
  readonly singular: boolean;
  /** Record of the optimizer run: method, evaluations, convergence, messages. */
  readonly optimizer: OptimizerSummary;
  /** Kernel backend that computed the fit: `wasm` or `js`. */
  readonly backend: string;
  /** Wall-clock milliseconds per stage of the fit. */
  readonly timings: Timings;
  /** Messages for the user (dropped columns, boundary fit, ...). */
  readonly messages: string[];
  /** Name of the response, e.g. `Reaction`. */
  readonly response: string;
  /** Name of the data set for the summary's `Data:` line, when known. */
  readonly dataName?: string;
  /** Name of the prior-weights column, when weights were given by column. */
  readonly weightsName?: string;
  /** Name of the offset column, when the offset was given by column. */
  readonly offsetName?: string;
  /** Linear predictor on the training rows (for LMMs, the fitted values). */
  readonly eta?: number[];
  /** Negative binomial θ when the family is negative binomial. */
  readonly nbTheta?: number;

  constructor(data: MerFitData) {
    this.formula = data.formula;
    this.family = data.family;
    this.link = data.link;
    this.REML = data.REML;
    this.nAGQ = data.nAGQ;
    this.nobs = data.nobs;
    this.nDropped = data.nDropped;
    this.ngrps = { ...data.ngrps };
    this.fixef = { ...data.fixef };
    this.se = { ...data.se };
    this.vcov = data.vcov.map((r) => r.slice());
    this.fixefNames = data.fixefNames.slice();
    this.theta = data.theta.slice();
    this.thetaNames = data.thetaNames.slice();
    this.sigma = data.sigma;
    this.logLik = data.logLik;
    this.df = data.df;
    this.AIC = data.AIC;
    this.BIC = data.BIC;
    this.deviance = data.deviance;
    this.REMLcrit = data.REMLcrit;
    this.dfResid = data.dfResid;
    this.varCorr = data.varCorr.map((r) => ({ ...r }));
    this.ranef = data.ranef;
    this.fitted = data.fitted;
    this.residuals = data.residuals;
    if (data.pearsonResiduals !== undefined) this.pearsonResiduals = data.pearsonResiduals;
    this.singular = data.singular;
    this.optimizer = data.optimizer;
    this.backend = data.backend;
    this.timings = data.timings;
    this.messages = data.messages.slice();
    this.response = data.response;
    if (data.dataName !== undefined) this.dataName = data.dataName;
    if (data.weightsName !== undefined) this.weightsName = data.weightsName;
    if (data.offsetName !== undefined) this.offsetName = data.offsetName;
    if (data.eta !== undefined) this.eta = data.eta;
    if (data.nbTheta !== undefined) this.nbTheta = data.nbTheta;
  }

  /**
   * Predictions on the training data: the linear predictor (`type: 'link'`) or the fitted mean
   * (`type: 'response'`, the default), as lme4's `predict(m, type = ...)` without newdata.
   */
  predict(options: { type?: 'link' | 'response' } = {}): number[] {
    const type = options.type ?? 'response';
    if (type !== 'link' && type !== 'response') {
      throw new OptionError(`must be 'link' or 'response', got ${JSON.stringify(type)}`, 'type');
    }
    return (type === 'link' ? (this.eta ?? this.fitted) : this.fitted).slice();
  }

  /** Whether the optimizer reported convergence. */
  get converged(): boolean {
    return this.optimizer.converged;
  }

  /** lme4's `print(summary(m))` as a string (ends with a newline). */
  summary(options?: SummaryOptions): string {
    return formatSummary(this, options);
  }

  /** The JSON form printed by `glmm fit --json`; `JSON.stringify(fit)` uses it. */
  toJSON(): MerFitJson {
    return {
      formula: this.formula,
      family: this.family,
      link: this.link,
      REML: this.REML,
      nAGQ: this.nAGQ,
      dataName: this.dataName ?? null,
      nobs: this.nobs,
      nDropped: this.nDropped,
      ngrps: { ...this.ngrps },
      fixef: { ...this.fixef },
      se: { ...this.se },
      theta: this.theta.slice(),
      thetaNames: this.thetaNames.slice(),
      sigma: this.sigma,
      logLik: this.logLik,
      df: this.df,
      AIC: this.AIC,
      BIC: this.BIC,
      deviance: this.deviance,
      REMLcrit: this.REMLcrit,
      dfResid: this.dfResid,
      ...(this.nbTheta === undefined ? {} : { nbTheta: this.nbTheta }),
      varCorr: this.varCorr.map((r) => ({ ...r })),
      converged: this.converged,
      singular: this.singular,
      optimizer: {
        method: this.optimizer.method,
        evaluations: this.optimizer.evaluations,
        fval: this.optimizer.fval,
        messages: this.optimizer.messages.slice(),
      },
      messages: this.messages.slice(),
      backend: this.backend,
      timings: { ...this.timings },
    };
  }
}

/** A fitted linear mixed model (`lmer`). */
export type LmmFit = MerFit;
/** A fitted generalized linear mixed model (`glmer`). */
export type GlmmFit = MerFit;
