/** Bounded derivative-free minimization: the contract shared by BOBYQA and Nelder–Mead. */

export interface OptimOptions {
  /** Lower bounds (use -Infinity for none); same length as x0. */
  lower: readonly number[];
  /** Upper bounds (use Infinity for none); same length as x0. */
  upper: readonly number[];
  /** Initial trust-region radius (BOBYQA rhobeg) or simplex scale. Default 0.2 for lme4-like use. */
  rhobeg?: number;
  /** Final trust-region radius (BOBYQA rhoend). Default 2e-7 (lme4's bobyqa setting). */
  rhoend?: number;
  /** Stop when an iteration improves f by less than this (absolute). Default 1e-10. */
  ftolAbs?: number;
  /** Maximum number of function evaluations. Default 100000. */
  maxEval?: number;
}

export interface OptimResult {
  /** Best point found. */
  x: number[];
  /** f(x). */
  fval: number;
  /** Number of evaluations of f. */
  evaluations: number;
  /** True when a stopping rule other than maxEval ended the search. */
  converged: boolean;
  /** Which rule stopped it, in words. */
  message: string;
  /** Name of the method that produced the result: 'bobyqa' | 'nelder-mead'. */
  method: string;
}

/** f must return a finite number; return Infinity for a point where the objective fails. */
export type Objective = (x: readonly number[]) => number;
