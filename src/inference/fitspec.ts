/**
 * How a fit was made (the call, the data and the options), kept beside the fit so that a worker
 * thread can rebuild the same model: a live model cannot cross threads, its inputs can. The
 * data are referenced, not copied (the caller's data are never mutated).
 */
import type { DataInput } from '../frame/types';
import type { MerFit } from '../results/fit';

export interface FitSpec {
  kind: 'lmer' | 'glmer';
  formula: string;
  data: DataInput;
  /** The options with functions (progress callbacks) left out: what a worker can receive. */
  options: Record<string, unknown>;
}

const specs = new WeakMap<MerFit, FitSpec>();

export function rememberFitSpec(
  fit: MerFit,
  kind: FitSpec['kind'],
  formula: string,
  data: DataInput,
  options: object,
): void {
  const cloneable = Object.fromEntries(
    Object.entries(options).filter(([, v]) => typeof v !== 'function'),
  );
  specs.set(fit, { kind, formula, data, options: cloneable });
}

export function fitSpecOf(fit: MerFit): FitSpec | undefined {
  return specs.get(fit);
}
