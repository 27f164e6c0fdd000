/**
 * `fitMany`: fits across a pool of workers. `fitMany(specs, options)` runs many different fits
 * (src/worker/fitmany-specs.ts); one outcome per spec, in input order.
 */
import { OptionError } from '../errors';
import type { FitSpec } from '../inference/fitspec';
import { fitManySpecs, type FitManyOptions, type FitOutcome } from './fitmany-specs';

export function fitMany(
  specs: readonly FitSpec[],
  options?: FitManyOptions,
): Promise<FitOutcome[]> {
  if (!Array.isArray(specs)) {
    return Promise.reject(
      new OptionError('must be an array of fit specs { kind, formula, data, options }', 'specs'),
    );
  }
  return fitManySpecs(specs, options);
}
