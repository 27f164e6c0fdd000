/**
 * `summary()` with denominator df, as lmerTest's `print(summary(m))`: the title line says which
 * method the t tests use (class `lmerModLmerTest`) and the coefficient table gains the `df`
 * column and `Pr(>|t|)` (R's printCoefmat with the df among the estimate/SE columns, as lmerTest
 * prints it). GLMM summaries are unchanged (lme4 already prints z tests).
 */
import {
  catFill,
  formatNumber,
  formatNumbers,
  formatPval,
  printMatrix,
  R_WIDTH,
  roundR,
  strwrap,
  zapsmall,
} from '../results/format';
import type { MerFit } from '../results/fit';
import {
  addSignifStars,
  formatSummary,
  isGlmm,
  methodTitle,
  summaryFixedEffects,
  type SummaryOptions,
} from '../results/summary';
import { coefTable, type CoefTableRow } from './coeftable';
import { checkDdf, type DdfMethod } from './ddf';

export interface DdfSummaryOptions extends SummaryOptions {
  ddf?: DdfMethod;
}

const METHOD_NAME: Record<string, string> = {
  Satterthwaite: "Satterthwaite's",
  'Kenward-Roger': "Kenward-Roger's",
};

/** printCoefmat(coefs, zap.ind = 3) for lmerTest's 5-column table. */
export function printCoefmatDf(rows: readonly CoefTableRow[], digits = 4, stars = true): string {
  const p = rows.length;
  const digTst = Math.max(1, Math.min(5, digits - 1));
  const df = zapsmall(
    rows.map((r) => r.df),
    digits,
  );
  const cs = [...rows.map((r) => r.estimate), ...rows.map((r) => r.se), ...df];
  const acs = cs.map(Math.abs).filter((v) => Number.isFinite(v) && v !== 0);
  const digmin = acs.length > 0 ? 1 + Math.floor(Math.log10(Math.min(...acs))) : 1;
  const csFmt = formatNumbers(
    cs.map((v) => roundR(v, Math.max(1, digits - digmin))),
    digits,
  );
  for (let i = 0; i < cs.length; i++) {
    const v = cs[i];
    if (!Number.isFinite(v)) continue;
    if ((v === 0) !== (Number(csFmt[i]) === 0)) csFmt[i] = formatNumber(v, Math.max(1, digits - 1));
  }
  const tst = formatNumbers(
    rows.map((r) => roundR(r.statistic, digTst)),
    digits,
  );
  const pv = rows.map((r) => r.p);
  const fp = formatPval(pv, digTst);
  const colNames = ['Estimate', 'Std. Error', 'df', 't value', 'Pr(>|t|)'];
  const cells = rows.map((_, i) => [csFmt[i], csFmt[p + i], csFmt[2 * p + i], tst[i], fp[i]]);
  let legend = '';
  if (stars) legend = addSignifStars(cells, colNames, pv);
  return (
    printMatrix(
      cells,
      rows.map((r) => r.term),
      colNames,
      { right: true },
    ) + legend
  );
}

/** lmerTest's summary text for an LMM with `ddf`; lme4's otherwise. */
export function formatSummaryDdf(fit: MerFit, options: DdfSummaryOptions = {}): string {
  const { ddf: ddfOption, ...rest } = options;
  const text = formatSummary(fit, rest);
  if (ddfOption === undefined || isGlmm(fit)) return text;
  const ddf = checkDdf(ddfOption);
  if (ddf === 'none' || fit.fixefNames.length === 0) return text;
  const digits = options.digits ?? 4;
  const stars = options.signifStars ?? true;
  const title = `${methodTitle(fit)}. t-tests use ${METHOD_NAME[ddf]} method`;
  const cls = 'lmerModLmerTest';
  const head =
    title.length + 5 + cls.length > R_WIDTH
      ? catFill([...strwrap(title, R_WIDTH - 2, 2), ' [', cls, ']'], '')
      : `${title} ['${cls}']\n`;
  const formulaAt = text.indexOf('Formula:');
  const oldFixed = summaryFixedEffects(fit, digits, stars);
  const newFixed = '\nFixed effects:\n' + printCoefmatDf(coefTable(fit, { ddf }), digits, stars);
  return head + text.slice(formulaAt).replace(oldFixed, newFixed);
}
