/** The summary lines that differ for PQL fits: the title and, in place of the AIC table, why there is none. */
import { catFill } from './format';
import type { MerFitData } from './types';

export function pqlMethodTitle(fit: MerFitData): string {
  const rule = fit.pql?.dispersion === 'fixed' ? 'dispersion fixed at 1' : 'dispersion estimated';
  return `Generalized linear mixed model fit by penalized quasi-likelihood (PQL, ${fit.REML ? 'REML' : 'ML'}, ${rule})`;
}

/** PQL maximises no likelihood: say so where lme4 prints AIC, BIC, logLik and deviance. */
export function pqlAicTable(fit: MerFitData): string {
  const info = fit.pql;
  const it = info
    ? ` PQL iterations: ${info.iterations} (${info.converged ? 'converged' : 'NOT converged'}, Σ(Δη)²/Ση² = ${info.relativeChange.toExponential(2)})`
    : '';
  return (
    catFill([
      'No likelihood: PQL is a quasi-likelihood method (logLik, AIC, BIC and deviance are not defined).',
    ]) +
    (it ? catFill([it.trim()]) : '') +
    '\n'
  );
}
