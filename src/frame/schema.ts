/**
 * The schema of a model frame: what it takes to rebuild the model matrices for new data
 * (`predict(newdata)`) or for tests and marginal means — the formula and frame options, the
 * levels of every categorical variable, the contrasts, the centres and scales of `scale()`,
 * which model-matrix columns were kept, and which term each column belongs to (R's `assign`).
 */
import type { Scalings } from './eval';
import type { FrameOptions } from './types';

/** One random-effects term as the training frame built it. */
export interface RandomTermSchema {
  /** Grouping factor as lme4 names it: `Subject`, `cask:batch`. */
  group: string;
  /** Its levels in the training rows (`a:b` levels are `<a level>:<b level>`). */
  levels: string[];
  /** Names of the term's columns. */
  colNames: string[];
  /** Term text such as `(Days | Subject)`. */
  source: string;
}

export interface FrameSchema {
  formula: string;
  /** The frame options of the fit (`factors`, `levels`). */
  options: FrameOptions;
  /** Levels of each categorical variable of the fixed and random-effects terms, by expression. */
  factorLevels: Record<string, string[]>;
  /** Contrasts of each factor in the fixed-effects terms (only R's default is supported). */
  contrasts: Record<string, 'contr.treatment'>;
  /** Centre and scale of each `scale()` call, by call text (training values, as R's). */
  scalings: Scalings;
  /** Every fixed-effects column R's model.matrix makes, before the rank check. */
  allColumns: string[];
  /** Indices into `allColumns` of the columns kept in X (X's column order). */
  kept: number[];
  /** Per kept column: index into `termLabels` of its term, -1 for the intercept (R's assign - 1). */
  assign: number[];
  /** Labels of the fixed-effects terms, e.g. `Days`, `trt:period`. */
  termLabels: string[];
  /** Random-effects terms in formula order (after expanding `||` and `/`). */
  random: RandomTermSchema[];
  /**
   * Mean over the rows used of each numeric data column the fixed-effects and offset() terms
   * refer to (src/frame/covariates.ts): where a reference grid puts covariates (emmeans).
   */
  covariateMeans?: Record<string, number>;
}
