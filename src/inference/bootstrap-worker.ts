/**
 * The worker side of a parallel bootstrap: rebuilds the model from its FitSpec with this
 * thread's own kernel instance, refits each response it is sent and posts each replicate's
 * BootSummary back (or its error message) with its index.
 */
import { glmerSync } from '../api/glmer';
import { lmerSync } from '../api/lmer';
import type { DataInput } from '../frame/types';
import { bootSummary } from './bootsummary';
import type { FitSpec } from './fitspec';

/** The messages a bootstrap worker posts. */
export type WorkerReply =
  | { index: number; summary: ReturnType<typeof bootSummary> }
  | { index: number; error: string }
  | { done: true };

interface Port {
  postMessage(message: unknown): void;
}

export function runBootstrapWorker(
  port: Port,
  data: { spec: FitSpec; jobs: { index: number; y: Float64Array }[] },
): void {
  const { spec, jobs } = data;
  const fit =
    spec.kind === 'lmer'
      ? lmerSync(spec.formula, spec.data as DataInput, spec.options)
      : glmerSync(spec.formula, spec.data as DataInput, spec.options);
  for (const { index, y } of jobs) {
    try {
      port.postMessage({ index, summary: bootSummary(fit.refit(y)) } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({
        index,
        error: e instanceof Error ? e.message : String(e),
      } satisfies WorkerReply);
    }
  }
  fit.dispose();
  port.postMessage({ done: true } satisfies WorkerReply);
}
