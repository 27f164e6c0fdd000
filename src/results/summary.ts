/**
 * lme4-style `print(summary(m))` text for a fitted mixed model. Each section is its own function
 * (named after lme4's `.prt.*` helpers) so that tests can compare sections one by one; every
 * number is formatted with the R emulation in ./format.ts at lme4's `digits = 4`.
 */
import { pqlAicTable, pqlMethodTitle } from './pqlsummary';
import {
  abbreviate,
  catFill,
  encodeReal,
  formatNumber,
  formatNumbers,
  formatPval,
  formatRealInfo,
  formatStrings,
  printMatrix,
  printNamedVector,
  quantile7,
  R_WIDTH,
  roundR,
  SIGNIF_LEGEND,
  signifStars,
  strwrap,
  zapsmall,
} from './format';
import type { MerFitData, VarCorrRow } from './types';

/** Options of {@link formatSummary}. */
export interface SummaryOptions {
  /** Significant digits (lme4: `max(3, getOption("digits") - 3)` = 4). */
  digits?: number;
  /** Overrides `fit.dataName` on the `Data:` line. */
  dataName?: string;
  /** Print the correlation of fixed effects (default: when 1 < p <= 20, as lme4). */
  correlation?: boolean;
  /** Print significance stars for GLMM p-values (default true, R's `show.signif.stars`). */
  signifStars?: boolean;
  /**
   * Print the line saying where a GLMM's standard errors come from (default true; lme4 prints
   * none, so `false` gives lme4's text exactly). LMMs never have it (always R_X, as lme4).
   */
  vcovNote?: boolean;
}

/** lme4's message for a fit on the boundary of the parameter space. */
export const SINGULAR_MESSAGE = "boundary (singular) fit: see help('isSingular')";

/** Above this many fixed effects lme4 does not print their correlation. */
const COR_MAX = 20;

/** Whether the fit is a GLMM (lme4 `glmerMod`) rather than an LMM (`lmerMod`). */
export function isGlmm(fit: MerFitData): boolean {
  return fit.nAGQ !== null || fit.family !== 'gaussian' || fit.link !== 'identity';
}

/** Whether the family has a free scale parameter (lme4's `useSc`): prints a Residual row and t values. */
export function usesScale(fit: MerFitData): boolean {
  const f = fit.family.toLowerCase();
  return !(f === 'binomial' || f === 'poisson' || f.startsWith('negative binomial'));
}

/** lme4's `methTitle()`. */
export function methodTitle(fit: MerFitData): string {
  if (fit.method === 'PQL') return pqlMethodTitle(fit);
  const glmm = isGlmm(fit);
  const kind = glmm ? 'Generalized linear' : 'Linear';
  if (fit.REML && !glmm) return `${kind} mixed model fit by REML`;
  // paste("maximum likelihood", NULL) keeps the separator: hence lme4's double space for LMMs.
  const how = glmm
    ? fit.nAGQ !== null && fit.nAGQ > 1
      ? `(Adaptive Gauss-Hermite Quadrature, nAGQ = ${fit.nAGQ})`
      : '(Laplace Approximation)'
    : '';
  return `${kind} mixed model fit by maximum likelihood ${how}`;
}

/** `.prt.methTit` + `.prt.family` + `.prt.call`: the header lines, ending with a blank line. */
export function summaryHeader(fit: MerFitData, dataName = fit.dataName): string {
  const cls = isGlmm(fit) ? 'glmerMod' : 'lmerMod';
  const title = methodTitle(fit);
  let out: string;
  if (title.length + 5 + cls.length > R_WIDTH) {
    out = catFill([...strwrap(title, R_WIDTH - 2, 2), ' [', cls, ']'], '');
  } else {
    out = `${title} ['${cls}']\n`;
  }
  if (isGlmm(fit)) out += catFill([' Family:', fit.family, ` ( ${fit.link} )`]);
  out += catFill(['Formula:', deparseFormula(fit.formula)]);
  if (dataName) out += catFill(['   Data:', dataName]);
  if (fit.weightsName) out += catFill(['Weights:', fit.weightsName]);
  if (fit.offsetName) out += catFill([' Offset:', fit.offsetName]);
  return out + '\n';
}

/** Whitespace normalisation standing in for R's `deparse()` of the formula. */
export function deparseFormula(formula: string): string {
  return formula.trim().replace(/\s+/g, ' ');
}

