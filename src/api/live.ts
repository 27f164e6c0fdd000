/**
 * Runs an estimator on a live model and wraps the result, with the handle that lets the fit
 * refit itself: `refit(y)` (a new response on the same design) and `update(options)` (new
 * settings on the same data), as MixedModels.jl's refit! and lme4's refit/update.
 */
import { OptionError } from '../errors';
import { mergeControl, type Control, type ControlInput } from '../model/control';
import { fitGlmm, type GlmmModel } from '../model/glmm';
import { fitLmm, type LmmModel } from '../model/lmm';
import { fitNegativeBinomial } from '../model/negbin';
import type { ProgressCallback } from '../model/optsummary';
import { checkBoolean, checkKeys, checkNumber, checkRecord } from '../options';
import { glmmFitData, lmmFitData, type FitMeta } from '../results/assemble';
import { MerFit, type LiveFit, type UpdateOptions } from '../results/fit';
import { checkThetaStart, validateControl } from './control';

export interface LmmRun {
  REML: boolean;
  control: Control;
  onProgress?: ProgressCallback;
}

export interface GlmmRun {
  nAGQ: number;
  control: Control;
  /** Negative binomial with θ estimated (glmer.nb); otherwise the model's family is used. */
  estimateNbTheta: boolean;
  onProgress?: ProgressCallback;
}

/** Meta for fits after the first: the frame and the model already exist. */
function refitMeta(meta: FitMeta): FitMeta {
  return { ...meta, frameMs: 0, setupMs: 0 };
}

export function runLmm(model: LmmModel, run: LmmRun, meta: FitMeta): MerFit {
  const est = fitLmm(model, run);
  const live = liveFit(
    model,
    'lmm',
    model.y,
    () => {},
    (changes) =>
      runLmm(
        model,
        { ...run, REML: changes.REML ?? run.REML, control: updatedControl(run.control, changes) },
        refitMeta(meta),
      ),
  );
  return new MerFit(lmmFitData(model, est, meta), live);
}

export function runGlmm(model: GlmmModel, run: GlmmRun, meta: FitMeta): MerFit {
  const fam = model.fam;
  const est = run.estimateNbTheta ? fitNegativeBinomial(model, run) : fitGlmm(model, run);
  const live = liveFit(
    model,
    'glmm',
    model.resp.y,
    () => model.setFamily(fam),
    (changes) =>
      runGlmm(
        model,
        { ...run, nAGQ: changes.nAGQ ?? run.nAGQ, control: updatedControl(run.control, changes) },
        refitMeta(meta),
      ),
  );
  return new MerFit(glmmFitData(model, est, meta), live);
}

/**
 * The handle of one fit. The model may have moved on (other refits of it), so both verbs first
 * put back this fit's state (`restore`: e.g. the family), then the response — the new one for
 * refit, the fit's own for update — and fit again with the (validated) changes.
 */
function liveFit(
  model: LmmModel | GlmmModel,
  kind: 'lmm' | 'glmm',
  y: Float64Array,
  restore: () => void,
  fitWith: (changes: UpdateOptions) => MerFit,
): LiveFit {
  return {
    model,
    refit(yNew) {
      restore();
      model.setResponse(yNew);
      return fitWith({});
    },
    update(options) {
      const changes = checkUpdate(options, kind, model.randomCond.re);
      restore();
      model.setResponse(y);
      return fitWith(changes);
    },
  };
}

function updatedControl(base: Control, changes: UpdateOptions): Control {
  const merged = mergeControl(base, changes.control);
  if (changes.start !== undefined) merged.optimizer.start = changes.start && [...changes.start];
  return merged;
}

const UPDATE_KEYS = { lmm: ['REML', 'start', 'control'], glmm: ['nAGQ', 'start', 'control'] };

/** Validates update() options against the kind of model. */
function checkUpdate(
  options: unknown,
  kind: 'lmm' | 'glmm',
  re: { lower: number[]; thetaNames: string[] },
): UpdateOptions {
  checkRecord(options, 'update');
  checkKeys(options, UPDATE_KEYS[kind], 'update', {
    REML: 'REML applies to linear mixed models (lmer fits) only',
    nAGQ: 'nAGQ applies to generalized linear mixed models (glmer fits) only',
  });
  checkBoolean(options.REML, 'REML');
  checkNumber(options.nAGQ, 'nAGQ', { min: 0, max: 100, integer: true });
  const control: ControlInput | undefined = validateControl(options.control);
  if (options.start !== undefined && options.start !== null) {
    if (!Array.isArray(options.start)) {
      throw new OptionError('must be an array of θ values (lme4 order) or null', 'start');
    }
    checkThetaStart(options.start as number[], re.lower, re.thetaNames, 'start');
  }
  if (control?.optimizer?.start) {
    checkThetaStart(control.optimizer.start, re.lower, re.thetaNames, 'control.optimizer.start');
  }
  return options as UpdateOptions;
}
