/** `glmer` (and `glmer.nb`): the user-facing GLMM entry point. */
import { loadBackend } from '../backend/load';
import type { Backend } from '../backend/kernels';
import { buildModelFrame, checkGroupingFactors, numericColumn } from '../frame/modelframe';
import type { DataInput, ModelFrame } from '../frame/types';
import { DataError, OptionError } from '../errors';
import { makeFamily, type Family } from '../model/family';
import { fitGlmm } from '../model/glmm';
import { fitNegativeBinomial } from '../model/negbin';
import { fitLmm } from '../model/lmm';
import { MerFit } from '../results/fit';
import type { MerFitData } from '../results/types';
import { createBackendOrJs, validateCommonOptions, type LmerOptions } from './lmer';

export interface GlmerOptions extends Omit<LmerOptions, 'REML'> {
  /**
   * Family as R names it: 'binomial', 'poisson', 'Gamma', 'inverse.gaussian', 'gaussian', or
   * 'negbin' (negative binomial NB2 with θ estimated, as glmer.nb). Default 'gaussian'.
   */
  family?: string;
  /** Link name ('logit', 'probit', 'cloglog', 'cauchit', 'log', 'identity', 'inverse', 'sqrt', '1/mu^2'); default canonical. */
  link?: string;
  /** 0: PIRLS with β (fast); 1: Laplace (default); k > 1: adaptive Gauss–Hermite with k nodes (one scalar term). */
  nAGQ?: number;
  /** Prior weights: a column name or one number per row of the data. */
  weights?: string | readonly number[] | Float64Array;
  /** Offset added to the linear predictor: a column name or one number per row. */
  offset?: string | readonly number[] | Float64Array;
  /** Fixed negative binomial θ (skips its estimation). */
  theta?: number;
}

export type GlmmFit = MerFit;

const NEGBIN_NAMES = new Set(['negbin', 'negative.binomial', 'nbinom2']);

function validateGlmerOptions(options: GlmerOptions): void {
  validateCommonOptions(options);
  const k = options.nAGQ ?? 1;
  if (!Number.isInteger(k) || k < 0 || k > 100) {
    throw new OptionError(`must be an integer from 0 to 100, got ${String(options.nAGQ)}`, 'nAGQ');
  }
  if (options.family !== undefined && typeof options.family !== 'string') {
    throw new OptionError('must be a family name such as "binomial"', 'family');
  }
}

/** Per-kept-row values of a weights/offset option (column name or array over the caller's rows). */
function rowOption(
  data: DataInput,
  frame: ModelFrame,
  value: string | readonly number[] | Float64Array | undefined,
  name: 'weights' | 'offset',
): Float64Array | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return numericColumn(data, value, frame.rowIndex);
  const nRows = Array.isArray(data) ? data.length : frame.rowIndex.length + frame.nDropped;
  if (value.length !== nRows) {
    throw new DataError(
      `the ${name} option has ${value.length} values but the data have ${nRows} rows`,
      name,
    );
  }
  return Float64Array.from(frame.rowIndex, (r) => Number(value[r]));
}

/** Fits with an already-loaded backend (the synchronous core of `glmer`). */
export function glmerWith(
  backend: Backend,
  formula: string,
  data: DataInput,
  options: GlmerOptions = {},
): GlmmFit {
  validateGlmerOptions(options);
  const t0 = performance.now();
  const familyName = options.family ?? 'gaussian';
  const negbin = NEGBIN_NAMES.has(familyName);
  const keepColumns = [options.weights, options.offset].filter(
    (v): v is string => typeof v === 'string',
  );
  const frame = buildModelFrame(formula, data, { ...options, keepColumns });
  checkGroupingFactors(frame, 'glmm');
  const weights = rowOption(data, frame, options.weights, 'weights');
  const offset = rowOption(data, frame, options.offset, 'offset');
  const nAGQ = options.nAGQ ?? 1;
  const t1 = performance.now();
  let result: MerFitData;
  if (negbin) {
    const link = options.link ?? 'log';
    if (options.theta !== undefined) {
      const family = makeFamily('negative.binomial', link, { theta: options.theta });
      result = fitGlmm(frame, backend, {
        family,
        nAGQ,
        weights,
        offset,
        onProgress: options.onProgress,
      });
    } else {
      result = fitNegativeBinomial(frame, backend, {
        link,
        nAGQ,
        weights,
        offset,
        onProgress: options.onProgress,
      });
    }
  } else {
    const family: Family = makeFamily(familyName, options.link);
    if (family.kind === 'gaussian' && family.link.name === 'identity') {
      // glmer hands gaussian-identity models to lmer (with REML = FALSE), as lme4 does.
      if (weights || offset) {
        throw new OptionError(
          'weights and offset options are not supported for gaussian identity models yet',
          'family',
        );
      }
      result = fitLmm(frame, backend, { REML: false, onProgress: options.onProgress });
    } else {
      result = fitGlmm(frame, backend, {
        family,
        nAGQ,
        weights,
        offset,
        onProgress: options.onProgress,
      });
    }
  }
  result.timings.frame = t1 - t0;
  result.timings.total += t1 - t0;
  return new MerFit({
    ...result,
    dataName: options.dataName,
    weightsName: typeof options.weights === 'string' ? options.weights : undefined,
    offsetName: typeof options.offset === 'string' ? options.offset : undefined,
  });
}

/**
 * Fits a generalized linear mixed model, lme4's `glmer(formula, data, family, nAGQ)`.
 * @example
 *   const fit = await glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial' });
 */
export async function glmer(
  formula: string,
  data: DataInput,
  options: GlmerOptions = {},
): Promise<GlmmFit> {
  validateGlmerOptions(options);
  const backend = await loadBackend(options.backend);
  return glmerWith(backend, formula, data, options);
}

/** Synchronous `glmer`. */
export function glmerSync(formula: string, data: DataInput, options: GlmerOptions = {}): GlmmFit {
  validateGlmerOptions(options);
  return glmerWith(createBackendOrJs(options.backend), formula, data, options);
}