/** `.prt.aictab`: the REML criterion, or the AIC/BIC/logLik/deviance/df.resid table; then a blank line. */
export function summaryAicTable(fit: MerFitData): string {
  if (fit.method === 'PQL') return pqlAicTable(fit);
  if (fit.REML && !isGlmm(fit)) {
    const crit = fit.REMLcrit ?? fit.deviance;
    return catFill(['REML criterion at convergence:', formatNumber(roundR(crit, 1))]) + '\n';
  }
  const vals = [fit.AIC, fit.BIC, fit.logLik, fit.deviance, fit.dfResid].map((v) => roundR(v, 1));
  const f = formatNumbers(vals);
  // lme4: "slight hack to get residual df formatted as an integer"
  f[4] = formatNumber(vals[4]);
  return printNamedVector(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'], f) + '\n';
}

/** lme4's scaled residuals: Pearson residuals / sigma (LMM without Pearson residuals: residuals / sigma). */
export function scaledResiduals(fit: MerFitData): number[] | null {
  if (fit.pearsonResiduals) return fit.pearsonResiduals.map((r) => r / fit.sigma);
  if (!isGlmm(fit) && fit.residuals.length > 0) return fit.residuals.map((r) => r / fit.sigma);
  return null;
}

/** `.prt.resids`: five-number summary of the scaled residuals; empty when they are unknown. */
export function summaryResiduals(resids: readonly number[] | null, digits = 4): string {
  if (!resids || resids.length === 0) return '';
  const q = zapsmall(quantile7(resids, [0, 0.25, 0.5, 0.75, 1]), digits + 1);
  const vals = formatNumbers(q, digits);
  return (
    'Scaled residuals: \n' + printNamedVector(['Min', '1Q', 'Median', '3Q', 'Max'], vals) + '\n'
  );
}

/** One covariance block of VarCorr: a grouping factor with its terms. */
interface VcBlock {
  group: string;
  terms: string[];
  sd: number[];
  /** corr[i][j], 1 on the diagonal. */
  corr: number[][];
}

function varCorrBlocks(rows: readonly VarCorrRow[]): {
  blocks: VcBlock[];
  residual: number | null;
} {
  const blocks: VcBlock[] = [];
  let residual: number | null = null;
  const byGroup = new Map<string, VcBlock>();
  for (const r of rows) {
    if (r.group === 'Residual' && r.term === null) {
      residual = r.sd;
      continue;
    }
    let b = byGroup.get(r.group);
    if (!b) {
      b = { group: r.group, terms: [], sd: [], corr: [] };
      byGroup.set(r.group, b);
      blocks.push(b);
    }
    if (r.term2 === null) {
      b.terms.push(r.term ?? '');
      b.sd.push(r.sd);
    }
  }
  for (const b of blocks) {
    const k = b.terms.length;
    b.corr = Array.from({ length: k }, (_, i) =>
      Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)),
    );
  }
  for (const r of rows) {
    if (r.term2 === null || r.term === null) continue;
    const b = byGroup.get(r.group);
    if (!b) continue;
    const i = b.terms.indexOf(r.term);
    const j = b.terms.indexOf(r.term2);
    if (i < 0 || j < 0) continue;
    const c = r.corr ?? r.sd;
    b.corr[i][j] = c;
    b.corr[j][i] = c;
  }
  return { blocks, residual };
}

/** lme4's `formatVC(varcor, digits, comp = c("Variance", "Std.Dev."))` as printed rows. */
export function summaryRandomEffects(fit: MerFitData, digits = 4): string {
  const { blocks, residual: resRow } = varCorrBlocks(fit.varCorr);
  const useScale = usesScale(fit);
  const groups = blocks.map((b) => b.group);
  const lens = blocks.map((b) => b.terms.length);
  const sds = blocks.flatMap((b) => b.sd);
  const names = blocks.flatMap((b) => b.terms);
  if (useScale) {
    groups.push('Residual');
    lens.push(1);
    sds.push(resRow ?? fit.sigma);
    names.push('');
  }
  const nr = sds.length;
  const groupCol: string[] = new Array(nr).fill('');
  let at = 0;
  groups.forEach((g, i) => {
    groupCol[at] = g;
    at += lens[i];
  });
  const variance = formatNumbers(
    sds.map((s) => s * s),
    digits,
  );
  const stddev = formatNumbers(sds, digits);
  const colNames = ['Groups', 'Name', 'Variance', 'Std.Dev.'];
  const cells: string[][] = sds.map((_, i) => [groupCol[i], names[i], variance[i], stddev[i]]);
  const maxlen = Math.max(0, ...lens);
  if (maxlen > 1) {
    const dig = Math.max(2, digits - 2);
    const corrRows: string[][] = [];
    for (const b of blocks) {
      const k = b.terms.length;
      const flat: number[] = [];
      for (let j = 0; j < k; j++) for (let i = 0; i < k; i++) flat.push(roundR(b.corr[i][j], dig));
      const f = formatNumbers(flat, 7, dig);
      for (let i = 0; i < k; i++) {
        const row: string[] = [];
        for (let j = 0; j < maxlen - 1; j++) row.push(j < i ? f[j * k + i] : '');
        corrRows.push(row);
      }
    }
    while (corrRows.length < nr) corrRows.push(new Array(maxlen - 1).fill(''));
    corrRows.forEach((r, i) => cells[i].push(...r));
    colNames.push('Corr', ...new Array(Math.max(0, maxlen - 2)).fill(''));
  }
  return (
    'Random effects:\n' +
    printMatrix(
      cells,
      cells.map(() => ''),
      colNames,
    )
  );
}

