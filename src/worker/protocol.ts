/**
 * The messages between the main side and a fit worker. Everything here is structured-cloneable:
 * a fit crosses as its plain result record (MerFitData), an error as its name, message and the
 * typed error's fields (WireError), so the main side can rethrow the same class.
 */
import type { FitSpec } from '../inference/fitspec';
import type { MerFitData } from '../results/types';
import type { WireError } from './wire-error';

/** Where a fit in a worker is: loading the kernels, building frame and model, optimizing. */
export type FitPhase = 'load' | 'build' | 'optimize';

/** A progress report of one fit in a worker. */
export interface WorkerProgress {
  phase: FitPhase;
  /** Objective evaluations so far (0 before the optimizer starts). */
  evaluations: number;
  /** The latest objective value (deviance, or the REML criterion); NaN before the first. */
  deviance: number;
  /** Milliseconds since the worker received the request. */
  elapsedMs: number;
}

/** Main side → worker: fit one spec. */
export interface FitRequest {
  type: 'fit';
  id: number;
  spec: FitSpec;
  /** Post progress reports (off when nobody listens, to save the messages). */
  progress: boolean;
}

/** Main side → worker: run a job of another kind (registered by its `kind`). */
export interface JobRequest {
  type: 'job';
  id: number;
  kind: string;
  payload: unknown;
  progress: boolean;
}

export type WorkerRequest = FitRequest | JobRequest;

/** Worker → main side. `progress` and `item` may come several times per request, then one of `result` or `error`. */
export type WorkerReply =
  | ({ type: 'progress'; id: number } & WorkerProgress)
  | { type: 'result'; id: number; data: MerFitData | unknown }
  | { type: 'item'; id: number; index: number; item: unknown }
  | { type: 'error'; id: number; error: WireError }
  /** The worker's code failed to load (posted by the boot script, not the runner). */
  | { type: 'fatal'; error: WireError };
