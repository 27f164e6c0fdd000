/**
 * Type-3 anova tables of the fixed-effects terms: for LMMs F tests with Satterthwaite's df, as
 * `anova(lmerTest::lmer(...), type = 3)`; for GLMMs Wald chi-square tests of the same
 * hypotheses (src/inference/type3.ts).
 */
import { OptionError } from '../errors';
import type { MerFit } from '../results/fit';
import { checkDdf, testContext, type DdfMethod } from './ddf';
import { type3Hypotheses } from './type3';
import { waldTestMatrix, type ChisqTestResult, type FTestResult } from './waldtest';

export interface Anova3Options {
  /** Only type 3 is implemented. */
  type?: 3 | '3' | 'III';
  ddf?: DdfMethod;
}

export type Anova3FRow = { term: string } & FTestResult;
export type Anova3ChisqRow = { term: string } & ChisqTestResult;

export function anovaType3(
  fit: MerFit,
  options: Anova3Options = {},
): (Anova3FRow | Anova3ChisqRow)[] {
  const type = options.type ?? 3;
  if (!(type === 3 || type === '3' || type === 'III')) {
    throw new OptionError(`only type 3 is implemented, not ${JSON.stringify(type)}`, 'type');
  }
  const ddf = checkDdf(options.ddf);
  const ctx = testContext(fit);
  return type3Hypotheses(ctx.frame).map((h) => ({
    term: h.term,
    ...waldTestMatrix(ctx, h.L, ddf),
  }));
}
