/**
 * What `glmm fit --ddf METHOD --anova` adds: `coefTable` and `anova` keys for `--json` (JSON-safe
 * numbers: a non-finite value is "Inf"/"NaN", as everywhere in the CLI's JSON), and the type-3
 * anova as text (lmerTest's layout of NumDF, DenDF, F value, Pr(>F)).
 */
import { formatNumbers, formatPval, printMatrix } from '../results/format';
import type { MerFit } from '../results/fit';
import { anovaType3 } from './anova3';
import { coefTable } from './coeftable';
import { checkDdf } from './ddf';

type Json = number | string;
const safe = (v: number): Json =>
  Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf';

export interface DdfReport {
  coefTable?: Record<string, Json>[];
  anova?: Record<string, Json>[];
}

export function ddfReport(fit: MerFit, ddf: string | undefined, anova: boolean): DdfReport {
  const out: DdfReport = {};
  if (ddf === undefined && !anova) return out;
  const method = checkDdf(ddf);
  if (ddf !== undefined) {
    out.coefTable = coefTable(fit, { ddf: method }).map((r) => ({
      term: r.term,
      estimate: safe(r.estimate),
      se: safe(r.se),
      df: safe(r.df),
      statistic: safe(r.statistic),
      p: safe(r.p),
    }));
  }
  if (anova) {
    out.anova = anovaType3(fit, { type: 3, ddf: method }).map(
      (r): Record<string, Json> =>
        'chisq' in r
          ? { term: r.term, numDF: r.numDF, chisq: safe(r.chisq), p: safe(r.p) }
          : { term: r.term, numDF: r.numDF, denDF: safe(r.denDF), F: safe(r.F), p: safe(r.p) },
    );
  }
  return out;
}

/** The anova rows as text, after lmerTest's `Type III Analysis of Variance Table`. */
export function formatAnovaReport(fit: MerFit, ddf: string | undefined): string {
  const method = checkDdf(ddf);
  const rows = anovaType3(fit, { type: 3, ddf: method });
  if (rows.length === 0) return '';
  const glmm = 'chisq' in rows[0];
  const p = rows.map((r) => r.p);
  const fp = formatPval(p, 4);
  let cells: string[][];
  let cols: string[];
  if (glmm) {
    const stat = formatNumbers(
      rows.map((r) => ('chisq' in r ? r.chisq : NaN)),
      5,
    );
    cells = rows.map((r, i) => [String(r.numDF), stat[i], fp[i]]);
    cols = ['Df', 'Chisq', 'Pr(>Chisq)'];
  } else {
    const den = formatNumbers(
      rows.map((r) => ('denDF' in r ? r.denDF : NaN)),
      5,
    );
    const F = formatNumbers(
      rows.map((r) => ('F' in r ? r.F : NaN)),
      5,
    );
    cells = rows.map((r, i) => [String(r.numDF), den[i], F[i], fp[i]]);
    cols = ['NumDF', 'DenDF', 'F value', 'Pr(>F)'];
  }
  const head = glmm
    ? 'Type III Wald chi-square tests\n'
    : `Type III Analysis of Variance Table with ${method === 'none' ? 'no denominator df' : `${method}'s method`}\n`;
  return (
    '\n' +
    head +
    printMatrix(
      cells,
      rows.map((r) => r.term),
      cols,
      { right: true },
    )
  );
}