/** `.prt.grps`: `Number of obs: n, groups:  g, k; ...`. */
export function summaryGroups(fit: MerFitData): string {
  const grps = Object.entries(fit.ngrps)
    .map(([g, k]) => `${g}, ${k}`)
    .join('; ');
  return catFill([`Number of obs: ${fit.nobs}, groups: `, grps]);
}

/** Rows of lme4's coefficient table: estimate, standard error, t or z value, p value (GLMM). */
export interface CoefRow {
  name: string;
  estimate: number;
  se: number;
  stat: number;
  p: number | null;
}

/** Standard normal upper tail, 2 * pnorm(-|z|), accurate in the far tail. */
export function twoSidedNormalP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/**
 * Complementary error function: Taylor series of erf below 2.5, Lentz continued fraction above
 * (relative error below 1e-9 everywhere, ample for printing p-values to 3 digits).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    let sum = x;
    let term = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (x > 27) return 0;
  // erfc(x) = exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...))))
  const tiny = 1e-300;
  let f = x;
  let C = x;
  let D = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    D = x + a * D;
    if (D === 0) D = tiny;
    C = x + a / C;
    if (C === 0) C = tiny;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** The coefficient table rows of a fit. */
export function coefTable(fit: MerFitData): CoefRow[] {
  const glmm = isGlmm(fit);
  return fit.fixefNames.map((name) => {
    const estimate = fit.fixef[name];
    const se = fit.se[name];
    const stat = estimate / se;
    return { name, estimate, se, stat, p: glmm ? twoSidedNormalP(stat) : null };
  });
}

/** R's `printCoefmat(coefs, digits = 4)` for lme4's coefficient table. */
export function printCoefmat(
  rows: readonly CoefRow[],
  statName: string,
  digits = 4,
  stars = true,
): string {
  const p = rows.length;
  const hasP = rows.some((r) => r.p !== null);
  const digTst = Math.max(1, Math.min(5, digits - 1));
  const coefSe = [...rows.map((r) => r.estimate), ...rows.map((r) => r.se)];
  const acs = coefSe.map(Math.abs).filter((v) => Number.isFinite(v) && v !== 0);
  const digmin = acs.length > 0 ? 1 + Math.floor(Math.log10(Math.min(...acs))) : 1;
  const csDigits = Math.max(1, digits - digmin);
  const csFmt = formatNumbers(
    coefSe.map((v) => roundR(v, csDigits)),
    digits,
  );
  // Where rounding turned a non-zero value into 0, R reformats it on its own.
  for (let i = 0; i < coefSe.length; i++) {
    const v = coefSe[i];
    if (!Number.isFinite(v)) continue;
    if ((v === 0) !== (Number(csFmt[i]) === 0)) csFmt[i] = formatNumber(v, Math.max(1, digits - 1));
  }
  const tst = formatNumbers(
    rows.map((r) => roundR(r.stat, digTst)),
    digits,
  );
  const colNames = ['Estimate', 'Std. Error', statName];
  const cells: string[][] = rows.map((_, i) => [
    naFix(rows[i].estimate, csFmt[i]),
    naFix(rows[i].se, csFmt[p + i]),
    naFix(rows[i].stat, tst[i]),
  ]);
  let legend = '';
  if (hasP) {
    colNames.push('Pr(>|z|)');
    const pv = rows.map((r) => r.p ?? NaN);
    const fp = formatPval(pv, digTst);
    cells.forEach((c, i) => c.push(fp[i]));
    if (stars) legend = addSignifStars(cells, colNames, pv);
  }
  return (
    printMatrix(
      cells,
      rows.map((r) => r.name),
      colNames,
      { right: true },
    ) + legend
  );
}

function naFix(v: number, s: string): string {
  if (v === null || v === undefined) return 'NA';
  if (Number.isNaN(v)) return 'NaN';
  return s;
}

/** The fixed-effects section: blank line, `Fixed effects:`, the coefficient table. */
export function summaryFixedEffects(fit: MerFitData, digits = 4, stars = true): string {
  if (fit.fixefNames.length === 0) return '';
  const statName = usesScale(fit) ? 't value' : 'z value';
  return '\nFixed effects:\n' + printCoefmat(coefTable(fit), statName, digits, stars);
}

