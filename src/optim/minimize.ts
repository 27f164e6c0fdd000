/**
 * The bounded minimizer used by the model fitting code: BOBYQA, with Nelder–Mead as a fallback.
 *
 * BOBYQA (lme4's default optimizer, via NLopt) is tried first. If it throws (for example because
 * the objective is not finite at the start) or ends with a non-finite value, Nelder–Mead is run
 * from the best point BOBYQA evaluated (or from x0 if it found none). The message records both.
 */
import { bobyqa } from './bobyqa';
import { nelderMead } from './neldermead';
import type { Objective, OptimOptions, OptimResult } from './types';

export type MinimizeMethod = 'bobyqa' | 'nelder-mead';

export interface MinimizeOptions extends OptimOptions {
  /** Which method to run first; default 'bobyqa' (with Nelder–Mead as the fallback). */
  method?: MinimizeMethod;
}

export function minimize(
  f: Objective,
  x0: readonly number[],
  options: MinimizeOptions,
): OptimResult {
  const method = options.method ?? 'bobyqa';
  if (method === 'nelder-mead') return nelderMead(f, x0, options);
  if (method !== 'bobyqa') throw new Error(`minimize: unknown method '${String(method)}'`);

  // Track the best finite point across all evaluations, so a fallback can start from it even
  // when BOBYQA throws.
  let bestF = Infinity;
  let bestX: number[] | null = null;
  let count = 0;
  const tracked: Objective = (x) => {
    count++;
    const v = f(x);
    if (typeof v === 'number' && Number.isFinite(v) && v < bestF) {
      bestF = v;
      bestX = x.slice();
    }
    return v;
  };

  let failure: string;
  try {
    const r = bobyqa(tracked, x0, options);
    if (Number.isFinite(r.fval)) return r;
    failure = `bobyqa ended with non-finite f (${r.message})`;
  } catch (e) {
    failure = `bobyqa failed: ${e instanceof Error ? e.message : String(e)}`;
  }

  const used = count;
  const start: readonly number[] = bestX ?? x0;
  const remaining = (options.maxEval ?? 100000) - used;
  if (remaining <= 0) {
    return {
      x: (bestX ?? x0.slice()) as number[],
      fval: bestF,
      evaluations: used,
      converged: false,
      message: `${failure}; no evaluations left for the Nelder–Mead fallback`,
      method: 'bobyqa',
    };
  }
  const nm = nelderMead(f, start, { ...options, maxEval: remaining });
  // Keep whichever point is better (Nelder–Mead starts from the best point, so normally its own).
  const useNm = !(bestF < nm.fval);
  return {
    x: useNm ? nm.x : (bestX as unknown as number[]).slice(),
    fval: useNm ? nm.fval : bestF,
    evaluations: used + nm.evaluations,
    converged: nm.converged,
    message: `${failure}; fell back to Nelder–Mead from the best point: ${nm.message}`,
    method: 'nelder-mead',
  };
}
