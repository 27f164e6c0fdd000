/** What LMMs and GLMMs check and combine on the response side alike. */
import { DataError } from '../errors';

/**
 * lme4's "Response is constant": a response without variation (over the rows with a positive
 * weight, when weights are given) has nothing to fit.
 */
export function checkResponseVaries(
  y: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  name: string,
): void {
  let first = NaN;
  for (let i = 0; i < y.length; i++) {
    if (weights && weights[i] === 0) continue;
    if (Number.isNaN(first)) first = y[i];
    else if (y[i] !== first) return;
  }
  throw new DataError(
    `the response '${name}' is constant (every value is ${first}): there is nothing to fit`,
    name,
  );
}

/** Formula offsets plus the option's, or null when there are none. */
export function combineOffsets(
  formula: Float64Array | null,
  option: Float64Array | null,
  n: number,
): Float64Array | null {
  if (!formula && !option) return null;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (formula ? formula[i] : 0) + (option ? option[i] : 0);
  return out;
}
