/** `lmer`: the user-facing LMM entry point — validate options, build the frame and model, fit. */
import { rememberFitSpec } from '../inference/fitspec';
import { createBackend, loadBackend, type BackendName } from '../backend/load';
import type { Backend } from '../backend/kernels';
import { checkGroupingFactors, buildModelFrame } from '../frame/modelframe';
import type { DataInput, FrameOptions, ModelFrame } from '../frame/types';
import { DataError, OptionError } from '../errors';
import { defaultControl, mergeControl, type Control, type ControlInput } from '../model/control';
import { LmmModel } from '../model/lmm';
import { checkBoolean, checkChoice, checkKeys, checkRecord } from '../options';
import type { MerFit } from '../results/fit';
import { checkThetaStart, validateControl } from './control';
import { runLmm } from './live';
import {
  checkRowOptionType,
  offsetValues,
  priorWeights,
  rowOptionColumns,
  type RowOption,
} from './rowoptions';

export interface ProgressInfo {
  evaluations: number;
  fval: number;
  elapsedMs: number;
}

export interface LmerOptions extends FrameOptions {
  /** Restricted maximum likelihood (default true) or maximum likelihood (false). */
  REML?: boolean;
  /** Prior weights (residual variance σ²/wᵢ): a column name or one number per row. */
  weights?: RowOption;
  /** Offset added to the linear predictor: a column name or one number per row. */
  offset?: RowOption;
  /** Starting θ in lme4's order and units (same as `control.optimizer.start`). */
  start?: number[];
  /** Tolerances, start, checks: see `fit.optimizer.control` for the fields and defaults. */
  control?: ControlInput;
  /** Kernel backend: 'wasm' (default; falls back to 'js' when WebAssembly cannot load) or 'js'. */
  backend?: BackendName;
  /** Called after each evaluation of the objective. */
  onProgress?: (p: ProgressInfo) => void;
  /** Name of the data set, shown in the summary's `Data:` line. */
  dataName?: string;
}

export type LmmFit = MerFit;

/** Options every fitting function takes. */
export const COMMON_OPTIONS = [
  'factors',
  'levels',
  'weights',
  'offset',
  'start',
  'control',
  'backend',
  'onProgress',
  'dataName',
] as const;

const LMER_OPTIONS = ['REML', ...COMMON_OPTIONS];

const GLMER_ONLY = (name: string) =>
  `'${name}' is an option of glmer, not lmer: use glmer(formula, data, { family, ... })`;

/** Checks the types of the options every fitting function takes; throws OptionError naming one. */
export function validateCommonOptions(options: object): void {
  checkRecord(options, 'options');
  const o = options as Record<string, unknown>;
  checkChoice(o.backend, 'backend', ['wasm', 'js']);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new OptionError('must be a function', 'onProgress');
  }
  if (o.dataName !== undefined && typeof o.dataName !== 'string') {
    throw new OptionError('must be a string', 'dataName');
  }
  checkRowOptionType(o.weights, 'weights');
  checkRowOptionType(o.offset, 'offset');
  validateControl(o.control);
  if (o.start !== undefined && !Array.isArray(o.start)) {
    throw new OptionError('must be an array of θ values in lme4 order', 'start');
  }
}

function validateLmerOptions(options: LmerOptions): void {
  checkRecord(options, 'options');
  checkKeys(options, LMER_OPTIONS, 'lmer', {
    family: GLMER_ONLY('family'),
    link: GLMER_ONLY('link'),
    nAGQ: GLMER_ONLY('nAGQ'),
    theta: GLMER_ONLY('theta'),
  });
  validateCommonOptions(options);
  checkBoolean(options.REML, 'REML');
}

/** The control record of a fit: defaults, the `control` option, then `start`. */
export function resolveControl(
  options: { control?: ControlInput; start?: number[] },
  frameTheta: { lower: number[]; thetaNames: string[] },
): Control {
  const control = mergeControl(defaultControl(), options.control);
  if (options.start !== undefined) control.optimizer.start = [...options.start];
  if (control.optimizer.start) {
    const which = options.start !== undefined ? 'start' : 'control.optimizer.start';
    checkThetaStart(control.optimizer.start, frameTheta.lower, frameTheta.thetaNames, which);
  }
  return control;
}

