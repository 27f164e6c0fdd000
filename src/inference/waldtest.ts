/**
 * Wald tests of L β = 0: for LMMs the F test with Satterthwaite's denominator df (lmerTest's
 * contest(..., joint = TRUE)); for GLMMs the Wald chi-square (L β)ᵀ (L V Lᵀ)⁻¹ (L β) on
 * rank(L) df. L is a matrix (rows of length p), one row, or a fixed-effects term's label (its
 * type-3 hypothesis, as `anova(type = 3)`).
 */
import { OptionError } from '../errors';
import type { MerFit } from '../results/fit';
import { checkDdf, testContext, type DdfMethod, type TestContext } from './ddf';
import { krTest } from './kenwardroger';
import { pchisqUpper, pUpperF } from '../math/pvalues';
import type { Matrix } from './linalg';
import { rotatedContrasts, satterthwaiteMD } from './satterthwaite';
import { type3Hypotheses } from './type3';

export interface FTestResult {
  numDF: number;
  denDF: number;
  F: number;
  p: number;
}

export interface ChisqTestResult {
  numDF: number;
  chisq: number;
  p: number;
}

export interface WaldTestOptions {
  ddf?: DdfMethod;
}

/** The contrast matrix of `L` (a matrix, a row, or a term label). */
export function contrastMatrix(ctx: TestContext, L: Matrix | number[] | string): Matrix {
  const p = ctx.names.length;
  if (typeof L === 'string') {
    const hyp = type3Hypotheses(ctx.frame).find((h) => h.term === L);
    if (!hyp) {
      throw new OptionError(
        `'${L}' is not a fixed-effects term (terms: ${ctx.frame.schema.termLabels.join(', ') || 'none'})`,
        'L',
      );
    }
    return hyp.L;
  }
  if (!Array.isArray(L) || L.length === 0)
    throw new OptionError('must be a non-empty matrix, row or term name', 'L');
  const rows = (typeof L[0] === 'number' ? [L as number[]] : (L as Matrix)).map((r) =>
    Array.from(r),
  );
  rows.forEach((r, i) => {
    if (r.length !== p)
      throw new OptionError(`row ${i + 1} has ${r.length} values, not the ${p} fixed effects`, 'L');
    if (!r.every(Number.isFinite))
      throw new OptionError(`row ${i + 1} has a non-finite value`, 'L');
  });
  return rows;
}

export function waldTestMatrix(
  ctx: TestContext,
  L: Matrix,
  ddf: DdfMethod,
): FTestResult | ChisqTestResult {
  if (ctx.kind === 'glmm') {
    const { rows, values } = rotatedContrasts(L, ctx.vcov);
    let chisq = 0;
    rows.forEach((r, m) => {
      const e = r.reduce((s, v, i) => s + v * ctx.beta[i], 0);
      chisq += (e * e) / values[m];
    });
    return { numDF: rows.length, chisq, p: pchisqUpper(chisq, rows.length) };
  }
  if (ddf === 'Kenward-Roger') {
    // lmerTest's contestMD → pbkrtest::KRmodcomp: F = F.scaling · (Lβ)ᵀ(L Φ_A Lᵀ)⁻¹(Lβ)/q on
    // a basis of L's row space (pbkrtest's force_full_rank)
    const kr = ctx.kenwardRoger();
    const { rows } = rotatedContrasts(L, kr.vcov);
    if (rows.length === 0) return { numDF: 0, denDF: NaN, F: NaN, p: NaN };
    const t = krTest(rows, kr);
    const F = t.Fscaling * t.FU;
    return { numDF: t.numDF, denDF: t.denDF, F, p: pUpperF(F, t.numDF, t.denDF) };
  }
  if (ddf === 'none') {
    const { rows, values } = rotatedContrasts(L, ctx.vcov);
    let F = 0;
    rows.forEach((r, m) => {
      const e = r.reduce((s, v, i) => s + v * ctx.beta[i], 0);
      F += (e * e) / values[m];
    });
    F /= rows.length;
    return { numDF: rows.length, denDF: NaN, F, p: NaN };
  }
  const r = satterthwaiteMD(L, ctx.beta, ctx.derivatives());
  return { ...r, p: pUpperF(r.F, r.numDF, r.denDF) };
}

export function waldTest(
  fit: MerFit,
  L: Matrix | number[] | string,
  options: WaldTestOptions = {},
): FTestResult | ChisqTestResult {
  const ddf = checkDdf(options.ddf);
  const ctx = testContext(fit);
  return waldTestMatrix(ctx, contrastMatrix(ctx, L), ddf);
}