/**
 * Where a GLMM's standard errors come from (`fit.vcovMethod`, the `control.vcov` rule), as one
 * line after the coefficient table; empty for LMMs (always R_X, as lme4) and without fixed effects.
 */
export function summaryVcovNote(fit: MerFitData): string {
  if (!isGlmm(fit) || fit.fixefNames.length === 0) return '';
  if (fit.vcovMethod === 'hessian') {
    return "Standard errors from the finite-difference Hessian (vcov: 'hessian')\n";
  }
  if (fit.vcovMethod !== 'RX') return '';
  if (fit.nAGQ === 0) return 'Standard errors from R_X (nAGQ = 0 has no Hessian over beta)\n';
  if (fit.optimizer.control.vcov === 'hessian') {
    return "Standard errors from R_X: the Hessian's covariance is not positive definite (vcov: 'hessian')\n";
  }
  return "Standard errors from R_X, conditional on theta (vcov: 'RX')\n";
}

/** Correlation matrix of the fixed effects from their covariance matrix. */
export function fixefCorrelation(vcov: readonly (readonly number[])[]): number[][] {
  const sd = vcov.map((r, i) => Math.sqrt(r[i]));
  return vcov.map((r, i) => r.map((v, j) => (i === j ? 1 : v / (sd[i] * sd[j]))));
}

/** `Correlation of Fixed Effects:` block (lower triangle, 3 decimals, abbreviated names). */
export function summaryCorrelation(fit: MerFitData, show?: boolean): string {
  const p = fit.fixefNames.length;
  if (p <= 1) return '';
  const doShow = show ?? p <= COR_MAX;
  if (!doShow) {
    return show === undefined
      ? `\nCorrelation matrix not shown by default, as p = ${p} > ${COR_MAX}.\n`
      : '';
  }
  const cor = fixefCorrelation(fit.vcov);
  const flat: number[] = [];
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) flat.push(roundR(cor[i][j], 3));
  const f = formatNumbers(flat, 7, 3);
  const rns = abbreviate(fit.fixefNames, 11);
  const cns = abbreviate(fit.fixefNames, 6);
  const cells: string[][] = [];
  for (let i = 1; i < p; i++) {
    const row: string[] = [];
    for (let j = 0; j < p - 1; j++) row.push(j < i ? f[j * p + i] : '');
    cells.push(row);
  }
  return (
    '\nCorrelation of Fixed Effects:\n' + printMatrix(cells, rns.slice(1), cns.slice(0, p - 1))
  );
}

/** `.prt.warn`: optimizer convergence code and messages (boundary fit, dropped columns), then a blank line. */
export function summaryWarnings(fit: MerFitData): string {
  const msgs = [...fit.messages];
  if (fit.singular && !msgs.some((m) => /singular/i.test(m))) msgs.push(SINGULAR_MESSAGE);
  const code = fit.optimizer.converged ? 0 : 1;
  if (code === 0 && msgs.length === 0) return '';
  const why = code === 0 ? 'OK' : (fit.optimizer.messages[0] ?? 'failure to converge');
  let out = `optimizer (${fit.optimizer.method}) convergence code: ${code} (${why})\n`;
  for (const m of msgs) out += m + '\n';
  // lme4: cat(convmsg, msgs, sep = "\n") ends with a newline of its own, then cat("\n").
  return out + '\n';
}

/** lme4's `print(summary(m))`. */
export function formatSummary(fit: MerFitData, options: SummaryOptions = {}): string {
  const digits = options.digits ?? 4;
  return (
    summaryHeader(fit, options.dataName ?? fit.dataName) +
    summaryAicTable(fit) +
    summaryResiduals(scaledResiduals(fit), digits) +
    summaryRandomEffects(fit, digits) +
    summaryGroups(fit) +
    summaryFixedEffects(fit, digits, options.signifStars ?? true) +
    (options.vcovNote === false ? '' : summaryVcovNote(fit)) +
    summaryCorrelation(fit, options.correlation) +
    summaryWarnings(fit)
  );
}

/** Re-exported for callers that format single numbers like the summary does. */
export { encodeReal, formatRealInfo };

/**
 * R's significance stars: appends the star column to `cells` and an empty header to `colNames`
 * when some p-value is below 0.1, returning the legend (else '' and nothing appended).
 */
export function addSignifStars(cells: string[][], colNames: string[], pv: number[]): string {
  if (!pv.some((v) => v < 0.1)) return '';
  const st = formatStrings(pv.map(signifStars));
  cells.forEach((c, i) => c.push(st[i]));
  colNames.push('');
  return '---\n' + SIGNIF_LEGEND + '\n';
}
