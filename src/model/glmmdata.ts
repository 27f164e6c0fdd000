/**
 * The response side of a GLMM: y on the family's scale, prior weights, binomial trials, offset,
 * validated against the family (errors name the column and row).
 */
import type { ModelFrame } from '../frame/types';
import { DataError } from '../errors';
import type { Family } from './family';
import { checkResponseVaries, combineOffsets } from './response';

export interface GlmmResponse {
  y: Float64Array;
  /** Prior weights (binomial: trials × user weights; validated by the caller). */
  priorWt: Float64Array;
  /** R's `n` for the binomial aic (trials for a two-column response), else null. */
  binomialN: Float64Array | null;
  /** Total offset (formula `offset()` terms plus the `offset` option), or null. */
  offset: Float64Array | null;
  /** Warnings for the result (e.g. non-integer counts). */
  warnings: string[];
}

/**
 * The response side for the frame's response, or for `yNew` (a refit: the response on the same
 * scale as `frame.response.y`, e.g. proportions for a cbind() response with the same trials).
 */
export function glmmResponse(
  frame: ModelFrame,
  fam: Family,
  userWeights: Float64Array | null,
  userOffset: Float64Array | null,
  yNew?: Float64Array,
): GlmmResponse {
  const { n, response } = frame;
  const name = response.name;
  if (response.kind === 'factor' && fam.kind !== 'binomial') {
    throw new DataError(
      `the response '${name}' is a factor; only the binomial family accepts a factor response`,
      name,
    );
  }
  if (response.kind === 'cbind' && fam.kind !== 'binomial') {
    throw new DataError(`a cbind() response needs the binomial family`, name);
  }
  const y = Float64Array.from(yNew ?? response.y);
  const priorWt = new Float64Array(n).fill(1);
  if (userWeights) priorWt.set(userWeights);
  let binomialN: Float64Array | null = null;
  if (response.kind === 'cbind' && response.trials) {
    binomialN = Float64Array.from(response.trials);
    for (let i = 0; i < n; i++) priorWt[i] *= response.trials[i];
  }
  if (priorWt.every((w) => w === 0)) {
    throw new DataError('all prior weights are 0: there is nothing to fit', 'weights');
  }
  const bad = fam.validateY(y, priorWt);
  if (bad) {
    const row = frame.rowIndex[bad.row] + 1;
    throw new DataError(`response '${name}', row ${row}: ${bad.message}`, name, row);
  }
  checkResponseVaries(y, priorWt, name);
  const warnings: string[] = [];
  if (fam.kind === 'poisson' || fam.kind === 'negative.binomial') {
    if (y.some((v) => v !== Math.round(v)))
      warnings.push(`non-integer counts in '${name}' (as lme4, the fit proceeds)`);
  }
  if (fam.kind === 'binomial') {
    const nonInteger = y.some(
      (v, i) => Math.abs(v * priorWt[i] - Math.round(v * priorWt[i])) > 1e-3,
    );
    if (nonInteger) warnings.push('non-integer #successes in a binomial glm!');
  }
  const offset = combineOffsets(frame.offset, userOffset, n);
  return { y, priorWt, binomialN, offset, warnings };
}
