/**
 * The fitted-model object returned by `lmer` and `glmer`: an immutable copy of the plain result
 * record (MerFitData) with lme4-style printing and a stable JSON form.
 */
import { FitError, OptionError } from '../errors';
import type { DataInput } from '../frame/types';
import type { Control, ControlInput } from '../model/control';
import type { GlmmModel } from '../model/glmm';
import type { LmmModel } from '../model/lmm';
import { predictFit, type PredictOptions } from './predict';
import { emmeansFit, type EmmGrid, type EmmeansOptions } from '../inference/emmeans';
import type { PredictionWithSe } from '../inference/predictse';
import { confint, type ConfintOptions, type ConfintRow } from '../inference/confint';
import { coefTable, type CoefTableOptions, type CoefTableRow } from '../inference/coeftable';
import {
  waldTest,
  type ChisqTestResult,
  type FTestResult,
  type WaldTestOptions,
} from '../inference/waldtest';
import {
  anovaType3,
  type Anova3ChisqRow,
  type Anova3FRow,
  type Anova3Options,
} from '../inference/anova3';
import { formatSummaryDdf, type DdfSummaryOptions } from '../inference/summaryddf';
import {
  bootstrap,
  type BootStatistic,
  type BootstrapOptions,
  type BootstrapResult,
} from '../inference/bootstrap';
import { simulateResponses, type SimulateOptions } from '../inference/simulate';
import { formatOptSummary } from './optsum';
import { formatSummary, type SummaryOptions } from './summary';
import type {
  MerFitData,
  OptimizerSummary,
  PqlInfo,
  RanefGroup,
  Timings,
  VarCorrRow,
} from './types';

/** Settings `fit.update()` can change (the data and formula stay). */
export interface UpdateOptions {
  /** REML (true) or ML (false); LMMs only. */
  REML?: boolean;
  /** Adaptive Gauss–Hermite points; GLMMs only. */
  nAGQ?: number;
  /** Starting θ in lme4's order and units; null for lme4's default start. */
  start?: number[] | null;
  /** Fields of the control record to change (see `fit.optimizer.control`). */
  control?: ControlInput;
}

/** The live model behind a fit and how to fit it again (provided by the fitting functions). */
export interface LiveFit {
  readonly model: LmmModel | GlmmModel;
  /** A fit of the same model to a new response (one value per observation used). */
  refit(y: Float64Array): MerFit;
  /** A fit of the same model with changed settings. */
  update(options: UpdateOptions): MerFit;
}

/** One row of `varCorr` in the JSON output (same fields as VarCorrRow). */
export type VarCorrJson = VarCorrRow;

/**
 * A number in the JSON form: JSON has no infinities, so a non-finite value is written as the
 * string "Inf", "-Inf" or "NaN" (as R's jsonlite does), never as null.
 */
export type JsonNumber = number | 'Inf' | '-Inf' | 'NaN';

/** Numbers of a JSON value with the non-finite ones as strings (see JsonNumber). */
/** Non-finite numbers as the strings 'Inf', '-Inf', 'NaN' (JSON has no infinities), recursively. */
export function jsonSafe<T>(value: T): T {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return (Number.isNaN(value) ? 'NaN' : value > 0 ? 'Inf' : '-Inf') as T;
  }
  if (Array.isArray(value)) return value.map(jsonSafe) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)])) as T;
  }
  return value;
}

