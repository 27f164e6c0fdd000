/** `glmer` (and `glmer.nb`): the user-facing GLMM entry point. */
import { rememberFitSpec } from '../inference/fitspec';
import { loadBackend } from '../backend/load';
import type { Backend } from '../backend/kernels';
import { buildModelFrame, checkGroupingFactors } from '../frame/modelframe';
import type { DataInput } from '../frame/types';
import { DataError, OptionError } from '../errors';
import { makeFamily } from '../model/family';
import { GlmmModel } from '../model/glmm';
import { checkBoolean, checkKeys, checkNumber, checkRecord } from '../options';
import type { MerFit } from '../results/fit';
import {
  fitGlmerPql,
  pqlFamilyOptions,
  PQL_OPTION_KEYS,
  validatePqlOptions,
  type PqlOptions,
} from './glmerpql';
import { runGlmm } from './live';
import {
  COMMON_OPTIONS,
  createBackendOrJs,
  fitLinearMixedModel,
  resolveControl,
  rowOptionNames,
  validateCommonOptions,
  type LmerOptions,
} from './lmer';
import { offsetValues, priorWeights, rowOptionColumns } from './rowoptions';

export interface GlmerOptions extends Omit<LmerOptions, 'REML'>, PqlOptions {
  /**
   * Family as R names it: 'binomial', 'poisson', 'Gamma', 'inverse.gaussian', 'gaussian', or
   * 'negbin' (negative binomial NB2 with θ estimated, as glmer.nb). Default 'gaussian'.
   */
  family?: string;
  /** Link name ('logit', 'probit', 'cloglog', 'cauchit', 'log', 'identity', 'inverse', 'sqrt', '1/mu^2'); default canonical. */
  link?: string;
  /** 0: PIRLS with β (fast); 1: Laplace (default); k > 1: adaptive Gauss–Hermite with k nodes (one scalar term). */
  nAGQ?: number;
  /** Fixed negative binomial θ (skips its estimation); family 'negbin' only. */
  theta?: number;
  /** REML, for the gaussian family with identity link (lme4 hands those to lmer) and for PQL (default true). */
  REML?: boolean;
}

export type GlmmFit = MerFit;

const NEGBIN_NAMES = new Set(['negbin', 'negative.binomial', 'nbinom2']);
const GLMER_OPTIONS = [
  'family',
  'link',
  'nAGQ',
  'theta',
  'REML',
  ...COMMON_OPTIONS,
  ...PQL_OPTION_KEYS,
];

/** lme4's warning when glmer is called for a linear mixed model. */
const GAUSSIAN_SHORTCUT =
  'calling glmer() with family=gaussian (identity link) as a shortcut to lmer() is deprecated; please call lmer() directly';

function validateGlmerOptions(options: GlmerOptions): void {
  checkRecord(options, 'options');
  checkKeys(options, GLMER_OPTIONS, 'glmer');
  validateCommonOptions(options);
  checkNumber(options.nAGQ, 'nAGQ', { min: 0, max: 100, integer: true });
  if (options.family !== undefined && typeof options.family !== 'string') {
    throw new OptionError('must be a family name such as "binomial"', 'family');
  }
  if (options.link !== undefined && typeof options.link !== 'string') {
    throw new OptionError('must be a link name such as "logit"', 'link');
  }
  checkNumber(options.theta, 'theta', { min: 0, exclusiveMin: true });
  checkBoolean(options.REML, 'REML');
  validatePqlOptions(options);
}

/** Fits with an already-loaded backend (the synchronous core of `glmer`). */
export function glmerWith(
  backend: Backend,
  formula: string,
  data: DataInput,
  options: GlmerOptions = {},
): GlmmFit {
  const fit = fitGlmer(backend, formula, data, options);
  rememberFitSpec(fit, 'glmer', formula, data, options);
  return fit;
}

function fitGlmer(
  backend: Backend,
  formula: string,
  data: DataInput,
  options: GlmerOptions,
): GlmmFit {
  validateGlmerOptions(options);
  const t0 = performance.now();
  const familyName = options.family ?? 'gaussian';
  const negbin = NEGBIN_NAMES.has(familyName);
  if (options.theta !== undefined && !negbin) {
    throw new OptionError(
      `fixes the negative binomial θ; it does not apply to family '${familyName}'`,
      'theta',
    );
  }
  const family = negbin
    ? makeFamily('negative.binomial', options.link ?? 'log', { theta: options.theta ?? 1 })
    : makeFamily(familyName, options.link, pqlFamilyOptions(options));
  const meta = rowOptionNames(options);
  if (options.method === 'PQL') return fitGlmerPql(backend, formula, data, options, family, meta);

  if (family.kind === 'gaussian' && family.link.name === 'identity') {
    // lme4 re-runs the call as lmer (REML unless REML = FALSE), with a deprecation warning.
    if (options.nAGQ !== undefined) {
      throw new OptionError(
        'does not apply to a gaussian model with identity link (a linear mixed model, fitted as lmer does)',
        'nAGQ',
      );
    }
    return fitLinearMixedModel(backend, formula, data, options, [GAUSSIAN_SHORTCUT]);
  }
  if (options.REML !== undefined) {
    throw new OptionError(
      `applies to linear mixed models only; a ${family.name} GLMM is fitted by maximum likelihood`,
      'REML',
    );
  }

  const keepColumns = rowOptionColumns(options.weights, options.offset);
  const frame = buildModelFrame(formula, data, { ...options, keepColumns });
  checkGroupingFactors(frame, 'glmm');
  const { trials, name } = frame.response;
  if (trials !== null && trials.every((t) => t === 0)) {
    // the model's check would blame the weights, which the caller may not have given
    throw new DataError(
      `every row of the response '${name}' has 0 trials (successes + failures = 0): there is nothing to fit`,
      name,
    );
  }
  const weights = priorWeights(data, frame, options.weights);
  const offset = offsetValues(data, frame, options.offset);
  const t1 = performance.now();
  const model = new GlmmModel(frame, backend, family, { weights, offset });
  const control = resolveControl(options, model.randomCond.re);
  const t2 = performance.now();
  return runGlmm(
    model,
    {
      nAGQ: options.nAGQ ?? 1,
      control,
      estimateNbTheta: negbin && options.theta === undefined,
      onProgress: options.onProgress,
    },
    { ...meta, frameMs: t1 - t0, setupMs: t2 - t1 },
  );
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
