/**
 * The record of objective evaluations kept during a fit (MixedModels.jl's fitlog): every
 * parameter vector tried, in natural units, with its objective; also drives progress reports.
 */
import type { Control } from './control';

/** One evaluation of the objective: the parameters (θ, or θ then β) and the objective value. */
export interface EvaluationRecord {
  x: number[];
  f: number;
}

/** Record of the optimizer run (MixedModels.jl's OptSummary). */
export interface OptimizerSummary {
  method: string;
  evaluations: number;
  /** False when the optimizer stopped without meeting its criterion or a post-fit check failed. */
  converged: boolean;
  messages: string[];
  /** Initial parameter vector (θ in lme4's units). */
  start: number[];
  /** Lower bounds of the parameters. */
  lower: number[];
  /** Final objective value (deviance or REML criterion). */
  fval: number;
  /** Every evaluation, in order: θ (LMM; GLMM stage 1) or θ then β (GLMM stage 2). */
  history: EvaluationRecord[];
  /** The settings the fit used (tolerances, start, PIRLS, vcov rule, check thresholds). */
  control: Control;
}

export type ProgressCallback = (p: {
  evaluations: number;
  fval: number;
  elapsedMs: number;
}) => void;

export class EvaluationLog {
  readonly history: EvaluationRecord[] = [];
  private readonly t0 = performance.now();

  constructor(private readonly onProgress?: ProgressCallback) {}

  /** Records one evaluation (copies x) and reports progress. */
  record(x: ArrayLike<number>, f: number): void {
    this.history.push({ x: Array.from(x), f });
    this.onProgress?.({
      evaluations: this.history.length,
      fval: f,
      elapsedMs: performance.now() - this.t0,
    });
  }

  get evaluations(): number {
    return this.history.length;
  }
}
