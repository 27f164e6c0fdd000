/**
 * The messages of the fit workers' refits job (served by ./refits-job.ts): kept apart from the
 * job so that the main side (bootstrap, fitMany) does not import the worker side.
 */
import type { BootSummary } from '../inference/bootsummary';
import type { FitSpec } from '../inference/fitspec';
import type { WireError } from './wire-error';

export const REFITS_JOB = 'refits';

export interface RefitsPayload {
  /** Identifies the design: a worker keeps the model built for the last key it saw. */
  key: string;
  spec: FitSpec;
  /** The spec's response column, when responses come one value per data row (see ./refits-job.ts). */
  responseColumn?: string;
  jobs: { index: number; y: Float64Array }[];
}

/** What the job posts per response (with the response's index). */
export type RefitItem = { ok: true; summary: BootSummary } | { ok: false; error: WireError };
