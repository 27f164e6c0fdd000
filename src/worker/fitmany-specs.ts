/**
 * `fitMany(specs, { workers })`: many different fits across a worker pool. Results come in the
 * order of the specs, one outcome per spec: `{ ok: true, fit }` or `{ ok: false, error }` (the
 * error as thrown by lmer/glmer, revived with its class), so one bad spec does not lose the
 * others' fits. Each fit is a MerFit without a live model, as from fitInWorker.
 */
import { OptionError } from '../errors';
import type { FitSpec } from '../inference/fitspec';
import { checkNumber } from '../options';
import { MerFit } from '../results/fit';
import type { MerFitData } from '../results/types';
import { checkWorkerOptions, type WorkerFitOptions } from './fit-in-worker';
import { runOnPool } from './pool';
import type { WorkerProgress } from './protocol';
import { checkFitSpec } from './spec-check';
import { prepareSpec } from './transfer';

export type FitOutcome = { ok: true; fit: MerFit } | { ok: false; error: Error };

export interface FitManyOptions extends Omit<WorkerFitOptions, 'onProgress'> {
  /** Worker threads / Web Workers (default 2; at most one per spec). */
  workers?: number;
  /** Progress of each fit, with the index of its spec. */
  onProgress?: (p: WorkerProgress & { index: number }) => void;
}

/** Checks `workers` (a positive integer) for every fitMany form. */
export function checkWorkerCount(workers: unknown): number {
  checkNumber(workers, 'workers', { min: 1, integer: true });
  return (workers as number | undefined) ?? 2;
}

export async function fitManySpecs(
  specs: readonly FitSpec[],
  options: FitManyOptions = {},
): Promise<FitOutcome[]> {
  checkWorkerOptions(options, 'fitMany', ['workers']);
  const workers = checkWorkerCount(options.workers);
  specs.forEach((s, i) => checkFitSpec(s, `specs[${i}]`));
  if (specs.length === 0) throw new OptionError('must hold at least one spec', 'specs');
  const { onProgress, keepData = false } = options;
  const outcomes = await runOnPool(
    specs.length,
    (index) => {
      const { spec, transfer } = prepareSpec(
        { ...specs[index], options: specs[index].options ?? {} },
        keepData,
      );
      return {
        body: { type: 'fit', spec },
        transfer,
        listeners: onProgress && { onProgress: (p) => onProgress({ ...p, index }) },
      };
    },
    { ...options, workers },
  );
  return outcomes.map((o) =>
    o.ok
      ? { ok: true, fit: new MerFit(o.value as MerFitData, null) }
      : { ok: false, error: o.error },
  );
}
