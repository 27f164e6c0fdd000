/**
 * Coefficient tables with denominator degrees of freedom: for LMMs t tests with Satterthwaite's
 * df, as `summary(lmerTest::lmer(...))$coefficients`; for GLMMs z tests (df = Infinity), as
 * `summary(glmer(...))`. `ddf: 'none'` gives the t values without df or p-values (lme4).
 */
import type { MerFit } from '../results/fit';
import { checkDdf, testContext, type DdfMethod } from './ddf';
import { kenwardRoger, krTest } from './kenwardroger';
import { pTwoSidedT } from '../math/pvalues';
import { satterthwaite1D } from './satterthwaite';

export interface CoefTableRow {
  term: string;
  estimate: number;
  se: number;
  /** Denominator df: Satterthwaite's for LMMs, Infinity for GLMMs (z tests), NaN with 'none'. */
  df: number;
  /** t value (LMMs) or z value (GLMMs). */
  statistic: number;
  /** Two-sided p-value (NaN with 'none'). */
  p: number;
}

export interface CoefTableOptions {
  ddf?: DdfMethod;
}

export function coefTable(fit: MerFit, options: CoefTableOptions = {}): CoefTableRow[] {
  const ddf = checkDdf(options.ddf);
  const ctx = testContext(fit);
  const p = ctx.names.length;
  if (ctx.kind === 'glmm') {
    return ctx.names.map((term, j) => {
      const se = Math.sqrt(ctx.vcov[j][j]);
      const z = ctx.beta[j] / se;
      return {
        term,
        estimate: ctx.beta[j],
        se,
        df: Infinity,
        statistic: z,
        p: pTwoSidedT(z, Infinity),
      };
    });
  }
  if (ddf === 'none') {
    return ctx.names.map((term, j) => {
      const se = Math.sqrt(ctx.vcov[j][j]);
      return { term, estimate: ctx.beta[j], se, df: NaN, statistic: ctx.beta[j] / se, p: NaN };
    });
  }
  if (ddf === 'Kenward-Roger') {
    // lmerTest's contest1D with get_KR1D: SE from pbkrtest::vcovAdj, df from Lb_ddf
    const kr = kenwardRoger(fit);
    return kr.names.map((term, j) => {
      const l = Array.from({ length: p }, (_, i) => (i === j ? 1 : 0));
      const se = Math.sqrt(kr.vcovAdj[j][j]);
      const df = krTest([l], kr).denDF;
      const statistic = kr.beta[j] / se;
      return { term, estimate: kr.beta[j], se, df, statistic, p: pTwoSidedT(statistic, df) };
    });
  }
  const d = ctx.derivatives();
  return ctx.names.map((term, j) => {
    const l = Array.from({ length: p }, (_, i) => (i === j ? 1 : 0));
    const t = satterthwaite1D(l, ctx.beta, d);
    const statistic = t.estimate / t.se;
    return {
      term,
      estimate: t.estimate,
      se: t.se,
      df: t.df,
      statistic,
      p: pTwoSidedT(statistic, t.df),
    };
  });
}
