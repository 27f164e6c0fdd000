/**
 * The worker side of fitMany(formula, data, {responses}), a job of the fit workers
 * (src/worker/runner.ts): the model is built once per worker from the job's FitSpec (kept
 * under the job's key for the next chunk), and each response is a refit that recomputes only
 * the parts involving y. Responses come with one value per row of the spec's data (NaN =
 * missing): the model frame's rows are taken from them, and a response missing at one of those
 * rows is fitted on its own with those rows dropped, as lme4 would.
 */
import { glmerSync } from '../api/glmer';
import { lmerSync } from '../api/lmer';
import type { DataInput } from '../frame/types';
import { bootSummary, type BootSummary } from '../inference/bootsummary';
import type { FitSpec } from '../inference/fitspec';
import type { MerFit } from '../results/fit';
import { registerJob, type JobContext } from './runner';
import { toWireError, type WireError } from './wire-error';

export const RESPONSES_JOB = 'fit-many-responses';

export interface ResponsesPayload {
  /** Identifies the design: a worker keeps the model built for the last key it saw. */
  key: string;
  spec: FitSpec;
  /** The spec's response column (replaced by a response that needs a fit of its own). */
  responseColumn: string;
  jobs: { index: number; y: Float64Array }[];
}

export type ResponseItem = { ok: true; summary: BootSummary } | { ok: false; error: WireError };

let kept: { key: string; fit: MerFit } | null = null;

function fitSpec(spec: FitSpec): MerFit {
  const data = spec.data as DataInput;
  return spec.kind === 'lmer'
    ? lmerSync(spec.formula, data, spec.options)
    : glmerSync(spec.formula, data, spec.options);
}

function refitOne(fit: MerFit, p: ResponsesPayload, y: Float64Array): MerFit {
  const rows = fit.model.frame.rowIndex;
  const values = new Float64Array(rows.length);
  let complete = true;
  for (let i = 0; i < rows.length; i++) {
    values[i] = y[rows[i]];
    if (!Number.isFinite(values[i])) complete = false;
  }
  if (complete) return fit.refit(values);
  const data = { ...(p.spec.data as Record<string, unknown>), [p.responseColumn]: y };
  return fitSpec({ ...p.spec, data: data as DataInput });
}

export function runResponseRefits(payload: unknown, ctx: JobContext): null {
  const p = payload as ResponsesPayload;
  if (kept?.key !== p.key) {
    kept?.fit.dispose();
    kept = null;
    kept = { key: p.key, fit: fitSpec(p.spec) };
  }
  const { fit } = kept;
  for (const { index, y } of p.jobs) {
    let item: ResponseItem;
    try {
      const refit = refitOne(fit, p, y);
      item = { ok: true, summary: bootSummary(refit) };
      refit.dispose();
    } catch (e) {
      item = { ok: false, error: toWireError(e) };
    }
    ctx.item(index, item);
  }
  return null;
}

registerJob(RESPONSES_JOB, runResponseRefits);
