/**
 * The worker side of a parallel bootstrap, a job of the fit workers (src/worker/runner.ts):
 * rebuilds the model from its FitSpec with the worker's own kernel instance, refits each
 * response it is sent and posts each replicate's BootSummary (or its error message) as an item
 * with its index.
 */
import { glmerSync } from '../api/glmer';
import { lmerSync } from '../api/lmer';
import type { DataInput } from '../frame/types';
import { registerJob, type JobContext } from '../worker/runner';
import { BOOTSTRAP_JOB } from './bootstrap';
import { bootSummary } from './bootsummary';
import type { FitSpec } from './fitspec';

/** One item a bootstrap job posts per replicate. */
export type RefitItem = { summary: ReturnType<typeof bootSummary> } | { error: string };

/** The job's payload: the fit to rebuild and the responses to refit, with their indices. */
export interface RefitPayload {
  spec: FitSpec;
  jobs: { index: number; y: Float64Array }[];
}

export function runBootstrapRefits(payload: unknown, ctx: JobContext): null {
  const { spec, jobs } = payload as RefitPayload;
  const fit =
    spec.kind === 'lmer'
      ? lmerSync(spec.formula, spec.data as DataInput, spec.options)
      : glmerSync(spec.formula, spec.data as DataInput, spec.options);
  for (const { index, y } of jobs) {
    let item: RefitItem;
    try {
      item = { summary: bootSummary(fit.refit(y)) };
    } catch (e) {
      item = { error: e instanceof Error ? e.message : String(e) };
    }
    ctx.item(index, item);
  }
  fit.dispose();
  return null;
}

registerJob(BOOTSTRAP_JOB, runBootstrapRefits);
