/**
 * The optimizer record as text, in the spirit of MixedModels.jl's OptSummary display: the
 * settings the fit used (from the control record) and what the optimizer did.
 */
import type { OptimizerSummary } from '../model/optsummary';

function vector(x: readonly number[]): string {
  return `[${x.map((v) => Number(v.toPrecision(6))).join(', ')}]`;
}

/** Two aligned columns, one setting or result per line. */
export function formatOptSummary(opt: OptimizerSummary): string {
  const c = opt.control;
  const rows: [string, string][] = [
    ['Initial parameter vector', vector(opt.start)],
    ['Lower bounds', vector(opt.lower)],
    ['Optimizer', c.optimizer.method],
    ['rhobeg', String(c.optimizer.rhobeg)],
    ['rhoend', String(c.optimizer.rhoend)],
    ['rhoend, GLMM stage 1', String(c.optimizer.rhoendStage1)],
    ['rhoend, nAGQ = 0', String(c.optimizer.rhoendNAGQ0)],
    ['maxEval', String(c.optimizer.maxEval)],
    ['PIRLS tolerance', String(c.pirls.tol)],
    ['PIRLS iterations (cap)', String(c.pirls.maxIter)],
    ['PIRLS noise floor', String(c.pirls.noise)],
    ['vcov rule', c.vcov],
    ['Derivative step', String(c.derivativeStep)],
    ['Singular tolerance', String(c.checks.singularTol)],
    ['Checks up to nobs', String(c.checks.nobsMax)],
    ['Gradient tolerance', String(c.checks.gradTol)],
    ['Hessian tolerance', String(c.checks.hessTol)],
    ['Function evaluations', String(opt.evaluations)],
    ['Final objective value', String(Number(opt.fval.toPrecision(10)))],
    ['Converged', String(opt.converged)],
    ...opt.messages.map((m, i): [string, string] => [i === 0 ? 'Return' : '', m]),
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}\n`).join('');
}
