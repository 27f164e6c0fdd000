/** Validation of the `control` option (src/model/control.ts) and of a θ start. */
import { OptionError } from '../errors';
import type { ControlInput } from '../model/control';
import { checkChoice, checkKeys, checkNumber, checkRecord, describe } from '../options';

const SECTIONS = ['optimizer', 'pirls', 'vcov', 'derivativeStep', 'checks'] as const;
const OPTIMIZER_KEYS = [
  'method',
  'rhobeg',
  'rhoend',
  'rhoendStage1',
  'rhoendNAGQ0',
  'maxEval',
  'start',
] as const;
const PIRLS_KEYS = ['tol', 'maxIter', 'noise'] as const;
const CHECK_KEYS = ['singularTol', 'nobsMax', 'gradTol', 'hessTol'] as const;

/** Checks the shape and values of a `control` record; throws OptionError naming the field. */
export function validateControl(input: unknown): ControlInput | undefined {
  if (input === undefined) return undefined;
  checkRecord(input, 'control');
  checkKeys(input, SECTIONS, 'control');
  const { optimizer, pirls, checks } = input;
  if (optimizer !== undefined) {
    checkRecord(optimizer, 'control.optimizer');
    checkKeys(optimizer, OPTIMIZER_KEYS, 'control.optimizer');
    checkChoice(optimizer.method, 'control.optimizer.method', ['bobyqa', 'nelder-mead']);
    for (const k of ['rhobeg', 'rhoend', 'rhoendStage1', 'rhoendNAGQ0'] as const) {
      checkNumber(optimizer[k], `control.optimizer.${k}`, { min: 0, exclusiveMin: true });
    }
    checkNumber(optimizer.maxEval, 'control.optimizer.maxEval', { min: 1, integer: true });
    if (optimizer.start !== undefined && optimizer.start !== null) {
      checkThetaArray(optimizer.start, 'control.optimizer.start');
    }
  }
  if (pirls !== undefined) {
    checkRecord(pirls, 'control.pirls');
    checkKeys(pirls, PIRLS_KEYS, 'control.pirls');
    checkNumber(pirls.tol, 'control.pirls.tol', { min: 0, exclusiveMin: true });
    checkNumber(pirls.maxIter, 'control.pirls.maxIter', { min: 1, integer: true });
    checkNumber(pirls.noise, 'control.pirls.noise', { min: 0 });
  }
  // 'auto' (the former default) is still accepted, as an alias of 'hessian'.
  if (input.vcov !== 'auto') checkChoice(input.vcov, 'control.vcov', ['hessian', 'RX']);
  checkNumber(input.derivativeStep, 'control.derivativeStep', { min: 0, exclusiveMin: true });
  if (checks !== undefined) {
    checkRecord(checks, 'control.checks');
    checkKeys(checks, CHECK_KEYS, 'control.checks');
    for (const k of CHECK_KEYS) checkNumber(checks[k], `control.checks.${k}`, { min: 0 });
  }
  return input as ControlInput;
}

function checkThetaArray(value: unknown, name: string): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new OptionError(`must be an array of finite numbers, got ${describe(value)}`, name);
  }
}

/** A θ start against the model: lme4's length and bounds. */
export function checkThetaStart(
  start: readonly number[],
  lower: readonly number[],
  names: readonly string[],
  option: string,
): void {
  checkThetaArray(start, option);
  if (start.length !== lower.length) {
    throw new OptionError(
      `has ${start.length} values but the model has ${lower.length} θ parameters (${names.join(', ')})`,
      option,
    );
  }
  start.forEach((v, i) => {
    if (v < lower[i]) {
      throw new OptionError(`θ '${names[i]}' = ${v} is below its lower bound ${lower[i]}`, option);
    }
  });
}