/** Frame, weights and offset for an LMM, checked as lmer checks them. */
export function lmmFrame(
  formula: string,
  data: DataInput,
  options: LmerOptions,
): { frame: ModelFrame; weights: Float64Array | null; offset: Float64Array | null } {
  const keepColumns = rowOptionColumns(options.weights, options.offset);
  const frame = buildModelFrame(formula, data, { ...options, keepColumns });
  if (frame.response.kind !== 'numeric') {
    throw new DataError(
      `the response '${frame.response.name}' must be numeric for a linear mixed model (use glmer for binomial data)`,
      frame.response.name,
    );
  }
  checkGroupingFactors(frame, 'lmm');
  // Without weights the model's own check would blame the weights for it.
  const p = frame.xNames.length;
  if (options.weights === undefined && frame.n <= p) {
    throw new DataError(
      `${frame.n} observations are too few for ${p} fixed effects: nothing is left to estimate the residual variance`,
    );
  }
  return {
    frame,
    weights: priorWeights(data, frame, options.weights),
    offset: offsetValues(data, frame, options.offset),
  };
}

/** Fits with an already-loaded backend (the synchronous core of `lmer`). */
export function lmerWith(
  backend: Backend,
  formula: string,
  data: DataInput,
  options: LmerOptions = {},
): LmmFit {
  validateLmerOptions(options);
  const fit = fitLinearMixedModel(backend, formula, data, options, []);
  rememberFitSpec(fit, 'lmer', formula, data, options);
  return fit;
}

/** Frame, model and fit of an LMM from validated options (lmer, and glmer's gaussian shortcut). */
export function fitLinearMixedModel(
  backend: Backend,
  formula: string,
  data: DataInput,
  options: LmerOptions,
  messages: string[],
): LmmFit {
  const t0 = performance.now();
  const { frame, weights, offset } = lmmFrame(formula, data, options);
  const t1 = performance.now();
  const model = new LmmModel(frame, backend, { weights, offset });
  const control = resolveControl(options, model.randomCond.re);
  const t2 = performance.now();
  return runLmm(
    model,
    { REML: options.REML ?? true, control, onProgress: options.onProgress },
    { ...rowOptionNames(options), frameMs: t1 - t0, setupMs: t2 - t1, messages },
  );
}

/** The names the summary shows for the data and the weights/offset columns. */
export function rowOptionNames(options: LmerOptions) {
  return {
    dataName: options.dataName,
    weightsName: typeof options.weights === 'string' ? options.weights : undefined,
    offsetName: typeof options.offset === 'string' ? options.offset : undefined,
  };
}

/**
 * Fits a linear mixed model, lme4's `lmer(formula, data, REML = TRUE)`.
 * @example
 *   const fit = await lmer('Reaction ~ Days + (Days | Subject)', sleepstudy);
 *   console.log(fit.summary());
 */
export async function lmer(
  formula: string,
  data: DataInput,
  options: LmerOptions = {},
): Promise<LmmFit> {
  validateLmerOptions(options);
  const backend = await loadBackend(options.backend);
  return lmerWith(backend, formula, data, options);
}

/** Synchronous `lmer` (compiles the WASM module synchronously on first use). */
export function lmerSync(formula: string, data: DataInput, options: LmerOptions = {}): LmmFit {
  validateLmerOptions(options);
  return lmerWith(createBackendOrJs(options.backend), formula, data, options);
}

/** wasm when requested or available, js otherwise; an explicit 'wasm' that cannot load throws. */
export function createBackendOrJs(name: BackendName | undefined): Backend {
  if (name !== undefined) return createBackend(name);
  try {
    return createBackend('wasm');
  } catch {
    return createBackend('js');
  }
}
