/**
 * The record of objective evaluations kept during a fit (MixedModels.jl's fitlog): every
 * parameter vector tried, in natural units, with its objective; also drives progress reports.
 */
import type { EvaluationRecord } from '../results/types';

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
