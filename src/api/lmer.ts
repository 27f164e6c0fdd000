/** `lmer`: the user-facing LMM entry point — validate options, build the frame, fit, wrap. */
import { createBackend, loadBackend, type BackendName } from '../backend/load';
import type { Backend } from '../backend/kernels';
import { checkGroupingFactors, buildModelFrame } from '../frame/modelframe';
import type { DataInput, FrameOptions } from '../frame/types';
import { DataError, OptionError } from '../errors';
import { fitLmm } from '../model/lmm';
import { MerFit } from '../results/fit';

export interface ProgressInfo {
  evaluations: number;
  fval: number;
  elapsedMs: number;
}

export interface LmerOptions extends FrameOptions {
  /** Restricted maximum likelihood (default true) or maximum likelihood (false). */
  REML?: boolean;
  /** Kernel backend: 'wasm' (default; falls back to 'js' when WebAssembly cannot load) or 'js'. */
  backend?: BackendName;
  /** Called after each evaluation of the objective. */
  onProgress?: (p: ProgressInfo) => void;
  /** Name of the data set, shown in the summary's `Data:` line. */
  dataName?: string;
}

export type LmmFit = MerFit;

/** Checks option types; throws OptionError naming the option. */
export function validateCommonOptions(options: LmerOptions): void {
  if (options.backend !== undefined && options.backend !== 'wasm' && options.backend !== 'js') {
    throw new OptionError(
      `must be 'wasm' or 'js', got ${JSON.stringify(options.backend)}`,
      'backend',
    );
  }
  if (options.factors !== undefined && !Array.isArray(options.factors)) {
    throw new OptionError('must be an array of column names', 'factors');
  }
}

function validateLmerOptions(options: LmerOptions): void {
  validateCommonOptions(options);
  if (options.REML !== undefined && typeof options.REML !== 'boolean') {
    throw new OptionError('must be true or false', 'REML');
  }
}

/** Fits with an already-loaded backend (the synchronous core of `lmer`). */
export function lmerWith(
  backend: Backend,
  formula: string,
  data: DataInput,
  options: LmerOptions = {},
): LmmFit {
  validateLmerOptions(options);
  const t0 = performance.now();
  const frame = buildModelFrame(formula, data, options);
  if (frame.response.kind !== 'numeric') {
    throw new DataError(
      `the response '${frame.response.name}' must be numeric for a linear mixed model (use glmer for binomial data)`,
      frame.response.name,
    );
  }
  checkGroupingFactors(frame, 'lmm');
  const t1 = performance.now();
  const data_ = fitLmm(frame, backend, {
    REML: options.REML ?? true,
    onProgress: options.onProgress,
  });
  data_.timings.frame = t1 - t0;
  data_.timings.total += t1 - t0;
  return new MerFit({ ...data_, dataName: options.dataName });
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
