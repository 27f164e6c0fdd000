/**
 * `fitMany`, in its two call forms: `fitMany(specs, options)` — many different fits
 * (src/worker/fitmany-specs.ts), one outcome per spec in input order — and
 * `fitMany(formula, data, {responses, ...})` — one design, many responses
 * (src/worker/fitmany-responses.ts), one result per response in input order.
 */
import { OptionError } from '../errors';
import type { DataInput } from '../frame/types';
import type { FitSpec } from '../inference/fitspec';
import { fitManyResponses, type ResponseFit, type ResponsesOptions } from './fitmany-responses';
import { fitManySpecs, type FitManyOptions, type FitOutcome } from './fitmany-specs';

export function fitMany(specs: readonly FitSpec[], options?: FitManyOptions): Promise<FitOutcome[]>;
export function fitMany(
  formula: string,
  data: DataInput,
  options: ResponsesOptions,
): Promise<ResponseFit[]>;
export function fitMany(
  first: readonly FitSpec[] | string,
  second?: FitManyOptions | DataInput,
  third?: ResponsesOptions,
): Promise<FitOutcome[] | ResponseFit[]> {
  if (typeof first === 'string') {
    if (third === undefined || third === null || typeof third !== 'object') {
      return Promise.reject(
        new OptionError('needs { responses: [...] } (column names or value arrays)', 'options'),
      );
    }
    return fitManyResponses(first, second as DataInput, third);
  }
  if (!Array.isArray(first)) {
    return Promise.reject(
      new OptionError(
        'must be an array of fit specs { kind, formula, data, options } or a formula string',
        'specs',
      ),
    );
  }
  return fitManySpecs(first, second as FitManyOptions | undefined);
}
