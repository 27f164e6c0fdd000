/**
 * What a bootstrap replicate reports: the refit's estimates as a plain object (it crosses
 * worker threads), the same whether the refit ran in this thread or in a worker.
 */
import type { MerFit } from '../results/fit';
import type { VarCorrRow } from '../results/types';

export interface BootSummary {
  fixef: Record<string, number>;
  se: Record<string, number>;
  theta: number[];
  sigma: number;
  logLik: number;
  deviance: number;
  converged: boolean;
  varCorr: VarCorrRow[];
  /** The refit's warnings (convergence, singularity), as `fit.messages`. */
  messages: string[];
}

export function bootSummary(fit: MerFit): BootSummary {
  return {
    fixef: { ...fit.fixef },
    se: { ...fit.se },
    theta: [...fit.theta],
    sigma: fit.sigma,
    logLik: fit.logLik,
    deviance: fit.deviance,
    converged: fit.converged,
    varCorr: fit.varCorr.map((r) => ({ ...r })),
    messages: fit.messages.slice(),
  };
}

/**
 * lme4's parameter names and values for confint: .sig01, .sig02, .. in θ's order (per term the
 * lower triangle column by column: an sd, then its correlations with the later terms), then
 * .sigma (when there is a residual scale), then β.
 */
export function bootParameters(s: BootSummary, withSigma: boolean): [string, number][] {
  const values: number[] = [];
  const groups = [...new Set(s.varCorr.filter((r) => r.group !== 'Residual').map((r) => r.group))];
  for (const g of groups) {
    const rows = s.varCorr.filter((r) => r.group === g);
    const sds = rows.filter((r) => r.term2 === null);
    sds.forEach((sdRow, c) => {
      values.push(sdRow.sd);
      for (const later of sds.slice(c + 1)) {
        const cor = rows.find(
          (r) =>
            r.term2 !== null &&
            ((r.term === sdRow.term && r.term2 === later.term) ||
              (r.term === later.term && r.term2 === sdRow.term)),
        );
        if (cor) values.push(cor.corr ?? NaN);
      }
    });
  }
  const out: [string, number][] = values.map((v, k) => [
    `.sig${String(k + 1).padStart(2, '0')}`,
    v,
  ]);
  if (withSigma) out.push(['.sigma', s.sigma]);
  for (const [name, v] of Object.entries(s.fixef)) out.push([name, v]);
  return out;
}
