import type { FrameSchema } from './schema';

/**
 * What the formula pipeline hands to the model builders: numbers only, rows already filtered.
 * Produced by `buildModelFrame` (src/frame/modelframe.ts).
 */

/** A column as the caller may pass it. */
export type Column =
  | readonly number[]
  | readonly (string | null | undefined)[]
  | readonly (number | string | null | undefined)[]
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

/** Column table `{name: values}` or an array of row objects. */
export type DataInput = Record<string, Column> | readonly Record<string, unknown>[];

/** Options that shape the model frame. */
export interface FrameOptions {
  /** Numeric columns to treat as categorical. */
  factors?: readonly string[];
  /** Level order per column (first = reference level). */
  levels?: Record<string, readonly string[]>;
}

/** The response after evaluation. */
export interface ResponseSpec {
  /** Deparsed response expression, e.g. `Reaction` or `cbind(incidence, size - incidence)`. */
  name: string;
  /**
   * Numeric response per kept row. For `cbind(s, f)`: the proportion s/(s+f).
   * For a two-level factor: 0 for the first level, 1 for the second.
   */
  y: Float64Array;
  /** For `cbind(s, f)`: the trials s+f per row (to be used as binomial weights); else null. */
  trials: Float64Array | null;
  /** 'numeric' | 'cbind' | 'factor' (two-level factor response, with its levels). */
  kind: 'numeric' | 'cbind' | 'factor';
  /** Levels of a factor response (first = failure); null otherwise. */
  levels: string[] | null;
}

/**
 * One random-effects term as written (after expanding `a/b` and `x || g`), e.g. `(Days | Subject)`.
 * Amalgamation of terms sharing a grouping factor happens later, in the model builder.
 */
export interface RandomTermSpec {
  /** Grouping factor as lme4 names it: `Subject`, `cask:batch`. */
  group: string;
  /** Level labels of the grouping factor in R's order (`a:b` levels are `<a level>:<b level>`). */
  levels: string[];
  /** 0-based level index per kept row (length n). */
  refs: Int32Array;
  /** Names of the term's model-matrix columns, lme4 style: `(Intercept)`, `Days`, `trtB`. */
  colNames: string[];
  /** Number of columns (v). */
  v: number;
  /** Row-major n×v values: z[i*v + c] is column c for row i. */
  z: Float64Array;
  /** Source text of the term (for error messages), e.g. `(Days | Subject)`. */
  source: string;
}

/** The evaluated model frame. */
export interface ModelFrame {
  /** The formula as given. */
  formula: string;
  /** What it takes to rebuild the model matrices for new data (levels, contrasts, scale()). */
  schema: FrameSchema;
  /** Number of rows kept. */
  n: number;
  /** Number of rows dropped because a variable the model uses was missing. */
  nDropped: number;
  /** 0-based indices (into the caller's rows) of the kept rows. */
  rowIndex: Int32Array;
  response: ResponseSpec;
  /** Column-major n×p fixed-effects model matrix, aliased columns already removed. */
  X: Float64Array;
  /** p = xNames.length. */
  xNames: string[];
  /** Names of aliased columns dropped for rank deficiency (empty if none). */
  droppedColumns: string[];
  /** Sum of `offset()` terms per row, or null when there are none. */
  offset: Float64Array | null;
  /** Random-effects terms in formula order (after expansion). */
  randomTerms: RandomTermSpec[];
  /** Messages for the user (e.g. aliased columns dropped). */
  messages: string[];
}
