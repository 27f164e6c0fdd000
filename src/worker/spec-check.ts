/**
 * Checks of a FitSpec before it is sent to a worker: what would fail to cross (functions) or
 * cannot be a fit at all is an OptionError here, on the caller's side; everything else is
 * checked by lmer/glmer in the worker and comes back as the same error.
 */
import { OptionError } from '../errors';
import type { FitSpec } from '../inference/fitspec';
import { checkChoice, checkKeys, checkRecord } from '../options';

export function checkFitSpec(spec: unknown, name = 'spec'): asserts spec is FitSpec {
  checkRecord(spec, name);
  checkKeys(spec, ['kind', 'formula', 'data', 'options'], name);
  const s = spec as Partial<FitSpec>;
  if (s.kind === undefined) throw new OptionError("must be 'lmer' or 'glmer'", `${name}.kind`);
  checkChoice(s.kind, `${name}.kind`, ['lmer', 'glmer']);
  if (typeof s.formula !== 'string') throw new OptionError('must be a string', `${name}.formula`);
  if (s.data === null || typeof s.data !== 'object') {
    throw new OptionError('must be a column table or an array of rows', `${name}.data`);
  }
  if (s.options !== undefined) {
    checkRecord(s.options, `${name}.options`);
    for (const [key, value] of Object.entries(s.options)) {
      if (typeof value === 'function') {
        throw new OptionError(
          `is a function, which cannot be sent to a worker${key === 'onProgress' ? " (pass onProgress in fitInWorker's own options)" : ''}`,
          `${name}.options.${key}`,
        );
      }
    }
  }
}
