/** Variance components (lme4's VarCorr) from θ and σ. */
import { fillT, type ReStructure } from '../model/reblocks';
import type { VarCorrRow } from './types';

/** Σ_b = σ² T Tᵀ for one block, full v×v column-major. */
export function blockCovariance(
  b: ReStructure['blocks'][number],
  theta: ArrayLike<number>,
  sigma: number,
): Float64Array {
  const v = b.v;
  const tm = new Float64Array(v * v);
  fillT(b, theta, tm, 0);
  const cov = new Float64Array(v * v);
  for (let i = 0; i < v; i++) {
    for (let j = 0; j < v; j++) {
      let s = 0;
      for (let c = 0; c <= Math.min(i, j); c++) s += tm[i + c * v] * tm[j + c * v];
      cov[i + j * v] = sigma * sigma * s;
    }
  }
  return cov;
}

/**
 * Rows of `as.data.frame(VarCorr(m))`: for each term in lme4's order, the variances, then the
 * correlations (pairs column by column); the residual row last when the family has a scale.
 * A second term on the same grouping factor is named `group.1`, as lme4 does.
 */
export function varCorrRows(
  re: ReStructure,
  theta: ArrayLike<number>,
  sigma: number,
  withResidual: boolean,
): VarCorrRow[] {
  const entries = re.blocks.flatMap((b) => b.terms.map((term) => ({ b, term })));
  entries.sort((x, y) => x.term.lme4Order - y.term.lme4Order);
  const seen = new Map<string, number>();
  const rows: VarCorrRow[] = [];
  for (const { b, term } of entries) {
    const k = seen.get(b.group) ?? 0;
    seen.set(b.group, k + 1);
    const group = k === 0 ? b.group : `${b.group}.${k}`;
    const cov = blockCovariance(b, theta, sigma);
    const v = b.v;
    const sd = (i: number) => Math.sqrt(cov[i + i * v]);
    for (let i = term.start; i < term.end; i++) {
      rows.push({
        group,
        term: b.colNames[i],
        term2: null,
        variance: cov[i + i * v],
        sd: sd(i),
        corr: null,
      });
    }
    for (let j = term.start; j < term.end; j++) {
      for (let i = j + 1; i < term.end; i++) {
        const denom = sd(i) * sd(j);
        const corr = denom > 0 ? cov[i + j * v] / denom : 0;
        rows.push({
          group,
          term: b.colNames[j],
          term2: b.colNames[i],
          variance: cov[i + j * v],
          sd: corr,
          corr,
        });
      }
    }
  }
  if (withResidual) {
    rows.push({
      group: 'Residual',
      term: null,
      term2: null,
      variance: sigma * sigma,
      sd: sigma,
      corr: null,
    });
  }
  return rows;
}
