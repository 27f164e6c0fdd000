/**
 * `fitInWorker(spec, { onProgress, signal })`: one lmer/glmer fit in a worker of its own (a
 * worker thread in Node, a module Web Worker in browsers), so the calling thread stays free.
 * The result is a MerFit without a live model: its estimates, vcov, summary() and toJSON() work;
 * what needs the model, which stays in the worker (refit, update, Satterthwaite/Kenward–Roger
 * tests, profiles, predictions on new data), throws a FitError.
 */
import { OptionError } from '../errors';
import type { FitSpec } from '../inference/fitspec';
import { checkBoolean, checkKeys, checkRecord } from '../options';
import { MerFit } from '../results/fit';
import type { MerFitData } from '../results/types';
import { abortError } from './abort';
import { WorkerChannel } from './channel';
import type { WorkerProgress } from './protocol';
import { spawnWorker, type SpawnOptions } from './spawn';
import { checkFitSpec } from './spec-check';
import { prepareSpec } from './transfer';

export interface WorkerFitOptions extends SpawnOptions {
  /** Called with each progress report: phase, evaluations, deviance, elapsedMs. */
  onProgress?: (p: WorkerProgress) => void;
  /** Aborting terminates the worker and rejects with an error named 'AbortError'. */
  signal?: AbortSignal;
  /**
   * Copy the typed-array columns of `spec.data` instead of transferring them (default false:
   * they are transferred, and the caller's arrays are detached afterwards).
   */
  keepData?: boolean;
}

const OPTION_KEYS = ['onProgress', 'signal', 'keepData', 'workerUrl'];

/** Checks the options shared by fitInWorker and fitMany. */
export function checkWorkerOptions(options: unknown, where: string, extra: string[] = []): void {
  checkRecord(options, where);
  checkKeys(options, [...OPTION_KEYS, ...extra], where);
  const o = options as WorkerFitOptions;
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new OptionError('must be a function', 'onProgress');
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new OptionError('must be an AbortSignal', 'signal');
  }
  checkBoolean(o.keepData, 'keepData');
}

/** A fit of `spec` in a new worker; the worker is terminated when the fit ends. */
export async function fitInWorker(spec: FitSpec, options: WorkerFitOptions = {}): Promise<MerFit> {
  checkWorkerOptions(options, 'fitInWorker');
  checkFitSpec(spec);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortError(signal);
  const channel = new WorkerChannel(await spawnWorker(options));
  try {
    const { spec: posted, transfer } = prepareSpec(
      { ...spec, options: spec.options ?? {} },
      options.keepData ?? false,
    );
    const data = await channel.request({ type: 'fit', spec: posted }, transfer, {
      onProgress,
      signal,
    });
    return new MerFit(data as MerFitData, null);
  } finally {
    channel.stop();
  }
}
