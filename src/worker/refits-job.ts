/**
 * The refits job of the fit workers (src/worker/runner.ts), shared by the parallel bootstrap
 * and fitMany(formula, data, {responses}): the model is built once per worker from the job's
 * FitSpec (kept under the job's key for the next chunk) and each response is a refit that
 * recomputes only the parts involving y.
 *
 * Without `responseColumn` a response has one value per observation of the model (a bootstrap
 * replicate). With it, a response has one value per row of the spec's data (NaN = missing):
 * the model frame's rows are taken from it, and a response missing at one of those rows is
 * fitted on its own with those rows dropped, as lme4 would.
 */
import { glmerSync } from '../api/glmer';
import { lmerSync } from '../api/lmer';
import type { DataInput } from '../frame/types';
import { bootSummary } from '../inference/bootsummary';
import type { FitSpec } from '../inference/fitspec';
import type { MerFit } from '../results/fit';
import { registerJob, type JobContext } from './runner';
import { REFITS_JOB, type RefitItem, type RefitsPayload } from './refits';
import { toWireError } from './wire-error';

let kept: { key: string; fit: MerFit } | null = null;

function fitSpec(spec: FitSpec): MerFit {
  const data = spec.data as DataInput;
  return spec.kind === 'lmer'
    ? lmerSync(spec.formula, data, spec.options)
    : glmerSync(spec.formula, data, spec.options);
}

function refitOne(fit: MerFit, p: RefitsPayload, y: Float64Array): MerFit {
  if (p.responseColumn === undefined) return fit.refit(y);
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

export function runRefits(payload: unknown, ctx: JobContext): null {
  const p = payload as RefitsPayload;
  if (kept?.key !== p.key) {
    kept?.fit.dispose();
    kept = null;
    kept = { key: p.key, fit: fitSpec(p.spec) };
  }
  const { fit } = kept;
  for (const { index, y } of p.jobs) {
    let item: RefitItem;
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

registerJob(REFITS_JOB, runRefits);