/** The JSON form of a fit, as printed by `glmm fit --json`. Non-finite numbers are strings (JsonNumber). */
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
  fixef: Record<string, JsonNumber>;
  se: Record<string, JsonNumber>;
  theta: number[];
  thetaNames: string[];
  sigma: JsonNumber;
  /** null for PQL fits (no likelihood). */
  logLik: JsonNumber | null;
  df: number;
  AIC: JsonNumber | null;
  BIC: JsonNumber | null;
  deviance: JsonNumber | null;
  REMLcrit: JsonNumber | null;
  dfResid: number;
  /** Negative binomial θ (negative binomial fits only). */
  nbTheta?: number;
  /** "PQL" for penalized quasi-likelihood fits (absent otherwise). */
  method?: 'PQL';
  /** PQL fits: dispersion rule and iteration record. */
  pql?: PqlInfo;
  varCorr: VarCorrJson[];
  converged: boolean;
  singular: boolean;
  vcovMethod: 'hessian' | 'RX' | 'none';
  optimizer: {
    method: string;
    evaluations: number;
    fval: number;
    messages: string[];
    /** The control record the fit used. */
    control: Control;
  };
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
  /**
   * Log-likelihood at the estimates (for REML fits: at the REML estimates, as lme4). PQL fits
   * (`method: 'PQL'`) have no likelihood: NaN here (and in AIC, BIC, deviance), null in toJSON().
   */
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
  /**
   * Residuals as lme4's `residuals(m)`, one per observation used: y − fitted for LMMs, deviance
   * residuals sign(y − μ)·√dᵢ for GLMMs.
   */
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
  /**
   * How `vcov` (and `se`) was computed: 'hessian', the finite-difference Hessian of the deviance
   * over (θ, β) (GLMMs by default, at any n, as lme4); 'RX', (R_Xᵀ R_X)⁻¹ σ² at the mode (LMMs,
   * GLMMs with `control.vcov: 'RX'` or nAGQ = 0, and the fallback when the Hessian's covariance is
   * not positive definite, with lme4's warning in `messages`); 'none' without fixed effects.
   * Printed by `summary()` and in `toJSON()`.
   */
  readonly vcovMethod: 'hessian' | 'RX' | 'none';
  /** 'PQL' for penalized quasi-likelihood fits; absent for likelihood fits. */
  readonly method?: 'PQL';
  /** PQL fits: dispersion rule and iteration record. */
  readonly pql?: PqlInfo;
  #live: LiveFit | null;

  constructor(data: MerFitData, live: LiveFit | null = null) {
    this.#live = live;
    this.vcovMethod = data.vcovMethod;
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
    if (data.method !== undefined) this.method = data.method;
    if (data.pql !== undefined) this.pql = { ...data.pql };
  }

  /**
   * Predictions, as lme4's `predict(m, newdata, re.form, allow.new.levels, type)`: on the
   * training rows by default, or for `newdata` (given as the first argument or as
   * `{ newdata }`); `re: 'none'` for the population level; `type: 'link' | 'response'`.
   */
  predict(newdata: DataInput, options: PredictOptions & { se: true }): PredictionWithSe;
  predict(options: PredictOptions & { se: true }): PredictionWithSe;
  predict(newdataOrOptions?: DataInput | PredictOptions, options?: PredictOptions): number[];
  predict(
    newdataOrOptions?: DataInput | PredictOptions,
    options?: PredictOptions,
  ): number[] | PredictionWithSe {
    return predictFit(this, this.#live?.model ?? null, newdataOrOptions, options);
  }

  /**
   * Estimated marginal means of a factor term (`'period'`, `'A:B'`), as emmeans: other factors
   * averaged with equal weights, covariates at their means (`at` fixes values); `type:
   * 'response'` back-transforms with delta-method SEs. `.pairs()` / `.contrast()` on the result.
   */
  emmeans(spec: string | readonly string[], options?: EmmeansOptions): EmmGrid {
    return emmeansFit(this, spec, options);
  }

  /**
   * Confidence intervals, as lme4's `confint(m, method, level)`: `'profile'` (the default;
   * profile likelihood for the sds/correlations `.sig01`..., `.sigma` and β, on the ML
   * deviance), `'Wald'` (β only; NaN rows for the variance parameters, as lme4's NA).
   */
  confint(options?: ConfintOptions): ConfintRow[] {
    return confint(this, options);
  }

  /**
   * The coefficient table with denominator df: LMMs t tests with Satterthwaite's df
   * (`ddf: 'Satterthwaite'`, the default, as lmerTest's summary; 'none': no df or p-values);
   * GLMMs z tests (df = Infinity), as summary(glmer). 'Kenward-Roger': pbkrtest's adjusted
   * covariance and df (src/inference/kenwardroger.ts; ML fits are refitted by REML, as pbkrtest).
   */
  coefTable(options?: CoefTableOptions): CoefTableRow[] {
    return coefTable(this, options);
  }

  /**
   * Wald test of L β = 0, L a contrast matrix (rows of length p), one row, or a fixed-effects
   * term's label: LMMs an F test with Satterthwaite's denominator df (lmerTest's contest);
   * GLMMs a Wald chi-square on rank(L) df.
   */
  waldTest(
    L: number[][] | number[] | string,
    options?: WaldTestOptions,
  ): FTestResult | ChisqTestResult {
    return waldTest(this, L, options);
  }

  /** Type-3 anova of the fixed-effects terms, as `anova(lmerTest fit, type = 3)` (GLMMs: Wald chi-square). */
  anova(options?: Anova3Options): (Anova3FRow | Anova3ChisqRow)[] {
    return anovaType3(this, options);
  }

  /**
   * `nsim` responses simulated from the fit (new random effects, as lme4's simulate with
   * use.u = FALSE), on the scale `refit` takes; reproducible with `seed`.
   */
  simulate(nsim: number, options?: SimulateOptions): Float64Array[] {
    return simulateResponses(this, nsim, options);
  }

  /**
   * Parametric bootstrap (lme4's bootMer): the statistic of refits to `nsim` simulated
   * responses, in `workers` worker threads (Node); the same result for any number of workers.
   */
  bootstrap(
    nsim: number,
    statistic?: BootStatistic,
    options?: BootstrapOptions,
  ): Promise<BootstrapResult> {
    return bootstrap(this, nsim, statistic, options);
  }

  /** The live model behind this fit (frame, blocks, resident system, settings). */
  get model(): LmmModel | GlmmModel {
    return this.live().model;
  }

  /**
   * The same model fitted to a new response: one number per observation used (`nobs`), on
   * the scale of the response (0/1 or proportions with the same trials for binomial fits).
   * Re-uses the cross-products of X and Z; only the response's parts are recomputed.
   */
  refit(y: ArrayLike<number>): MerFit {
    const live = this.live();
    if (
      y === null ||
      typeof y !== 'object' ||
      typeof (y as { length?: unknown }).length !== 'number'
    ) {
      throw new OptionError('must be an array with one number per observation', 'y');
    }
    if (y.length !== this.nobs) {
      throw new OptionError(
        `has ${y.length} values but the model has ${this.nobs} observations`,
        'y',
      );
    }
    const values = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (typeof v !== 'number') {
        const what =
          typeof v === 'string' ? `the string '${v}'` : v === null ? 'null' : `of type ${typeof v}`;
        throw new OptionError(`value ${i + 1} is ${what}, not a number`, 'y');
      }
      if (!Number.isFinite(v)) {
        throw new OptionError(`value ${i + 1} is ${String(v)}; every value must be finite`, 'y');
      }
      values[i] = v;
    }
    return live.refit(values);
  }

  /** The same model and data with changed settings (REML, nAGQ, start, control). */
  update(options: UpdateOptions): MerFit {
    return this.live().update(options);
  }

  /**
   * Releases this fit's hold on the live model (and its kernel memory, once no other fit of the
   * model holds it). The results stay readable; refit, update and newdata predictions throw.
   */
  dispose(): void {
    this.#live = null;
  }

  private live(): LiveFit {
    if (this.#live === null) {
      throw new FitError('this fit was disposed (or made without a model): it cannot be refitted');
    }
    return this.#live;
  }

  /** Whether the optimizer reported convergence. */
  get converged(): boolean {
    return this.optimizer.converged;
  }

  /** The optimizer record and the control settings as text (MixedModels.jl's OptSummary). */
  optsum(): string {
    return formatOptSummary(this.optimizer);
  }

  /** lme4's `print(summary(m))` as a string (ends with a newline). */
  summary(options?: DdfSummaryOptions): string {
    // with `ddf` (LMMs): lmerTest's summary, with df and p-values in the coefficient table
    if (options?.ddf !== undefined) return formatSummaryDdf(this, options);
    return formatSummary(this, options);
  }

  /** The JSON form printed by `glmm fit --json`; `JSON.stringify(fit)` uses it. */
  toJSON(): MerFitJson {
    return jsonSafe({
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
      ...(this.method === 'PQL'
        ? { logLik: null, df: this.df, AIC: null, BIC: null, deviance: null }
        : {
            logLik: this.logLik,
            df: this.df,
            AIC: this.AIC,
            BIC: this.BIC,
            deviance: this.deviance,
          }),
      REMLcrit: this.REMLcrit,
      dfResid: this.dfResid,
      ...(this.nbTheta === undefined ? {} : { nbTheta: this.nbTheta }),
      ...(this.method === undefined
        ? {}
        : { method: this.method, pql: { ...this.pql } as PqlInfo }),
      varCorr: this.varCorr.map((r) => ({ ...r })),
      converged: this.converged,
      singular: this.singular,
      vcovMethod: this.vcovMethod,
      optimizer: {
        method: this.optimizer.method,
        evaluations: this.optimizer.evaluations,
        fval: this.optimizer.fval,
        messages: this.optimizer.messages.slice(),
        control: this.optimizer.control,
      },
      messages: this.messages.slice(),
      backend: this.backend,
      timings: { ...this.timings },
    });
  }
}

/** A fitted linear mixed model (`lmer`). */
export type LmmFit = MerFit;
/** A fitted generalized linear mixed model (`glmer`). */
export type GlmmFit = MerFit;
