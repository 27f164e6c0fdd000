/** glmer(..., { method: 'PQL' }): builds the working LMM once and runs the PQL iteration. */
import type { Backend } from '../backend/kernels';
import { buildModelFrame, checkGroupingFactors } from '../frame/modelframe';
import type { DataInput } from '../frame/types';
import { FitError, OptionError } from '../errors';
import type { Family, FamilyOptions } from '../model/family';
import { glmmResponse } from '../model/glmmdata';
import { fitPql, type PqlSettings } from '../model/pql';
import { PqlWorkingModel, type PqlDispersion } from '../model/pqlworking';
import { checkBoolean, checkChoice, checkNumber } from '../options';
import type { FitMeta } from '../results/assemble';
import { MerFit } from '../results/fit';
import { pqlFitData } from '../results/pqlfit';
import { resolveControl, type LmerOptions } from './lmer';
import { offsetValues, priorWeights, rowOptionColumns } from './rowoptions';

/** The options of glmer that concern PQL. */
export interface PqlOptions {
  /** 'Laplace' (default: Laplace or AGQ by nAGQ) or 'PQL' (penalized quasi-likelihood). */
  method?: 'Laplace' | 'PQL';
  /**
   * PQL only. 'fixed': σ = 1 (Breslow–Clayton / Stroup–Kachman); 'estimated': σ free, as
   * MASS::glmmPQL. Default 'fixed' for binomial, Poisson and negative binomial, else 'estimated'.
   */
  dispersion?: PqlDispersion;
  /** PQL only: tolerance on Σ(η − η_old)² / Ση² (default 1e-10; glmmPQL uses 1e-6). */
  pqlTolerance?: number;
  /** PQL only: most iterations (working LMM fits), default 100 (glmmPQL: 10). */
  pqlMaxIter?: number;
}

export const PQL_OPTION_KEYS = ['method', 'dispersion', 'pqlTolerance', 'pqlMaxIter'] as const;

/** Type checks of the PQL options; throws OptionError naming the option. */
export function validatePqlOptions(o: PqlOptions & { nAGQ?: number; REML?: boolean }): void {
  checkChoice(o.method, 'method', ['Laplace', 'PQL']);
  checkChoice(o.dispersion, 'dispersion', ['fixed', 'estimated']);
  checkNumber(o.pqlTolerance, 'pqlTolerance', { min: 0, exclusiveMin: true });
  checkNumber(o.pqlMaxIter, 'pqlMaxIter', { min: 1, integer: true });
  checkBoolean(o.REML, 'REML');
  if (o.method !== 'PQL') {
    for (const k of ['dispersion', 'pqlTolerance', 'pqlMaxIter'] as const) {
      if (o[k] !== undefined) throw new OptionError("applies to method 'PQL' only", k);
    }
    return;
  }
  if (o.nAGQ !== undefined) {
    throw new OptionError("does not apply to method 'PQL' (no integral is approximated)", 'nAGQ');
  }
}

/** PQL also fits binomial data with the identity link (with an error if a mean leaves [0, 1]). */
export function pqlFamilyOptions(o: PqlOptions): FamilyOptions {
  return o.method === 'PQL' ? { extraLinks: ['identity'] } : {};
}

/** Fits by PQL; `family` is made and the options validated by the caller (glmer). */
export function fitGlmerPql(
  backend: Backend,
  formula: string,
  data: DataInput,
  options: LmerOptions & PqlOptions,
  family: Family,
  meta: Omit<FitMeta, 'frameMs' | 'setupMs'>,
): MerFit {
  if (family.kind === 'gaussian' && family.link.name === 'identity') {
    throw new OptionError(
      'PQL of a gaussian model with identity link is the linear mixed model itself: use lmer',
      'method',
    );
  }
  if (family.kind === 'negative.binomial' && (options as { theta?: number }).theta === undefined) {
    throw new OptionError('PQL needs the negative binomial θ given (option theta)', 'theta');
  }
  const t0 = performance.now();
  const keepColumns = rowOptionColumns(options.weights, options.offset);
  const frame = buildModelFrame(formula, data, { ...options, keepColumns });
  checkGroupingFactors(frame, 'glmm');
  const weights = priorWeights(data, frame, options.weights);
  const offset = offsetValues(data, frame, options.offset);
  const resp = glmmResponse(frame, family, weights, offset);
  const t1 = performance.now();
  const dispersion = options.dispersion ?? (family.hasScale ? 'estimated' : 'fixed');
  // the working weights array starts at the prior weights (the first iteration overwrites it)
  const model = new PqlWorkingModel(
    frame,
    backend,
    offset,
    dispersion,
    Float64Array.from(resp.priorWt),
  );
  const settings: PqlSettings = {
    REML: options.REML ?? true,
    control: resolveControl(options, model.randomCond.re),
    tolerance: options.pqlTolerance ?? 1e-10,
    maxIterations: options.pqlMaxIter ?? 100,
    onProgress: options.onProgress,
  };
  const t2 = performance.now();
  const est = fitPql(model, family, resp, settings);
  const noRefit = (): never => {
    throw new FitError('PQL fits cannot be refitted or updated: call glmer again');
  };
  return new MerFit(
    pqlFitData(model, family, resp, est, settings, { ...meta, frameMs: t1 - t0, setupMs: t2 - t1 }),
    { model, refit: noRefit, update: noRefit },
  );
}
